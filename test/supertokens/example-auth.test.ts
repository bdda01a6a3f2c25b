// examples/orders-api/auth.ts as deployed: configured only by the documented environment
// variables, reading the example's policies.yaml, against the local core stand-in.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { RecipeUserId } from 'supertokens-node';
import { createNewSessionWithoutRequestResponse } from 'supertokens-node/recipe/session';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { CONTEXT, v2Event } from '../lambda/fixtures.js';
import { startCoreStandIn, type CoreStandIn } from './core-stand-in.js';

vi.mock('claimguard/supertokens', () => import('../../src/supertokens/index.js'));

let core: CoreStandIn;
let handler: (e: APIGatewayProxyEventV2, c: typeof CONTEXT) => Promise<APIGatewayProxyStructuredResultV2>;
const saved = { ...process.env };

beforeAll(async () => {
  core = await startCoreStandIn({ users: { 'fa7a0841-b533-4478-9553-0fde890c3483': 'ada@example.com' } });
  Object.assign(process.env, {
    SUPERTOKENS_CONNECTION_URI: core.url,
    API_DOMAIN: 'https://abc123.execute-api.eu-west-1.amazonaws.com',
    API_GATEWAY_PATH: '/prod',
    WEBSITE_DOMAIN: 'https://shop.example.com',
    CLAIMGUARD_POLICIES: new URL('../../examples/orders-api/policies.yaml', import.meta.url).pathname,
  });
  // Not a literal specifier: tsc would resolve `claimguard/supertokens` to the built lib/.
  const example = new URL('../../examples/orders-api/auth.ts', import.meta.url).href;
  handler = ((await import(example)) as { handler: typeof handler }).handler;
});

afterAll(async () => {
  process.env = saved;
  await core.close();
});

it('serves the JWKS, and new sessions carry the example policy’s audience and st-ev', async () => {
  const jwks = await handler(v2Event('v2-auth-jwks.json') as unknown as APIGatewayProxyEventV2, CONTEXT);
  expect(jwks.statusCode).toBe(200);
  expect(JSON.parse(jwks.body!)).toEqual({ keys: [core.jwk] });
  // Default recipes: EmailVerification (REQUIRED) adds `st-ev`, which the policy's emailVerified reads.
  const session = await createNewSessionWithoutRequestResponse('public', new RecipeUserId('fa7a0841-b533-4478-9553-0fde890c3483'));
  expect(session.getAccessTokenPayload()).toMatchObject({
    aud: 'jwtAuthorizers',
    iss: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/auth',
    'st-ev': { v: true, t: expect.any(Number) },
  });
});
