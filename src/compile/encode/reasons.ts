// Every reason a check can report, precomputed as JSON text at compile time. Each function mirrors
// one branch of src/decision/checks.ts and builds the very object the reference builds, with HOLE
// standing where the reference puts a value only known per request (the claim seen, a computed age,
// a path parameter). The text is then split at the holes: the module copies the pieces and writes
// only the holes, so key order and escaping are JSON.stringify's by construction.
import type {
  AudienceCheck,
  EmailVerifiedCheck,
  IssuerCheck,
  JsonValue,
  ListClaimCheck,
  MfaCheck,
} from '../../policy/ir.js';
import type { ReasonCode } from '../../decision/types.js';

/** A placeholder no policy text can produce by accident (lone surrogates are escaped by JSON.stringify). */
export const HOLE = '\udfff\u0000claimguard:hole\u0000\ud800';
const HOLE_TEXT = JSON.stringify(HOLE);

/** JSON text of `x` split at its holes; throws unless there are exactly `holes` of them. */
export function split(x: unknown, holes: number): string[] {
  const parts = JSON.stringify(x).split(HOLE_TEXT);
  if (parts.length !== holes + 1) {
    throw new Error(`internal: expected ${holes} hole(s) in ${JSON.stringify(x)}, found ${parts.length - 1}`);
  }
  return parts;
}

/** One reason `{id, code, reason}` split at its holes. */
export const reason = (id: string, code: ReasonCode, detail: Record<string, unknown>, holes = 0): string[] =>
  split({ id, code, reason: detail }, holes);

/** `wrongType` in checks.ts; `withActual: false` is the `t === null ? undefined : t` branch. */
export const wrongType = (id: string, expectedType: string, withActual = true): string[] =>
  withActual
    ? reason(id, 'CLAIM_INVALID', { message: 'wrong value type', expectedType, actualValue: HOLE }, 1)
    : reason(id, 'CLAIM_INVALID', { message: 'wrong value type', expectedType });

export const audienceReasons = (c: AudienceCheck) => ({
  missing: reason(c.id, 'AUDIENCE_MISMATCH', { message: 'value does not exist', expectedToIncludeAtLeastOneOf: c.anyOf }),
  wrongType: wrongType(c.id, 'string | string[]'),
  wrongValue: reason(
    c.id,
    'AUDIENCE_MISMATCH',
    { message: 'wrong value', expectedToIncludeAtLeastOneOf: c.anyOf, actualValue: HOLE },
    1,
  ),
});

export const issuerReasons = (c: IssuerCheck) => ({
  missing: reason(c.id, 'ISSUER_MISMATCH', { message: 'value does not exist', expectedValue: c.equals }),
  wrongType: wrongType(c.id, 'string'),
  wrongValue: reason(c.id, 'ISSUER_MISMATCH', { message: 'wrong value', expectedValue: c.equals, actualValue: HOLE }, 1),
});

const expired = (id: string, code: ReasonCode, maxAge: number | null): string[] | null =>
  maxAge === null ? null : reason(id, code, { message: 'expired', ageInSeconds: HOLE, maxAgeInSeconds: maxAge }, 1);

export const emailReasons = (c: EmailVerifiedCheck) => ({
  missing: reason(c.id, 'EMAIL_NOT_VERIFIED', { message: 'value does not exist', expectedValue: true }),
  wtObject: wrongType(c.id, 'object'),
  wtValue: wrongType(c.id, 'boolean'),
  wtTimeNone: wrongType(c.id, 'number', false),
  wtTime: wrongType(c.id, 'number'),
  expired: expired(c.id, 'EMAIL_VERIFICATION_EXPIRED', c.maxAgeSeconds),
  wrongValue: reason(c.id, 'EMAIL_NOT_VERIFIED', { message: 'wrong value', expectedValue: true, actualValue: false }),
});

const LIST_CODES = {
  roles: { missing: 'ROLES_MISSING', forbidden: 'ROLE_FORBIDDEN', expired: 'ROLES_EXPIRED' },
  permissions: { missing: 'PERMISSIONS_MISSING', forbidden: 'PERMISSION_FORBIDDEN', expired: 'PERMISSIONS_EXPIRED' },
} as const;

export function listReasons(c: ListClaimCheck) {
  const codes = LIST_CODES[c.kind];
  const expectation: Record<string, readonly string[]> =
    c.anyOf !== null
      ? { expectedToIncludeAtLeastOneOf: c.anyOf }
      : c.allOf !== null
        ? { expectedToInclude: c.allOf }
        : { expectedToNotInclude: c.noneOf ?? [] };
  const wrong = (code: ReasonCode, key: string, list: readonly string[] | null): string[] | null =>
    list === null ? null : reason(c.id, code, { message: 'wrong value', [key]: list, actualValue: HOLE }, 1);
  return {
    missing: reason(c.id, codes.missing, { message: 'value does not exist', ...expectation }),
    wtObject: wrongType(c.id, 'object'),
    wtValue: wrongType(c.id, 'string[]'),
    wtTimeNone: wrongType(c.id, 'number', false),
    wtTime: wrongType(c.id, 'number'),
    expired: expired(c.id, codes.expired, c.maxAgeSeconds),
    anyOf: wrong(codes.missing, 'expectedToIncludeAtLeastOneOf', c.anyOf),
    allOf: wrong(codes.missing, 'expectedToInclude', c.allOf),
    noneOf: wrong(codes.forbidden, 'expectedToNotInclude', c.noneOf),
  };
}

export function mfaReasons(c: MfaCheck) {
  const oneOf = c.factors?.anyOf ?? [];
  return {
    required: reason(c.id, 'MFA_REQUIRED', { message: 'MFA requirement for auth is not satisfied' }),
    wtObject: wrongType(c.id, 'object'),
    wtBoolean: wrongType(c.id, 'boolean'),
    wtNumber: wrongType(c.id, 'number'),
    noneFresh: reason(c.id, 'MFA_FACTOR_MISSING', {
      message: `None of these factors are complete in the session: ${oneOf.join(', ')}`,
      oneOf,
    }),
    factorMissing: (f: string) =>
      reason(c.id, 'MFA_FACTOR_MISSING', { message: `Factor validation failed: ${f} not completed`, factorId: f }),
    factorExpired: (f: string) =>
      c.maxAgeSeconds === null
        ? null
        : reason(
            c.id,
            'MFA_FACTOR_EXPIRED',
            { message: 'expired', factorId: f, ageInSeconds: HOLE, maxAgeInSeconds: c.maxAgeSeconds },
            1,
          ),
  };
}

export const tenantOneOfReasons = (id: string, oneOf: readonly string[]) => ({
  missing: reason(id, 'TENANT_MISMATCH', { message: 'value does not exist', expectedOneOf: oneOf }),
  wrongType: wrongType(id, 'string'),
  wrongValue: reason(id, 'TENANT_MISMATCH', { message: 'wrong value', expectedOneOf: oneOf, actualValue: HOLE }, 1),
});

/** `equalsParam` in checks.ts: holes are the parameter's value, then the claim seen. */
export const equalsParamReasons = (id: string, code: ReasonCode, name: string) => ({
  noParam: reason(id, code, { message: 'path parameter does not exist', pathParameter: name }),
  missing: reason(id, code, { message: 'value does not exist', expectedValue: HOLE }, 1),
  wrongType: wrongType(id, 'string'),
  wrongValue: reason(id, code, { message: 'wrong value', expectedValue: HOLE, actualValue: HOLE }, 2),
});

export const claimExistsReasons = (id: string) => ({
  missing: reason(id, 'CLAIM_MISMATCH', { message: 'value does not exist' }),
});

export const claimEqualsReasons = (id: string, value: JsonValue) => ({
  missing: reason(id, 'CLAIM_MISMATCH', { message: 'value does not exist', expectedValue: value }),
  wrongValue: reason(id, 'CLAIM_MISMATCH', { message: 'wrong value', expectedValue: value, actualValue: HOLE }, 1),
});

export const claimAnyOfReasons = (id: string, values: readonly JsonValue[]) => ({
  missing: reason(id, 'CLAIM_MISMATCH', { message: 'value does not exist', expectedOneOf: values }),
  wrongValue: reason(id, 'CLAIM_MISMATCH', { message: 'wrong value', expectedOneOf: values, actualValue: HOLE }, 1),
});

const invalid = (message: string): string[] => fixedDeny({ id: 'input', code: 'INPUT_INVALID', reason: { message } });
const fixedDeny = (r: unknown): string[] => split({ allow: false, status: 403, route: null, reasons: [r] }, 0);

/** The table's fixed constants (format.ts CONSTS), each as JSON or raw text. */
export const CONSTANT_TEXT = {
  INPUT_NOT_OBJECT: invalid('input must be an object'),
  REQUEST_NOT_OBJECT: invalid('input.request must be an object'),
  METHOD_NOT_STRING: invalid('input.request.method must be a string'),
  PATH_NOT_STRING: invalid('input.request.path must be a string'),
  ROUTE_KEY_NOT_STRING: invalid('input.request.routeKey must be a string'),
  PATH_PARAMETERS_NOT_OBJECT: invalid('input.request.pathParameters must be an object'),
  TOKEN_NOT_OBJECT: invalid('input.token must be an object or null'),
  NOW_NOT_NUMBER: invalid('input.now must be a number'),
  PATH_REJECTED: fixedDeny({ id: 'request.path', code: 'PATH_REJECTED', reason: { message: 'path is not in canonical form' } }),
  ROUTE_NOT_IN_POLICY: fixedDeny({
    id: 'request',
    code: 'ROUTE_NOT_IN_POLICY',
    reason: { message: 'no policy route matches the request' },
  }),
  ALLOW: split({ allow: true, status: 200, route: HOLE, reasons: [] }, 1),
  DENY: split({ allow: false, status: 403, route: HOLE, reasons: [HOLE] }, 2),
  TOKEN: split(
    {
      allow: false,
      status: 401,
      route: HOLE,
      reasons: [{ id: 'token', code: 'TOKEN_MISSING', reason: { message: 'token missing' } }],
    },
    1,
  ),
} as const;
