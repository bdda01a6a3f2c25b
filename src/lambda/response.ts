// The answers claimguard gives itself, chosen for how SuperTokens' frontend SDKs react to them
// (docs/lambda-events.md, "Statuses"): 401 makes the frontend refresh the session and retry, so it
// is sent only where a fresh token can cure the request; a 403 whose body carries
// `claimValidationErrors` fires the frontend's claim-failure flow (API_INVALID_CLAIM), so only a
// claim that failed is answered that way; a 403 without them, or a 500, reaches the app as it is.
import type { Decision, ReasonCode } from '../decision/types.js';

/** A structured response valid for payload 2.0 and 1.0 alike. */
export interface ClaimguardResponse {
  readonly statusCode: 401 | 403 | 500;
  readonly headers: { 'content-type': 'application/json' };
  readonly body: string;
}

const UNAUTHORISED = '{"message":"unauthorised"}';
const FORBIDDEN = '{"message":"forbidden"}';
const INTERNAL = '{"message":"internal error"}';

const json = (statusCode: ClaimguardResponse['statusCode'], body: string): ClaimguardResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body,
});

/** No token, or one a refresh replaces: SuperTokens' own 401 body. */
export const unauthorised = (): ClaimguardResponse => json(401, UNAUTHORISED);

/** Refused for something other than a claim (no route, refused path, inconsistent event, invalid input). */
export const forbidden = (): ClaimguardResponse => json(403, FORBIDDEN);

/** Never says why: the reason is in the decision log, not in the answer. */
export const internalError = (): ClaimguardResponse => json(500, INTERNAL);

/**
 * Whether a reason is a claim of the token failing a requirement (answered as SuperTokens answers
 * a failed claim validator) or a refusal of the request itself. Spelled out per code, so a new
 * code cannot compile until someone decides which it is.
 */
const CLAIM_REASON: Readonly<Record<ReasonCode, boolean>> = {
  INPUT_INVALID: false,
  PATH_REJECTED: false,
  ROUTE_NOT_IN_POLICY: false,
  ROUTE_MISMATCH: false,
  TOKEN_MISSING: false,
  CLAIM_INVALID: true,
  AUDIENCE_MISMATCH: true,
  ISSUER_MISMATCH: true,
  EMAIL_NOT_VERIFIED: true,
  EMAIL_VERIFICATION_EXPIRED: true,
  ROLES_MISSING: true,
  ROLE_FORBIDDEN: true,
  ROLES_EXPIRED: true,
  PERMISSIONS_MISSING: true,
  PERMISSION_FORBIDDEN: true,
  PERMISSIONS_EXPIRED: true,
  MFA_REQUIRED: true,
  MFA_FACTOR_MISSING: true,
  MFA_FACTOR_EXPIRED: true,
  TENANT_MISMATCH: true,
  SUBJECT_MISMATCH: true,
  CLAIM_MISMATCH: true,
};

const isClaimReason = (code: ReasonCode): boolean => CLAIM_REASON[code] === true;

/**
 * The answer for a deny decision: 401 `unauthorised` (no token on a protected route); 403
 * `invalid claim` with the reasons, byte for byte what supertokens-node sends, when every reason
 * is a failed claim; 403 `forbidden` otherwise.
 */
export function denyResponse(decision: Decision): ClaimguardResponse {
  if (decision.status === 401) return unauthorised();
  const reasons = decision.reasons;
  if (reasons.length === 0 || !reasons.every((r) => isClaimReason(r.code))) return forbidden();
  const claimValidationErrors = reasons.map((r) => ({ id: r.id, reason: r.reason }));
  return json(403, JSON.stringify({ message: 'invalid claim', claimValidationErrors }));
}
