// The requirement checks (src/decision/checks.ts), one function per check record kind (the records
// and their reasons: src/compile/encode/checks.ts). A check reads the claim from the token, and on a
// failure reports the record's reason template for it through output.ts's fail; a record field that
// is NONE is a failure the encoder knows cannot happen. Programs are a route's (or an anyOf
// branch's) checks in report order.
import { fatal } from "../env";
import { DEBUG } from "../debug";
import {
  TAG_ARRAY, TAG_BOOL, TAG_NULL, TAG_NUMBER, TAG_OBJECT, TAG_STRING,
  arrayGet, arrayLen, boolValue, bytesEqual, numberF64, objectGet, stringLen, stringPtr, valueEquals, valueTag,
} from "../value";
import { Eval } from "./state";
import * as F from "./format";
import { at, blockCount, blockItem, constId, policyValue, str, strLen } from "./table";
import { fail } from "./output";
import { findParam } from "./params";

/** A check's or program's outcome: FAILED, or'ed with how many reasons it reports (0 when it passes). */
export const FAILED: u32 = 0x80000000;
export const COUNT: u32 = 0x7fffffff;

// ---------------------------------------------------------------------------------------------
// Claim values

/** Object member by a table string's bytes; 0 when absent. */
export function member(obj: usize, id: u32): usize {
  return objectGet(obj, str(id), strLen(id));
}
/** Like member, with JSON null read as absent (`isMissing`). */
export function present(obj: usize, id: u32): usize {
  const v = objectGet(obj, str(id), strLen(id));
  return v != 0 && valueTag(v) == TAG_NULL ? 0 : v;
}
/** A string value equals the table string `id`. */
function isString(v: usize, id: u32): bool {
  return bytesEqual(stringPtr(v), stringLen(v), str(id), strLen(id));
}
function isStringArray(v: usize): bool {
  if (valueTag(v) != TAG_ARRAY) return false;
  const n = arrayLen(v);
  for (let i: u32 = 0; i < n; i++) if (valueTag(arrayGet(v, i)) != TAG_STRING) return false;
  return true;
}
/** `arr.includes(s)` for an array of strings and a table string. */
function includes(arr: usize, id: u32): bool {
  const n = arrayLen(arr);
  const p = str(id);
  const len = strLen(id);
  for (let i: u32 = 0; i < n; i++) {
    const e = arrayGet(arr, i);
    if (bytesEqual(stringPtr(e), stringLen(e), p, len)) return true;
  }
  return false;
}
/** A table list [n, strId…] (at offset `list`) contains the string value. */
function listHas(list: u32, v: usize): bool {
  const l = at(list);
  const n = blockCount(l);
  for (let i: u32 = 0; i < n; i++) if (isString(v, blockItem(l, i))) return true;
  return false;
}

/** A factor completed `age` seconds ago is fresh; a non-finite age never is. */
function freshSeconds(age: f64, maxAge: f64): bool {
  return isFinite(age) && age <= maxAge;
}

// ---------------------------------------------------------------------------------------------
// One function per record kind

/** checkAge on a `{ v, t }` claim (`t` in milliseconds): true when it reported a failure. */
function ageFails(r: usize, claim: usize): bool {
  if (load<u32>(r, F.W_HAS_MAX_AGE) == 0) return false;
  const t = member(claim, constId(F.C_K_T));
  if (t == 0 || valueTag(t) == TAG_NULL) {
    fail(load<u32>(r, F.W_A_WT_T_NONE), 0, 0);
    return true;
  }
  if (valueTag(t) != TAG_NUMBER) {
    fail(load<u32>(r, F.W_A_WT_T), t, 0);
    return true;
  }
  const age = Eval.now - numberF64(t);
  // A non-finite time (raw text like 1e400) is never fresh.
  if (isFinite(age) && age <= load<f64>(r, F.W_MAX_AGE) * 1000) return false;
  fail(load<u32>(r, F.W_A_EXPIRED), 0, age / 1000);
  return true;
}

function checkAudience(r: usize, claim: usize): void {
  if (claim == 0) return fail(load<u32>(r, F.W_MISSING), 0, 0);
  const list = at(load<u32>(r, F.W_LIST));
  const n = blockCount(list);
  const tag = valueTag(claim);
  if (tag == TAG_STRING) {
    for (let i: u32 = 0; i < n; i++) if (isString(claim, blockItem(list, i))) return;
  } else if (isStringArray(claim)) {
    for (let i: u32 = 0; i < n; i++) if (includes(claim, blockItem(list, i))) return;
  } else {
    return fail(load<u32>(r, F.W_WRONG_TYPE), claim, 0);
  }
  fail(load<u32>(r, F.W_WRONG_VALUE), claim, 0);
}

function checkIssuer(r: usize, claim: usize): void {
  if (claim == 0) return fail(load<u32>(r, F.W_MISSING), 0, 0);
  if (valueTag(claim) != TAG_STRING) return fail(load<u32>(r, F.W_WRONG_TYPE), claim, 0);
  if (isString(claim, load<u32>(r, F.W_EQUALS))) return;
  fail(load<u32>(r, F.W_WRONG_VALUE), claim, 0);
}

function checkEmail(r: usize, claim: usize): void {
  if (claim == 0) return fail(load<u32>(r, F.W_A_MISSING), 0, 0);
  if (valueTag(claim) != TAG_OBJECT) return fail(load<u32>(r, F.W_A_WT_OBJECT), claim, 0);
  const v = present(claim, constId(F.C_K_V));
  if (v == 0) return fail(load<u32>(r, F.W_A_MISSING), 0, 0);
  if (valueTag(v) != TAG_BOOL) return fail(load<u32>(r, F.W_A_WT_VALUE), v, 0);
  if (ageFails(r, claim)) return;
  if (!boolValue(v)) fail(load<u32>(r, F.W_E_WRONG_VALUE), 0, 0);
}

function checkList(r: usize, claim: usize): void {
  if (claim == 0) return fail(load<u32>(r, F.W_A_MISSING), 0, 0);
  if (valueTag(claim) != TAG_OBJECT) return fail(load<u32>(r, F.W_A_WT_OBJECT), claim, 0);
  const v = present(claim, constId(F.C_K_V));
  if (v == 0) return fail(load<u32>(r, F.W_A_MISSING), 0, 0);
  if (!isStringArray(v)) return fail(load<u32>(r, F.W_A_WT_VALUE), v, 0);
  if (ageFails(r, claim)) return;
  const anyOf = load<u32>(r, F.W_L_ANY);
  if (anyOf != F.NONE) {
    const l = at(anyOf);
    const n = blockCount(l);
    let found = false;
    for (let i: u32 = 0; i < n && !found; i++) found = includes(v, blockItem(l, i));
    if (!found) return fail(load<u32>(r, F.W_L_ANY_F), v, 0);
  }
  const allOf = load<u32>(r, F.W_L_ALL);
  if (allOf != F.NONE) {
    const l = at(allOf);
    const n = blockCount(l);
    for (let i: u32 = 0; i < n; i++) {
      if (!includes(v, blockItem(l, i))) return fail(load<u32>(r, F.W_L_ALL_F), v, 0);
    }
  }
  const noneOf = load<u32>(r, F.W_L_NONE);
  if (noneOf != F.NONE) {
    const l = at(noneOf);
    const n = blockCount(l);
    for (let i: u32 = 0; i < n; i++) {
      if (includes(v, blockItem(l, i))) return fail(load<u32>(r, F.W_L_NONE_F), v, 0);
    }
  }
}

function checkMfa(r: usize, claim: usize): void {
  if (claim == 0) return fail(load<u32>(r, F.W_M_REQUIRED), 0, 0);
  if (valueTag(claim) != TAG_OBJECT) return fail(load<u32>(r, F.W_M_WT_OBJECT), claim, 0);
  const v = present(claim, constId(F.C_K_V));
  if (v == 0) return fail(load<u32>(r, F.W_M_REQUIRED), 0, 0);
  if (valueTag(v) != TAG_BOOL) return fail(load<u32>(r, F.W_M_WT_BOOLEAN), v, 0);
  if (!boolValue(v)) return fail(load<u32>(r, F.W_M_REQUIRED), 0, 0);
  const mode = load<u32>(r, F.W_M_MODE);
  if (mode == F.MFA_MODE_TRUE) return;
  const completed = present(claim, constId(F.C_K_C));
  if (completed != 0 && valueTag(completed) != TAG_OBJECT) return fail(load<u32>(r, F.W_M_WT_OBJECT), completed, 0);
  const nowSeconds = Eval.now / 1000;
  const hasMaxAge = load<u32>(r, F.W_HAS_MAX_AGE) != 0;
  const maxAge = load<f64>(r, F.W_MAX_AGE);
  const n = load<u32>(r, F.W_M_FACTOR_COUNT);
  for (let i: u32 = 0; i < n; i++) {
    const f = r + F.W_M_FACTORS + <usize>i * F.MFA_FACTOR_BYTES;
    const done: usize = completed == 0 ? 0 : present(completed, load<u32>(f, F.MFA_FACTOR_NAME));
    if (mode == F.MFA_MODE_ALL_OF) {
      if (done == 0) return fail(load<u32>(f, F.MFA_FACTOR_MISSING), 0, 0);
      if (valueTag(done) != TAG_NUMBER) return fail(load<u32>(r, F.W_M_WT_NUMBER), done, 0);
      const age = nowSeconds - numberF64(done);
      if (hasMaxAge && !(isFinite(age) && age <= maxAge)) return fail(load<u32>(f, F.MFA_FACTOR_EXPIRED), 0, age);
    } else if (done != 0 && valueTag(done) == TAG_NUMBER && (!hasMaxAge || freshSeconds(nowSeconds - numberF64(done), maxAge))) {
      return;
    }
  }
  if (mode == F.MFA_MODE_ANY_OF) fail(load<u32>(r, F.W_M_NONE_FRESH), 0, 0);
}

function checkTenantOneOf(r: usize, claim: usize): void {
  if (claim == 0) return fail(load<u32>(r, F.W_MISSING), 0, 0);
  if (valueTag(claim) != TAG_STRING) return fail(load<u32>(r, F.W_WRONG_TYPE), claim, 0);
  if (listHas(load<u32>(r, F.W_LIST), claim)) return;
  fail(load<u32>(r, F.W_WRONG_VALUE), claim, 0);
}

function checkEqualsParam(r: usize, claim: usize): void {
  if (!findParam(load<u32>(r, F.W_P_NAME))) return fail(load<u32>(r, F.W_P_NO_PARAM), 0, 0);
  if (claim == 0) return fail(load<u32>(r, F.W_P_MISSING), 0, 0);
  if (valueTag(claim) != TAG_STRING) return fail(load<u32>(r, F.W_P_WRONG_TYPE), claim, 0);
  if (bytesEqual(stringPtr(claim), stringLen(claim), Eval.paramPtr, Eval.paramLen)) return;
  fail(load<u32>(r, F.W_P_WRONG_VALUE), claim, 0);
}

function checkClaimEquals(r: usize, claim: usize): void {
  if (claim == 0) return fail(load<u32>(r, F.W_Q_MISSING), 0, 0);
  if (valueEquals(claim, policyValue(load<u32>(r, F.W_Q_VALUE)))) return;
  fail(load<u32>(r, F.W_Q_WRONG_VALUE), claim, 0);
}

function checkClaimAnyOf(r: usize, claim: usize): void {
  if (claim == 0) return fail(load<u32>(r, F.W_Y_MISSING), 0, 0);
  const n = load<u32>(r, F.W_Y_COUNT);
  for (let i: u32 = 0; i < n; i++) {
    if (valueEquals(claim, policyValue(load<u32>(r + F.W_Y_VALUES + (<usize>i << 2))))) return;
  }
  fail(load<u32>(r, F.W_Y_WRONG_VALUE), claim, 0);
}

/**
 * An anyOf passes when every check of one branch passes: find out silently (stopping at the first
 * passing branch). When none does, it reports every branch's reasons, in order (possibly none: a
 * branch can fail without reasons when it holds an anyOf without branches).
 */
function checkAnyOf(r: usize): u32 {
  const n = load<u32>(r, F.W_B_COUNT);
  const branch = r + F.W_B_PROGRAMS;
  const wasSilent = Eval.silent;
  const saved = Eval.reasons;
  Eval.silent = true;
  let reasons: u32 = 0;
  let pass = false;
  for (let i: u32 = 0; i < n && !pass; i++) {
    const res = runProgram(load<u32>(branch + (<usize>i << 2)));
    pass = (res & FAILED) == 0;
    reasons += res & COUNT;
  }
  Eval.silent = wasSilent;
  Eval.reasons = saved;
  if (pass) return 0;
  if (Eval.silent || reasons == 0) {
    Eval.reasons += reasons;
    return FAILED | reasons;
  }
  const before = Eval.reasons;
  for (let i: u32 = 0; i < n; i++) runProgram(load<u32>(branch + (<usize>i << 2)));
  return FAILED | (Eval.reasons - before);
}

/** Runs the check record at table offset `off`; FAILED | reasons, or 0 when it passes. */
function runCheck(off: u32): u32 {
  const r = at(off);
  const op = load<u32>(r, F.W_OP);
  if (op == F.OP_ANY_OF) return checkAnyOf(r);
  const claim = present(Eval.token, load<u32>(r, F.W_KEY));
  const before = Eval.reasons;
  switch (op) {
    case F.OP_AUDIENCE: checkAudience(r, claim); break;
    case F.OP_ISSUER: checkIssuer(r, claim); break;
    case F.OP_EMAIL: checkEmail(r, claim); break;
    case F.OP_LIST: checkList(r, claim); break;
    case F.OP_MFA: checkMfa(r, claim); break;
    case F.OP_TENANT_ONE_OF: checkTenantOneOf(r, claim); break;
    case F.OP_EQUALS_PARAM: checkEqualsParam(r, claim); break;
    case F.OP_CLAIM_EXISTS: if (claim == 0) fail(load<u32>(r, F.W_X_MISSING), 0, 0); break;
    case F.OP_CLAIM_EQUALS: checkClaimEquals(r, claim); break;
    case F.OP_CLAIM_ANY_OF: checkClaimAnyOf(r, claim); break;
    default: fatal("claimguard: bad check opcode");
  }
  // A leaf fails exactly when it reports its one reason (loudly, a finer route's duplicate is
  // left out: then it neither counts nor adds to the list).
  if (DEBUG) assert(Eval.reasons - before <= 1, "checks: a leaf reported more than one reason");
  return Eval.reasons == before ? 0 : FAILED | 1;
}

/**
 * Runs a program (a check list) at table offset `off`; all checks run when loud. Silently it may
 * stop early: once a reason is counted, both "failed" and "has reasons" are settled (a failure
 * without reasons settles nothing).
 */
export function runProgram(off: u32): u32 {
  const p = at(off);
  const n = blockCount(p);
  let failed: u32 = 0;
  let reasons: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const res = runCheck(blockItem(p, i));
    failed |= res & FAILED;
    reasons += res & COUNT;
    if (Eval.silent && reasons != 0) break;
  }
  return failed | reasons;
}
