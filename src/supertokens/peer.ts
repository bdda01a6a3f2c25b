// supertokens-node is an optional peer dependency: only this entry point uses it, so a Lambda that
// imports claimguard/lambda never installs or loads it. Loaded here, once, with an error that says
// what to install instead of Node's bare "Cannot find package".
import { AuthConfigError } from './errors.js';

const isMissing = (e: unknown): boolean =>
  typeof e === 'object' &&
  e !== null &&
  ((e as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' || (e as { code?: unknown }).code === 'MODULE_NOT_FOUND') &&
  String((e as { message?: unknown }).message).includes("'supertokens-node");

export async function importSupertokens() {
  try {
    const [core, emailPassword, emailVerification, session, awsLambda] = await Promise.all([
      import('supertokens-node'),
      import('supertokens-node/recipe/emailpassword'),
      import('supertokens-node/recipe/emailverification'),
      import('supertokens-node/recipe/session'),
      import('supertokens-node/framework/awsLambda'),
    ]);
    return { core, emailPassword, emailVerification, session, awsLambda };
  } catch (cause) {
    if (!isMissing(cause)) throw cause;
    throw new AuthConfigError(
      'SUPERTOKENS_MISSING',
      'claimguard/supertokens needs the peer dependency supertokens-node (^24): npm install supertokens-node',
      { cause },
    );
  }
}
