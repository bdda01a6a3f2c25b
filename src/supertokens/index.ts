// claimguard/supertokens: the SuperTokens auth Lambda for `/auth/{proxy+}`, whose tokens carry the
// policy's audience (`aud`) so the API Gateway JWT authorizer accepts them.
//
//   // auth.ts — everything from the environment (see README "Wiring in API Gateway")
//   export const handler = createAuthHandler();
import { isAbsolute, resolve } from 'node:path';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
  Handler,
} from 'aws-lambda';
import type { SuperTokensConfig } from 'supertokens-node';
import { audienceOverride, type SessionConfig } from './audience.js';
import { AuthConfigError } from './errors.js';
import { importSupertokens } from './peer.js';

export { audienceOverride, withAudience, type SessionConfig, type SessionFunctionsOverride } from './audience.js';

export type AppInfo = SuperTokensConfig['appInfo'];
export type RecipeListFunction = SuperTokensConfig['recipeList'][number];

export { AuthConfigError, type AuthConfigErrorCode } from './errors.js';
export { ClaimguardError } from '../errors.js';

// An optional peer dependency: importing this module without supertokens-node installed throws
// AuthConfigError('SUPERTOKENS_MISSING') naming what to install.
const st = await importSupertokens();
const initEmailPassword = st.emailPassword.init;
const initEmailVerification = st.emailVerification.init;
const initSession = st.session.init;

export interface AuthHandlerOptions {
  /** The SuperTokens core. Default: env `SUPERTOKENS_CONNECTION_URI`, `SUPERTOKENS_API_KEY`. */
  readonly supertokens?: { readonly connectionURI: string; readonly apiKey?: string };
  /**
   * SuperTokens appInfo; each field not given comes from the environment: `API_DOMAIN`,
   * `API_BASE_PATH` (default `/auth`), `API_GATEWAY_PATH` (the stage, e.g. `/prod`, when the API
   * is called through the execute-api URL), `WEBSITE_DOMAIN`, `APP_NAME` (default `claimguard`).
   * The token issuer is `apiDomain + apiGatewayPath + apiBasePath`: the authorizer's Issuer.
   */
  readonly appInfo?: Partial<AppInfo>;
  /** Stamped into `aud`. Default: the `audience` of the policy file. */
  readonly audience?: string | readonly string[];
  /** The policy file read for the audience: default env `CLAIMGUARD_POLICIES`, else `policies.yaml` (relative to `LAMBDA_TASK_ROOT` / cwd). */
  readonly policies?: string;
  /**
   * Session.init config. `exposeAccessTokenToFrontendInCookieBasedAuth` defaults to true (the
   * frontend must be able to send the token as a bearer header to API Gateway), and
   * `override.functions` is always composed with the audience override (yours runs first).
   */
  readonly session?: SessionConfig;
  /**
   * The other recipes. Default: EmailPassword and EmailVerification in `REQUIRED` mode (its
   * `st-ev` claim is what `emailVerified` checks). Do not put Session here: use `session`.
   */
  readonly recipes?: readonly RecipeListFunction[];
  /** Serves requests SuperTokens does not answer (default: SuperTokens' 404). */
  readonly fallback?: Handler;
  /** SuperTokens telemetry; off unless asked for. */
  readonly telemetry?: boolean;
  readonly debug?: boolean;
}

export type AuthEvent = APIGatewayProxyEventV2 | APIGatewayProxyEvent;
export type AuthResult = APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult;
export type AuthHandler = (event: AuthEvent, context: Context) => Promise<AuthResult>;

const env = (name: string): string | undefined => {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
};

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new AuthConfigError('AUTH_CONFIG_MISSING', `${what} is not set`);
  return value;
}

const fromRoot = (path: string): string => (isAbsolute(path) ? path : resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), path));

/** The `audience` of the policy file, through the policy loader (the same validation `build` does). */
export async function policyAudience(file: string): Promise<string> {
  const { loadPolicy } = await import('../policy/load.js');
  const result = await loadPolicy(file);
  if (!result.ok) {
    const first = result.errors[0];
    throw new AuthConfigError('POLICY_INVALID', `${file}: ${result.errors.length} policy error(s)${first ? `, first: ${first.message}` : ''}`);
  }
  if (result.ir.audience === null) throw new AuthConfigError('POLICY_AUDIENCE_MISSING', `${file} has no top-level audience`);
  return result.ir.audience;
}

const INTERNAL: APIGatewayProxyStructuredResultV2 = {
  statusCode: 500,
  headers: { 'content-type': 'application/json' },
  body: '{"message":"internal error"}',
};

/** The merged SuperTokens config (exported for inspection and tests). */
export function authConfig(options: AuthHandlerOptions, audience: string | readonly string[]): SuperTokensConfig {
  const connectionURI = options.supertokens?.connectionURI ?? required(env('SUPERTOKENS_CONNECTION_URI'), 'SUPERTOKENS_CONNECTION_URI');
  const apiKey = options.supertokens ? options.supertokens.apiKey : env('SUPERTOKENS_API_KEY');
  const a = options.appInfo ?? {};
  const apiGatewayPath = a.apiGatewayPath ?? env('API_GATEWAY_PATH');
  const websiteDomain = a.websiteDomain ?? env('WEBSITE_DOMAIN');
  const appInfo: AppInfo = {
    ...a,
    appName: a.appName ?? env('APP_NAME') ?? 'claimguard',
    apiDomain: a.apiDomain ?? required(env('API_DOMAIN'), 'API_DOMAIN'),
    apiBasePath: a.apiBasePath ?? env('API_BASE_PATH') ?? '/auth',
    ...(apiGatewayPath === undefined ? {} : { apiGatewayPath }),
    ...(websiteDomain === undefined ? {} : { websiteDomain }),
  };
  if (appInfo.websiteDomain === undefined && appInfo.origin === undefined) required(undefined, 'WEBSITE_DOMAIN');
  const session = options.session ?? {};
  const recipes = options.recipes ?? [initEmailPassword(), initEmailVerification({ mode: 'REQUIRED' })];
  return {
    framework: 'awsLambda',
    isInServerlessEnv: true,
    supertokens: { connectionURI, ...(apiKey === undefined ? {} : { apiKey }) },
    appInfo,
    telemetry: options.telemetry ?? false,
    ...(options.debug === undefined ? {} : { debug: options.debug }),
    recipeList: [
      ...recipes,
      initSession({
        exposeAccessTokenToFrontendInCookieBasedAuth: true,
        ...session,
        override: { ...session.override, functions: audienceOverride(audience, session.override?.functions) },
      }),
    ],
  };
}

/**
 * The Lambda handler for `/auth/{proxy+}` (payload 2.0 or 1.0). Configuration errors in options or
 * environment throw here. The policy file is read once, at creation (cold start); if it is unusable,
 * every request answers 500 `{"message":"internal error"}` and the reason is logged.
 */
export function createAuthHandler(options: AuthHandlerOptions = {}): AuthHandler {
  // Fail fast on what can be checked synchronously: the function fails to initialise, loudly.
  authConfig(options, options.audience ?? 'checked-later');
  const start = async (): Promise<void> => {
    const audience = options.audience ?? (await policyAudience(fromRoot(options.policies ?? env('CLAIMGUARD_POLICIES') ?? 'policies.yaml')));
    st.core.init(authConfig(options, audience));
  };
  // Started now (cold start), awaited per request; a failure is handled there, as a 500.
  const ready = start();
  ready.catch(() => {});
  const serve = st.awsLambda.middleware(options.fallback) as unknown as (event: AuthEvent, context: Context) => Promise<AuthResult>;
  return async (event, context) => {
    try {
      await ready;
    } catch (e) {
      const code = typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'INTERNAL_ERROR';
      const detail = e instanceof Error ? e.message : String(e);
      process.stdout.write(`${JSON.stringify({ level: 'error', message: 'claimguard auth function is not configured', code, detail })}\n`);
      return { ...INTERNAL, headers: { ...INTERNAL.headers } };
    }
    return serve(event, context);
  };
}
