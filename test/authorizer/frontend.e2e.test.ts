// What the SuperTokens frontend does when claimguard/authorizer decides at the gateway: the real
// `supertokens-website` fetch interceptor (in Node, test/support/supertokens-browser.ts) calls a
// loopback server that plays API Gateway — it builds the REST REQUEST or HTTP API 2.0 authorizer
// event, runs createAuthorizer on the real bundle (tokens verified against a JWKS it also serves),
// and answers as API Gateway does (test/support/api-gateway.ts): the integration on an allow, the
// REST gateway responses claimguard ships (restGatewayResponses), or an HTTP API's fixed bodies.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthorizer, restGatewayResponses, type HttpApiAuthorizerEvent } from '../../src/authorizer/index.js';
import { restGateway } from '../support/api-gateway.js';
import { fakeBrowser, sessionHeaders } from '../support/supertokens-browser.js';
import { AUDIENCE, CUSTOMER, ISSUER, NOW, ordersBundle, signingKey, type SigningKey } from './fixtures.js';

const { browser, document } = fakeBrowser();

let key: SigningKey;
const sign = (claims: Record<string, unknown>): Promise<string> =>
  new SignJWT(claims as JWTPayload).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT', version: '5' }).sign(key.privateKey);

/** The API Gateway being played: REST or HTTP API, the resource a request matched, and the auth stubs. */
const api = {
  kind: 'rest' as 'rest' | 'http-api',
  resource: '/orders/{orderId}',
  jwksDown: false,
  refreshIssues: async (): Promise<string | null> => sign(CUSTOMER),
  refreshCalls: 0,
  integrationCalls: 0,
};

const responses = restGatewayResponses();
const TEMPLATES = {
  ACCESS_DENIED: responses.ACCESS_DENIED.responseTemplates['application/json'],
  UNAUTHORIZED: responses.UNAUTHORIZED.responseTemplates['application/json'],
  AUTHORIZER_CONFIGURATION_ERROR: responses.AUTHORIZER_CONFIGURATION_ERROR.responseTemplates['application/json'],
};

let server: Server;
let apiDomain: string;
let authorize: ReturnType<typeof createAuthorizer>;

function parameters(resource: string, path: string): Record<string, string> {
  const t = resource.split('/');
  const p = path.split('/');
  return Object.fromEntries(t.flatMap((seg, i) => (seg.startsWith('{') ? [[seg.slice(1, -1), p[i]!]] : [])));
}

function restEvent(req: IncomingMessage, path: string) {
  const authorization = req.headers.authorization;
  const headers = authorization === undefined ? {} : { Authorization: authorization };
  const method = req.method!;
  return {
    type: 'REQUEST',
    methodArn: `arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/${method}${path}`,
    resource: api.resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    pathParameters: parameters(api.resource, path),
    requestContext: { accountId: '123456789012', apiId: 'abc123', stage: 'prod', resourcePath: api.resource, httpMethod: method, path: `/prod${path}` },
  };
}

function httpApiEvent(req: IncomingMessage, path: string) {
  const authorization = req.headers.authorization;
  const routeKey = `${req.method} ${api.resource}`;
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:eu-west-1:123456789012:abc123/$default/${req.method}${path}`,
    identitySource: authorization === undefined ? [routeKey] : [authorization, routeKey],
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: authorization === undefined ? {} : { authorization },
    pathParameters: parameters(api.resource, path),
    requestContext: { accountId: '123456789012', apiId: 'abc123', http: { method: req.method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'node' }, routeKey, stage: '$default' },
  };
}

type Answer = { status: number; body: string };

/** API Gateway in front of the integration, with claimguard/authorizer on the route. */
async function gateway(req: IncomingMessage, path: string): Promise<Answer> {
  if (api.kind === 'rest') {
    const event = restEvent(req, path);
    const outcome = await restGateway(authorize(event), event.methodArn, TEMPLATES);
    if (outcome.kind === 'gateway-response') return { status: outcome.statusCode, body: outcome.body };
  } else {
    try {
      const result = await authorize(httpApiEvent(req, path) as unknown as HttpApiAuthorizerEvent);
      if (!result.isAuthorized) return { status: 403, body: '{"message":"Forbidden"}' };
    } catch (e) {
      if (e instanceof Error && e.message === 'Unauthorized') return { status: 401, body: '{"message":"Unauthorized"}' };
      return { status: 500, body: '{"message":"Internal Server Error"}' };
    }
  }
  api.integrationCalls++;
  return { status: 200, body: '{"ok":true}' };
}

beforeAll(async () => {
  key = await signingKey('k1');
  server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/auth/jwt/jwks.json') {
        res.writeHead(api.jwksDown ? 503 : 200, { 'content-type': 'application/json' });
        res.end(api.jwksDown ? '' : JSON.stringify({ keys: [key.jwk] }));
        return;
      }
      if (path === '/auth/signin' || path === '/auth/session/refresh') {
        if (path === '/auth/session/refresh') api.refreshCalls++;
        const token = path === '/auth/signin' ? (req.headers['x-test-token'] as string) : await api.refreshIssues();
        if (token === null) {
          res.writeHead(401, { 'content-type': 'application/json', 'front-token': 'remove' });
          res.end('{"message":"unauthorised"}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', ...sessionHeaders(token) });
        res.end('{"status":"OK"}');
        return;
      }
      const answer = await gateway(req, path);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  apiDomain = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  authorize = createAuthorizer({
    bundle: (await ordersBundle()).bytes,
    clock: () => NOW,
    log: false,
    verify: { jwksUrl: `${apiDomain}/auth/jwt/jwks.json`, issuer: ISSUER, audience: AUDIENCE },
  });

  Object.assign(globalThis, { window: browser });
  const supertokens = await import('supertokens-website');
  supertokens.init({
    apiDomain,
    apiBasePath: '/auth',
    tokenTransferMethod: 'header',
    onHandleEvent: (e: { action: string; claimValidationErrors?: unknown }) => events.push(e),
    override: { functions: (original) => ({ ...original, addXMLHttpRequestInterceptor: () => {} }) },
  });
});

afterAll(() => {
  server?.close();
  delete (globalThis as { window?: unknown }).window;
});

const events: { action: string; claimValidationErrors?: unknown }[] = [];
const actions = () => events.map((e) => e.action);
const appFetch = (path: string, init: RequestInit = {}): Promise<Response> => browser.fetch(`${apiDomain}${path}`, init);

async function signIn(token: string): Promise<void> {
  browser.localStorage.clear();
  browser.sessionStorage.clear();
  document.jar.clear();
  await appFetch('/auth/signin', { method: 'POST', headers: { 'x-test-token': token } });
  events.length = 0;
  api.refreshCalls = 0;
  api.integrationCalls = 0;
}

beforeEach(() => {
  api.kind = 'rest';
  api.resource = '/orders/{orderId}';
  api.jwksDown = false;
  api.refreshIssues = async () => sign(CUSTOMER);
});

const ROLE_ERRORS = [{ id: 'st-role', reason: { message: 'wrong value', expectedToInclude: ['admin'], actualValue: ['customer'] } }];

describe('REST API with claimguard/authorizer and its gateway responses', () => {
  it('allowed: the integration answers, no refresh', async () => {
    await signIn(await sign(CUSTOMER));
    const res = await appFetch('/orders/42');
    expect([res.status, await res.json()]).toEqual([200, { ok: true }]);
    expect([api.integrationCalls, api.refreshCalls, actions()]).toEqual([1, 0, []]);
  });

  it('a failed claim: 403 from ACCESS_DENIED, and the frontend runs API_INVALID_CLAIM with the reasons, as behind withAuthorization', async () => {
    await signIn(await sign(CUSTOMER));
    const res = await appFetch('/orders/42', { method: 'DELETE' });
    expect(res.status).toBe(403);
    expect([api.integrationCalls, api.refreshCalls, actions()]).toEqual([0, 0, ['API_INVALID_CLAIM']]);
    expect(events[0]!.claimValidationErrors).toEqual(ROLE_ERRORS);
  });

  it('another refusal (no policy route): 403 forbidden reaches the app as is; no claim event, no refresh', async () => {
    await signIn(await sign(CUSTOMER));
    api.resource = '/invoices/{invoiceId}';
    const res = await appFetch('/invoices/7');
    expect([res.status, await res.json()]).toEqual([403, { message: 'forbidden', claimValidationErrors: null }]);
    expect([api.integrationCalls, api.refreshCalls, actions()]).toEqual([0, 0, []]);
  });

  it('an expired token: 401 from UNAUTHORIZED, one refresh, the retry is allowed', async () => {
    await signIn(await sign({ ...CUSTOMER, iat: NOW / 1000 - 7200, exp: NOW / 1000 - 3600 }));
    const res = await appFetch('/orders/42');
    expect([res.status, await res.json()]).toEqual([200, { ok: true }]);
    expect([api.integrationCalls, api.refreshCalls, actions()]).toEqual([1, 1, ['ACCESS_TOKEN_PAYLOAD_UPDATED', 'REFRESH_SESSION']]);
  });

  it('a JWKS that cannot be fetched: 500, no refresh loop, nothing reaches the integration', async () => {
    const fresh = createAuthorizer({
      bundle: (await ordersBundle()).bytes,
      clock: () => NOW,
      log: false,
      verify: { jwksUrl: `${apiDomain}/auth/jwt/jwks.json`, issuer: ISSUER, audience: AUDIENCE },
    });
    const saved = authorize;
    authorize = fresh;
    api.jwksDown = true;
    try {
      await signIn(await sign(CUSTOMER));
      const res = await appFetch('/orders/42');
      expect([res.status, await res.json()]).toEqual([500, { message: 'internal error' }]);
      expect([api.integrationCalls, api.refreshCalls, actions()]).toEqual([0, 0, []]);
    } finally {
      authorize = saved;
    }
  });
});

describe('HTTP API with claimguard/authorizer (simple responses)', () => {
  it('a failed claim: API Gateway\'s plain 403, so the frontend cannot run the claim flow (docs/authorizer.md says how to keep it)', async () => {
    api.kind = 'http-api';
    await signIn(await sign(CUSTOMER));
    const res = await appFetch('/orders/42', { method: 'DELETE' });
    expect([res.status, await res.json()]).toEqual([403, { message: 'Forbidden' }]);
    expect([api.integrationCalls, api.refreshCalls, actions()]).toEqual([0, 0, []]);
  });

  it('an expired token: 401, one refresh, the retry is allowed', async () => {
    api.kind = 'http-api';
    await signIn(await sign({ ...CUSTOMER, exp: NOW / 1000 - 1 }));
    const res = await appFetch('/orders/42');
    expect([res.status, await res.json()]).toEqual([200, { ok: true }]);
    expect([api.integrationCalls, api.refreshCalls]).toEqual([1, 1]);
  });
});
