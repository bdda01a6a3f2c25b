// Events shaped like the public samples (test/lambda/events/README.md names the sample each one
// mirrors) and four route-selection attacks (A–D), through the real artifact: policy file → buildBundle →
// withAuthorization({ bundle }) → the official OPA SDK. One bundle per policy, built once.
import { readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildBundle } from '../../src/compile/compile.js';
import { withAuthorization, type AuthorizationOptions } from '../../src/lambda/index.js';
import { loadPolicy } from '../../src/policy/load.js';
import { AUDIENCE, CONTEXT, ISSUER, logSink, NOW, payloadOf, withPayload } from './fixtures.js';

type Event = Record<string, unknown> & {
  headers: Record<string, string>;
  requestContext: Record<string, unknown>;
};

const EVENTS = new URL('./events/', import.meta.url);
const event = (name: string): Event => JSON.parse(readFileSync(new URL(name, EVENTS), 'utf8')) as Event;

async function bundleOf(policyFile: URL): Promise<Uint8Array> {
  const loaded = await loadPolicy(policyFile.pathname);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  return (await buildBundle(loaded.ir)).bytes;
}

let orders: Uint8Array;
let reproductions: Uint8Array;
let privateKey: CryptoKey;
let jwks: JSONWebKeySet;

beforeAll(async () => {
  orders = await bundleOf(new URL('../../examples/orders-api/policies.yaml', import.meta.url));
  reproductions = await bundleOf(new URL('./events/reproductions.policies.yaml', import.meta.url));
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
});

const OK = { statusCode: 200, body: 'ok' };
const json = { 'content-type': 'application/json' } as const;
const UNAUTHORISED = { statusCode: 401, headers: json, body: '{"message":"unauthorised"}' };
const FORBIDDEN = { statusCode: 403, headers: json, body: '{"message":"forbidden"}' };
const INTERNAL = { statusCode: 500, headers: json, body: '{"message":"internal error"}' };

function wrap(bundle: Uint8Array, options: Partial<AuthorizationOptions> = {}) {
  const log = logSink();
  const handler = vi.fn(async () => OK);
  const wrapped = withAuthorization(handler, { bundle, clock: () => NOW, log: { sink: log.sink }, ...options });
  return { log, handler, call: (e: unknown) => wrapped(e as never, CONTEXT) };
}

/** The header names the event uses for its token (2.0 lower case; SAM and 1.0 keep the client's casing). */
const authHeader = (e: Event): string => (e.headers.authorization !== undefined ? 'authorization' : 'Authorization');

/** The event's token re-issued with a real signature (same payload), for `verify`. */
async function signed(e: Event): Promise<Event> {
  const name = authHeader(e);
  const payload = payloadOf(e.headers[name]!) as JWTPayload;
  const token = await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT', version: '5' }).sign(privateKey);
  e.headers[name] = `Bearer ${token}`;
  return e;
}

const verify = () => ({ jwks, issuer: ISSUER, audience: AUDIENCE });

describe('public sample shapes on the orders-api policy', () => {
  it.each<[string, string]>([
    ['powertools-v2-trailing-slash.json', '/orders/42'],
    ['powertools-v1-trailing-slash.json', '/orders/42'],
    ['rest-v1-nested-mapping.json', '/admin/users/7/disable'],
    ['http-v2-custom-domain-stage.json', '/orders/42'],
    ['serverless-offline-v2-health.json', '/health'],
  ])('%s: allowed, decided on %s', async (name, path) => {
    const { call, handler, log } = wrap(orders);
    expect(await call(event(name))).toBe(OK);
    expect(handler).toHaveBeenCalledOnce();
    expect(log.lines[0]).toMatchObject({ allow: true, path });
  });

  it('serverless-offline: `pathParameters: null` is no parameters, and its decoded-claims map cross-checks', async () => {
    const { call, handler, log } = wrap(orders);
    const e = event('serverless-offline-v2-health.json');
    Object.assign(e, { routeKey: 'GET /orders/{orderId}', rawPath: '/orders/42' });
    expect(await call(e)).toBe(OK);
    expect(log.lines[0]).toMatchObject({ route: 'GET /orders/{orderId}', path: '/orders/42', allow: true });
    expect(handler).toHaveBeenCalledOnce();
  });

  it('SAM local (no authorizer in front): a token on a protected route is a 500 without `verify`, and decides with it', async () => {
    const without = wrap(orders);
    expect(await without.call(event('sam-local-v2-get-order.json'))).toEqual(INTERNAL);
    expect(without.log.lines[0]).toMatchObject({ status: 500, reasons: ['TOKEN_UNVERIFIED', 'TOKEN_MISSING'] });
    const withVerify = wrap(orders, { verify: verify() });
    expect(await withVerify.call(await signed(event('sam-local-v2-get-order.json')))).toBe(OK);
    const noToken = event('sam-local-v2-get-order.json');
    delete noToken.headers.Authorization;
    expect(await withVerify.call(noToken)).toEqual(UNAUTHORISED);
    expect(withVerify.handler).toHaveBeenCalledOnce();
  });
});

describe('Lambda Function URL events (aws-lambda-go lambda-urls-request.json shape)', () => {
  it('without `verify`: every request is a 500, the misconfiguration said once per cold start', async () => {
    const { call, handler, log } = wrap(orders);
    const noRouteKey = event('function-url-get-order.json');
    delete noRouteKey.routeKey;
    for (const e of [event('function-url-get-order.json'), noRouteKey, event('function-url-get-order.json')]) expect(await call(e)).toEqual(INTERNAL);
    expect(handler).not.toHaveBeenCalled();
    expect(log.lines.map((l) => [l.status, l.reasons])).toEqual([
      [500, ['VERIFY_REQUIRED']],
      [500, ['VERIFY_REQUIRED']],
      [500, ['VERIFY_REQUIRED']],
    ]);
    expect(log.lines[0]!.detail).toMatch(/Function URL.*verify/);
    expect(log.lines.slice(1).map((l) => l.detail)).toEqual([undefined, undefined]);
  });

  it('with `verify`: path-matched by the policy, the signed token decides', async () => {
    const { call, handler, log } = wrap(orders, { verify: verify() });
    expect(await call(await signed(event('function-url-get-order.json')))).toBe(OK);
    expect(log.lines[0]).toMatchObject({ allow: true, route: 'GET /orders/{orderId}', routeKey: null, path: '/orders/42' });
    const forged = event('function-url-get-order.json'); // the sample's token, not signed by the key
    expect(await call(forged)).toEqual(UNAUTHORISED);
    expect(log.lines[1]).toMatchObject({ status: 401, reasons: ['TOKEN_SIGNATURE_INVALID'] });
    const trailing = await signed(event('function-url-get-order.json'));
    trailing.rawPath = '/orders/42/'; // nothing routed it: the path is the client's, as it came
    expect(await call(trailing)).toEqual(FORBIDDEN);
    expect(log.lines[2]).toMatchObject({ status: 403, reasons: ['PATH_REJECTED'] });
    expect(handler).toHaveBeenCalledOnce();
  });
});

describe('route-selection attacks A–D (real bundle, the dispatched route always decides)', () => {
  it('A: stage "admin" and route ANY /admin/{proxy+}: the admin route decides; a customer is refused', async () => {
    const { call, handler, log } = wrap(reproductions);
    const result = (await call(event('reproduction-a-stage-named-like-route.json'))) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body)).toMatchObject({ message: 'invalid claim' });
    expect(log.lines[0]).toMatchObject({ path: '/admin/health', route: 'ANY /admin/{proxy+}', reasons: ['ROLES_MISSING', 'MFA_FACTOR_MISSING'] });
    expect(handler).not.toHaveBeenCalled();
  });

  it('B: route ANY /admin/{proxy+} dispatched for /health: inconsistent, 403 forbidden, never the public route', async () => {
    const { call, handler, log } = wrap(reproductions);
    expect(await call(event('reproduction-b-route-mismatch.json'))).toEqual(FORBIDDEN);
    expect(log.lines[0]).toMatchObject({ path: '/health', routeKey: 'ANY /admin/{proxy+}', route: null, reasons: ['ROUTE_MISMATCH'] });
    expect(handler).not.toHaveBeenCalled();
  });

  it('C (payload 1.0): {docId} = "public/x" never reaches the public /docs/public/{rest+}: 403 forbidden', async () => {
    const { call, handler, log } = wrap(reproductions);
    expect(await call(event('reproduction-c-v1-slash-in-parameter.json'))).toEqual(FORBIDDEN);
    expect(log.lines[0]).toMatchObject({ status: 403, routeKey: 'GET /docs/{docId}', reasons: ['EVENT_INCONSISTENT'], evalMicros: null });
    expect(handler).not.toHaveBeenCalled();
  });

  it('C, the legitimate case: a greedy {rest+} holding slashes is the public subtree', async () => {
    const { call, handler, log } = wrap(reproductions);
    expect(await call(event('v1-greedy-parameter-with-slashes.json'))).toBe(OK);
    expect(log.lines[0]).toMatchObject({ route: 'GET /docs/public/{rest+}', path: '/docs/public/a/b/c' });
    expect(handler).toHaveBeenCalledOnce();
  });

  it('D: GET /invoices/{invoiceId} dispatched for /invoices/summary: its permission is required, the laxer literal route cannot loosen it', async () => {
    const { call, handler, log } = wrap(reproductions);
    expect(await call(event('reproduction-d-laxer-literal-route.json'))).toEqual({
      statusCode: 403,
      headers: json,
      body: '{"message":"invalid claim","claimValidationErrors":[{"id":"st-perm","reason":{"message":"wrong value","expectedToInclude":["invoices:read"],"actualValue":["orders:read"]}}]}',
    });
    expect(log.lines[0]).toMatchObject({
      routeKey: 'GET /invoices/{invoiceId}',
      route: 'GET /invoices/{invoiceId}',
      finerRoutes: ['GET /invoices/summary'],
      path: '/invoices/summary',
      reasons: ['PERMISSIONS_MISSING'],
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it('D, allowed: a token passing both routes reaches the handler, whose decision names the finer route too', async () => {
    const { call, handler, log } = wrap(reproductions);
    const e = event('reproduction-d-laxer-literal-route.json');
    const payload = payloadOf(e.headers.authorization!);
    payload['st-perm'] = { v: ['orders:read', 'invoices:read'], t: 1712345678901 };
    e.headers.authorization = withPayload(e.headers.authorization!, payload);
    expect(await call(e)).toBe(OK);
    expect(handler.mock.calls[0]).toEqual([e, CONTEXT, expect.objectContaining({ allow: true, route: 'GET /invoices/{invoiceId}', finerRoutes: ['GET /invoices/summary'] })]);
    expect(log.lines[0]).toMatchObject({ allow: true, finerRoutes: ['GET /invoices/summary'] });
  });
});
