// API Gateway and Lambda Function URL events → the request part of the decision input, the
// Authorization header values and the authorizer's claims map. Only shapes AWS really sends are
// read (docs/lambda-events.md); anything else is "unsupported" and the wrapper answers 500 without
// calling the handler.
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2WithJWTAuthorizer, LambdaFunctionURLEvent } from 'aws-lambda';
import { fillTemplate, matchedPath, templateOf } from './path.js';

/**
 * The events `withAuthorization` accepts: HTTP API payload 2.0, payload 1.0 (HTTP or REST API),
 * and Lambda Function URL requests (payload 2.0 without routes).
 */
export type ApiGatewayEvent = APIGatewayProxyEventV2WithJWTAuthorizer | APIGatewayProxyEvent | LambdaFunctionURLEvent;

type Obj = Record<string, unknown>;
const isObject = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

export interface EventOptions {
  /** A custom domain's API mapping key as a path prefix (`/v1`), or `''`: see `normaliseBasePath`. */
  readonly basePath: string;
}

const NO_OPTIONS: EventOptions = { basePath: '' };

export interface RequestFacts {
  readonly payload: '2.0' | '1.0';
  /**
   * `function-url`: no API Gateway route, stage or authorizer stands in front; the path is matched
   * by the policy alone. `authorizer`: a Lambda authorizer event (claimguard/authorizer): routed by
   * API Gateway, its token checked by nobody yet.
   */
  readonly source: 'api-gateway' | 'function-url' | 'authorizer';
  readonly method: string;
  /** The route API Gateway dispatched (`$default` included); null for a Function URL. */
  readonly routeKey: string | null;
  /** The path API Gateway matched (stage, mapping key and one trailing slash removed, see path.ts). */
  readonly path: string;
  readonly pathParameters: Readonly<Record<string, string | undefined>> | null;
  /** Every Authorization header value found (any name casing, single- and multi-value maps). */
  readonly authorization: readonly string[];
  /** The authorizer's claims map (strings as API Gateway sends them), or null when the route has no JWT authorizer. */
  readonly claims: Readonly<Record<string, unknown>> | null;
  /** Why the event cannot be what API Gateway matched (payload 1.0 parameter values), or null. */
  readonly inconsistent: string | null;
  /**
   * Payload 1.0 does not say whether the API's route was `ANY`: `METHOD resource` is the
   * routeKey, and this (`ANY resource`) the dispatched route when the policy names only it.
   */
  readonly anyRouteKey: string | null;
}

export type EventFacts = RequestFacts | { readonly unsupported: string };

const AUTHORIZATION = 'authorization';

/** Header values whose name is `authorization` in any casing. Names are compared without allocating for the others. */
function authorizationValues(headers: unknown, out: string[]): void {
  if (!isObject(headers)) return;
  for (const name in headers) {
    // Stryker disable next-line ConditionalExpression: the length test is a shortcut; toLowerCase() below decides alone.
    if (name.length !== 13 || !Object.hasOwn(headers, name)) continue;
    // Stryker disable next-line ConditionalExpression: the exact-name test is a shortcut; toLowerCase() decides alone.
    if (name !== AUTHORIZATION && name.toLowerCase() !== AUTHORIZATION) continue;
    const v = headers[name];
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push(x);
  }
}

const stringMap = (x: Obj): Record<string, string | undefined> | null => {
  for (const k in x) if (x[k] !== undefined && typeof x[k] !== 'string') return null;
  return x as Record<string, string | undefined>;
};

/**
 * `pathParameters` as sent: a map of strings, or null when absent — a missing field and `null`
 * alike (serverless-offline sends `null` for a route without parameters); undefined when it is
 * something else.
 */
function pathParametersOf(e: Obj): Record<string, string | undefined> | null | undefined {
  const p = e.pathParameters;
  if (p === undefined || p === null) return null;
  return isObject(p) ? (stringMap(p) ?? undefined) : undefined;
}

/** A named stage (one that puts `/{stage}` in front of paths), or null for `$default` and none. */
const namedStage = (stage: unknown): string | null =>
  typeof stage === 'string' && stage !== '' && stage !== '$default' ? stage : null;

/** Lambda Function URL endpoints: `https://<url-id>.lambda-url.<region>.on.aws`. */
const FUNCTION_URL_DOMAIN = /\.lambda-url\.[a-z0-9-]+\.on\.aws$/;
const isFunctionUrlDomain = (d: unknown): boolean =>
  typeof d === 'string' &&
  // A cheap pre-filter (execute-api domains end otherwise); the regex alone decides what passes it.
  // Stryker disable next-line StringLiteral: with any suffix (or none) the regex still answers the same
  d.endsWith('.on.aws') &&
  FUNCTION_URL_DOMAIN.test(d);

function fromV2(e: Obj, rc: Obj, http: Obj, options: EventOptions): EventFacts {
  const method = http.method;
  const rawPath = e.rawPath;
  const routeKey = e.routeKey;
  if (typeof method !== 'string' || typeof rawPath !== 'string') {
    return { unsupported: 'payload 2.0 event without requestContext.http.method or rawPath' };
  }
  if (routeKey !== undefined && typeof routeKey !== 'string') return { unsupported: 'payload 2.0 routeKey is not a string' };
  const pathParameters = pathParametersOf(e);
  if (pathParameters === undefined) return { unsupported: 'pathParameters is not a map of strings' };
  const authorization: string[] = [];
  authorizationValues(e.headers, authorization);
  const authorizer = rc.authorizer;
  const jwt = isObject(authorizer) ? authorizer.jwt : undefined;
  const claims = isObject(jwt) && isObject(jwt.claims) ? jwt.claims : null;
  if (routeKey === undefined || isFunctionUrlDomain(rc.domainName)) {
    // Nothing routed this request: the path is the client's, as it came.
    return { payload: '2.0', source: 'function-url', method, routeKey: null, path: rawPath, pathParameters, authorization, claims, inconsistent: null, anyRouteKey: null };
  }
  const path = matchedPath(rawPath, namedStage(rc.stage), options.basePath, templateOf(routeKey));
  return { payload: '2.0', source: 'api-gateway', method, routeKey, path, pathParameters, authorization, claims, inconsistent: null, anyRouteKey: null };
}

/** `method` is the event's httpMethod, which readEvent found to be a string. */
function fromV1(e: Obj, rc: Obj, method: string, options: EventOptions): EventFacts {
  const resource = e.resource;
  if (typeof resource !== 'string') {
    return { unsupported: 'payload 1.0 event without httpMethod or resource' };
  }
  const pathParameters = pathParametersOf(e);
  if (pathParameters === undefined) return { unsupported: 'pathParameters is not a map of strings' };
  let routeKey: string;
  let path: string;
  let inconsistent: string | null = null;
  if (resource === '$default') {
    // HTTP API payload 1.0 on the `$default` route: there is no template, only the client's path.
    if (typeof e.path !== 'string') return { unsupported: 'payload 1.0 event on the $default route without path' };
    routeKey = '$default';
    path = matchedPath(e.path, namedStage(rc.stage), options.basePath, null);
  } else {
    routeKey = `${method} ${resource}`;
    const template = templateOf(`ANY ${resource}`);
    if (template === null) return { unsupported: `payload 1.0 resource ${JSON.stringify(resource)} is not a route template` };
    const filled = fillTemplate(template, pathParameters);
    if ('missing' in filled) {
      return { unsupported: `payload 1.0 resource ${JSON.stringify(resource)} names {${filled.missing}}, which pathParameters lacks` };
    }
    if ('inconsistent' in filled) {
      inconsistent = filled.inconsistent;
      path = resource;
    } else path = filled.path;
  }
  // `headers` repeats the last value of `multiValueHeaders`: the multi-value map is the truth, and a
  // single-value entry it does not contain is one more header.
  const authorization: string[] = [];
  authorizationValues(e.multiValueHeaders, authorization);
  const single: string[] = [];
  authorizationValues(e.headers, single);
  for (const v of single) if (!authorization.includes(v)) authorization.push(v);
  const authorizer = rc.authorizer;
  const claims = isObject(authorizer) && isObject(authorizer.claims) ? authorizer.claims : null;
  const anyRouteKey = routeKey === '$default' || method === 'ANY' ? null : `ANY ${resource}`;
  return { payload: '1.0', source: 'api-gateway', method, routeKey, path, pathParameters, authorization, claims, inconsistent, anyRouteKey };
}

/** Reads the facts of an event, or says why it is not an API Gateway or Function URL event. */
export function readEvent(event: unknown, options: EventOptions = NO_OPTIONS): EventFacts {
  if (!isObject(event)) return { unsupported: 'event is not an object' };
  const rc = event.requestContext;
  if (!isObject(rc)) return { unsupported: 'event has no requestContext' };
  if (event.version === '2.0') {
    const http = rc.http;
    if (!isObject(http)) return { unsupported: 'payload 2.0 event without requestContext.http' };
    return fromV2(event, rc, http, options);
  }
  if (event.version === undefined || event.version === '1.0') {
    const method = event.httpMethod;
    if (typeof method === 'string') return fromV1(event, rc, method, options);
  }
  return { unsupported: `not an API Gateway proxy event (version ${JSON.stringify(event.version)})` };
}
