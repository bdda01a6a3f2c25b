// Check records: one per requirement of the IR, as the module's checks (policy/checks.ts) read
// them. For each kind: its opcode, the words of its record (W), the reasons it can report
// (templates whose holes the module fills per request) and the function that writes it. The
// reasons list their properties in the reference evaluator's order (src/decision/checks.ts), with
// codes and messages from the shared vocabulary; when each one applies is the module's logic.
// The AssemblyScript constants are generated from OP and W (scripts/gen-runtime-constants.ts).
import type {
  AudienceCheck,
  Check,
  EmailVerifiedCheck,
  IssuerCheck,
  JsonValue,
  ListClaimCheck,
  MfaCheck,
} from '../../policy/ir.js';
import {
  KIND_CODES,
  MESSAGES,
  mfaFactorMissingMessage,
  mfaNoneCompleteMessage,
  type ReasonCode,
} from '../../decision/vocabulary.js';
import { NONE } from './format.js';
import { NUMBER, PARAM, VALUE, reason, wrongType, type Piece, type Template } from './reasons.js';

/** Check opcodes. Word 0 is the op, word 1 the claim key's string id, the rest per op (see W below). */
export const OP = {
  AUDIENCE: 1,
  ISSUER: 2,
  EMAIL: 3,
  LIST: 4,
  MFA: 5,
  TENANT_ONE_OF: 6,
  EQUALS_PARAM: 7,
  CLAIM_EXISTS: 8,
  CLAIM_EQUALS: 9,
  CLAIM_ANY_OF: 10,
  ANY_OF: 11,
} as const;

/**
 * Word indices inside check records. Failure fields (MISSING, WRONG_*, *_F, …) are template offsets
 * (NONE when the failure cannot happen). Max-age records keep `hasMaxAge` at word 2 and the f64 at
 * word 4 (byte 16, 8-aligned).
 */
export const W = {
  OP: 0,
  KEY: 1,
  // AUDIENCE, TENANT_ONE_OF: string list, missing, wrong type (1 hole: actual), wrong value (1 hole: actual)
  LIST: 2,
  MISSING: 3,
  WRONG_TYPE: 4,
  WRONG_VALUE: 5,
  // ISSUER: the expected string's id at 2, then MISSING / WRONG_TYPE / WRONG_VALUE as above
  EQUALS: 2,
  // EMAIL, LIST, MFA: max-age flag at 2, the f64 at words 4-5
  HAS_MAX_AGE: 2,
  MAX_AGE: 4,
  // EMAIL and LIST (`{ v, t }` claims)
  A_MISSING: 6,
  A_WT_OBJECT: 7,
  A_WT_VALUE: 8, // v not boolean (EMAIL) / not string[] (LIST); 1 hole
  A_WT_T_NONE: 9, // t absent or null: no actualValue
  A_WT_T: 10, // t not a number; 1 hole
  A_EXPIRED: 11, // 1 hole: ageInSeconds
  E_WRONG_VALUE: 12, // EMAIL: v === false
  L_ANY: 12, // LIST: string list or NONE, then its failure (1 hole: actual)
  L_ANY_F: 13,
  L_ALL: 14,
  L_ALL_F: 15,
  L_NONE: 16,
  L_NONE_F: 17,
  // MFA
  M_MODE: 3, // MFA_MODE
  M_REQUIRED: 6,
  M_WT_OBJECT: 7, // claim or c not an object; 1 hole
  M_WT_BOOLEAN: 8, // 1 hole
  M_WT_NUMBER: 9, // a factor's time not a number; 1 hole
  M_NONE_FRESH: 10, // anyOf: no factor completed (in time)
  M_FACTOR_COUNT: 11,
  M_FACTORS: 12, // MFA_FACTOR entries × count
  // EQUALS_PARAM: param name, no such param, missing (1 hole: param), wrong type (1 hole), wrong value (holes: param, actual)
  P_NAME: 2,
  P_NO_PARAM: 3,
  P_MISSING: 4,
  P_WRONG_TYPE: 5,
  P_WRONG_VALUE: 6,
  // CLAIM_EXISTS: missing
  X_MISSING: 2,
  // CLAIM_EQUALS: value slot, missing, wrong value (1 hole)
  Q_VALUE: 2,
  Q_MISSING: 3,
  Q_WRONG_VALUE: 4,
  // CLAIM_ANY_OF: missing, wrong value (1 hole), count, value slots
  Y_MISSING: 2,
  Y_WRONG_VALUE: 3,
  Y_COUNT: 4,
  Y_VALUES: 5,
  // ANY_OF: branch count, then program offsets
  B_COUNT: 1,
  B_PROGRAMS: 2,
} as const;

/** MFA records' M_MODE word. */
export const MFA_MODE = { TRUE: 0, ALL_OF: 1, ANY_OF: 2 } as const;
/** An MFA factor entry's words: name, then (allOf only) missing and expired (1 hole: ageInSeconds). */
export const MFA_FACTOR = { NAME: 0, MISSING: 1, EXPIRED: 2 } as const;
export const MFA_FACTOR_WORDS = Object.keys(MFA_FACTOR).length;

/** How a check record reaches the table: the encoder's interning and deduplicated blocks (index.ts). */
export interface RecordWriter {
  /** A string's id. */
  str(s: string): number;
  /** A list of strings' offset; NONE for null. */
  list(xs: readonly string[] | null): number;
  /** A template's offset; NONE for a failure that cannot happen. */
  pieces(t: Template | null): number;
  /** A policy value's slot in the values section. */
  value(v: JsonValue): number;
  /** A check list's offset (an anyOf branch). */
  program(checks: readonly Check[]): number;
  /** Writes the record's words (and, for max-age kinds, its f64); returns its offset. */
  record(words: number[], maxAge?: number | null): number;
  /** Refuses a check the module could not decide like the reference. */
  refuse(message: string): never;
}

// ---------------------------------------------------------------------------------------------
// Reasons, per kind

const audienceReasons = (c: AudienceCheck) => {
  const code = KIND_CODES.audience.mismatch;
  return {
    missing: reason(c.id, code, MESSAGES.missing, [['expectedToIncludeAtLeastOneOf', c.anyOf]]),
    wrongType: wrongType(c.id, 'string | string[]'),
    wrongValue: reason(c.id, code, MESSAGES.wrongValue, [
      ['expectedToIncludeAtLeastOneOf', c.anyOf],
      ['actualValue', VALUE],
    ]),
  };
};

const issuerReasons = (c: IssuerCheck) => {
  const code = KIND_CODES.issuer.mismatch;
  return {
    missing: reason(c.id, code, MESSAGES.missing, [['expectedValue', c.equals]]),
    wrongType: wrongType(c.id, 'string'),
    wrongValue: reason(c.id, code, MESSAGES.wrongValue, [
      ['expectedValue', c.equals],
      ['actualValue', VALUE],
    ]),
  };
};

const expired = (id: string, code: ReasonCode, maxAge: number | null): Piece[] | null =>
  maxAge === null
    ? null
    : reason(id, code, MESSAGES.expired, [
        ['ageInSeconds', NUMBER],
        ['maxAgeInSeconds', maxAge],
      ]);

/** The failures every `{ v, t }` claim shares (`st-ev`, `st-role`, `st-perm`). */
const timedClaimReasons = (id: string, valueType: string, missing: Piece[], expiredCode: ReasonCode, maxAge: number | null) => ({
  missing,
  wtObject: wrongType(id, 'object'),
  wtValue: wrongType(id, valueType),
  wtTimeNone: wrongType(id, 'number', false),
  wtTime: wrongType(id, 'number'),
  expired: expired(id, expiredCode, maxAge),
});

const emailReasons = (c: EmailVerifiedCheck) => {
  const codes = KIND_CODES.emailVerified;
  return {
    ...timedClaimReasons(
      c.id,
      'boolean',
      reason(c.id, codes.mismatch, MESSAGES.missing, [['expectedValue', true]]),
      codes.expired,
      c.maxAgeSeconds,
    ),
    wrongValue: reason(c.id, codes.mismatch, MESSAGES.wrongValue, [
      ['expectedValue', true],
      ['actualValue', false],
    ]),
  };
};

function listReasons(c: ListClaimCheck) {
  const codes = KIND_CODES[c.kind];
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
      : reason(c.id, code, MESSAGES.wrongValue, [
          [key, list],
          ['actualValue', VALUE],
        ]);
  return {
    ...timedClaimReasons(c.id, 'string[]', reason(c.id, codes.missing, MESSAGES.missing, [expectation]), codes.expired, c.maxAgeSeconds),
    anyOf: wrong(codes.missing, 'expectedToIncludeAtLeastOneOf', c.anyOf),
    allOf: wrong(codes.missing, 'expectedToInclude', c.allOf),
    noneOf: wrong(codes.forbidden, 'expectedToNotInclude', c.noneOf),
  };
}

function mfaReasons(c: MfaCheck) {
  const codes = KIND_CODES.mfa;
  const oneOf = c.factors?.anyOf ?? [];
  return {
    required: reason(c.id, codes.required, MESSAGES.mfaRequired),
    wtObject: wrongType(c.id, 'object'),
    wtBoolean: wrongType(c.id, 'boolean'),
    wtNumber: wrongType(c.id, 'number'),
    noneFresh: reason(c.id, codes.factorMissing, mfaNoneCompleteMessage(oneOf), [['oneOf', oneOf]]),
    factorMissing: (f: string) => reason(c.id, codes.factorMissing, mfaFactorMissingMessage(f), [['factorId', f]]),
    factorExpired: (f: string) =>
      c.maxAgeSeconds === null
        ? null
        : reason(c.id, codes.factorExpired, MESSAGES.expired, [
            ['factorId', f],
            ['ageInSeconds', NUMBER],
            ['maxAgeInSeconds', c.maxAgeSeconds],
          ]),
  };
}

const tenantOneOfReasons = (id: string, oneOf: readonly string[]) => {
  const code = KIND_CODES.tenant.mismatch;
  return {
    missing: reason(id, code, MESSAGES.missing, [['expectedOneOf', oneOf]]),
    wrongType: wrongType(id, 'string'),
    wrongValue: reason(id, code, MESSAGES.wrongValue, [
      ['expectedOneOf', oneOf],
      ['actualValue', VALUE],
    ]),
  };
};

/** A string claim that must equal a path parameter (`tenant`/`subject` with `equalsPathParam`). */
const equalsParamReasons = (id: string, code: ReasonCode, name: string) => ({
  noParam: reason(id, code, MESSAGES.noPathParameter, [['pathParameter', name]]),
  missing: reason(id, code, MESSAGES.missing, [['expectedValue', PARAM]]),
  wrongType: wrongType(id, 'string'),
  wrongValue: reason(id, code, MESSAGES.wrongValue, [
    ['expectedValue', PARAM],
    ['actualValue', VALUE],
  ]),
});

/** `claims: { id: { exists | equals | anyOf } }`; `expected` is absent for `exists`. */
const claimReasons = (id: string, expected?: readonly [string, JsonValue]) => {
  const code = KIND_CODES.claim.mismatch;
  return {
    missing: reason(id, code, MESSAGES.missing, expected === undefined ? [] : [expected]),
    wrongValue: expected === undefined ? null : reason(id, code, MESSAGES.wrongValue, [expected, ['actualValue', VALUE]]),
  };
};

// ---------------------------------------------------------------------------------------------
// Records, per kind

/** The leading words of a `{ v, t }` claim record: missing, wrong types, age. */
function timedClaimWords(e: RecordWriter, op: number, id: string, r: ReturnType<typeof timedClaimReasons>): number[] {
  const words = [op, e.str(id), 0, 0, 0, 0];
  words[W.A_MISSING] = e.pieces(r.missing);
  words[W.A_WT_OBJECT] = e.pieces(r.wtObject);
  words[W.A_WT_VALUE] = e.pieces(r.wtValue);
  words[W.A_WT_T_NONE] = e.pieces(r.wtTimeNone);
  words[W.A_WT_T] = e.pieces(r.wtTime);
  words[W.A_EXPIRED] = e.pieces(r.expired);
  return words;
}

function equalsParam(e: RecordWriter, id: string, code: ReasonCode, name: string): number {
  const r = equalsParamReasons(id, code, name);
  return e.record([
    OP.EQUALS_PARAM,
    e.str(id),
    e.str(name),
    e.pieces(r.noParam),
    e.pieces(r.missing),
    e.pieces(r.wrongType),
    e.pieces(r.wrongValue),
  ]);
}

/** Writes one check's record; returns its offset. */
export function encodeCheck(c: Check, e: RecordWriter): number {
  switch (c.kind) {
    case 'anyOf': {
      // An anyOf without branches can never pass yet reports no reason of its own; the loader
      // refuses it (LIST_EMPTY) and so does the compiler, rather than ship a silent deny.
      if (c.branches.length === 0) e.refuse(`${c.path}: anyOf has no branches`);
      const programs = c.branches.map((b) => e.program(b));
      return e.record([OP.ANY_OF, programs.length, ...programs]);
    }
    case 'audience': {
      const r = audienceReasons(c);
      return e.record([OP.AUDIENCE, e.str(c.id), e.list(c.anyOf), e.pieces(r.missing), e.pieces(r.wrongType), e.pieces(r.wrongValue)]);
    }
    case 'issuer': {
      const r = issuerReasons(c);
      return e.record([OP.ISSUER, e.str(c.id), e.str(c.equals), e.pieces(r.missing), e.pieces(r.wrongType), e.pieces(r.wrongValue)]);
    }
    case 'emailVerified': {
      const r = emailReasons(c);
      const words = timedClaimWords(e, OP.EMAIL, c.id, r);
      words[W.E_WRONG_VALUE] = e.pieces(r.wrongValue);
      return e.record(words, c.maxAgeSeconds);
    }
    case 'roles':
    case 'permissions': {
      const r = listReasons(c);
      const words = timedClaimWords(e, OP.LIST, c.id, r);
      words[W.L_ANY] = e.list(c.anyOf);
      words[W.L_ANY_F] = e.pieces(r.anyOf);
      words[W.L_ALL] = e.list(c.allOf);
      words[W.L_ALL_F] = e.pieces(r.allOf);
      words[W.L_NONE] = e.list(c.noneOf);
      words[W.L_NONE_F] = e.pieces(r.noneOf);
      return e.record(words, c.maxAgeSeconds);
    }
    case 'mfa': {
      const r = mfaReasons(c);
      const mode = c.factors === null ? MFA_MODE.TRUE : c.factors.allOf !== null ? MFA_MODE.ALL_OF : MFA_MODE.ANY_OF;
      const factors = c.factors === null ? [] : (c.factors.allOf ?? c.factors.anyOf ?? []);
      const words = [OP.MFA, e.str(c.id), 0, mode, 0, 0];
      words[W.M_REQUIRED] = e.pieces(r.required);
      words[W.M_WT_OBJECT] = e.pieces(r.wtObject);
      words[W.M_WT_BOOLEAN] = e.pieces(r.wtBoolean);
      words[W.M_WT_NUMBER] = e.pieces(r.wtNumber);
      words[W.M_NONE_FRESH] = mode === MFA_MODE.ANY_OF ? e.pieces(r.noneFresh) : NONE;
      words[W.M_FACTOR_COUNT] = factors.length;
      for (const f of factors) {
        const entry: number[] = [];
        entry[MFA_FACTOR.NAME] = e.str(f);
        entry[MFA_FACTOR.MISSING] = mode === MFA_MODE.ALL_OF ? e.pieces(r.factorMissing(f)) : NONE;
        entry[MFA_FACTOR.EXPIRED] = mode === MFA_MODE.ALL_OF ? e.pieces(r.factorExpired(f)) : NONE;
        words.push(...entry);
      }
      // maxAge only counts with factors (the reference ignores it for `mfa: true`).
      return e.record(words, mode === MFA_MODE.TRUE ? null : c.maxAgeSeconds);
    }
    case 'tenant': {
      const code = KIND_CODES.tenant.mismatch;
      if (c.equalsPathParam !== null) return equalsParam(e, c.id, code, c.equalsPathParam);
      const oneOf = c.anyOf ?? [];
      const r = tenantOneOfReasons(c.id, oneOf);
      return e.record([OP.TENANT_ONE_OF, e.str(c.id), e.list(oneOf), e.pieces(r.missing), e.pieces(r.wrongType), e.pieces(r.wrongValue)]);
    }
    case 'subject':
      return equalsParam(e, c.id, KIND_CODES.subject.mismatch, c.equalsPathParam);
    case 'claim':
      switch (c.op) {
        case 'exists':
          return e.record([OP.CLAIM_EXISTS, e.str(c.id), e.pieces(claimReasons(c.id).missing)]);
        case 'equals': {
          const r = claimReasons(c.id, ['expectedValue', c.value]);
          return e.record([OP.CLAIM_EQUALS, e.str(c.id), e.value(c.value), e.pieces(r.missing), e.pieces(r.wrongValue)]);
        }
        case 'anyOf': {
          const r = claimReasons(c.id, ['expectedOneOf', c.values]);
          return e.record([
            OP.CLAIM_ANY_OF,
            e.str(c.id),
            e.pieces(r.missing),
            e.pieces(r.wrongValue),
            c.values.length,
            ...c.values.map((v) => e.value(v)),
          ]);
        }
      }
  }
  return e.refuse(`unknown check kind ${JSON.stringify((c as { kind?: unknown }).kind)}`);
}
