// The words a decision is written in: reason codes, reason messages, and which codes each
// requirement kind reports. Data only. The reference evaluator (checks.ts, input.ts, evaluate.ts)
// and the encoder of the compiled policy (src/compile/encode) both read their texts and codes
// from here, so a message or a code cannot drift between them; each still keeps its own logic
// for *when* a reason applies, which is what the differential tests compare.
// The HTTP method list is the policy language's: HTTP_METHODS in src/policy/ir.ts.
import type { Check } from '../policy/ir.js';

/** Stable reason codes, the closed set. Callers switch on these; never rename one. */
export const REASON_CODES = [
  'INPUT_INVALID',
  'PATH_REJECTED',
  'ROUTE_NOT_IN_POLICY',
  'ROUTE_MISMATCH',
  'TOKEN_MISSING',
  'CLAIM_INVALID',
  'AUDIENCE_MISMATCH',
  'ISSUER_MISMATCH',
  'EMAIL_NOT_VERIFIED',
  'EMAIL_VERIFICATION_EXPIRED',
  'ROLES_MISSING',
  'ROLE_FORBIDDEN',
  'ROLES_EXPIRED',
  'PERMISSIONS_MISSING',
  'PERMISSION_FORBIDDEN',
  'PERMISSIONS_EXPIRED',
  'MFA_REQUIRED',
  'MFA_FACTOR_MISSING',
  'MFA_FACTOR_EXPIRED',
  'TENANT_MISMATCH',
  'SUBJECT_MISMATCH',
  'CLAIM_MISMATCH',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

/** A requirement kind, as the IR names it (`anyOf` reports its branches' reasons, none of its own). */
export type RequirementKind = Exclude<Check['kind'], 'anyOf'>;

/**
 * The codes each requirement kind reports, by failure. A claim of the wrong JSON type is
 * `CLAIM_INVALID` whatever the kind (CLAIM_INVALID below).
 */
export const KIND_CODES = {
  audience: { mismatch: 'AUDIENCE_MISMATCH' },
  issuer: { mismatch: 'ISSUER_MISMATCH' },
  emailVerified: { mismatch: 'EMAIL_NOT_VERIFIED', expired: 'EMAIL_VERIFICATION_EXPIRED' },
  // list claims: `missing` for absent or short of anyOf/allOf, `forbidden` for a noneOf hit
  roles: { missing: 'ROLES_MISSING', forbidden: 'ROLE_FORBIDDEN', expired: 'ROLES_EXPIRED' },
  permissions: { missing: 'PERMISSIONS_MISSING', forbidden: 'PERMISSION_FORBIDDEN', expired: 'PERMISSIONS_EXPIRED' },
  mfa: { required: 'MFA_REQUIRED', factorMissing: 'MFA_FACTOR_MISSING', factorExpired: 'MFA_FACTOR_EXPIRED' },
  tenant: { mismatch: 'TENANT_MISMATCH' },
  subject: { mismatch: 'SUBJECT_MISMATCH' },
  claim: { mismatch: 'CLAIM_MISMATCH' },
} as const satisfies Record<RequirementKind, Record<string, ReasonCode>>;

export const CLAIM_INVALID = 'CLAIM_INVALID' satisfies ReasonCode;

/** `reason.message` of claim reasons: SuperTokens' claim-validator texts. */
export const MESSAGES = {
  missing: 'value does not exist',
  wrongValue: 'wrong value',
  wrongType: 'wrong value type',
  expired: 'expired',
  noPathParameter: 'path parameter does not exist',
  mfaRequired: 'MFA requirement for auth is not satisfied',
} as const;

/** `allOf` MFA factor not completed (`factorId` beside it). */
export const mfaFactorMissingMessage = (factor: string): string => `Factor validation failed: ${factor} not completed`;

/** `anyOf` MFA factors, none completed in time (`oneOf` beside it). */
export const mfaNoneCompleteMessage = (oneOf: readonly string[]): string =>
  `None of these factors are complete in the session: ${oneOf.join(', ')}`;

/** Reasons a decision gives before any requirement runs: id, code and message. */
export const REQUEST_REASONS = {
  pathRejected: { id: 'request.path', code: 'PATH_REJECTED', message: 'path is not in canonical form' },
  routeNotInPolicy: { id: 'request', code: 'ROUTE_NOT_IN_POLICY', message: 'no policy route matches the request' },
  routeMismatch: { id: 'request', code: 'ROUTE_MISMATCH', message: 'the request does not match the route API Gateway dispatched' },
  tokenMissing: { id: 'token', code: 'TOKEN_MISSING', message: 'token missing' },
} as const satisfies Record<string, { id: string; code: ReasonCode; message: string }>;

/** A refused input document: one reason, id `input`, whose message names the first field of the wrong type. */
export const INPUT_INVALID = {
  id: 'input',
  code: 'INPUT_INVALID',
  // in the order the fields are checked
  messages: {
    input: 'input must be an object',
    request: 'input.request must be an object',
    method: 'input.request.method must be a string',
    path: 'input.request.path must be a string',
    routeKey: 'input.request.routeKey must be a string',
    pathParameters: 'input.request.pathParameters must be an object',
    token: 'input.token must be an object or null',
    now: 'input.now must be a finite number',
  },
} as const satisfies { id: string; code: ReasonCode; messages: Record<string, string> };
