// The SuperTokens auth Lambda for `ANY /auth/{proxy+}` (no authorizer on that route).
// Configured from the environment: SUPERTOKENS_CONNECTION_URI, SUPERTOKENS_API_KEY, API_DOMAIN,
// API_BASE_PATH, API_GATEWAY_PATH, WEBSITE_DOMAIN, APP_NAME, CLAIMGUARD_POLICIES (see README.md).
// Tokens it issues carry `aud` = the `audience` of policies.yaml, which the JWT authorizer checks;
// the CDK stack (stack.ts) passes that audience as CLAIMGUARD_AUDIENCE instead of the policy file.
import { createAuthHandler } from 'claimguard/supertokens';

const audience = process.env.CLAIMGUARD_AUDIENCE;
export const handler = createAuthHandler(audience === undefined || audience === '' ? {} : { audience });
