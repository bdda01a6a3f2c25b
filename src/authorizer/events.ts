// Lambda authorizer events → the request facts the pipeline decides on. Each kind is read by the
// Lambda wrapper's own event reader (an authorizer event carries the method, route, path and
// parameters in the fields of the matching proxy event), then marked as an authorizer's: nothing
// checked its token yet (`claims: null`), so `verify` decides which token counts. What each event
// holds, with sources: docs/authorizer.md.
import type { APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { readEvent, type EventFacts, type EventOptions, type RequestFacts } from '../lambda/event.js';
import type { AuthorizerErrorCode } from './errors.js';
import { SAFE_IDENTITY_SOURCES } from './identity-sources.js';

/** REST API REQUEST authorizers (and HTTP API ones on payload 1.0): answered with an IAM policy. */
export type RestAuthorizerEvent = APIGatewayRequestAuthorizerEvent;
/** HTTP API Lambda authorizers on payload 2.0: answered with a simple response. */
export type HttpApiAuthorizerEvent = APIGatewayRequestAuthorizerEventV2;

export type AuthorizerEventKind = 'rest' | 'http-api';

export interface EventProblem {
  readonly code: Exclude<AuthorizerErrorCode, 'VERIFY_REQUIRED' | 'NO_DECISION'>;
  readonly message: string;
}

export type AuthorizerRead = { readonly kind: AuthorizerEventKind; readonly facts: RequestFacts } | { readonly problem: EventProblem };

type Obj = Record<string, unknown>;
const isObject = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);


const TOKEN_AUTHORIZER =
  'a TOKEN authorizer event: it carries the token and the method ARN only, never the route, so no policy decision can be made for it. ' +
  `Configure a REQUEST authorizer with the identity sources ${SAFE_IDENTITY_SOURCES.rest.join(', ')} (see claimguard's docs/authorizer.md)`;

/** `arn:{partition}:execute-api:{region}:{account}:{api-id}/{stage}/{method}/{path}`: what the policy's one statement names. */
// No IAM wildcard (`*`, `?`) before the path: an Allow on such a resource would cover other APIs,
// stages or methods. The path may hold one (a request path can), which widens nothing that is
// reused: only a route with a path parameter or a greedy path matches such a path, and for those
// the longest safe TTL is 0 (docs/authorizer.md), so the answer serves this request only.
const METHOD_ARN = /^arn:[a-z-]+:execute-api:[^:/*?]*:[^:/*?]*:[^/*?]+\/[^/*?]+\/[^/*?]+(?:\/|$)/;

const problem = (code: EventProblem['code'], message: string): AuthorizerRead => ({ problem: { code, message } });

/** The facts of an authorizer's request, spelled out (a spread takes V8's slow path). */
function authorizerFacts(f: RequestFacts): RequestFacts {
  return {
    payload: f.payload,
    source: 'authorizer',
    method: f.method,
    routeKey: f.routeKey,
    path: f.path,
    pathParameters: f.pathParameters,
    authorization: f.authorization,
    // An authorizer event has no authorizer claims; were any there, they would not be trusted.
    claims: null,
    inconsistent: f.inconsistent,
    anyRouteKey: f.anyRouteKey,
  };
}

function fromRest(event: Obj, options: EventOptions): AuthorizerRead {
  if (event.version !== undefined && event.version !== '1.0') {
    return problem('EVENT_UNSUPPORTED', `authorizer payload version ${JSON.stringify(event.version)}: claimguard/authorizer reads REST REQUEST events, payload 1.0 and 2.0`);
  }
  if (typeof event.methodArn !== 'string' || !METHOD_ARN.test(event.methodArn)) {
    return problem('EVENT_UNSUPPORTED', 'a REQUEST authorizer event without an execute-api methodArn');
  }
  const facts = readEvent(event, options);
  if ('unsupported' in facts) return problem('EVENT_UNSUPPORTED', `REST REQUEST authorizer event: ${facts.unsupported}`);
  return { kind: 'rest', facts: authorizerFacts(facts) };
}

function fromHttpApi(event: Obj, options: EventOptions): AuthorizerRead {
  if (typeof event.routeKey !== 'string') return problem('EVENT_UNSUPPORTED', 'HTTP API authorizer event without a routeKey');
  const facts: EventFacts = readEvent(event, options);
  if ('unsupported' in facts) return problem('EVENT_UNSUPPORTED', `HTTP API authorizer event: ${facts.unsupported}`);
  // readEvent gives a payload 2.0 event a routeKey exactly when API Gateway routed it (source
  // 'api-gateway'); a Function URL's, which nothing routed, has none. One test says both.
  if (facts.routeKey === null) return problem('EVENT_UNSUPPORTED', 'HTTP API authorizer event that API Gateway did not route');
  // API Gateway caches an HTTP API authorizer's answer under the values of its identity sources,
  // and the event lists those values: when they lack the route or the caller's Authorization
  // header, one answer could be served for another route or caller.
  const sources = event.identitySource;
  const values: readonly unknown[] = Array.isArray(sources) ? sources : [];
  if (!values.includes(facts.routeKey)) {
    return problem(
      'IDENTITY_SOURCE_UNSAFE',
      `the authorizer's identity sources do not include $context.routeKey (values: ${values.length}), so API Gateway may serve one route's cached answer for another; set them to ${SAFE_IDENTITY_SOURCES.httpApi.join(', ')}`,
    );
  }
  if (facts.authorization.length === 1 && !values.includes(facts.authorization[0])) {
    return problem(
      'IDENTITY_SOURCE_UNSAFE',
      `the authorizer's identity sources do not include $request.header.Authorization, so API Gateway may serve one caller's cached answer to another; set them to ${SAFE_IDENTITY_SOURCES.httpApi.join(', ')}`,
    );
  }
  return { kind: 'http-api', facts: authorizerFacts(facts) };
}

/** Which authorizer event this is and what it asks, or why claimguard cannot decide for it. */
export function readAuthorizerEvent(event: unknown, options: EventOptions): AuthorizerRead {
  if (!isObject(event)) return problem('EVENT_UNSUPPORTED', 'the event is not an object');
  if (event.type === 'TOKEN') return problem('TOKEN_AUTHORIZER', TOKEN_AUTHORIZER);
  if (event.type !== 'REQUEST') {
    return problem('EVENT_UNSUPPORTED', `not an API Gateway Lambda authorizer event (type ${JSON.stringify(event.type)}): claimguard/authorizer decides REST REQUEST and HTTP API payload 2.0 authorizer events`);
  }
  return event.version === '2.0' ? fromHttpApi(event, options) : fromRest(event, options);
}

/** The pipeline's reader: the facts, or why not (the front learns the code from readAuthorizerEvent again). */
export function readAuthorizerFacts(event: unknown, options: EventOptions): EventFacts {
  const read = readAuthorizerEvent(event, options);
  return 'problem' in read ? { unsupported: read.problem.message } : read.facts;
}
