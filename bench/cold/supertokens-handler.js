// What a team writes instead of claimguard: supertokens-node in every Lambda, `verifySession` with
// the claim validators for the scenario's target route (a verified email, the admin role, MFA
// completed), the access token checked against the core's JWKS. The core is a local stand-in that
// serves only the JWKS (bench/cold/run.js); nothing else is fetched when the token's claims are fresh.
import supertokens from 'supertokens-node';
import EmailVerification from 'supertokens-node/recipe/emailverification';
import MultiFactorAuth, { MultiFactorAuthClaim } from 'supertokens-node/recipe/multifactorauth';
import Session from 'supertokens-node/recipe/session';
import { verifySession } from 'supertokens-node/recipe/session/framework/awsLambda';
import UserRoles, { UserRoleClaim } from 'supertokens-node/recipe/userroles';

export let handler;

/** init() and the wrapped handler: what runs at cold start after the imports. */
export function start() {
  supertokens.init({
    framework: 'awsLambda',
    isInServerlessEnv: true,
    supertokens: { connectionURI: process.env.SUPERTOKENS_CONNECTION_URI },
    appInfo: { appName: 'orders', apiDomain: 'https://api.example.com', websiteDomain: 'https://shop.example.com', apiBasePath: '/auth' },
    telemetry: false,
    recipeList: [
      Session.init({ exposeAccessTokenToFrontendInCookieBasedAuth: true }),
      EmailVerification.init({ mode: 'REQUIRED' }),
      UserRoles.init(),
      MultiFactorAuth.init(),
    ],
  });
  handler = verifySession(async (event) => ({ statusCode: 200, body: event.session.getUserId() }), {
    overrideGlobalClaimValidators: (globals) => [
      ...globals,
      UserRoleClaim.validators.includes('admin'),
      MultiFactorAuthClaim.validators.hasCompletedMFARequirementsForAuth(),
    ],
  });
}
