// API Gateway events → the request part of the decision input (DESIGN §3), the Authorization
// header values and the authorizer's claims map. Only shapes API Gateway really sends are read;
// anything else is "unsupported" and the wrapper answers 500 without calling the handler.
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';

/** The events `withAuthorization` accepts: HTTP API payload 2.0, and payload 1.0 (HTTP or REST API). */
export type ApiGatewayEvent = APIGatewayProxyEventV2WithJWTAuthorizer | APIGatewayProxyEvent;

type Obj = Record<string, unknown>;
const isObject = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

export interface RequestFacts {
  readonly payload: '2.0' | '1.0';
  readonly method: string;
  readonly routeKey: string | null;
  readonly path: string;
  readonly pathParameters: Readonly<Record<string, string | undefined>> | null;
  /** Every Authorization header value found (any name casing, single- and multi-value maps). */
  readonly authorization: readonly string[];
  /** The authorizer's claims map (strings as API Gateway sends them), or null when the route has no authorizer. */
  readonly claims: Readonly<Record<string, unknown>> | null;
}

export type EventFacts = RequestFacts | { readonly unsupported: string };

const AUTHORIZATION = 'authorization';

/** Header values whose name is `authorization` in any casing. Names are compared without allocating for the others. */
function authorizationValues(headers: unknown, out: string[]): void {
  if (!isObject(headers)) return;
  for (const name in headers) {
    if (name.length !== 13 || !Object.hasOwn(headers, name)) continue;
    if (name !== AUTHORIZATION && name.toLowerCase() !== AUTHORIZATION) continue;
    const v = headers[name];
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push(x);
  }
}

/** Removes `/{stage}` from the front of a path when the stage is a named one (not `$default`). */
function stripStage(path: string, stage: unknown): string {
  if (typeof stage !== 'string' || stage === '' || stage === '$default') return path;
  if (!path.startsWith('/') || !path.startsWith(stage, 1)) return path;
  const rest = path.slice(stage.length + 1);
  if (rest === '') return '/';
  return rest.startsWith('/') ? rest : path;
}

const stringMap = (x: unknown): Record<string, string | undefined> | null => {
  if (!isObject(x)) return null;
  for (const k in x) if (x[k] !== undefined && typeof x[k] !== 'string') return null;
  return x as Record<string, string | undefined>;
};

/** `{ orderId }`-style resource templates, split once per distinct resource (API Gateway has a fixed set). */
type Template = readonly ({ readonly literal: string } | { readonly param: string })[];
const templates = new Map<string, Template>();

function template(resource: string): Template {
  let t = templates.get(resource);
  if (t === undefined) {
    t = resource
      .split('/')
      .slice(1)
      .map((s) => (s.startsWith('{') && s.endsWith('}') ? { param: s.slice(1, s.endsWith('+}') ? -2 : -1) } : { literal: s }));
    if (templates.size < 10_000) templates.set(resource, t);
  }
  return t;
}

/**
 * Payload 1.0's `path` is not the path the route was matched on: on a REST API behind a custom
 * domain it carries the base-path mapping (`/v1/orders/42`), on an HTTP API with a named stage the
 * stage. The route API Gateway matched is `resource`, so the path is rebuilt from `resource` and
 * `pathParameters` (`/orders/{orderId}` + `{ orderId: "42" }` → `/orders/42`); null when a
 * parameter the template names is missing (an inconsistent event).
 */
function pathFromResource(resource: string, params: Record<string, string | undefined> | null): string | null {
  if (resource === '/') return '/';
  let path = '';
  for (const seg of template(resource)) {
    if ('literal' in seg) path += `/${seg.literal}`;
    else {
      const v = params?.[seg.param];
      if (typeof v !== 'string') return null;
      path += `/${v}`;
    }
  }
  return path;
}

function fromV2(e: Obj, rc: Obj, http: Obj): EventFacts {
  const method = http.method;
  const rawPath = e.rawPath;
  const routeKey = e.routeKey;
  if (typeof method !== 'string' || typeof rawPath !== 'string' || typeof routeKey !== 'string') {
    return { unsupported: 'payload 2.0 event without requestContext.http.method, rawPath or routeKey' };
  }
  const pathParameters = e.pathParameters === undefined ? null : stringMap(e.pathParameters);
  if (e.pathParameters !== undefined && pathParameters === null) return { unsupported: 'pathParameters is not a map of strings' };
  const authorization: string[] = [];
  authorizationValues(e.headers, authorization);
  const authorizer = rc.authorizer;
  const jwt = isObject(authorizer) ? authorizer.jwt : undefined;
  const claims = isObject(jwt) && isObject(jwt.claims) ? jwt.claims : null;
  return { payload: '2.0', method, routeKey, path: stripStage(rawPath, rc.stage), pathParameters, authorization, claims };
}

function fromV1(e: Obj, rc: Obj): EventFacts {
  const method = e.httpMethod;
  const resource = e.resource;
  if (typeof method !== 'string' || typeof resource !== 'string') {
    return { unsupported: 'payload 1.0 event without httpMethod or resource' };
  }
  const pathParameters = e.pathParameters === null || e.pathParameters === undefined ? null : stringMap(e.pathParameters);
  if (e.pathParameters != null && pathParameters === null) return { unsupported: 'pathParameters is not a map of strings' };
  let routeKey: string;
  let path: string | null;
  if (resource === '$default') {
    // HTTP API payload 1.0 on the `$default` route: there is no template, only the raw path.
    routeKey = '$default';
    path = typeof e.path === 'string' ? stripStage(e.path, rc.stage) : null;
  } else {
    routeKey = `${method} ${resource}`;
    path = resource.startsWith('/') ? pathFromResource(resource, pathParameters) : null;
  }
  if (path === null) return { unsupported: `payload 1.0 resource ${JSON.stringify(resource)} does not fit its pathParameters` };
  // `headers` repeats the last value of `multiValueHeaders`: the multi-value map is the truth, and a
  // single-value entry it does not contain is one more header.
  const authorization: string[] = [];
  authorizationValues(e.multiValueHeaders, authorization);
  const single: string[] = [];
  authorizationValues(e.headers, single);
  for (const v of single) if (!authorization.includes(v)) authorization.push(v);
  const authorizer = rc.authorizer;
  const claims = isObject(authorizer) && isObject(authorizer.claims) ? authorizer.claims : null;
  return { payload: '1.0', method, routeKey, path, pathParameters, authorization, claims };
}

/** Reads the facts of an event, or says why it is not an API Gateway proxy event. */
export function readEvent(event: unknown): EventFacts {
  if (!isObject(event)) return { unsupported: 'event is not an object' };
  const rc = event.requestContext;
  if (!isObject(rc)) return { unsupported: 'event has no requestContext' };
  if (event.version === '2.0') {
    const http = rc.http;
    if (!isObject(http)) return { unsupported: 'payload 2.0 event without requestContext.http' };
    return fromV2(event, rc, http);
  }
  if (event.version === undefined || event.version === '1.0') {
    if (typeof event.httpMethod === 'string') return fromV1(event, rc);
  }
  return { unsupported: `not an API Gateway proxy event (version ${JSON.stringify(event.version)})` };
}
