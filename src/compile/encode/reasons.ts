// Every reason a check can report, precomputed as JSON text at compile time. Each function mirrors
// one branch of src/decision/checks.ts and lists the reason's properties in the reference's order,
// with a hole where the reference puts a value only known per request (the claim seen, a computed
// age, a path parameter). A reason becomes a template: interned fragments
//   {"id":…   ,"code":…,"reason":{"message":   "…"   ,"expectedToInclude":[…]   ,"actualValue":  <hole>   }}
// so that equal fragments are stored once across checks and routes, and the module copies the
// fragments and writes only the holes. The concatenation is exactly JSON.stringify's text of the
// reference's reason object (the check rows in test/compile/decide.table.test.ts compare text).
import type {
  AudienceCheck,
  EmailVerifiedCheck,
  IssuerCheck,
  JsonValue,
  ListClaimCheck,
  MfaCheck,
} from '../../policy/ir.js';
import type { ReasonCode } from '../../decision/types.js';

/** What the module writes into a hole. */
export type Hole =
  | { readonly hole: 'value' } // the claim (or part of it) as seen in the input, as JSON
  | { readonly hole: 'number' } // a computed age, JSON number (non-finite → null)
  | { readonly hole: 'param' } // the path parameter's value, as a JSON string
  | { readonly hole: 'route' }; // the matched route key, as a JSON string

export const VALUE: Hole = { hole: 'value' };
export const NUMBER: Hole = { hole: 'number' };
export const PARAM: Hole = { hole: 'param' };
export const ROUTE: Hole = { hole: 'route' };

const HOLES: ReadonlySet<unknown> = new Set([VALUE, NUMBER, PARAM, ROUTE]);
/** By identity: a policy value shaped like `{ hole: 'value' }` is data, not a hole. */
export const isHole = (x: unknown): x is Hole => HOLES.has(x);

export type Piece = string | Hole;
export type Template = readonly Piece[];

const J = (x: unknown): string => JSON.stringify(x);

/** `{ id, code, reason: { message, ...props } }` as fragments; a hole value leaves `,"key":` before it. */
export function reason(
  id: string,
  code: ReasonCode | 'INPUT_INVALID' | 'PATH_REJECTED' | 'ROUTE_NOT_IN_POLICY' | 'TOKEN_MISSING',
  message: string,
  props: readonly (readonly [string, JsonValue | Hole])[] = [],
): Piece[] {
  // Split where sharing pays: ids, code heads and messages each recur across many reasons.
  const out: Piece[] = [`{"id":${J(id)}`, `,"code":${J(code)},"reason":{"message":`, J(message)];
  for (const [k, v] of props) {
    if (isHole(v)) out.push(`,${J(k)}:`, v);
    else out.push(`,${J(k)}:${J(v)}`);
  }
  out.push('}}');
  return out;
}

/** `wrongType` in checks.ts; `withActual: false` is the `t === null ? undefined : t` branch. */
export const wrongType = (id: string, expectedType: string, withActual = true): Piece[] =>
  reason(id, 'CLAIM_INVALID', 'wrong value type', withActual ? [['expectedType', expectedType], ['actualValue', VALUE]] : [['expectedType', expectedType]]);

export const audienceReasons = (c: AudienceCheck) => ({
  missing: reason(c.id, 'AUDIENCE_MISMATCH', 'value does not exist', [['expectedToIncludeAtLeastOneOf', c.anyOf]]),
  wrongType: wrongType(c.id, 'string | string[]'),
  wrongValue: reason(c.id, 'AUDIENCE_MISMATCH', 'wrong value', [
    ['expectedToIncludeAtLeastOneOf', c.anyOf],
    ['actualValue', VALUE],
  ]),
});

export const issuerReasons = (c: IssuerCheck) => ({
  missing: reason(c.id, 'ISSUER_MISMATCH', 'value does not exist', [['expectedValue', c.equals]]),
  wrongType: wrongType(c.id, 'string'),
  wrongValue: reason(c.id, 'ISSUER_MISMATCH', 'wrong value', [
    ['expectedValue', c.equals],
    ['actualValue', VALUE],
  ]),
});

const expired = (id: string, code: ReasonCode, maxAge: number | null): Piece[] | null =>
  maxAge === null
    ? null
    : reason(id, code, 'expired', [
        ['ageInSeconds', NUMBER],
        ['maxAgeInSeconds', maxAge],
      ]);

export const emailReasons = (c: EmailVerifiedCheck) => ({
  missing: reason(c.id, 'EMAIL_NOT_VERIFIED', 'value does not exist', [['expectedValue', true]]),
  wtObject: wrongType(c.id, 'object'),
  wtValue: wrongType(c.id, 'boolean'),
  wtTimeNone: wrongType(c.id, 'number', false),
  wtTime: wrongType(c.id, 'number'),
  expired: expired(c.id, 'EMAIL_VERIFICATION_EXPIRED', c.maxAgeSeconds),
  wrongValue: reason(c.id, 'EMAIL_NOT_VERIFIED', 'wrong value', [
    ['expectedValue', true],
    ['actualValue', false],
  ]),
});

const LIST_CODES = {
  roles: { missing: 'ROLES_MISSING', forbidden: 'ROLE_FORBIDDEN', expired: 'ROLES_EXPIRED' },
  permissions: { missing: 'PERMISSIONS_MISSING', forbidden: 'PERMISSION_FORBIDDEN', expired: 'PERMISSIONS_EXPIRED' },
} as const;

export function listReasons(c: ListClaimCheck) {
  const codes = LIST_CODES[c.kind];
  // SuperTokens names the expectation of the validator that failed; for a missing claim, the first one set.
  const expectation: readonly [string, JsonValue] =
    c.anyOf !== null
      ? ['expectedToIncludeAtLeastOneOf', c.anyOf]
      : c.allOf !== null
        ? ['expectedToInclude', c.allOf]
        : ['expectedToNotInclude', c.noneOf ?? []];
  const wrong = (code: ReasonCode, key: string, list: readonly string[] | null): Piece[] | null =>
    list === null
      ? null
      : reason(c.id, code, 'wrong value', [
          [key, list],
          ['actualValue', VALUE],
        ]);
  return {
    missing: reason(c.id, codes.missing, 'value does not exist', [expectation]),
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
    required: reason(c.id, 'MFA_REQUIRED', 'MFA requirement for auth is not satisfied'),
    wtObject: wrongType(c.id, 'object'),
    wtBoolean: wrongType(c.id, 'boolean'),
    wtNumber: wrongType(c.id, 'number'),
    noneFresh: reason(c.id, 'MFA_FACTOR_MISSING', `None of these factors are complete in the session: ${oneOf.join(', ')}`, [
      ['oneOf', oneOf],
    ]),
    factorMissing: (f: string) =>
      reason(c.id, 'MFA_FACTOR_MISSING', `Factor validation failed: ${f} not completed`, [['factorId', f]]),
    factorExpired: (f: string) =>
      c.maxAgeSeconds === null
        ? null
        : reason(c.id, 'MFA_FACTOR_EXPIRED', 'expired', [
            ['factorId', f],
            ['ageInSeconds', NUMBER],
            ['maxAgeInSeconds', c.maxAgeSeconds],
          ]),
  };
}

export const tenantOneOfReasons = (id: string, oneOf: readonly string[]) => ({
  missing: reason(id, 'TENANT_MISMATCH', 'value does not exist', [['expectedOneOf', oneOf]]),
  wrongType: wrongType(id, 'string'),
  wrongValue: reason(id, 'TENANT_MISMATCH', 'wrong value', [
    ['expectedOneOf', oneOf],
    ['actualValue', VALUE],
  ]),
});

/** `equalsParam` in checks.ts. */
export const equalsParamReasons = (id: string, code: ReasonCode, name: string) => ({
  noParam: reason(id, code, 'path parameter does not exist', [['pathParameter', name]]),
  missing: reason(id, code, 'value does not exist', [['expectedValue', PARAM]]),
  wrongType: wrongType(id, 'string'),
  wrongValue: reason(id, code, 'wrong value', [
    ['expectedValue', PARAM],
    ['actualValue', VALUE],
  ]),
});

export const claimExistsReasons = (id: string) => ({
  missing: reason(id, 'CLAIM_MISMATCH', 'value does not exist'),
});

export const claimEqualsReasons = (id: string, value: JsonValue) => ({
  missing: reason(id, 'CLAIM_MISMATCH', 'value does not exist', [['expectedValue', value]]),
  wrongValue: reason(id, 'CLAIM_MISMATCH', 'wrong value', [
    ['expectedValue', value],
    ['actualValue', VALUE],
  ]),
});

export const claimAnyOfReasons = (id: string, values: readonly JsonValue[]) => ({
  missing: reason(id, 'CLAIM_MISMATCH', 'value does not exist', [['expectedOneOf', values]]),
  wrongValue: reason(id, 'CLAIM_MISMATCH', 'wrong value', [
    ['expectedOneOf', values],
    ['actualValue', VALUE],
  ]),
});

// Whole decisions (evaluate.ts). `reasons` stays open after REASONS_HEAD: the module appends the
// failed checks' reasons, comma-separated, then DECISION_TAIL.
const DENY_NO_ROUTE = '{"allow":false,"status":403,"route":null,"reasons":[';
const TAIL = ']}';
const fixedDeny = (r: Piece[]): Piece[] => [DENY_NO_ROUTE, ...r, TAIL];
const invalid = (message: string): Piece[] => fixedDeny(reason('input', 'INPUT_INVALID', message));

/** Templates of the table's fixed constants (format.ts CONSTS), in that order's names. */
export const DECISION_TEMPLATES = {
  INPUT_NOT_OBJECT: invalid('input must be an object'),
  REQUEST_NOT_OBJECT: invalid('input.request must be an object'),
  METHOD_NOT_STRING: invalid('input.request.method must be a string'),
  PATH_NOT_STRING: invalid('input.request.path must be a string'),
  ROUTE_KEY_NOT_STRING: invalid('input.request.routeKey must be a string'),
  PATH_PARAMETERS_NOT_OBJECT: invalid('input.request.pathParameters must be an object'),
  TOKEN_NOT_OBJECT: invalid('input.token must be an object or null'),
  NOW_NOT_NUMBER: invalid('input.now must be a finite number'),
  PATH_REJECTED: fixedDeny(reason('request.path', 'PATH_REJECTED', 'path is not in canonical form')),
  ROUTE_NOT_IN_POLICY: fixedDeny(reason('request', 'ROUTE_NOT_IN_POLICY', 'no policy route matches the request')),
  ROUTE_MISMATCH: fixedDeny(reason('request', 'ROUTE_MISMATCH', 'the request does not match the route API Gateway dispatched')),
  // A decision with a route: head, then (only when finer routes applied) `,"finerRoutes":[…]`
  // written by the module, then a tail.
  HEAD_ALLOW: ['{"allow":true,"status":200,"route":', ROUTE],
  HEAD_DENY: ['{"allow":false,"status":403,"route":', ROUTE],
  HEAD_UNAUTHORIZED: ['{"allow":false,"status":401,"route":', ROUTE],
  FINER_HEAD: [',"finerRoutes":['],
  TAIL_ALLOW: [',"reasons":[]}'],
  REASONS_HEAD: [',"reasons":['],
  DECISION_TAIL: [TAIL],
  TAIL_TOKEN_MISSING: [',"reasons":[', ...reason('token', 'TOKEN_MISSING', 'token missing'), TAIL],
} as const satisfies Record<string, Template>;
