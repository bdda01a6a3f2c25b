// What claimguard/authorizer throws besides API Gateway's own `Unauthorized`. Thrown from the
// handler, each one makes API Gateway answer 500 (never an allow); the message names what to fix.
import { ClaimguardError } from '../errors.js';

export type AuthorizerErrorCode =
  /** createAuthorizer without `verify`: no JWT authorizer stands in front, so the token is this function's to check (cold start). */
  | 'VERIFY_REQUIRED'
  /** A TOKEN authorizer event: it carries no method, route or path, so no policy decision can be made. */
  | 'TOKEN_AUTHORIZER'
  /** An HTTP API event whose identity sources lack the route or the Authorization header: a cached result could answer for another route or caller. */
  | 'IDENTITY_SOURCE_UNSAFE'
  /** Not a REST REQUEST or HTTP API (payload 2.0) authorizer event. */
  | 'EVENT_UNSUPPORTED'
  /** Nothing was decided: the bundle did not load, the JWKS could not be fetched, evaluation failed (the decision log says which). */
  | 'NO_DECISION';

export class AuthorizerError extends ClaimguardError<AuthorizerErrorCode> {
  override readonly name = 'AuthorizerError';
}
