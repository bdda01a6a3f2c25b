// createAuthorizer on the real orders-api bundle, tokens signed with RS256 keys served as a JWKS
// from 127.0.0.1: REST REQUEST events answered with an IAM policy on exactly their methodArn,
// HTTP API payload 2.0 events with simple responses, `Unauthorized` for every token a refresh can
// replace, TOKEN events and every fault thrown as an AuthorizerError (API Gateway: 500).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthorizerError, createAuthorizer, type AuthorizerOptions, type PolicyResult } from '../../src/authorizer/index.js';
import type { BuiltBundle } from '../../src/compile/compile.js';
import { decide } from '../../src/decision/evaluate.js';
import { loadPolicy } from '../../src/policy/load.js';
import type { PolicyIR } from '../../src/policy/ir.js';
import {
  ADMIN,
  AUDIENCE,
  bearer,
  CUSTOMER,
  fixture,
  httpApiEvent,
  httpApiRequest,
  ISSUER,
  jwksServer,
  logSink,
  NOW,
  ordersBundle,
  restEvent,
  restRequest,
  signingKey,
  type JwksServer,
  type SigningKey,
} from './fixtures.js';

let built: BuiltBundle;
let ir: PolicyIR;
let k1: SigningKey;
let k2: SigningKey;
let stranger: SigningKey;
let jwks: JwksServer;

beforeAll(async () => {
  [built, k1, k2, stranger] = await Promise.all([ordersBundle(), signingKey('k1'), signingKey('k2'), signingKey('k1')]);
  const loaded = await loadPolicy(new URL('../../examples/orders-api/policies.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('policy');
  ir = loaded.ir;
  jwks = await jwksServer([k1.jwk]);
});
afterAll(() => jwks.close());
afterEach(() => {
  vi.useRealTimers();
  jwks.mode = 'ok';
  jwks.keys = [k1.jwk];
});

function setup(options: Partial<AuthorizerOptions> = {}) {
  const log = logSink();
  const handler = createAuthorizer({
    bundle: built.bytes,
    clock: () => NOW,
    log: { sink: log.sink },
    verify: { jwksUrl: jwks.url, issuer: ISSUER, audience: AUDIENCE },
    ...options,
  });
  return { handler, log };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** API Gateway's 401: a plain Error whose message is exactly `Unauthorized`. */
const isUnauthorized = (e: unknown): boolean => e instanceof Error && e.constructor === Error && e.message === 'Unauthorized';
const isAuthorizerError = (code: string) => (e: unknown): boolean => e instanceof AuthorizerError && e.code === code;

/** The claimValidationErrors withAuthorization would send: the reference evaluator's reasons. */
function claimErrors(claims: Record<string, unknown>, method: string, routeKey: string, path: string, pathParameters: Record<string, string>): string {
  const d = decide(ir, { request: { method, routeKey, path, pathParameters }, token: claims, now: NOW });
  return JSON.stringify(d.reasons.map((r) => ({ id: r.id, reason: r.reason })));
}

const statement = (effect: 'Allow' | 'Deny', methodArn: string) => ({
  Version: '2012-10-17',
  Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: methodArn }],
});

describe('REST API REQUEST authorizer', () => {
  it('allow: one statement allowing exactly the methodArn, principalId = sub, the decision in the context', async () => {
    const { handler, log } = setup();
    const event = restEvent(await bearer(CUSTOMER, k1));
    const result = await handler(event);
    expect(result).toEqual({
      principalId: CUSTOMER.sub,
      policyDocument: statement('Allow', 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders/42'),
      context: { decisionId: expect.stringMatching(UUID), revision: built.manifest.revision, route: 'GET /orders/{orderId}', message: 'forbidden', claimValidationErrors: 'null' },
    });
    for (const v of Object.values(result.context)) expect(typeof v).toBe('string');
    expect(log.lines).toEqual([
      expect.objectContaining({ decisionId: result.context.decisionId, allow: true, status: 200, routeKey: 'GET /orders/{orderId}', method: 'GET', path: '/orders/42', reasons: [] }),
    ]);
  });

  type Deny = [name: string, claims: () => Record<string, unknown>, method: string, resource: string, path: string, params: Record<string, string>, route: string, reasons: string[]];
  it.each<Deny>([
    ['a customer deleting (roles)', () => ({ ...CUSTOMER }), 'DELETE', '/orders/{orderId}', '/orders/42', { orderId: '42' }, 'DELETE /orders/{orderId}', ['ROLES_MISSING']],
    ['an admin without MFA', () => ({ ...ADMIN, 'st-mfa': { c: { emailpassword: 1712345670 }, v: false } }), 'DELETE', '/orders/{orderId}', '/orders/42', { orderId: '42' }, 'DELETE /orders/{orderId}', ['MFA_REQUIRED']],
    ['an unverified email', () => ({ ...CUSTOMER, 'st-ev': { v: false, t: 1712345678901 } }), 'GET', '/orders/{orderId}', '/orders/42', { orderId: '42' }, 'GET /orders/{orderId}', ['EMAIL_NOT_VERIFIED']],
    ["another user's profile", () => ({ ...CUSTOMER }), 'GET', '/users/{userId}/profile', '/users/u2/profile', { userId: 'u2' }, 'GET /users/{userId}/profile', ['ROLES_MISSING', 'SUBJECT_MISMATCH']],
    ['a stale TOTP on the admin routes', () => ({ ...ADMIN, 'st-mfa': { c: { totp: 1712345000 }, v: true } }), 'POST', '/admin/{proxy+}', '/admin/users/7', { proxy: 'users/7' }, 'ANY /admin/{proxy+}', ['MFA_FACTOR_EXPIRED']],
  ])('a failed claim (%s): Deny on the methodArn, SuperTokens\' claimValidationErrors in the context', async (_name, claims, method, resource, path, params, route, reasons) => {
    const { handler, log } = setup();
    const c = claims();
    const event = restRequest(await bearer(c, k1), method, resource, path, params);
    const result = await handler(event);
    expect(result).toEqual({
      principalId: c.sub,
      policyDocument: statement('Deny', event.methodArn),
      context: {
        decisionId: expect.stringMatching(UUID),
        revision: built.manifest.revision,
        route,
        message: 'invalid claim',
        claimValidationErrors: claimErrors(c, method, `${method} ${resource}`, path, params),
      },
    });
    expect(log.lines[0]).toMatchObject({ decisionId: result.context.decisionId, allow: false, status: 403, reasons });
  });

  type Forbidden = [name: string, resource: string, path: string, params: Record<string, string>, reasons: string[]];
  it.each<Forbidden>([
    ['no policy route', '/invoices/{invoiceId}', '/invoices/7', { invoiceId: '7' }, ['ROUTE_NOT_IN_POLICY']],
    ['a refused path', '/orders/{orderId}', '/orders/%2e%2e', { orderId: '%2e%2e' }, ['PATH_REJECTED']],
    ['a parameter holding a slash (inconsistent event)', '/orders/{orderId}', '/orders/a%2Fb', { orderId: 'a/b' }, ['EVENT_INCONSISTENT']],
  ])('any other refusal (%s): Deny, message forbidden, no claimValidationErrors', async (_name, resource, path, params, reasons) => {
    const { handler, log } = setup();
    const event = restRequest(await bearer(CUSTOMER, k1), 'GET', resource, path, params);
    const result = await handler(event);
    expect(result.policyDocument).toEqual(statement('Deny', event.methodArn));
    expect(result.context).toEqual({
      decisionId: expect.stringMatching(UUID),
      revision: built.manifest.revision,
      route: '',
      message: 'forbidden',
      claimValidationErrors: 'null',
    });
    expect(log.lines[0]).toMatchObject({ decisionId: result.context.decisionId, allow: false, status: 403, reasons });
  });

  it('the inconsistent event is refused before the token is read: the principal is anonymous', async () => {
    const { handler } = setup();
    const result = await handler(restRequest(await bearer(CUSTOMER, k1), 'GET', '/orders/{orderId}', '/orders/a%2Fb', { orderId: 'a/b' }));
    expect(result.principalId).toBe('anonymous');
  });

  it('a public route reached without a token: Allow, principal "anonymous"', async () => {
    const { handler } = setup();
    const result = await handler(restRequest(null, 'GET', '/health', '/health', {}));
    expect([result.principalId, result.policyDocument.Statement[0]!.Effect, result.context.route]).toEqual(['anonymous', 'Allow', 'GET /health']);
  });

  type Refused = [name: string, authorization: () => Promise<string | null>, reasons: string[]];
  it.each<Refused>([
    ['missing', async () => null, ['TOKEN_MISSING']],
    ['malformed', async () => 'Bearer not-a-jwt', ['TOKEN_MALFORMED']],
    ['expired', () => bearer({ ...CUSTOMER, iat: NOW / 1000 - 7200, exp: NOW / 1000 - 3600 }, k1), ['TOKEN_SIGNATURE_INVALID']],
    ['of another issuer', () => bearer({ ...CUSTOMER, iss: 'https://evil.example.com/auth' }, k1), ['TOKEN_SIGNATURE_INVALID']],
    ['for another audience', () => bearer({ ...CUSTOMER, aud: 'someone-else' }, k1), ['TOKEN_SIGNATURE_INVALID']],
    ['badly signed (another key, same kid)', () => bearer(CUSTOMER, stranger), ['TOKEN_SIGNATURE_INVALID']],
    ['signed with a kid the JWKS does not have', () => bearer(CUSTOMER, { ...stranger, kid: 'k9' }), ['TOKEN_SIGNATURE_INVALID']],
    ['unsigned (alg none)', async () => `Bearer ${Buffer.from('{"alg":"none","kid":"k1"}').toString('base64url')}.${Buffer.from(JSON.stringify(CUSTOMER)).toString('base64url')}.c2ln`, ['TOKEN_SIGNATURE_INVALID']],
    ['sent twice', async () => `${await bearer(CUSTOMER, k1)}, ${await bearer(ADMIN, k1)}`, ['TOKEN_MULTIPLE']],
  ])('a %s token: rejected with exactly `Unauthorized` (API Gateway: 401), no policy', async (_name, authorization, reasons) => {
    const { handler, log } = setup();
    await expect(handler(restEvent(await authorization()))).rejects.toSatisfy(isUnauthorized);
    expect(log.lines).toEqual([expect.objectContaining({ allow: false, status: 401, reasons })]);
  });

  it('the payload 2.0 roles of the token are read from the verified token, never from the event', async () => {
    const { handler } = setup();
    // An authorizer event carries no authorizer claims; any that appear are ignored.
    const event = restEvent(await bearer(CUSTOMER, k1), (e) => {
      (e.requestContext as unknown as Record<string, unknown>).authorizer = { claims: { sub: 'admin', 'st-role': 'map[v:[admin]]' } };
      e.httpMethod = 'DELETE';
      e.requestContext.httpMethod = 'DELETE';
      e.methodArn = e.methodArn.replace('/GET/', '/DELETE/');
    });
    const result = await handler(event);
    expect(result.policyDocument.Statement[0]!.Effect).toBe('Deny');
    expect(result.principalId).toBe(CUSTOMER.sub);
  });

  it('an HTTP API authorizer on payload 1.0 is answered like REST: a policy on its methodArn', async () => {
    const { handler } = setup();
    const token = await bearer(CUSTOMER, k1);
    const event = fixture<Record<string, unknown>>('http-api-v1-get-order.json');
    (event.headers as Record<string, string>).authorization = token;
    const result = (await handler(event)) as PolicyResult;
    expect(result.policyDocument).toEqual(statement('Allow', event.methodArn as string));
    expect(result.context.route).toBe('GET /orders/{orderId}');
  });

  it('an event without an execute-api methodArn is no decision', async () => {
    const { handler } = setup();
    const event = restEvent(await bearer(CUSTOMER, k1), (e) => (e.methodArn = '*'));
    await expect(handler(event)).rejects.toSatisfy(isAuthorizerError('EVENT_UNSUPPORTED'));
  });
});

describe('HTTP API Lambda authorizer, payload 2.0, simple responses', () => {
  it('allow: isAuthorized with the context; the stage is not part of the decided path', async () => {
    const { handler, log } = setup();
    const result = await handler(httpApiEvent(await bearer(CUSTOMER, k1)));
    expect(result).toEqual({
      isAuthorized: true,
      context: { decisionId: expect.stringMatching(UUID), revision: built.manifest.revision, route: 'GET /orders/{orderId}', message: 'forbidden', claimValidationErrors: 'null' },
    });
    expect(log.lines[0]).toMatchObject({ routeKey: 'GET /orders/{orderId}', path: '/orders/42', status: 200 });
  });

  it('a failed claim: not authorized (API Gateway: 403), the reasons in the context', async () => {
    const { handler } = setup();
    const event = httpApiRequest(await bearer(CUSTOMER, k1), 'DELETE', 'DELETE /orders/{orderId}', '/orders/42', { orderId: '42' });
    expect(await handler(event)).toEqual({
      isAuthorized: false,
      context: {
        decisionId: expect.stringMatching(UUID),
        revision: built.manifest.revision,
        route: 'DELETE /orders/{orderId}',
        message: 'invalid claim',
        claimValidationErrors: '[{"id":"st-role","reason":{"message":"wrong value","expectedToInclude":["admin"],"actualValue":["customer"]}}]',
      },
    });
  });

  it('a dispatched route that cannot match the path: not authorized, forbidden', async () => {
    const { handler, log } = setup();
    const event = httpApiRequest(await bearer(ADMIN, k1), 'GET', 'ANY /admin/{proxy+}', '/health', { proxy: 'x' });
    expect(await handler(event)).toMatchObject({ isAuthorized: false, context: { message: 'forbidden', route: '' } });
    expect(log.lines[0]).toMatchObject({ reasons: ['ROUTE_MISMATCH'] });
  });

  it.each<[string, () => Promise<string | null>]>([
    ['missing', async () => null],
    ['expired', () => bearer({ ...CUSTOMER, exp: NOW / 1000 - 1 }, k1)],
    ['badly signed', () => bearer(CUSTOMER, stranger)],
  ])('a %s token: `Unauthorized` (API Gateway: 401)', async (_name, authorization) => {
    const { handler } = setup();
    await expect(handler(httpApiEvent(await authorization()))).rejects.toSatisfy(isUnauthorized);
  });

  it.each<[string, (e: { identitySource: string[]; routeKey: string }) => void]>([
    ['lack the route key (one route\'s answer could serve another)', (e) => (e.identitySource = e.identitySource.filter((v) => v !== e.routeKey))],
    ['lack the Authorization header (one caller\'s answer could serve another)', (e) => (e.identitySource = [e.routeKey])],
  ])('identity sources that %s: a configuration error (500), never a decision', async (_name, edit) => {
    const { handler, log } = setup();
    const event = httpApiEvent(await bearer(CUSTOMER, k1));
    edit(event);
    const rejection = handler(event);
    await expect(rejection).rejects.toSatisfy(isAuthorizerError('IDENTITY_SOURCE_UNSAFE'));
    await expect(rejection).rejects.toThrow(/\$request\.header\.Authorization, \$context\.routeKey/);
    expect(log.lines[0]).toMatchObject({ status: 500, reasons: ['EVENT_UNSUPPORTED'] });
  });
});

describe('events claimguard cannot decide for', () => {
  it('a TOKEN authorizer: a configuration error naming the fix, never a decision or a 401', async () => {
    const { handler, log } = setup();
    const event = fixture<Record<string, unknown>>('rest-token.json');
    event.authorizationToken = await bearer(CUSTOMER, k1);
    const rejection = handler(event);
    await expect(rejection).rejects.toSatisfy(isAuthorizerError('TOKEN_AUTHORIZER'));
    await expect(rejection).rejects.toThrow(/REQUEST authorizer with the identity sources method\.request\.header\.Authorization, context\.httpMethod, context\.resourcePath/);
    expect(log.lines[0]).toMatchObject({ status: 500, reasons: ['EVENT_UNSUPPORTED'], detail: expect.stringMatching(/TOKEN authorizer/) });
  });

  it.each<[string, unknown]>([
    ['a proxy event (the authorizer wired as an integration)', JSON.parse(JSON.stringify({ version: '2.0', routeKey: '$default', rawPath: '/', requestContext: { http: { method: 'GET' } } }))],
    ['not an object', 'GET /orders/42'],
    ['an unknown type', { type: 'WEBSOCKET', methodArn: 'arn:aws:execute-api:eu-west-1:1:a/b/GET/' }],
  ])('%s: EVENT_UNSUPPORTED (500)', async (_name, event) => {
    const { handler } = setup();
    await expect(handler(event)).rejects.toSatisfy(isAuthorizerError('EVENT_UNSUPPORTED'));
  });
});

describe('faults are 500s, never an allow', () => {
  it('createAuthorizer without `verify` throws at cold start', () => {
    expect(() => createAuthorizer({ bundle: built.bytes } as unknown as AuthorizerOptions)).toThrow(expect.objectContaining({ code: 'VERIFY_REQUIRED' }));
    expect(() => createAuthorizer({ bundle: built.bytes, verify: { issuer: ISSUER, audience: AUDIENCE } })).toThrow(TypeError);
  });

  it('a missing bundle: NO_DECISION, the reason in the log', async () => {
    const { handler, log } = setup({ bundle: '/nonexistent/bundle.tar.gz' });
    await expect(handler(restEvent(await bearer(CUSTOMER, k1)))).rejects.toSatisfy(isAuthorizerError('NO_DECISION'));
    expect(log.lines[0]).toMatchObject({ status: 500, reasons: ['BUNDLE_NOT_FOUND'] });
  });

  it.each<[string, JwksServer['mode']]>([
    ['answers 500', 'error-500'],
    ['answers HTML', 'not-json'],
    ['answers JSON that is no key set', 'not-a-key-set'],
  ])('a JWKS endpoint that %s: NO_DECISION (JWKS_UNAVAILABLE), not a 401; it is fetched again once it recovers', async (_name, mode) => {
    jwks.mode = mode;
    const { handler, log } = setup();
    const token = await bearer(CUSTOMER, k1);
    await expect(handler(restEvent(token))).rejects.toSatisfy(isAuthorizerError('NO_DECISION'));
    expect(log.lines[0]).toMatchObject({ status: 500, reasons: ['JWKS_UNAVAILABLE'], method: 'GET', path: '/orders/42' });
    jwks.mode = 'ok';
    expect((await handler(restEvent(token))).policyDocument.Statement[0]!.Effect).toBe('Allow');
  });

  it('a JWKS endpoint nobody listens on: NO_DECISION (JWKS_UNAVAILABLE)', async () => {
    const closed = await jwksServer([k1.jwk]);
    await closed.close();
    const { handler, log } = setup({ verify: { jwksUrl: closed.url, issuer: ISSUER, audience: AUDIENCE } });
    await expect(handler(httpApiEvent(await bearer(CUSTOMER, k1)))).rejects.toSatisfy(isAuthorizerError('NO_DECISION'));
    expect(log.lines[0]).toMatchObject({ reasons: ['JWKS_UNAVAILABLE'] });
  });
});

describe('keys: fetched once per cold start, refetched once for an unknown kid', () => {
  /** Lets the cold-start fetch land. */
  const settle = async (handler: ReturnType<typeof setup>['handler']) => {
    await handler(restRequest(null, 'GET', '/health', '/health', {}));
    await new Promise((r) => setTimeout(r, 20));
  };

  it('one fetch at cold start serves every request after it', async () => {
    const before = jwks.hits;
    const { handler } = setup();
    await settle(handler);
    for (let i = 0; i < 5; i++) await handler(restEvent(await bearer(CUSTOMER, k1)));
    expect(jwks.hits - before).toBe(1);
  });

  it('rotation: a new kid refetches once (after the 30 s cooldown), then is served from the cache', async () => {
    const { handler } = setup();
    await settle(handler);
    const fetched = jwks.hits;
    jwks.keys = [k1.jwk, k2.jwk];
    const rotated = await bearer(CUSTOMER, k2);
    // Within the cooldown after the cold-start fetch: no refetch, the unknown kid is a 401.
    await expect(handler(restEvent(rotated))).rejects.toSatisfy(isUnauthorized);
    expect(jwks.hits).toBe(fetched);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31_000);
    expect((await handler(restEvent(rotated))).policyDocument.Statement[0]!.Effect).toBe('Allow');
    expect(jwks.hits).toBe(fetched + 1);
    for (let i = 0; i < 3; i++) await handler(restEvent(rotated));
    expect((await handler(restEvent(await bearer(CUSTOMER, k1)))).policyDocument.Statement[0]!.Effect).toBe('Allow');
    expect(jwks.hits).toBe(fetched + 1);
  });

  it('a forged kid costs at most one fetch per cooldown, however often it is sent', async () => {
    const { handler } = setup();
    await settle(handler);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31_000);
    const fetched = jwks.hits;
    const forged = await bearer(CUSTOMER, { ...stranger, kid: 'k9' });
    for (let i = 0; i < 5; i++) await expect(handler(restEvent(forged))).rejects.toSatisfy(isUnauthorized);
    expect(jwks.hits).toBe(fetched + 1);
  });
});
