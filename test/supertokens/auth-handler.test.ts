// The auth Lambda through the real supertokens-node middleware, against a local stand-in for the
// SuperTokens core (core-stand-in.ts: not the real core, just the endpoints these routes need).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { JSONWebKeySet } from 'jose';
import { RecipeUserId } from 'supertokens-node';
import { createNewSessionWithoutRequestResponse } from 'supertokens-node/recipe/session';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { withAuthorization } from '../../src/lambda/index.js';
import { authConfig, AuthConfigError, createAuthHandler, type AuthHandler, type SessionConfig } from '../../src/supertokens/index.js';
import { CONTEXT, referenceAuthorizer, v1Event, v2Event } from '../lambda/fixtures.js';
import { chk, policy, publicRoute, route } from '../support/ir-builders.js';
import { startCoreStandIn, type CoreStandIn } from './core-stand-in.js';


const API_DOMAIN = 'https://abc123.execute-api.eu-west-1.amazonaws.com';
const ISSUER = `${API_DOMAIN}/prod/auth`;

let core: CoreStandIn;
let handler: AuthHandler;
let dir: string;

/** The caller's own Session override: adds a claim, and must keep working beside claimguard's. */
const callerOverride = vi.fn<NonNullable<NonNullable<SessionConfig['override']>['functions']>>((original) => ({
  ...original,
  createNewSession: (input) => original.createNewSession({ ...input, accessTokenPayload: { ...input.accessTokenPayload, plan: 'pro' } }),
}));

beforeAll(async () => {
  core = await startCoreStandIn();
  dir = mkdtempSync(join(tmpdir(), 'claimguard-auth-'));
  writeFileSync(
    join(dir, 'policies.yaml'),
    ['version: 1', 'audience: jwtAuthorizers', `issuer: ${ISSUER}`, 'routes:', '  GET /health: { public: true }', ''].join('\n'),
  );
  handler = createAuthHandler({
    supertokens: { connectionURI: core.url, apiKey: 'stand-in-api-key' },
    appInfo: { apiDomain: API_DOMAIN, apiGatewayPath: '/prod', apiBasePath: '/auth', websiteDomain: 'https://shop.example.com', appName: 'orders' },
    policies: join(dir, 'policies.yaml'),
    recipes: [], // Session alone keeps the stand-in small; the default adds EmailPassword + EmailVerification
    session: { override: { functions: callerOverride } },
  });
});

afterAll(async () => {
  await core.close();
});

const jwksEvent = (): APIGatewayProxyEventV2 => v2Event('v2-auth-jwks.json') as unknown as APIGatewayProxyEventV2;

describe('SuperTokens routes through the real middleware', () => {
  it('GET /auth/jwt/jwks.json (payload 2.0, stage prod): the core keys, with the cache header', async () => {
    const result = (await handler(jwksEvent(), CONTEXT)) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!)).toEqual({ keys: [core.jwk] });
    expect(result.headers).toMatchObject({ 'Content-Type': 'application/json', 'Cache-Control': 'max-age=60, must-revalidate' });
    const paths = core.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain('GET /apiversion');
    expect(paths).toContain('GET /.well-known/jwks.json');
    expect(core.requests.find((r) => r.path === '/.well-known/jwks.json')?.headers['api-key']).toBe('stand-in-api-key');
  });

  it('GET /auth/.well-known/openid-configuration: the issuer and jwks_uri the JWT authorizer needs', async () => {
    const event = jwksEvent();
    event.rawPath = '/prod/auth/.well-known/openid-configuration';
    event.requestContext.http.path = event.rawPath;
    const result = (await handler(event, CONTEXT)) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!)).toMatchObject({ issuer: ISSUER, jwks_uri: `${ISSUER}/jwt/jwks.json` });
  });

  it('payload 1.0 works too', async () => {
    const event = v1Event('v1-get-order.json') as unknown as APIGatewayProxyEvent;
    event.resource = '/auth/{proxy+}';
    event.path = '/auth/jwt/jwks.json';
    event.pathParameters = { proxy: 'jwt/jwks.json' };
    delete (event.requestContext as { authorizer?: unknown }).authorizer;
    const result = await handler(event, CONTEXT);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ keys: [core.jwk] });
  });

  it('a path SuperTokens does not serve: its own 404', async () => {
    const event = jwksEvent();
    event.rawPath = '/prod/auth/nothing-here';
    event.requestContext.http.path = event.rawPath;
    const result = (await handler(event, CONTEXT)) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(404);
  });
});

describe('sessions carry the policy audience', () => {
  it('the real SDK sends aud (from policies.yaml) and the caller override’s claim to the core', async () => {
    // Any SuperTokens request initialises the SDK; then create a session the way sign-in does.
    await handler(jwksEvent(), CONTEXT);
    const session = await createNewSessionWithoutRequestResponse('public', new RecipeUserId('fa7a0841-b533-4478-9553-0fde890c3483'));
    const sent = core.requests.find((r) => r.path === '/public/recipe/session');
    expect(sent?.body).toMatchObject({ userId: 'fa7a0841-b533-4478-9553-0fde890c3483', userDataInJWT: { aud: 'jwtAuthorizers', plan: 'pro', iss: ISSUER } });
    expect(callerOverride).toHaveBeenCalledOnce();
    expect(session.getAccessTokenPayload()).toMatchObject({ aud: 'jwtAuthorizers', plan: 'pro', iss: ISSUER });

    // Full loop: the token the auth function issued passes withAuthorization (jose verification
    // against the JWKS it serves, and the policy's audience + issuer checks).
    const jwks = JSON.parse(((await handler(jwksEvent(), CONTEXT)) as APIGatewayProxyStructuredResultV2).body!) as JSONWebKeySet;
    const ir = policy([publicRoute('GET /health'), route('GET /me', [chk.audience('jwtAuthorizers'), chk.issuer(ISSUER)])], {
      audience: 'jwtAuthorizers',
      issuer: ISSUER,
    });
    const api = vi.fn(async () => ({ statusCode: 200, body: 'me' }));
    const wrapped = withAuthorization(api, {
      authorizer: referenceAuthorizer(ir),
      verify: { jwks, issuer: ISSUER, audience: 'jwtAuthorizers' },
      log: false,
    });
    const event = v2Event('v2-get-order.json');
    event.routeKey = 'GET /me';
    event.rawPath = '/prod/me';
    delete event.pathParameters;
    event.headers.authorization = `Bearer ${session.getAccessToken()}`;
    delete (event.requestContext as { authorizer?: unknown }).authorizer; // verified by jose instead
    expect(await wrapped(event, CONTEXT)).toEqual({ statusCode: 200, body: 'me' });
  });
});

describe('configuration', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('reads the documented environment variables', () => {
    Object.assign(process.env, {
      SUPERTOKENS_CONNECTION_URI: 'https://core.example.com',
      SUPERTOKENS_API_KEY: 'k',
      API_DOMAIN: 'https://api.example.com',
      API_BASE_PATH: '/identity',
      WEBSITE_DOMAIN: 'https://shop.example.com',
      APP_NAME: 'shop',
    });
    const config = authConfig({}, 'jwtAuthorizers');
    expect(config).toMatchObject({
      framework: 'awsLambda',
      isInServerlessEnv: true,
      telemetry: false,
      supertokens: { connectionURI: 'https://core.example.com', apiKey: 'k' },
      appInfo: { apiDomain: 'https://api.example.com', apiBasePath: '/identity', websiteDomain: 'https://shop.example.com', appName: 'shop' },
    });
    expect(config.recipeList).toHaveLength(3); // EmailPassword, EmailVerification (REQUIRED), Session
  });

  it.each(['SUPERTOKENS_CONNECTION_URI', 'API_DOMAIN', 'WEBSITE_DOMAIN'])('a missing %s throws at creation', (name) => {
    Object.assign(process.env, {
      SUPERTOKENS_CONNECTION_URI: 'https://core.example.com',
      API_DOMAIN: 'https://api.example.com',
      WEBSITE_DOMAIN: 'https://shop.example.com',
    });
    delete process.env[name];
    expect(() => createAuthHandler({ audience: 'x' })).toThrow(AuthConfigError);
    expect(() => createAuthHandler({ audience: 'x' })).toThrow(`${name} is not set`);
  });

  it.each([
    ['no audience', 'version: 1\nroutes:\n  GET /health: { public: true }\n', 'POLICY_AUDIENCE_MISSING'],
    ['an invalid policy', 'version: 2\n', 'POLICY_INVALID'],
    ['a missing file', null, 'POLICY_INVALID'],
  ])('a policy file with %s: every request 500, reason logged, SuperTokens never reached', async (_name, text, code) => {
    const file = join(dir, `bad-${code}-${Math.random()}.yaml`);
    if (text !== null) writeFileSync(file, text);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const bad = createAuthHandler({
        supertokens: { connectionURI: core.url },
        appInfo: { apiDomain: API_DOMAIN, websiteDomain: 'https://shop.example.com' },
        policies: file,
      });
      const before = core.requests.length;
      const result = await bad(jwksEvent(), CONTEXT);
      expect(result).toEqual({ statusCode: 500, headers: { 'content-type': 'application/json' }, body: '{"message":"internal error"}' });
      expect(core.requests.length).toBe(before);
      expect(JSON.parse(String(write.mock.calls[0]![0]))).toMatchObject({ level: 'error', code });
    } finally {
      write.mockRestore();
    }
  });
});
