// The REST gateway responses, whole (src/authorizer/gateway-responses.ts): the three template
// texts, each of the four responses with its status, template and headers, and the message for an
// origin that cannot be a static header value. The last test reads a second instance of the
// module, evaluated inside it, so that its constants are built in a test. Found by mutation
// testing (CONTRIBUTING.md, "Mutation testing"): gateway-responses.test.ts renders the templates,
// these pin the texts and shapes themselves.
import { describe, expect, it } from 'vitest';
import * as responses from '../../src/authorizer/gateway-responses.js';

type GatewayResponses = typeof responses;

const ACCESS_DENIED = '{"message":"$context.authorizer.message","claimValidationErrors":$context.authorizer.claimValidationErrors}';
const UNAUTHORIZED = '{"message":"unauthorised"}';
const INTERNAL = '{"message":"internal error"}';

const json = (template: string) => ({ 'application/json': template });
const EXPECTED = {
  ACCESS_DENIED: { statusCode: '403', responseParameters: {}, responseTemplates: json(ACCESS_DENIED) },
  UNAUTHORIZED: { statusCode: '401', responseParameters: {}, responseTemplates: json(UNAUTHORIZED) },
  AUTHORIZER_CONFIGURATION_ERROR: { statusCode: '500', responseParameters: {}, responseTemplates: json(INTERNAL) },
  AUTHORIZER_FAILURE: { statusCode: '500', responseParameters: {}, responseTemplates: json(INTERNAL) },
};

describe('the templates', () => {
  it('ACCESS_DENIED substitutes the context message (quoted) and claimValidationErrors (JSON, unquoted); 401 and 500 are fixed texts', async () => {
    const m = responses;
    expect([m.ACCESS_DENIED_TEMPLATE, m.UNAUTHORIZED_TEMPLATE, m.INTERNAL_ERROR_TEMPLATE]).toEqual([ACCESS_DENIED, UNAUTHORIZED, INTERNAL]);
  });
});

describe('restGatewayResponses', () => {
  it('the four responses, each with its status and template, no headers without allowOrigin', async () => {
    const { restGatewayResponses } = responses;
    expect(restGatewayResponses()).toStrictEqual(EXPECTED);
    expect(restGatewayResponses({})).toStrictEqual(restGatewayResponses());
  });

  it('allowOrigin: every response carries the quoted origin and credentials, each in its own map', async () => {
    const withCors = responses.restGatewayResponses({ allowOrigin: 'https://app.example.com' });
    const cors = {
      'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
    };
    for (const r of Object.values(withCors)) expect(r.responseParameters).toStrictEqual(cors);
    expect(withCors.ACCESS_DENIED.responseParameters).not.toBe(withCors.UNAUTHORIZED.responseParameters);
    expect(Object.fromEntries(Object.entries(withCors).map(([t, r]) => [t, [r.statusCode, r.responseTemplates['application/json']]]))).toEqual({
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
    const { restGatewayResponses } = responses;
    expect(() => restGatewayResponses({ allowOrigin: origin })).toThrow(new TypeError(`allowOrigin ${shown} cannot be a static header value`));
  });
});

describe("the module's constants, built inside a test", () => {
  it('a second instance of gateway-responses.ts, evaluated here, has the same templates and responses', async () => {
    // The query makes a second instance of the module alone.
    const fresh = (await import('../../src/authorizer/gateway-responses.js?constants' as string)) as GatewayResponses;
    expect(fresh.restGatewayResponses).not.toBe(responses.restGatewayResponses);
    expect([fresh.ACCESS_DENIED_TEMPLATE, fresh.UNAUTHORIZED_TEMPLATE, fresh.INTERNAL_ERROR_TEMPLATE]).toEqual([ACCESS_DENIED, UNAUTHORIZED, INTERNAL]);
    expect(fresh.restGatewayResponses()).toStrictEqual(EXPECTED);
  });
});
