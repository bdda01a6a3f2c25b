// What the SuperTokens frontend does with claimguard's answers: the real `supertokens-website` fetch
// interceptor from npm, running in Node with the few browser globals it reads (window, storage,
// document.cookie, location), calls a loopback HTTP server that turns each request into an API
// Gateway / Function URL event for `withAuthorization` on the real bundle, and serves a stub of
// SuperTokens' session-refresh endpoint. Asserted: how often the frontend refreshed, which events it
// fired, and what the app's fetch() finally sees.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet, type JWTPayload } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildBundle } from '../../src/compile/compile.js';
import { withAuthorization, type AuthorizationOptions } from '../../src/lambda/index.js';
import { loadPolicy } from '../../src/policy/load.js';
import { fakeBrowser, sessionHeaders } from '../support/supertokens-browser.js';
import { AUDIENCE, CONTEXT, ISSUER, NOW, payloadOf, v2Event } from './fixtures.js';

// ---- the browser, as much of it as supertokens-website and browser-tabs-lock read ----

const { browser, document } = fakeBrowser();

// ---- tokens ----

let privateKey: CryptoKey;
let jwks: JSONWebKeySet;

const CUSTOMER = payloadOf(v2Event('v2-get-order.json').headers.authorization!);
const UNSIGNED_CUSTOMER = v2Event('v2-get-order.json').headers.authorization!.slice('Bearer '.length);

async function sign(payload: Record<string, unknown>): Promise<string> {
  return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT', version: '5' }).sign(privateKey);
}


// ---- the API: API Gateway (or a Function URL) in front of a Lambda wrapped by claimguard ----

type Front =
  /** HTTP API with a JWT authorizer on the route: claims map as API Gateway renders it. */
  | 'authorizer'
  /** HTTP API route without an authorizer (a wiring mistake for a protected route). */
  | 'no-authorizer'
  /** Lambda Function URL: nothing in front, `verify` checks the token. */
  | 'function-url';

interface Api {
  front: Front;
  routeKey: string;
  /** The token the refresh endpoint issues next; null: no session to refresh (401). */
  refreshIssues: () => Promise<string | null>;
  refreshCalls: number;
  apiCalls: number;
}

const api: Api = { front: 'authorizer', routeKey: '$default', refreshIssues: async () => UNSIGNED_CUSTOMER, refreshCalls: 0, apiCalls: 0 };

/** API Gateway's rendering of token claims in `authorizer.jwt.claims`: every value a string. */
const authorizerClaims = (p: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null).map(([k, v]) => [k, typeof v === 'object' ? 'map[…]' : String(v)]));

function eventFor(req: IncomingMessage, rawPath: string): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  const bearer = headers.authorization?.replace(/^Bearer /, '');
  const http = { method: req.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'node' };
  if (api.front === 'function-url') {
    const domainName = 'abcdefghij0123456789abcdefghij01.lambda-url.eu-west-1.on.aws';
    return { version: '2.0', routeKey: '$default', rawPath, rawQueryString: '', headers, requestContext: { domainName, http, routeKey: '$default', stage: '$default' }, isBase64Encoded: false };
  }
  const claims = api.front === 'authorizer' && bearer !== undefined ? authorizerClaims(payloadOf(`Bearer ${bearer}`)) : undefined;
  return {
    version: '2.0',
    routeKey: api.routeKey,
    rawPath,
    rawQueryString: '',
    headers,
    requestContext: {
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      http,
      routeKey: api.routeKey,
      stage: '$default',
      ...(claims === undefined ? {} : { authorizer: { jwt: { claims, scopes: null } } }),
    },
    isBase64Encoded: false,
  };
}

let server: Server;
let apiDomain: string;
let handle: (event: unknown) => Promise<{ statusCode: number; headers?: Record<string, string>; body?: string }>;

function build(options: Partial<AuthorizationOptions>, bundle: Uint8Array) {
  const wrapped = withAuthorization(async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }), {
    bundle,
    clock: () => NOW,
    log: false,
    ...options,
  });
  return (event: unknown) => wrapped(event as never, CONTEXT) as Promise<{ statusCode: number; headers?: Record<string, string>; body?: string }>;
}

let viaAuthorizer: typeof handle;
let viaFunctionUrl: typeof handle;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  const loaded = await loadPolicy(new URL('../../examples/orders-api/policies.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('policy');
  const bundle = (await buildBundle(loaded.ir)).bytes;
  viaAuthorizer = build({}, bundle);
  viaFunctionUrl = build({ verify: { jwks, issuer: ISSUER, audience: AUDIENCE } }, bundle);

  server = createServer((req, res) => {
    void (async () => {
      const rawPath = (req.url ?? '/').split('?')[0]!;
      if (rawPath === '/auth/signin' || rawPath === '/auth/session/refresh') {
        if (rawPath === '/auth/session/refresh') api.refreshCalls++;
        const token = rawPath === '/auth/signin' ? (req.headers['x-test-token'] as string) : await api.refreshIssues();
        if (token === null) {
          // SuperTokens' refresh API without a valid refresh token: 401, and the front token removed.
          res.writeHead(401, { 'content-type': 'application/json', 'front-token': 'remove' });
          res.end('{"message":"unauthorised"}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', ...sessionHeaders(token) });
        res.end('{"status":"OK"}');
        return;
      }
      if (rawPath === '/always-401') {
        // Not claimguard: what a 401 that no refresh cures does to the frontend.
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end('{"message":"unauthorised"}');
        return;
      }
      api.apiCalls++;
      const result = await (api.front === 'function-url' ? viaFunctionUrl : viaAuthorizer)(eventFor(req, rawPath));
      res.writeHead(result.statusCode, result.headers ?? {});
      res.end(result.body ?? '');
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  apiDomain = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  Object.assign(globalThis, { window: browser });
  const supertokens = await import('supertokens-website');
  supertokens.init({
    apiDomain,
    apiBasePath: '/auth',
    tokenTransferMethod: 'header',
    onHandleEvent: (e: { action: string; claimValidationErrors?: unknown }) => events.push(e),
    // The XMLHttpRequest interceptor needs a browser XHR; this test drives fetch only.
    override: { functions: (original) => ({ ...original, addXMLHttpRequestInterceptor: () => {} }) },
  });
  handle = viaAuthorizer;
});

afterAll(() => {
  server?.close();
  delete (globalThis as { window?: unknown }).window;
});

const events: { action: string; claimValidationErrors?: unknown }[] = [];

/** The app's fetch, intercepted by supertokens-website. */
const appFetch = (path: string, init: RequestInit = {}): Promise<Response> => browser.fetch(`${apiDomain}${path}`, init);

/** A signed-in browser: the session's tokens arrive on a response, as after sign-in. */
async function signIn(token: string): Promise<void> {
  browser.localStorage.clear();
  browser.sessionStorage.clear();
  document.jar.clear();
  await appFetch('/auth/signin', { method: 'POST', headers: { 'x-test-token': token } });
  events.length = 0;
  api.refreshCalls = 0;
  api.apiCalls = 0;
}

beforeEach(() => {
  api.front = 'authorizer';
  api.routeKey = '$default';
  api.refreshIssues = async () => UNSIGNED_CUSTOMER;
  void handle;
});

const actions = () => events.map((e) => e.action);

describe('behind the JWT authorizer (HTTP API)', () => {
  it('allowed: one call, no refresh', async () => {
    await signIn(UNSIGNED_CUSTOMER);
    api.routeKey = 'GET /orders/{orderId}';
    const res = await appFetch('/orders/42');
    expect([res.status, await res.json()]).toEqual([200, { ok: true }]);
    expect([api.apiCalls, api.refreshCalls, actions()]).toEqual([1, 0, []]);
  });

  it('a failed claim: 403 invalid claim, the frontend fires API_INVALID_CLAIM with the reasons, no refresh', async () => {
    await signIn(UNSIGNED_CUSTOMER);
    api.routeKey = 'DELETE /orders/{orderId}';
    const res = await appFetch('/orders/42', { method: 'DELETE' });
    expect(res.status).toBe(403);
    expect([api.apiCalls, api.refreshCalls, actions()]).toEqual([1, 0, ['API_INVALID_CLAIM']]);
    expect(events[0]!.claimValidationErrors).toEqual([
      { id: 'st-role', reason: { message: 'wrong value', expectedToInclude: ['admin'], actualValue: ['customer'] } },
    ]);
  });

  it.each<[string, string, string]>([
    ['no policy route (ROUTE_NOT_IN_POLICY)', '$default', '/invoices/7'],
    ['a refused path (PATH_REJECTED)', 'GET /orders/{orderId}', '/orders/a%2Fb'],
  ])('%s: 403 forbidden reaches the app as is; no claim event, no refresh', async (_name, routeKey, path) => {
    await signIn(UNSIGNED_CUSTOMER);
    api.routeKey = routeKey;
    const res = await appFetch(path);
    expect([res.status, await res.json()]).toEqual([403, { message: 'forbidden' }]);
    expect([api.apiCalls, api.refreshCalls, actions()]).toEqual([1, 0, []]);
  });

  it('a route without an authorizer (and no `verify`) receiving a token: 500, no refresh loop', async () => {
    await signIn(UNSIGNED_CUSTOMER);
    api.front = 'no-authorizer';
    api.routeKey = 'GET /orders/{orderId}';
    const res = await appFetch('/orders/42');
    expect(res.status).toBe(500);
    expect([api.apiCalls, api.refreshCalls, actions()]).toEqual([1, 0, []]);
  });

  it('no session (the refresh API has none either), protected route: one refresh attempt, then the 401 reaches the app', async () => {
    browser.localStorage.clear();
    document.jar.clear();
    events.length = 0;
    api.refreshCalls = 0;
    api.apiCalls = 0;
    api.refreshIssues = async () => null;
    api.routeKey = 'GET /orders/{orderId}';
    const res = await appFetch('/orders/42');
    expect([res.status, await res.json()]).toEqual([401, { message: 'unauthorised' }]);
    expect([api.apiCalls, api.refreshCalls]).toEqual([1, 1]);
    expect(actions()).toEqual(['UNAUTHORISED']);
  });

  it('control: an endpoint that answers 401 whatever the token makes the frontend refresh 10 times and throw', async () => {
    await signIn(UNSIGNED_CUSTOMER);
    const said = vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(appFetch('/always-401')).rejects.toThrow(/maximum session refresh limit/i);
    said.mockRestore();
    expect(api.refreshCalls).toBe(10);
  });
});

describe('Function URL with `verify`: a 401 is cured by one refresh', () => {
  it.each<[string, () => Promise<string>]>([
    ['expired', () => sign({ ...CUSTOMER, iat: NOW / 1000 - 7200, exp: NOW / 1000 - 3600 })],
    ['nested deeper than the limit (malformed)', async () => `${(await sign(CUSTOMER)).split('.')[0]}.${Buffer.from(`{"sub":"x","deep":${'['.repeat(999)}${']'.repeat(999)}}`).toString('base64url')}.c2ln`],
    ['signed by an unknown key', async () => new SignJWT(CUSTOMER as JWTPayload).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign((await generateKeyPair('RS256')).privateKey)],
  ])('%s token: 401, one refresh, the retry is allowed', async (_name, badToken) => {
    api.front = 'function-url';
    await signIn(await badToken());
    api.refreshIssues = () => sign({ ...CUSTOMER, iat: NOW / 1000, exp: NOW / 1000 + 3600 });
    const res = await appFetch('/orders/42');
    expect([res.status, await res.json()]).toEqual([200, { ok: true }]);
    expect([api.apiCalls, api.refreshCalls, actions()]).toEqual([2, 1, ['ACCESS_TOKEN_PAYLOAD_UPDATED', 'REFRESH_SESSION']]);
  });
});
