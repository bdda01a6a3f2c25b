// The REST gateway responses, whole (src/authorizer/gateway-responses.ts): the three template
// texts, each of the four responses with its status, template and headers, and the message for an
// origin that cannot be a static header value. Each test loads the module anew, so its constants
// are built inside the test. Found by mutation testing (CONTRIBUTING.md, "Mutation testing"):
// gateway-responses.test.ts renders the templates, these pin the texts and shapes themselves.
import { describe, expect, it, vi } from 'vitest';

type GatewayResponses = typeof import('../../src/authorizer/gateway-responses.js');

/** gateway-responses.ts loaded anew, inside the calling test. */
async function fresh(): Promise<GatewayResponses> {
  vi.resetModules();
  return import('../../src/authorizer/gateway-responses.js');
}

const ACCESS_DENIED = '{"message":"$context.authorizer.message","claimValidationErrors":$context.authorizer.claimValidationErrors}';
const UNAUTHORIZED = '{"message":"unauthorised"}';
const INTERNAL = '{"message":"internal error"}';

describe('the templates', () => {
  it('ACCESS_DENIED substitutes the context message (quoted) and claimValidationErrors (JSON, unquoted); 401 and 500 are fixed texts', async () => {
    const m = await fresh();
    expect([m.ACCESS_DENIED_TEMPLATE, m.UNAUTHORIZED_TEMPLATE, m.INTERNAL_ERROR_TEMPLATE]).toEqual([ACCESS_DENIED, UNAUTHORIZED, INTERNAL]);
  });
});

describe('restGatewayResponses', () => {
  it('the four responses, each with its status and template, no headers without allowOrigin', async () => {
    const { restGatewayResponses } = await fresh();
    const json = (template: string) => ({ 'application/json': template });
    expect(restGatewayResponses()).toStrictEqual({
      ACCESS_DENIED: { statusCode: '403', responseParameters: {}, responseTemplates: json(ACCESS_DENIED) },
      UNAUTHORIZED: { statusCode: '401', responseParameters: {}, responseTemplates: json(UNAUTHORIZED) },
      AUTHORIZER_CONFIGURATION_ERROR: { statusCode: '500', responseParameters: {}, responseTemplates: json(INTERNAL) },
      AUTHORIZER_FAILURE: { statusCode: '500', responseParameters: {}, responseTemplates: json(INTERNAL) },
    });
    expect(restGatewayResponses({})).toStrictEqual(restGatewayResponses());
  });

  it('allowOrigin: every response carries the quoted origin and credentials, each in its own map', async () => {
    const { restGatewayResponses } = await fresh();
    const responses = restGatewayResponses({ allowOrigin: 'https://app.example.com' });
    const cors = {
      'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
    };
    for (const r of Object.values(responses)) expect(r.responseParameters).toStrictEqual(cors);
    expect(responses.ACCESS_DENIED.responseParameters).not.toBe(responses.UNAUTHORIZED.responseParameters);
    expect(Object.fromEntries(Object.entries(responses).map(([t, r]) => [t, [r.statusCode, r.responseTemplates['application/json']]]))).toEqual({
      ACCESS_DENIED: ['403', ACCESS_DENIED],
      UNAUTHORIZED: ['401', UNAUTHORIZED],
      AUTHORIZER_CONFIGURATION_ERROR: ['500', INTERNAL],
      AUTHORIZER_FAILURE: ['500', INTERNAL],
    });
  });

  it.each([
    ['', '""'],
    ["https://evil.example.com'", '"https://evil.example.com\'"'],
    ['https://a.example.com\r\nX: y', '"https://a.example.com\\r\\nX: y"'],
    ['https://a.example.com\n', '"https://a.example.com\\n"'],
  ])('an origin that cannot be a static header value (%j): a TypeError quoting it', async (origin, shown) => {
    const { restGatewayResponses } = await fresh();
    expect(() => restGatewayResponses({ allowOrigin: origin })).toThrow(new TypeError(`allowOrigin ${shown} cannot be a static header value`));
  });
});
