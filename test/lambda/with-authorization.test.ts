// withAuthorization against real-shaped API Gateway events (examples/orders-api/events): allow,
// every deny reason with its exact body, token tampering, faults. The bundle here is the reference
// evaluator behind the Authorizer contract; with-authorization.e2e.test.ts runs real bundles.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { breathe } from '../support/breathe.js';
import { RuntimeError } from '../../src/runtime/errors.js';
import type { Authorizer } from '../../src/runtime/load-bundle.js';
import { withAuthorization, type AuthorizationOptions, type AuthorizedDecision } from '../../src/lambda/index.js';
import {
  b64url,
  CONTEXT,
  ISSUER,
  logSink,
  NOW,
  payloadOf,
  referenceAuthorizer,
  splitToken,
  v1Event,
  v2Event,
  withPayload,
  type V1Event,
  type V2Event,
} from './fixtures.js';

// The real loader reads files; here it is replaced so its calls can be counted and checked.
const loadBundle = vi.hoisted(() => vi.fn<(source: Uint8Array | string, o?: { expectedRevision?: string }) => Promise<Authorizer>>());
vi.mock('../../src/runtime/load-bundle.js', () => ({ loadBundle }));

const OK = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
const UNAUTHORISED = { statusCode: 401, headers: { 'content-type': 'application/json' }, body: '{"message":"unauthorised"}' };
const FORBIDDEN = { statusCode: 403, headers: { 'content-type': 'application/json' }, body: '{"message":"forbidden"}' };
const INTERNAL = { statusCode: 500, headers: { 'content-type': 'application/json' }, body: '{"message":"internal error"}' };

function setup(options: Partial<AuthorizationOptions> = {}) {
  const authorizer = referenceAuthorizer();
  const log = logSink();
  const handler = vi.fn(async (_e: unknown, _c: unknown, _d: AuthorizedDecision) => OK);
  const wrapped = withAuthorization(handler, { authorizer, clock: () => NOW, log: { sink: log.sink }, ...options });
  const call = (event: unknown) => wrapped(event as V2Event, CONTEXT);
  return { authorizer, log, handler, call };
}

beforeEach(() => {
  loadBundle.mockReset();
});

describe('allow', () => {
  it('payload 2.0 with a named stage: strips /{stage}, passes the decision and returns the handler result as is', async () => {
    const { call, handler, authorizer } = setup();
    const event = v2Event('v2-get-order.json');
    const result = await call(event);
    expect(result).toBe(OK);
    expect(authorizer.inputs).toEqual([
      {
        request: { method: 'GET', routeKey: 'GET /orders/{orderId}', path: '/orders/42', pathParameters: { orderId: '42' } },
        token: payloadOf(event.headers.authorization!),
        now: NOW,
      },
    ]);
    expect(handler).toHaveBeenCalledOnce();
    const [e, c, decision] = handler.mock.calls[0]!;
    expect(e).toBe(event);
    expect(c).toBe(CONTEXT);
    expect(decision).toMatchObject({ allow: true, status: 200, route: 'GET /orders/{orderId}', reasons: [], revision: 'ref-0' });
    expect(decision.token?.sub).toBe('fa7a0841-b533-4478-9553-0fde890c3483');
    expect(decision.decisionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('payload 2.0 on the $default route and stage: routeKey $default, path matched against the policy', async () => {
    const { call, handler, authorizer } = setup();
    await call(v2Event('v2-default-route.json'));
    expect(authorizer.inputs[0]).toMatchObject({ request: { method: 'GET', routeKey: '$default', path: '/orders/42', pathParameters: null } });
    expect(handler.mock.calls[0]![2]).toMatchObject({ allow: true, route: 'GET /orders/{orderId}' });
  });

  it('payload 1.0 (REST API behind a base-path mapping): path rebuilt from resource + pathParameters, not from `path`', async () => {
    const { call, handler, authorizer } = setup();
    const event = v1Event('v1-get-order.json');
    expect(event.path).toBe('/v1/orders/42');
    await call(event);
    expect(authorizer.inputs[0]).toMatchObject({
      request: { method: 'GET', routeKey: 'GET /orders/{orderId}', path: '/orders/42', pathParameters: { orderId: '42' } },
    });
    expect(handler).toHaveBeenCalledOnce();
  });

  it('payload 1.0 greedy resource: {proxy+} takes the whole rest of the path', async () => {
    const { call, handler, authorizer } = setup();
    const event = v1Event('v1-get-order.json');
    event.resource = '/admin/{proxy+}';
    event.httpMethod = 'POST';
    event.pathParameters = { proxy: 'users/7/disable' };
    await call(event);
    // The customer is no admin: what matters here is the input the policy saw.
    expect(authorizer.inputs[0]).toMatchObject({ request: { method: 'POST', routeKey: 'POST /admin/{proxy+}', path: '/admin/users/7/disable' } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('payload 2.0 with a named stage but a custom domain (no stage in rawPath): the path is kept', async () => {
    const { call, authorizer } = setup();
    const event = v2Event('v2-get-order.json');
    event.rawPath = '/orders/42';
    await call(event);
    expect(authorizer.inputs[0]).toMatchObject({ request: { path: '/orders/42' } });
  });

  it('`basePath`: a mapping key in front of a $default-route path is removed (payload 1.0 `path` carries it)', async () => {
    const { call, authorizer } = setup({ basePath: 'v1' });
    const event = v1Event('v1-get-order.json');
    event.resource = '$default';
    event.pathParameters = null;
    await call(event);
    expect(authorizer.inputs[0]).toMatchObject({ request: { routeKey: '$default', path: '/orders/42' } });
  });

  it('`basePath` on payload 2.0: removed where it is in front, and a route template still picks the reading it matches', async () => {
    const { call, authorizer } = setup({ basePath: '/orders/' });
    const dflt = v2Event('v2-default-route.json');
    dflt.rawPath = '/orders/health';
    await call(dflt);
    const routed = v2Event('v2-get-order.json');
    routed.rawPath = '/orders/42';
    await call(routed);
    expect(authorizer.inputs.map((i) => (i as { request: { path: string } }).request.path)).toEqual(['/health', '/orders/42']);
  });

  it.each(['a//b', '..', 'v%201'])('a `basePath` of %j throws at wrap time', (basePath) => {
    expect(() => setup({ basePath })).toThrow(TypeError);
  });

  it('a public route without authorizer or token: allowed, token null', async () => {
    const { call, handler } = setup();
    await call(v2Event('v2-health-public.json'));
    expect(handler.mock.calls[0]![2]).toMatchObject({ allow: true, route: 'GET /health', token: null });
  });

  it('a public route without authorizer but with a token: allowed, and the unchecked token is not used', async () => {
    const { call, handler, authorizer } = setup();
    const event = v2Event('v2-health-public.json');
    event.headers.authorization = v2Event('v2-get-order.json').headers.authorization;
    await call(event);
    expect(authorizer.inputs[0]).toMatchObject({ token: null });
    expect(handler.mock.calls[0]![2]).toMatchObject({ allow: true, token: null });
  });

  it('admin with MFA may delete', async () => {
    const { call, handler } = setup();
    await call(v2Event('v2-delete-order-admin.json'));
    expect(handler.mock.calls[0]![2]).toMatchObject({ allow: true, route: 'DELETE /orders/{orderId}' });
  });

  it.each([
    ['Bearer <t>', (t: string) => `Bearer ${t}`],
    ['bare token', (t: string) => t],
    ['lower-case scheme, extra spaces', (t: string) => `  bearer   ${t} `],
  ])('accepts the Authorization value as %s', async (_name, format) => {
    const { call, handler } = setup();
    const event = v2Event('v2-get-order.json');
    const token = splitToken(event.headers.authorization!).join('.');
    event.headers.authorization = format(token);
    await call(event);
    expect(handler).toHaveBeenCalledOnce();
  });

  it('header names are case-insensitive (payload 2.0 sent by a test harness with `Authorization`)', async () => {
    const { call, handler } = setup();
    const event = v2Event('v2-get-order.json');
    event.headers.Authorization = event.headers.authorization;
    delete event.headers.authorization;
    await call(event);
    expect(handler).toHaveBeenCalledOnce();
  });

  it('numbers in the authorizer map may also arrive as numbers or in exponent form', async () => {
    const { call, handler } = setup();
    const event = v2Event('v2-get-order.json');
    const claims = event.requestContext.authorizer.jwt.claims;
    claims.iat = 1712345678;
    claims.exp = '1.712349278e+09';
    await call(event);
    expect(handler).toHaveBeenCalledOnce();
  });
});

describe('deny: the policy decides', () => {
  it('403 invalid claim with SuperTokens-shaped reasons (customer deletes an order)', async () => {
    const { call, handler, log } = setup();
    const result = await call(v2Event('v2-delete-order-customer.json'));
    expect(result).toEqual({
      statusCode: 403,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        message: 'invalid claim',
        claimValidationErrors: [
          { id: 'st-role', reason: { message: 'wrong value', expectedToInclude: ['admin'], actualValue: ['customer'] } },
        ],
      }),
    });
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines[0]).toMatchObject({ allow: false, status: 403, route: 'DELETE /orders/{orderId}', reasons: ['ROLES_MISSING'] });
  });

  it('401 unauthorised on a protected route without a token', async () => {
    const { call, handler, log } = setup();
    expect(await call(v2Event('v2-get-order-no-token.json'))).toEqual(UNAUTHORISED);
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines[0]).toMatchObject({ status: 401, reasons: ['TOKEN_MISSING'] });
  });

  it('500 on a protected route when a token arrives without any authorizer context and no `verify` (a wiring fault no refresh cures)', async () => {
    const { call, handler, log } = setup();
    const event = v2Event('v2-get-order.json');
    delete (event.requestContext as { authorizer?: unknown }).authorizer;
    expect(await call(event)).toEqual(INTERNAL);
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines[0]).toMatchObject({ status: 500, route: 'GET /orders/{orderId}', reasons: ['TOKEN_UNVERIFIED', 'TOKEN_MISSING'] });
  });

  it('403 forbidden (not a claim error) when no policy route matches', async () => {
    const { call, handler, log } = setup();
    const event = v2Event('v2-default-route.json');
    event.rawPath = '/invoices/7';
    expect(await call(event)).toEqual(FORBIDDEN);
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines[0]).toMatchObject({ status: 403, reasons: ['ROUTE_NOT_IN_POLICY'] });
  });

  it('403 PATH_REJECTED for a non-canonical path', async () => {
    const { call, handler, log } = setup();
    const event = v2Event('v2-default-route.json');
    event.rawPath = '/orders/../admin/x';
    expect(await call(event)).toEqual(FORBIDDEN);
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines[0]).toMatchObject({ reasons: ['PATH_REJECTED'] });
  });
});

describe('payload 1.0 parameter values (property)', () => {
  it('a request reaches the handler only on the path its own resource matches: a {param} value never adds segments', async () => {
    const { call, handler, authorizer } = setup();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('a/b', '/', '42/', '../x', 'x/..', '')), async (orderId) => {
        handler.mockClear();
        authorizer.inputs.length = 0;
        const event = v1Event('v1-get-order.json');
        event.pathParameters = { orderId };
        await call(event);
        if (handler.mock.calls.length > 0) {
          expect(orderId.includes('/') || orderId === '').toBe(false);
          expect(authorizer.inputs[0]).toMatchObject({ request: { path: `/orders/${orderId}`, routeKey: 'GET /orders/{orderId}' } });
        }
        if (orderId.includes('/') || orderId === '') expect(authorizer.inputs).toEqual([]);
        await breathe();
      }),
      { numRuns: 300 },
    );
  });
});

/** Token tampering: every row must be a 401, with the handler never called. */
type Tamper = (e: V2Event) => void;
const token0 = () => v2Event('v2-get-order.json').headers.authorization!;
const edit = (f: (p: Record<string, unknown>) => void): Tamper => (e) => {
  const p = payloadOf(e.headers.authorization!);
  f(p);
  e.headers.authorization = withPayload(e.headers.authorization!, p);
};

describe('deny: token tampering and malformed tokens (401, handler never called)', () => {
  it.each<[string, Tamper, string]>([
    ['header sub differs from the authorizer sub', edit((p) => (p.sub = '0d1b7c52-6a1e-4f0b-8e7a-2c9d4b5e6f70')), 'TOKEN_CLAIMS_MISMATCH'],
    ['header iat differs', edit((p) => (p.iat = 1712345679)), 'TOKEN_CLAIMS_MISMATCH'],
    ['header exp differs (extended)', edit((p) => (p.exp = 1812349278)), 'TOKEN_CLAIMS_MISMATCH'],
    ['header sessionHandle differs', edit((p) => (p.sessionHandle = 'aaaaaaaa-2b7d-4e1f-9a0c-5d4b3a2e1f00')), 'TOKEN_CLAIMS_MISMATCH'],
    ['sessionHandle only in the authorizer map', edit((p) => delete p.sessionHandle), 'TOKEN_CLAIMS_MISMATCH'],
    ['sessionHandle only in the header token', (e) => delete e.requestContext.authorizer.jwt.claims.sessionHandle, 'TOKEN_CLAIMS_MISMATCH'],
    ['sub as a number where the authorizer has a string', edit((p) => (p.sub = 42)), 'TOKEN_CLAIMS_MISMATCH'],
    ['exp as an object', edit((p) => (p.exp = { v: 1712349278 })), 'TOKEN_CLAIMS_MISMATCH'],
    ['authorizer exp not a decimal', (e) => (e.requestContext.authorizer.jwt.claims.exp = '0x6610582e'), 'TOKEN_CLAIMS_MISMATCH'],
    ['payload 2.0 comma-joined Authorization headers', (e) => (e.headers.authorization = `${token0()},${token0()}`), 'TOKEN_MULTIPLE'],
    ['Authorization and authorization both present', (e) => (e.headers.Authorization = token0()), 'TOKEN_MULTIPLE'],
    ['malformed base64url in the payload', (e) => (e.headers.authorization = withPayload(token0(), 'eyJzdWIiOiJ1MSJ9*')), 'TOKEN_MALFORMED'],
    ['a `+` (base64, not base64url) in the payload', (e) => (e.headers.authorization = withPayload(token0(), splitToken(token0())[1].replace(/^(.{8})./, '$1+'))), 'TOKEN_MALFORMED'],
    ['a `/` in the payload', (e) => (e.headers.authorization = withPayload(token0(), splitToken(token0())[1].replace(/^(.{8})./, '$1/'))), 'TOKEN_MALFORMED'],
    ['padding in the payload', (e) => (e.headers.authorization = withPayload(token0(), `${b64url({ sub: 'u1' })}==`)), 'TOKEN_MALFORMED'],
    ['whitespace inside the payload', (e) => (e.headers.authorization = withPayload(token0(), splitToken(token0())[1].replace(/^(.{8})/, '$1 '))), 'TOKEN_MALFORMED'],
    ['a header segment that is not base64url', (e) => (e.headers.authorization = `Bearer ey*J9.${splitToken(token0())[1]}.${splitToken(token0())[2]}`), 'TOKEN_MALFORMED'],
    ['payload segment of impossible length', (e) => (e.headers.authorization = withPayload(token0(), 'eyJzdWIiOiJ1MSJ9a')), 'TOKEN_MALFORMED'],
    ['payload that is not JSON', (e) => (e.headers.authorization = withPayload(token0(), b64url('{"sub": "u1",'))), 'TOKEN_MALFORMED'],
    ['payload that is not UTF-8', (e) => (e.headers.authorization = withPayload(token0(), Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url'))), 'TOKEN_MALFORMED'],
    ['payload that is a JSON array', (e) => (e.headers.authorization = withPayload(token0(), [{ sub: 'u1' }])), 'TOKEN_MALFORMED'],
    ['payload that is JSON null', (e) => (e.headers.authorization = withPayload(token0(), null)), 'TOKEN_MALFORMED'],
    ['payload that is a JSON string', (e) => (e.headers.authorization = withPayload(token0(), '"eyJ9"')), 'TOKEN_MALFORMED'],
    ['two segments', (e) => (e.headers.authorization = splitToken(token0()).slice(0, 2).join('.')), 'TOKEN_MALFORMED'],
    ['four segments', (e) => (e.headers.authorization = `${splitToken(token0()).join('.')}.x`), 'TOKEN_MALFORMED'],
    ['empty signature', (e) => (e.headers.authorization = `${splitToken(token0()).slice(0, 2).join('.')}.`), 'TOKEN_MALFORMED'],
    ['empty Authorization value', (e) => (e.headers.authorization = ''), 'TOKEN_MALFORMED'],
    ['a `Bearer` scheme alone', (e) => (e.headers.authorization = 'Bearer '), 'TOKEN_MALFORMED'],
    ['another scheme', (e) => (e.headers.authorization = `Basic ${b64url('admin:admin')}`), 'TOKEN_MALFORMED'],
    ['a huge header (> 16 KiB)', (e) => (e.headers.authorization = withPayload(token0(), { ...payloadOf(token0()), pad: 'x'.repeat(16 * 1024) })), 'TOKEN_TOO_LARGE'],
  ])('%s', async (_name, tamper, code) => {
    const { call, handler, log } = setup();
    const event = v2Event('v2-get-order.json');
    tamper(event);
    expect(await call(event)).toEqual(UNAUTHORISED);
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatchObject({ allow: false, status: 401, reasons: [code], evalMicros: null });
  });

  it('escalation inside the header token (roles) with matching scalars still needs the signature: cross-check passes, `verify` is the guard', async () => {
    // Documented limit: the cross-check catches a header that is not the one the authorizer saw
    // when sub/iat/exp/sessionHandle differ. Forging claims of the *same* session needs a
    // signature, which only `verify` (or the authorizer on a real API) checks.
    const { call, handler } = setup();
    const event = v2Event('v2-delete-order-customer.json');
    edit((p) => (p['st-role'] = { v: ['admin'], t: 1712345678901 }))(event);
    await call(event);
    expect(handler).toHaveBeenCalledOnce();
  });

  it('payload 1.0 with two Authorization values in multiValueHeaders', async () => {
    const { call, handler, log } = setup();
    const event = v1Event('v1-get-order.json');
    const other = v2Event('v2-delete-order-admin.json').headers.authorization!;
    event.multiValueHeaders.Authorization = [other, event.headers.Authorization!];
    expect(await call(event)).toEqual(UNAUTHORISED);
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines[0]).toMatchObject({ reasons: ['TOKEN_MULTIPLE'] });
  });

  it('payload 1.0 whose single-value header disagrees with multiValueHeaders', async () => {
    const { call, handler } = setup();
    const event = v1Event('v1-get-order.json');
    event.headers.Authorization = v2Event('v2-delete-order-admin.json').headers.authorization!;
    expect(await call(event)).toEqual(UNAUTHORISED);
    expect(handler).not.toHaveBeenCalled();
  });

  it('payload 1.0 tampered sub against requestContext.authorizer.claims', async () => {
    const { call, handler, log } = setup();
    const event = v1Event('v1-get-order.json');
    const forged = withPayload(event.headers.Authorization!, { ...payloadOf(event.headers.Authorization!), sub: 'someone-else' });
    event.headers.Authorization = forged;
    event.multiValueHeaders.Authorization = [forged];
    expect(await call(event)).toEqual(UNAUTHORISED);
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines[0]).toMatchObject({ reasons: ['TOKEN_CLAIMS_MISMATCH'] });
  });

  it('the limit is configurable', async () => {
    const { call, handler } = setup({ maxTokenBytes: 100 });
    expect(await call(v2Event('v2-get-order.json'))).toEqual(UNAUTHORISED);
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('faults: 500, never an allow', () => {
  it.each<[string, unknown]>([
    ['not an object', 'GET /orders/42'],
    ['an S3 event', { Records: [{ eventSource: 'aws:s3' }] }],
    ['payload 2.0 without http (WebSocket)', { version: '2.0', routeKey: '$connect', rawPath: '/', requestContext: { routeKey: '$connect', stage: 'prod' } }],
    ['payload 2.0 without rawPath', (() => { const e = v2Event('v2-get-order.json') as Partial<V2Event>; delete e.rawPath; return e; })()],
    ['payload 1.0 without resource', (() => { const e = v1Event('v1-get-order.json') as Partial<V1Event>; delete e.resource; return e; })()],
    ['payload 1.0 whose resource names a missing parameter', { ...v1Event('v1-get-order.json'), pathParameters: null }],
    ['non-string path parameters', { ...v2Event('v2-get-order.json'), pathParameters: { orderId: 42 } }],
    ['an unknown payload version', { ...v2Event('v2-get-order.json'), version: '3.0' }],
  ])('unsupported event: %s', async (_name, event) => {
    const { call, handler, log } = setup();
    expect(await call(event)).toEqual(INTERNAL);
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines[0]).toMatchObject({ allow: false, status: 500, reasons: ['EVENT_UNSUPPORTED'] });
  });

  it('a bundle that does not load: every request 500, with the loader code logged, and never a handler call', async () => {
    const { call, handler, log } = setup({
      authorizer: Promise.reject(new RuntimeError('BUNDLE_NOT_FOUND', 'cannot read bundle /var/task/dist/bundle.tar.gz')),
    });
    for (let i = 0; i < 3; i++) expect(await call(v2Event('v2-get-order.json'))).toEqual(INTERNAL);
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines.map((l) => l.reasons)).toEqual([['BUNDLE_NOT_FOUND'], ['BUNDLE_NOT_FOUND'], ['BUNDLE_NOT_FOUND']]);
    expect(log.lines[0]).toMatchObject({ revision: null, detail: 'cannot read bundle /var/task/dist/bundle.tar.gz' });
  });

  it('decide() throwing is a 500 (DECISION_FAILED), and the body never leaks the cause', async () => {
    const authorizer = referenceAuthorizer();
    authorizer.decide = () => {
      throw new RuntimeError('DECISION_FAILED', 'policy returned a malformed decision');
    };
    const { call, handler, log } = setup({ authorizer });
    expect(await call(v2Event('v2-get-order.json'))).toEqual(INTERNAL);
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines[0]).toMatchObject({ status: 500, reasons: ['DECISION_FAILED'], revision: 'ref-0' });
  });

  it('a throwing clock is a 500', async () => {
    const { call, handler, log } = setup({
      clock: () => {
        throw new Error('clock broke');
      },
    });
    expect(await call(v2Event('v2-health-public.json'))).toEqual(INTERNAL);
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines[0]).toMatchObject({ status: 500, reasons: ['INTERNAL_ERROR'] });
  });

  it.each([[Number.NaN], ['1712345680000'], [undefined]])('a clock returning %j is a 500', async (value) => {
    const { call, handler, log } = setup({ clock: () => value as number });
    expect(await call(v2Event('v2-health-public.json'))).toEqual(INTERNAL);
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines[0]).toMatchObject({ status: 500, reasons: ['INTERNAL_ERROR'] });
  });

  it('an error the handler throws propagates as its own, after an allow', async () => {
    const authorizer = referenceAuthorizer();
    const boom = new Error('orders table unavailable');
    const handler = vi.fn(async () => {
      throw boom;
    });
    const wrapped = withAuthorization(handler, { authorizer, clock: () => NOW, log: false });
    await expect(wrapped(v2Event('v2-get-order.json'), CONTEXT)).rejects.toBe(boom);
    expect(handler).toHaveBeenCalledOnce();
  });
});

describe('bundle loading', () => {
  const savedRoot = process.env.LAMBDA_TASK_ROOT;
  afterEach(() => {
    if (savedRoot === undefined) delete process.env.LAMBDA_TASK_ROOT;
    else process.env.LAMBDA_TASK_ROOT = savedRoot;
  });

  it('loads once per cold start (at wrap time), reused by every request', async () => {
    const authorizer = referenceAuthorizer();
    loadBundle.mockResolvedValue(authorizer);
    process.env.LAMBDA_TASK_ROOT = '/var/task';
    const handler = vi.fn(async () => OK);
    const wrapped = withAuthorization(handler, { clock: () => NOW, log: false });
    expect(loadBundle).toHaveBeenCalledOnce();
    expect(loadBundle).toHaveBeenCalledWith('/var/task/dist/bundle.tar.gz', {});
    await Promise.all([1, 2, 3].map(() => wrapped(v2Event('v2-get-order.json'), CONTEXT)));
    expect(loadBundle).toHaveBeenCalledOnce();
    expect(handler).toHaveBeenCalledTimes(3);
  });

  it('requests during the cold start wait for the bundle; later ones decide synchronously; both agree', async () => {
    let resolve!: (a: Authorizer) => void;
    loadBundle.mockReturnValue(new Promise<Authorizer>((r) => (resolve = r)));
    const handler = vi.fn(async () => OK);
    const s = logSink();
    const wrapped = withAuthorization(handler, { clock: () => NOW, log: { sink: s.sink } });
    const early = [wrapped(v2Event('v2-get-order.json'), CONTEXT), wrapped(v2Event('v2-delete-order-customer.json'), CONTEXT)];
    await new Promise((r) => setTimeout(r, 5));
    expect(handler).not.toHaveBeenCalled();
    resolve(referenceAuthorizer());
    const [a, b] = await Promise.all(early);
    const [c, d] = [await wrapped(v2Event('v2-get-order.json'), CONTEXT), await wrapped(v2Event('v2-delete-order-customer.json'), CONTEXT)];
    expect(a).toBe(OK);
    expect(c).toBe(OK);
    expect(b).toEqual(d);
    expect((b as { statusCode: number }).statusCode).toBe(403);
    expect(handler).toHaveBeenCalledTimes(2);
    expect(s.lines.map((l) => l.status)).toEqual([200, 403, 200, 403]);
  });

  it('resolves a relative path against process.cwd() outside Lambda; passes bytes and expectedRevision through', () => {
    delete process.env.LAMBDA_TASK_ROOT;
    loadBundle.mockResolvedValue(referenceAuthorizer());
    withAuthorization(vi.fn(), { bundle: 'build/policy.tar.gz', log: false });
    expect(loadBundle).toHaveBeenLastCalledWith(`${process.cwd()}/build/policy.tar.gz`, {});
    withAuthorization(vi.fn(), { bundle: '/opt/claimguard/bundle.tar.gz', log: false });
    expect(loadBundle).toHaveBeenLastCalledWith('/opt/claimguard/bundle.tar.gz', {});
    const bytes = new Uint8Array([1, 2, 3]);
    withAuthorization(vi.fn(), { bundle: bytes, expectedRevision: 'abc', log: false });
    expect(loadBundle).toHaveBeenLastCalledWith(bytes, { expectedRevision: 'abc' });
  });

  it('a rejected load before the first request is not an unhandled rejection', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    loadBundle.mockRejectedValue(new RuntimeError('BUNDLE_CORRUPT', 'bad gzip'));
    withAuthorization(vi.fn(), { log: false });
    await new Promise((r) => setTimeout(r, 20));
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });
});

describe('decision log', () => {
  it('one JSON line per request with the contract fields; the token is redacted to `include`', async () => {
    const s = logSink();
    const handler = vi.fn(async () => OK);
    const wrapped = withAuthorization(handler, {
      authorizer: referenceAuthorizer(),
      clock: () => NOW,
      log: { include: ['sub', 'tId', 'st-role', 'absent'], sink: s.sink },
    });
    const event = v2Event('v2-get-order.json');
    await wrapped(event, CONTEXT);
    expect(s.lines).toHaveLength(1);
    const line = s.lines[0]!;
    expect(line).toEqual({
      decisionId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      time: '2024-04-05T19:34:40.000Z',
      revision: 'ref-0',
      route: 'GET /orders/{orderId}',
      routeKey: 'GET /orders/{orderId}',
      method: 'GET',
      path: '/orders/42',
      allow: true,
      status: 200,
      reasons: [],
      evalMicros: expect.any(Number),
      claims: { sub: 'fa7a0841-b533-4478-9553-0fde890c3483', tId: 'public', 'st-role': { v: ['customer'], t: 1712345678901 } },
    });
    const raw = JSON.stringify(line);
    for (const segment of splitToken(event.headers.authorization!)) expect(raw).not.toContain(segment);
    expect(raw).not.toContain('sessionHandle');
    expect(raw).not.toContain(ISSUER);
    // the decision id reaches the handler too, to correlate its own logs
    expect((handler.mock.calls[0] as unknown[])[2]).toMatchObject({ decisionId: line.decisionId });
  });

  it('no claims are copied by default, and refused tokens are never copied', async () => {
    const s = logSink();
    const { call } = setup({ log: { include: ['sub'], sink: s.sink } });
    const event = v2Event('v2-get-order.json');
    edit((p) => (p.sub = 'someone-else'))(event);
    await call(event);
    expect(s.lines[0]).toMatchObject({ reasons: ['TOKEN_CLAIMS_MISMATCH'] });
    expect(s.lines[0]).not.toHaveProperty('claims');
    const d = setup();
    await d.call(v2Event('v2-get-order.json'));
    expect(d.log.lines[0]).not.toHaveProperty('claims');
  });

  it('defaults to one line on stdout; `log: false` writes nothing', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const on = withAuthorization(vi.fn(async () => OK), { authorizer: referenceAuthorizer(), clock: () => NOW });
      await on(v2Event('v2-health-public.json'), CONTEXT);
      expect(write).toHaveBeenCalledOnce();
      const text = String(write.mock.calls[0]![0]);
      expect(text.endsWith('\n')).toBe(true);
      expect(JSON.parse(text)).toMatchObject({ route: 'GET /health', allow: true });
      write.mockClear();
      const off = withAuthorization(vi.fn(async () => OK), { authorizer: referenceAuthorizer(), clock: () => NOW, log: false });
      await off(v2Event('v2-health-public.json'), CONTEXT);
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });

  it('a throwing sink does not change the decision', async () => {
    const handler = vi.fn(async () => OK);
    const wrapped = withAuthorization(handler, {
      authorizer: referenceAuthorizer(),
      clock: () => NOW,
      log: {
        sink: () => {
          throw new Error('disk full');
        },
      },
    });
    expect(await wrapped(v2Event('v2-get-order.json'), CONTEXT)).toBe(OK);
    expect(await wrapped(v2Event('v2-get-order-no-token.json'), CONTEXT)).toEqual(UNAUTHORISED);
  });
});
