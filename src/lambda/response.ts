// The answers claimguard gives itself, shaped like SuperTokens' backend SDK answers so its frontend
// SDKs react to them as they do to their own (sign-in on 401, claim handling on 403).
import type { Decision } from '../decision/types.js';

/** A structured response valid for payload 2.0 and 1.0 alike. */
export interface ClaimguardResponse {
  readonly statusCode: 401 | 403 | 500;
  readonly headers: { 'content-type': 'application/json' };
  readonly body: string;
}

const UNAUTHORISED = '{"message":"unauthorised"}';
const INTERNAL = '{"message":"internal error"}';

const json = (statusCode: ClaimguardResponse['statusCode'], body: string): ClaimguardResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body,
});

export const unauthorised = (): ClaimguardResponse => json(401, UNAUTHORISED);

/** Never says why: the reason is in the decision log, not in the answer. */
export const internalError = (): ClaimguardResponse => json(500, INTERNAL);

/** The answer for a deny decision: 401 `unauthorised`, or 403 `invalid claim` with the reasons. */
export function denyResponse(decision: Decision): ClaimguardResponse {
  if (decision.status === 401) return unauthorised();
  const claimValidationErrors = decision.reasons.map((r) => ({ id: r.id, reason: r.reason }));
  return json(403, JSON.stringify({ message: 'invalid claim', claimValidationErrors }));
}
