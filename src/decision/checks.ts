// One function per requirement kind (docs/policy-language.md). Each returns every outcome, pass or fail, so the
// same code serves decisions, `explain` and coverage. Reasons follow SuperTokens' validator shapes.
import type {
  AnyOfCheck,
  AudienceCheck,
  Check,
  ClaimCheck,
  EmailVerifiedCheck,
  IssuerCheck,
  JsonValue,
  ListClaimCheck,
  MfaCheck,
  SubjectCheck,
  TenantCheck,
} from '../policy/ir.js';
import { isMissing, isObject, own, type JsonObject } from './input.js';
import { jsonEquals } from './json-equals.js';
import { pathParam } from './route-select.js';
import type { Reason, ReasonCode, ReasonDetail } from './types.js';
import { CLAIM_INVALID, KIND_CODES, MESSAGES, mfaFactorMissingMessage, mfaNoneCompleteMessage } from './vocabulary.js';

export interface CheckContext {
  readonly token: JsonObject;
  readonly params: JsonObject;
  /** Epoch milliseconds. */
  readonly now: number;
}

export interface CheckOutcome {
  readonly check: Check;
  readonly pass: boolean;
  /** Empty when pass. */
  readonly reasons: readonly Reason[];
  /** The claim value the check looked at (undefined when absent), for explain. */
  readonly seen: unknown;
  /** anyOf only: every branch's outcomes, all evaluated (no short-circuit) so coverage sees each. */
  readonly branches?: readonly (readonly CheckOutcome[])[];
}

type Failure = { readonly code: ReasonCode; readonly reason: ReasonDetail };

const fail = (code: ReasonCode, reason: ReasonDetail): Failure => ({ code, reason });

/** `actualValue` is omitted when undefined, as JSON.stringify would. */
const withActual = (detail: Record<string, unknown>, actual: unknown): ReasonDetail =>
  (actual === undefined ? detail : { ...detail, actualValue: actual }) as ReasonDetail;

const wrongType = (expectedType: string, actual: unknown): Failure =>
  fail(CLAIM_INVALID, withActual({ message: MESSAGES.wrongType, expectedType }, actual));

const isStringArray = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');

/** Age check on a `{ v, t }` claim; `t` in ms. Passes when `now - t <= maxAge * 1000` (NaN fails). */
function checkAge(claim: JsonObject, maxAge: number | null, now: number, expiredCode: ReasonCode): Failure | null {
  if (maxAge === null) return null;
  const t = own(claim, 't');
  if (typeof t !== 'number') return wrongType('number', t === null ? undefined : t);
  const age = now - t;
  // A non-finite time (only raw JSON text like 1e400 can carry one) is never fresh.
  if (Number.isFinite(age) && age <= maxAge * 1000) return null;
  return fail(expiredCode, { message: MESSAGES.expired, ageInSeconds: age / 1000, maxAgeInSeconds: maxAge });
}

function emailVerified(c: EmailVerifiedCheck, x: CheckContext, claim: unknown): Failure | null {
  const codes = KIND_CODES.emailVerified;
  const missing = fail(codes.mismatch, { message: MESSAGES.missing, expectedValue: true });
  if (isMissing(claim)) return missing;
  if (!isObject(claim)) return wrongType('object', claim);
  const v = own(claim, 'v');
  if (isMissing(v)) return missing;
  if (typeof v !== 'boolean') return wrongType('boolean', v);
  const expired = checkAge(claim, c.maxAgeSeconds, x.now, codes.expired);
  if (expired) return expired;
  return v ? null : fail(codes.mismatch, { message: MESSAGES.wrongValue, expectedValue: true, actualValue: v });
}

function listClaim(c: ListClaimCheck, x: CheckContext, claim: unknown): Failure | null {
  const codes = KIND_CODES[c.kind];
  // SuperTokens names the expectation of the validator that failed; for a missing claim, the first one set.
  const expectation: Record<string, readonly string[]> =
    c.anyOf !== null
      ? { expectedToIncludeAtLeastOneOf: c.anyOf }
      : c.allOf !== null
        ? { expectedToInclude: c.allOf }
        : { expectedToNotInclude: c.noneOf ?? [] };
  const missing = fail(codes.missing, { message: MESSAGES.missing, ...expectation } as ReasonDetail);
  if (isMissing(claim)) return missing;
  if (!isObject(claim)) return wrongType('object', claim);
  const v = own(claim, 'v');
  if (isMissing(v)) return missing;
  if (!isStringArray(v)) return wrongType('string[]', v);
  const expired = checkAge(claim, c.maxAgeSeconds, x.now, codes.expired);
  if (expired) return expired;
  if (c.anyOf !== null && !c.anyOf.some((r) => v.includes(r))) {
    return fail(codes.missing, { message: MESSAGES.wrongValue, expectedToIncludeAtLeastOneOf: c.anyOf, actualValue: v });
  }
  if (c.allOf !== null && !c.allOf.every((r) => v.includes(r))) {
    return fail(codes.missing, { message: MESSAGES.wrongValue, expectedToInclude: c.allOf, actualValue: v });
  }
  if (c.noneOf !== null && c.noneOf.some((r) => v.includes(r))) {
    return fail(codes.forbidden, { message: MESSAGES.wrongValue, expectedToNotInclude: c.noneOf, actualValue: v });
  }
  return null;
}

function mfa(c: MfaCheck, x: CheckContext, claim: unknown): Failure | null {
  const codes = KIND_CODES.mfa;
  const required = fail(codes.required, { message: MESSAGES.mfaRequired });
  if (isMissing(claim)) return required;
  if (!isObject(claim)) return wrongType('object', claim);
  const v = own(claim, 'v');
  if (isMissing(v)) return required;
  if (typeof v !== 'boolean') return wrongType('boolean', v);
  if (!v) return required;
  if (c.factors === null) return null;
  const completed = own(claim, 'c');
  if (!isMissing(completed) && !isObject(completed)) return wrongType('object', completed);
  const factors: JsonObject = isObject(completed) ? completed : {};
  const nowSeconds = x.now / 1000;
  if (c.factors.allOf !== null) {
    for (const f of c.factors.allOf) {
      const at = own(factors, f);
      if (isMissing(at)) {
        return fail(codes.factorMissing, { message: mfaFactorMissingMessage(f), factorId: f });
      }
      if (typeof at !== 'number') return wrongType('number', at);
      const age = nowSeconds - at;
      if (c.maxAgeSeconds !== null && !(Number.isFinite(age) && age <= c.maxAgeSeconds)) {
        return fail(codes.factorExpired, {
          message: MESSAGES.expired,
          factorId: f,
          ageInSeconds: age,
          maxAgeInSeconds: c.maxAgeSeconds,
        });
      }
    }
    return null;
  }
  const oneOf = c.factors.anyOf ?? [];
  const fresh = (f: string): boolean => {
    const at = own(factors, f);
    if (typeof at !== 'number') return false;
    const age = nowSeconds - at;
    return c.maxAgeSeconds === null || (Number.isFinite(age) && age <= c.maxAgeSeconds);
  };
  if (oneOf.some(fresh)) return null;
  return fail(codes.factorMissing, { message: mfaNoneCompleteMessage(oneOf), oneOf });
}

/** A string claim that must equal a path parameter (`tenant`/`subject` with `equalsPathParam`). */
function equalsParam(code: ReasonCode, name: string, x: CheckContext, claim: unknown): Failure | null {
  const expected = pathParam(x.params, name);
  if (expected === undefined) return fail(code, { message: MESSAGES.noPathParameter, pathParameter: name });
  if (isMissing(claim)) return fail(code, { message: MESSAGES.missing, expectedValue: expected });
  if (typeof claim !== 'string') return wrongType('string', claim);
  if (claim === expected) return null;
  return fail(code, { message: MESSAGES.wrongValue, expectedValue: expected, actualValue: claim });
}

function tenant(c: TenantCheck, x: CheckContext, claim: unknown): Failure | null {
  const code = KIND_CODES.tenant.mismatch;
  if (c.equalsPathParam !== null) return equalsParam(code, c.equalsPathParam, x, claim);
  const oneOf = c.anyOf ?? [];
  if (isMissing(claim)) return fail(code, { message: MESSAGES.missing, expectedOneOf: oneOf });
  if (typeof claim !== 'string') return wrongType('string', claim);
  if (oneOf.includes(claim)) return null;
  return fail(code, { message: MESSAGES.wrongValue, expectedOneOf: oneOf, actualValue: claim });
}

function subject(c: SubjectCheck, x: CheckContext, claim: unknown): Failure | null {
  return equalsParam(KIND_CODES.subject.mismatch, c.equalsPathParam, x, claim);
}

function audience(c: AudienceCheck, claim: unknown): Failure | null {
  const code = KIND_CODES.audience.mismatch;
  const expected = { expectedToIncludeAtLeastOneOf: c.anyOf };
  if (isMissing(claim)) return fail(code, { message: MESSAGES.missing, ...expected });
  const list = typeof claim === 'string' ? [claim] : claim;
  if (!isStringArray(list)) return wrongType('string | string[]', claim);
  if (c.anyOf.some((a) => list.includes(a))) return null;
  return fail(code, { message: MESSAGES.wrongValue, ...expected, actualValue: claim as JsonValue });
}

function issuer(c: IssuerCheck, claim: unknown): Failure | null {
  const code = KIND_CODES.issuer.mismatch;
  if (isMissing(claim)) return fail(code, { message: MESSAGES.missing, expectedValue: c.equals });
  if (typeof claim !== 'string') return wrongType('string', claim);
  if (claim === c.equals) return null;
  return fail(code, { message: MESSAGES.wrongValue, expectedValue: c.equals, actualValue: claim });
}

function customClaim(c: ClaimCheck, claim: unknown): Failure | null {
  const code = KIND_CODES.claim.mismatch;
  switch (c.op) {
    case 'exists':
      return isMissing(claim) ? fail(code, { message: MESSAGES.missing }) : null;
    case 'equals':
      if (isMissing(claim)) return fail(code, { message: MESSAGES.missing, expectedValue: c.value });
      if (jsonEquals(claim, c.value)) return null;
      return fail(code, withActual({ message: MESSAGES.wrongValue, expectedValue: c.value }, claim));
    case 'anyOf':
      if (isMissing(claim)) return fail(code, { message: MESSAGES.missing, expectedOneOf: c.values });
      if (c.values.some((v) => jsonEquals(claim, v))) return null;
      return fail(code, withActual({ message: MESSAGES.wrongValue, expectedOneOf: c.values }, claim));
  }
}

function leaf(check: Exclude<Check, AnyOfCheck>, x: CheckContext, claim: unknown): Failure | null {
  switch (check.kind) {
    case 'audience':
      return audience(check, claim);
    case 'issuer':
      return issuer(check, claim);
    case 'emailVerified':
      return emailVerified(check, x, claim);
    case 'roles':
    case 'permissions':
      return listClaim(check, x, claim);
    case 'mfa':
      return mfa(check, x, claim);
    case 'tenant':
      return tenant(check, x, claim);
    case 'subject':
      return subject(check, x, claim);
    case 'claim':
      return customClaim(check, claim);
  }
}

export function evaluateCheck(check: Check, x: CheckContext): CheckOutcome {
  if (check.kind === 'anyOf') {
    const branches = check.branches.map((b) => evaluateChecks(b, x));
    const pass = branches.some((b) => b.every((o) => o.pass));
    const reasons = pass ? [] : branches.flatMap((b) => b.flatMap((o) => o.reasons));
    return { check, pass, reasons, seen: undefined, branches };
  }
  const claim = own(x.token, check.id);
  const failure = leaf(check, x, claim);
  const reasons = failure ? [{ id: check.id, code: failure.code, reason: failure.reason }] : [];
  return { check, pass: failure === null, reasons, seen: claim };
}

export function evaluateChecks(checks: readonly Check[], x: CheckContext): CheckOutcome[] {
  return checks.map((c) => evaluateCheck(c, x));
}
