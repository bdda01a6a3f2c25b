// claimguard/lambda: enforce the compiled policy in front of an API Gateway Lambda handler.
//
//   export const handler = withAuthorization(async (event, context, decision) => {
//     return { statusCode: 200, body: JSON.stringify({ user: decision.token?.sub }) };
//   }, { bundle: 'dist/bundle.tar.gz', log: { include: ['sub'] } });
import type { APIGatewayProxyResult, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { createAuthorize, type AuthorizationOptions, type AuthorizedDecision } from './authorize.js';
import type { ApiGatewayEvent } from './event.js';
import type { ClaimguardResponse } from './response.js';

export type { AuthorizationOptions, AuthorizedDecision, AuthorizationOutcome, Authorize } from './authorize.js';
export { createAuthorize, DEFAULT_BUNDLE } from './authorize.js';
export type { ApiGatewayEvent } from './event.js';
export type { DecisionLogEntry, DecisionLogOptions, WrapperCode } from './log.js';
export type { ClaimguardResponse } from './response.js';
export type { TokenErrorCode } from './token.js';
export { KeySetError, type KeySetErrorCode, type VerifyOptions } from './verify.js';
// The loader itself, so handlers can share one bundle (`authorizer`) without importing the compiler.
export { loadBundle, type Authorizer, type LoadBundleOptions } from '../runtime/load-bundle.js';
export { RuntimeError, type RuntimeErrorCode } from '../runtime/errors.js';
export { ClaimguardError } from '../errors.js';
export type { Decision, DecisionInput, Reason, ReasonCode } from '../decision/types.js';

/** A handler that runs only on allow, with the decision (and the token it was made on). */
export type AuthorizedHandler<E extends ApiGatewayEvent, R> = (
  event: E,
  context: Context,
  decision: AuthorizedDecision,
) => R | Promise<R>;

/** The wrapped Lambda handler: the handler's own result on allow, claimguard's answer otherwise. */
export type WrappedHandler<E extends ApiGatewayEvent, R> = (event: E, context: Context) => Promise<R | ClaimguardResponse>;

/**
 * Wraps an API Gateway (payload 2.0 or 1.0) or Lambda Function URL handler: loads the bundle once
 * per cold start, builds the decision input from the event, and calls the handler only on allow.
 * A deny is answered here: 401 `{"message":"unauthorised"}` where a session refresh cures it, 403
 * `{"message":"invalid claim","claimValidationErrors":[…]}` for failed claims, 403
 * `{"message":"forbidden"}` for other refusals. Any fault (unsupported event, a token no authorizer
 * or `verify` checked on a protected route, a Function URL without `verify`, bundle missing or
 * corrupt, evaluation error) is a 500 `{"message":"internal error"}` and the handler is not
 * called. Errors the handler throws propagate. See docs/lambda-events.md.
 */
export function withAuthorization<
  E extends ApiGatewayEvent = ApiGatewayEvent,
  R = APIGatewayProxyResultV2 | APIGatewayProxyResult,
>(handler: AuthorizedHandler<E, R>, options: AuthorizationOptions = {}): WrappedHandler<E, R> {
  const authorize = createAuthorize(options);
  return async (event, context) => {
    let outcome = authorize(event);
    // Stryker disable next-line ConditionalExpression: awaiting a value gives the same value; awaiting only a promise saves a microtask per request.
    if (outcome instanceof Promise) outcome = await outcome;
    if (!outcome.allow) return outcome.response;
    return handler(event, context, outcome.decision);
  };
}
