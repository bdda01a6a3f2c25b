// The REST API gateway responses that give the authorizer's refusals SuperTokens' shapes: the 403
// with `claimValidationErrors` (ACCESS_DENIED, rendered from the authorizer context), the 401 the
// frontend refreshes on, and a 500 that says nothing. API Gateway does not run gateway-response
// templates through Velocity: it only substitutes `$context…` variables, as they are, unquoted
// (docs/authorizer.md, "The 403 body"). HTTP APIs have no gateway responses.
import type { AuthorizerContext } from './answer.js';

/** The `$context.authorizer.*` variable for a key of the authorizer context. */
const v = (key: keyof AuthorizerContext): string => `$context.authorizer.${key}`;

/**
 * ACCESS_DENIED: `{"message":"invalid claim","claimValidationErrors":[…]}` for failed claims,
 * `{"message":"forbidden","claimValidationErrors":null}` for any other refusal.
 */
export const ACCESS_DENIED_TEMPLATE = `{"message":"${v('message')}","claimValidationErrors":${v('claimValidationErrors')}}`;

/** UNAUTHORIZED: SuperTokens' own 401 body (the frontend refreshes on the status). */
export const UNAUTHORIZED_TEMPLATE = '{"message":"unauthorised"}';

/** AUTHORIZER_CONFIGURATION_ERROR and AUTHORIZER_FAILURE: the reason is in the decision log, never in the body. */
export const INTERNAL_ERROR_TEMPLATE = '{"message":"internal error"}';

export type GatewayResponseType = 'ACCESS_DENIED' | 'UNAUTHORIZED' | 'AUTHORIZER_CONFIGURATION_ERROR' | 'AUTHORIZER_FAILURE';

/** One gateway response as the `x-amazon-apigateway-gateway-responses` extension (and CloudFormation) spell it. */
export interface GatewayResponse {
  readonly statusCode: '401' | '403' | '500';
  readonly responseParameters: Readonly<Record<string, string>>;
  readonly responseTemplates: { readonly 'application/json': string };
}

export interface GatewayResponseOptions {
  /**
   * The browser origin of the SuperTokens frontend, when it is not the API's own: sent as
   * `Access-Control-Allow-Origin` (with `Access-Control-Allow-Credentials: true`), without which
   * the browser hides these responses from the frontend and it cannot refresh or run claim flows.
   */
  readonly allowOrigin?: string;
}

const TEMPLATES: Readonly<Record<GatewayResponseType, readonly [GatewayResponse['statusCode'], string]>> = {
  ACCESS_DENIED: ['403', ACCESS_DENIED_TEMPLATE],
  UNAUTHORIZED: ['401', UNAUTHORIZED_TEMPLATE],
  AUTHORIZER_CONFIGURATION_ERROR: ['500', INTERNAL_ERROR_TEMPLATE],
  AUTHORIZER_FAILURE: ['500', INTERNAL_ERROR_TEMPLATE],
};

/** A static header value in a gateway response parameter: single-quoted, no quote inside. */
function staticValue(value: string): string {
  if (value === '' || /['\r\n]/.test(value)) throw new TypeError(`allowOrigin ${JSON.stringify(value)} cannot be a static header value`);
  return `'${value}'`;
}

/** The four gateway responses for a REST API whose methods use claimguard/authorizer. */
export function restGatewayResponses(options: GatewayResponseOptions = {}): Readonly<Record<GatewayResponseType, GatewayResponse>> {
  const headers: Record<string, string> = {};
  if (options.allowOrigin !== undefined) {
    headers['gatewayresponse.header.Access-Control-Allow-Origin'] = staticValue(options.allowOrigin);
    headers['gatewayresponse.header.Access-Control-Allow-Credentials'] = "'true'";
  }
  const out = {} as Record<GatewayResponseType, GatewayResponse>;
  for (const [type, [statusCode, template]] of Object.entries(TEMPLATES) as [GatewayResponseType, (typeof TEMPLATES)[GatewayResponseType]][]) {
    out[type] = { statusCode, responseParameters: { ...headers }, responseTemplates: { 'application/json': template } };
  }
  return out;
}
