// The REST gateway responses, rendered from real authorizer results by an evaluator of exactly the
// substitution API Gateway documents for gateway-response templates (test/support/api-gateway.ts):
// the 403 body is SuperTokens' `invalid claim` body byte for byte where claims failed, valid JSON
// without claim errors otherwise, and stays valid JSON for every result the authorizer can give.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCESS_DENIED_TEMPLATE,
  createAuthorizer,
  INTERNAL_ERROR_TEMPLATE,
  restGatewayResponses,
  UNAUTHORIZED_TEMPLATE,
  type AuthorizerContext,
} from '../../src/authorizer/index.js';
import { createAuthorize } from '../../src/lambda/authorize.js';
import { authorizerVariables, renderGatewayTemplate, restGateway } from '../support/api-gateway.js';
import {
  ADMIN,
  AUDIENCE,
  bearer,
  CUSTOMER,
  httpApiEvent,
  ISSUER,
  jwksServer,
  NOW,
  ordersBundle,
  restEvent,
  restRequest,
  signingKey,
  type JwksServer,
  type SigningKey,
} from './fixtures.js';

let k1: SigningKey;
let jwks: JwksServer;
let handler: ReturnType<typeof createAuthorizer>;
let http: ReturnType<typeof createAuthorize>;

beforeAll(async () => {
  const [built, key] = await Promise.all([ordersBundle(), signingKey('k1')]);
  k1 = key;
  jwks = await jwksServer([k1.jwk]);
  const verify = { jwksUrl: jwks.url, issuer: ISSUER, audience: AUDIENCE };
  handler = createAuthorizer({ bundle: built.bytes, clock: () => NOW, log: false, verify });
  // withAuthorization's own front, with the same bundle and verification.
  http = createAuthorize({ bundle: built.bytes, clock: () => NOW, log: false, verify });
});
afterAll(() => jwks.close());

const TEMPLATES = { ACCESS_DENIED: ACCESS_DENIED_TEMPLATE, UNAUTHORIZED: UNAUTHORIZED_TEMPLATE, AUTHORIZER_CONFIGURATION_ERROR: INTERNAL_ERROR_TEMPLATE };

/** The body withAuthorization answers for the same request (a REST REQUEST event is also a payload 1.0 event). */
async function httpBody(event: unknown): Promise<string> {
  const outcome = await http(event);
  if (outcome.allow) throw new Error('withAuthorization allowed');
  return outcome.response.body;
}

type Case = [name: string, event: () => Promise<ReturnType<typeof restEvent>>];
const DENIED: Case[] = [
  ['a customer deleting an order (roles)', async () => restRequest(await bearer(CUSTOMER, k1), 'DELETE', '/orders/{orderId}', '/orders/42', { orderId: '42' })],
  ['an admin without MFA', async () => restRequest(await bearer({ ...ADMIN, 'st-mfa': { c: {}, v: false } }, k1), 'DELETE', '/orders/{orderId}', '/orders/42', { orderId: '42' })],
  ["another user's profile (two reasons)", async () => restRequest(await bearer(CUSTOMER, k1), 'GET', '/users/{userId}/profile', '/users/u2/profile', { userId: 'u2' })],
  ['a claim value with quotes and unicode', async () => restRequest(await bearer({ ...CUSTOMER, 'st-role': { v: ['cust"omer\\ü\u2028'], t: 1712345678901 } }, k1), 'DELETE', '/orders/{orderId}', '/orders/42', { orderId: '42' })],
];
const FORBIDDEN: Case[] = [
  ['no policy route', async () => restRequest(await bearer(CUSTOMER, k1), 'GET', '/invoices/{invoiceId}', '/invoices/7', { invoiceId: '7' })],
  ['an inconsistent event', async () => restRequest(await bearer(CUSTOMER, k1), 'GET', '/orders/{orderId}', '/orders/a%2Fb', { orderId: 'a/b' })],
];

describe('the ACCESS_DENIED template', () => {
  it('is plain substitution: no Velocity directive, which API Gateway would send as text', () => {
    expect(ACCESS_DENIED_TEMPLATE).toBe('{"message":"$context.authorizer.message","claimValidationErrors":$context.authorizer.claimValidationErrors}');
    for (const t of Object.values(TEMPLATES)) expect(t).not.toMatch(/#(if|else|elseif|end|set|foreach)\b|\$!|\$\{/);
  });

  it('reads only keys that every result carries (allow, each refusal, both API kinds)', async () => {
    const results = [
      await handler(restEvent(await bearer(CUSTOMER, k1))),
      await handler(httpApiEvent(await bearer(CUSTOMER, k1))),
      ...(await Promise.all([...DENIED, ...FORBIDDEN].map(async ([, e]) => handler(await e())))),
    ];
    for (const r of results) {
      for (const key of authorizerVariables(ACCESS_DENIED_TEMPLATE)) expect(Object.keys(r.context as AuthorizerContext)).toContain(key);
    }
  });

  it.each(DENIED)('a failed claim (%s): byte for byte the body withAuthorization sends', async (_name, make) => {
    const event = await make();
    const result = await handler(event);
    const gateway = await restGateway(Promise.resolve(result), event.methodArn, TEMPLATES);
    const expected = await httpBody(event);
    expect(expected).toMatch(/^\{"message":"invalid claim","claimValidationErrors":\[/);
    expect(gateway).toEqual({ kind: 'gateway-response', type: 'ACCESS_DENIED', statusCode: 403, body: expected });
  });

  it.each(FORBIDDEN)('any other refusal (%s): `forbidden` with claimValidationErrors null (withAuthorization omits the key)', async (_name, make) => {
    const event = await make();
    const gateway = await restGateway(handler(event), event.methodArn, TEMPLATES);
    expect(gateway).toMatchObject({ statusCode: 403 });
    const body = (gateway as { body: string }).body;
    expect(body).toBe('{"message":"forbidden","claimValidationErrors":null}');
    expect({ ...JSON.parse(await httpBody(event)), claimValidationErrors: null }).toEqual(JSON.parse(body));
  });

  it('a cached allow that API Gateway reuses for another path of the same resource renders valid JSON (forbidden)', async () => {
    const first = await handler(restRequest(await bearer(CUSTOMER, k1), 'GET', '/orders/{orderId}', '/orders/42', { orderId: '42' }));
    // Same identity sources (token, GET, /orders/{orderId}): API Gateway evaluates the cached policy for /orders/43.
    const other = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders/43';
    const gateway = await restGateway(Promise.resolve(first), other, TEMPLATES);
    expect(gateway).toEqual({ kind: 'gateway-response', type: 'ACCESS_DENIED', statusCode: 403, body: '{"message":"forbidden","claimValidationErrors":null}' });
  });

  it('the allow reaches the integration with the context and principal', async () => {
    const event = restEvent(await bearer(CUSTOMER, k1));
    const gateway = await restGateway(handler(event), event.methodArn, TEMPLATES);
    expect(gateway).toMatchObject({ kind: 'integration', principalId: CUSTOMER.sub, context: { route: 'GET /orders/{orderId}', principalId: CUSTOMER.sub } });
  });

  it('401 and 500 bodies are fixed texts (SuperTokens reacts to the status)', async () => {
    const event = restEvent(null);
    expect(await restGateway(handler(event), event.methodArn, TEMPLATES)).toEqual({ kind: 'gateway-response', type: 'UNAUTHORIZED', statusCode: 401, body: '{"message":"unauthorised"}' });
    const token = { type: 'TOKEN', authorizationToken: 'x', methodArn: event.methodArn };
    expect(await restGateway(handler(token), event.methodArn, TEMPLATES)).toEqual({
      kind: 'gateway-response',
      type: 'AUTHORIZER_CONFIGURATION_ERROR',
      statusCode: 500,
      body: '{"message":"internal error"}',
    });
  });

  it('the evaluator substitutes values as they are, and nothing for a key the context lacks', () => {
    expect(renderGatewayTemplate('{"a":"$context.authorizer.a","b":$context.authorizer.b,"c":"$context.authorizer.c"}', { a: 'x"y', b: 1 })).toBe('{"a":"x"y","b":1,"c":""}');
  });
});

describe('restGatewayResponses', () => {
  it('gives the four responses, with the CORS headers a cross-origin SuperTokens frontend needs', () => {
    const plain = restGatewayResponses();
    expect(Object.keys(plain).sort()).toEqual(['ACCESS_DENIED', 'AUTHORIZER_CONFIGURATION_ERROR', 'AUTHORIZER_FAILURE', 'UNAUTHORIZED']);
    expect(plain.ACCESS_DENIED).toEqual({ statusCode: '403', responseParameters: {}, responseTemplates: { 'application/json': ACCESS_DENIED_TEMPLATE } });
    expect(plain.UNAUTHORIZED.statusCode).toBe('401');
    expect(plain.AUTHORIZER_FAILURE).toEqual(plain.AUTHORIZER_CONFIGURATION_ERROR);
    const cors = restGatewayResponses({ allowOrigin: 'https://app.example.com' });
    expect(cors.UNAUTHORIZED.responseParameters).toEqual({
      'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
    });
  });

  it.each(['', "https://evil.example.com'", 'https://a.example.com\r\nX: y'])('refuses an origin that cannot be a static header value: %j', (origin) => {
    expect(() => restGatewayResponses({ allowOrigin: origin })).toThrow(TypeError);
  });
});

