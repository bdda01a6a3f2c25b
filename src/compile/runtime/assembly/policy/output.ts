// Writing the decision. Reasons and decisions are templates the encoder precomputed: JSON fragments
// (table strings) around holes for what only the request knows, so writing mostly copies bytes.
//
// Reasons are written in two passes. Checks are pure, so when a request is denied they run twice:
// silently first (Eval.silent: failures are counted, nothing is written, a program may stop at its
// first reason), then loudly, writing every reason. The common allowed request writes no reason
// text at all, and an anyOf never writes reasons it would take back.
import { bufAdvance, bufByte, bufBytes, bufJsonString, bufLen, bufNumber, bufPtr, bufReserve, bufSetLen, bufValue } from "../buf";
import { DEBUG } from "../debug";
import { malloc } from "../alloc";
import { bytesEqual } from "../value";
import { Eval } from "./state";
import * as F from "./format";
import { at, blockCount, blockItem, constTemplate, routeKey, str, strLen } from "./table";
import { finerRecord } from "./route";

/** Appends a table string. Fragments are short: word copies beat an out-of-line memory.copy. */
function appendStr(id: u32): void {
  const src = str(id);
  const n = strLen(id);
  const out = Eval.out;
  if (n > 64) return bufBytes(out, src, n);
  const d = bufReserve(out, n);
  let i: u32 = 0;
  for (; i + 8 <= n; i += 8) store<u64>(d + i, load<u64>(src + i));
  for (; i < n; i++) store<u8>(d + i, load<u8>(src + i));
  bufAdvance(out, n);
}

/**
 * Appends template `t`: its strings, and in its holes the value `v` (HOLE_VALUE), the number `x`
 * (HOLE_NUMBER), the current path parameter (HOLE_PARAM) or the dispatched route's key (HOLE_ROUTE).
 */
function emit(t: u32, v: usize, x: f64): void {
  if (DEBUG) assert(t != F.NONE, "output: a failure the encoder ruled out was reported");
  const p = at(t);
  const n = blockCount(p);
  for (let i: u32 = 0; i < n; i++) {
    const item = blockItem(p, i);
    if (item < F.HOLE_MIN) {
      appendStr(item);
    } else if (item == F.HOLE_VALUE) {
      if (DEBUG) assert(v != 0, "output: a value hole without a value");
      bufValue(Eval.out, v);
    } else if (item == F.HOLE_NUMBER) {
      bufNumber(Eval.out, x);
    } else if (item == F.HOLE_PARAM) {
      bufJsonString(Eval.out, Eval.paramPtr, Eval.paramLen);
    } else {
      if (DEBUG) assert(item == F.HOLE_ROUTE && Eval.dispatched != 0, "output: a route hole without a route");
      const key = routeKey(Eval.dispatched);
      bufJsonString(Eval.out, str(key), strLen(key));
    }
  }
}

/** Appends one of the table's fixed templates (format.ts C_*). */
export function emitConst(k: u32): void {
  emit(constTemplate(k), 0, 0);
}

/**
 * A check failed with the reason template `t` (holes: the value `v`, the number `x`): counted in
 * the silent pass, written (after a comma when it is not the first) in the loud one.
 */
export function fail(t: u32, v: usize, x: f64): void {
  if (Eval.silent) {
    Eval.reasons++;
    return;
  }
  const out = Eval.out;
  const mark = bufLen(out);
  if (Eval.reasons != 0) bufByte(out, 0x2c);
  const start = bufLen(out);
  emit(t, v, x);
  if (Eval.dedup) {
    // With finer routes, a reason a finer route reports is left out when an identical one (same
    // bytes) is already listed.
    const len = bufLen(out) - start;
    if (Eval.finerPhase && isListed(start, len)) {
      bufSetLen(out, mark);
      return;
    }
    pushSpan(start, len);
  }
  Eval.reasons++;
}

/** A reason written while dedup is on: (offset in the output, length). */
// @ts-ignore: decorator
@unmanaged class Span {
  start: u32;
  len: u32;
}

// @ts-ignore: decorator
@inline function span(i: u32): Span {
  if (DEBUG) assert(i < Eval.spanCount || i == Eval.spanCount && i < Eval.spanCap, "output: span out of range");
  return changetype<Span>(Eval.spans + <usize>i * offsetof<Span>());
}

/** An identical reason (same bytes) is already written. */
function isListed(start: u32, len: u32): bool {
  const base = bufPtr(Eval.out);
  for (let i: u32 = 0; i < Eval.spanCount; i++) {
    const s = span(i);
    if (bytesEqual(base + <usize>s.start, s.len, base + <usize>start, len)) return true;
  }
  return false;
}

function pushSpan(start: u32, len: u32): void {
  if (Eval.spanCount == Eval.spanCap) {
    const cap: u32 = Eval.spanCap == 0 ? 16 : Eval.spanCap * 2;
    const next = malloc(cap * offsetof<Span>());
    if (Eval.spanCount != 0) memory.copy(next, Eval.spans, Eval.spanCount * offsetof<Span>());
    Eval.spans = next;
    Eval.spanCap = cap;
  }
  const s = span(Eval.spanCount);
  s.start = start;
  s.len = len;
  Eval.spanCount++;
}

/** The decision's head up to the route (C_HEAD_*), then `,"finerRoutes":[…]` when finer routes applied. */
export function head(k: u32): void {
  emitConst(k);
  if (Eval.finerCount == 0) return;
  emitConst(F.C_FINER_HEAD);
  for (let i: u32 = 0; i < Eval.finerCount; i++) {
    if (i != 0) bufByte(Eval.out, 0x2c);
    const key = routeKey(finerRecord(i));
    bufJsonString(Eval.out, str(key), strLen(key));
  }
  bufByte(Eval.out, 0x5d);
}
