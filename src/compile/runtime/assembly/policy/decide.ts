// The decision: src/decision/*.ts (the reference evaluator) run over the policy table that
// src/compile/encode wrote. Same order of input checks, path canonical form on UTF-8 bytes, route
// selection through the key index and the path trie, every check kind with the reference's reasons.
// Reasons and decisions are precomputed templates (JSON fragments around holes for the claim seen,
// a computed age, a path parameter, the route key), so a decision mostly copies bytes. No managed
// allocations: table memory, the runtime's values, and buffers on the ABI heap (which the host
// resets before every evaluation). Cost does not depend on the number of routes: hash lookups and a
// trie walk bounded by the path's segments.
import { malloc } from "../alloc";
import { fatal } from "../env";
import { bufAdvance, bufAscii, bufByte, bufBytes, bufJsonString, bufLen, bufNumber, bufPtr, bufReserve, bufSetLen, bufValue } from "../buf";
import {
  TAG_ARRAY,
  TAG_BOOL,
  TAG_NULL,
  TAG_NUMBER,
  TAG_OBJECT,
  TAG_STRING,
  arrayGet,
  arrayLen,
  boolValue,
  bytesEqual,
  numberF64,
  objectGet,
  parseJson,
  stringLen,
  stringPtr,
  valueEquals,
  valueTag,
} from "../value";
import { __claimguard_table_copy, __claimguard_table_size } from "../table";
import * as F from "./format";

// ---------------------------------------------------------------------------------------------
// The table, copied once into persistent heap memory by policyInit.

let T: usize = 0;
let STR_DIR: usize = 0;
let CONSTS: usize = 0;
/** Parsed policy values (claims equals/anyOf), one value address per slot. */
let VALUES: usize = 0;
let ROUTES_DIR: usize = 0;
let KEY_INDEX: usize = 0;
let KEY_MASK: u32 = 0;
let NODES: usize = 0;
let EDGE_INDEX: usize = 0;
let EDGE_MASK: u32 = 0;
let DEFAULT_ROUTE: u32 = 0;

// @ts-ignore: decorator
@inline function hdr(off: u32): u32 {
  return load<u32>(T + off);
}
// @ts-ignore: decorator
@inline function sPtr(id: u32): usize {
  return T + <usize>load<u32>(STR_DIR + (<usize>id << 3));
}
// @ts-ignore: decorator
@inline function sLen(id: u32): u32 {
  return load<u32>(STR_DIR + (<usize>id << 3), 4);
}
/** Offset of constant k's template. */
// @ts-ignore: decorator
@inline function constTemplate(k: u32): u32 {
  return load<u32>(CONSTS + (<usize>k << 2));
}
/** String id of a single-string constant (an input field name, a method). */
// @ts-ignore: decorator
@inline function constId(k: u32): u32 {
  return load<u32>(T + <usize>constTemplate(k), 4);
}

// The linker replaces the two placeholders' bodies, so no copy of them may be inlined here. binaryen
// inlines small direct callees whatever their bodies say; calling through function references it
// cannot resolve (mutable globals, loaded at run time) keeps the calls real.
let tableSizeFn: () => usize = __claimguard_table_size;
let tableCopyFn: (dst: usize) => void = __claimguard_table_copy;

export function policyInit(): void {
  const size = <u32>tableSizeFn();
  if (size < 80) fatal("claimguard: policy table missing");
  T = malloc(size);
  tableCopyFn(T);
  if (hdr(F.H_MAGIC) != F.TABLE_MAGIC || hdr(F.H_VERSION) != F.TABLE_VERSION || hdr(F.H_SIZE) != size) {
    fatal("claimguard: policy table version mismatch");
  }
  if (hdr(F.H_CONST_COUNT) != F.C_COUNT) fatal("claimguard: policy table constants mismatch");
  STR_DIR = T + hdr(F.H_STR_DIR);
  CONSTS = T + hdr(F.H_CONSTS);
  ROUTES_DIR = T + hdr(F.H_ROUTES_DIR);
  KEY_INDEX = T + hdr(F.H_KEY_INDEX);
  KEY_MASK = hdr(F.H_KEY_MASK);
  NODES = T + hdr(F.H_NODES);
  EDGE_INDEX = T + hdr(F.H_EDGE_INDEX);
  EDGE_MASK = hdr(F.H_EDGE_MASK);
  DEFAULT_ROUTE = hdr(F.H_DEFAULT_ROUTE);
  const n = hdr(F.H_VALUE_COUNT);
  const texts = T + hdr(F.H_VALUES);
  VALUES = malloc(n << 2);
  for (let i: u32 = 0; i < n; i++) {
    const id = load<u32>(texts + (<usize>i << 2));
    const v = parseJson(sPtr(id), sLen(id));
    if (v == 0) fatal("claimguard: policy value does not parse");
    store<u32>(VALUES + (<usize>i << 2), <u32>v);
  }
}

// ---------------------------------------------------------------------------------------------
// Per-evaluation state (set at the start of every decision).

let OUT: usize = 0;
let TOKEN: usize = 0;
let NOW: f64 = 0;
let REASONS: u32 = 0;
/**
 * Checks are pure, so they run twice when a request is denied: silently first (failures counted,
 * nothing written, a pass may stop early), then with output to write every reason. The common
 * allowed request writes no reason text at all, and an anyOf never writes reasons it takes back.
 */
let SILENT: bool = true;
/** Entrypoint `claimguard/allow`: the reasons are never written. */
let ALLOW_ONLY: bool = false;

const MODE_NONE: u32 = 0; // `$default` fallback: no parameters
const MODE_GIVEN: u32 = 1; // routeKey hit: request.pathParameters
const MODE_CAPTURED: u32 = 2; // matched by path: captured from the segments
let PARAM_MODE: u32 = MODE_NONE;
let PATH_PARAMS: usize = 0;
let ROUTE: usize = 0; // the record of the route whose checks run (its captured parameters)
let DISPATCHED: usize = 0; // the record of the route the decision names (HOLE_ROUTE)

/** Route ids (+ 1) of the finer routes that apply beside a routeKey hit, in rank order (heap array). */
let FINERS: usize = 0;
let FINER_COUNT: u32 = 0;
let FINER_CAP: u32 = 0;

/**
 * With finer routes, a reason a finer route reports is left out when an identical one is already
 * listed: every reason written is remembered as (offset in OUT, length) in SPANS.
 */
let DEDUP: bool = false;
let FINER_PHASE: bool = false;
let SPANS: usize = 0;
let SPAN_COUNT: u32 = 0;
let SPAN_CAP: u32 = 0;
let PARAM_PTR: usize = 0;
let PARAM_LEN: u32 = 0;

/** Segments of the request path: (start address, length, fnv1a hash) × SEG_COUNT. */
let SEGS: usize = 0;
let SEG_COUNT: u32 = 0;
let PATH_END: usize = 0;
let METHOD: i32 = -1;

// ---------------------------------------------------------------------------------------------
// Small helpers.

/** Appends a table string. Fragments are short: word copies beat an out-of-line memory.copy. */
function appendStr(id: u32): void {
  const src = sPtr(id);
  const n = sLen(id);
  if (n > 64) return bufBytes(OUT, src, n);
  const d = bufReserve(OUT, n);
  let i: u32 = 0;
  for (; i + 8 <= n; i += 8) store<u64>(d + i, load<u64>(src + i));
  for (; i < n; i++) store<u8>(d + i, load<u8>(src + i));
  bufAdvance(OUT, n);
}

/**
 * Appends template `t`: its strings, and in its holes the value `v` (HOLE_VALUE), the number `x`
 * (HOLE_NUMBER), the current path parameter (HOLE_PARAM) or the matched route's key (HOLE_ROUTE).
 */
function emit(t: u32, v: usize, x: f64): void {
  const p = T + <usize>t;
  const n = load<u32>(p);
  for (let i: u32 = 0; i < n; i++) {
    const item = load<u32>(p + 4 + (<usize>i << 2));
    if (item < F.HOLE_MIN) {
      appendStr(item);
    } else if (item == F.HOLE_VALUE) {
      bufValue(OUT, v);
    } else if (item == F.HOLE_NUMBER) {
      bufNumber(OUT, x);
    } else if (item == F.HOLE_PARAM) {
      bufJsonString(OUT, PARAM_PTR, PARAM_LEN);
    } else {
      const key = load<u32>(DISPATCHED, F.R_KEY);
      bufJsonString(OUT, sPtr(key), sLen(key));
    }
  }
}
function emitConst(k: u32): void {
  emit(constTemplate(k), 0, 0);
}
function constEquals(k: u32, p: usize, n: u32): bool {
  const id = constId(k);
  return bytesEqual(sPtr(id), sLen(id), p, n);
}
/** Object member by a table string; 0 when absent. */
function getStr(obj: usize, id: u32): usize {
  return objectGet(obj, sPtr(id), sLen(id));
}
/** Like getStr, with JSON null read as absent (`isMissing`). */
function getPresent(obj: usize, id: u32): usize {
  const v = objectGet(obj, sPtr(id), sLen(id));
  return v != 0 && valueTag(v) == TAG_NULL ? 0 : v;
}

// @ts-ignore: decorator
@inline function fnvStep(h: u32, c: u32): u32 {
  return (h ^ c) * 0x01000193;
}
function fmix32(x: u32): u32 {
  x ^= x >> 16;
  x *= 0x85ebca6b;
  x ^= x >> 13;
  x *= 0xc2b2ae35;
  x ^= x >> 16;
  return x;
}
function fnv1a(p: usize, n: u32): u32 {
  let h: u32 = 0x811c9dc5;
  for (let i: u32 = 0; i < n; i++) h = fnvStep(h, <u32>load<u8>(p + i));
  return h;
}

// ---------------------------------------------------------------------------------------------
// Path canonical form (path.ts): on UTF-8 bytes. JS refuses code units < 0x20, 0x7f..0x9f, `\`
// and `%`; in UTF-8 those are bytes < 0x20, 0x7f, 0x5c, 0x25 and the pairs C2 80..C2 9F.

function splitPath(p: usize, n: u32): bool {
  if (n == 0 || load<u8>(p) != 0x2f) return false;
  let slashes: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c < 0x20 || c == 0x7f || c == 0x5c || c == 0x25) return false;
    if (c == 0xc2 && i + 1 < n) {
      const d = <u32>load<u8>(p + i + 1);
      if (d >= 0x80 && d <= 0x9f) return false;
    }
    if (c == 0x2f) slashes++;
  }
  PATH_END = p + n;
  if (n == 1) {
    SEG_COUNT = 0;
    return true;
  }
  SEG_COUNT = slashes;
  SEGS = malloc(slashes * 12);
  let k: usize = 0;
  let start: usize = p + 1;
  let h: u32 = 0x811c9dc5;
  for (let q: usize = p + 1; ; q++) {
    if (q == PATH_END || load<u8>(q) == 0x2f) {
      const len = <u32>(q - start);
      if (len == 0) return false;
      if (load<u8>(start) == 0x2e && (len == 1 || (len == 2 && load<u8>(start + 1) == 0x2e))) return false;
      const s = SEGS + k * 12;
      store<u32>(s, <u32>start);
      store<u32>(s, len, 4);
      store<u32>(s, h, 8);
      k++;
      if (q == PATH_END) break;
      start = q + 1;
      h = 0x811c9dc5;
    } else {
      h = fnvStep(h, <u32>load<u8>(q));
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Route selection (route-select.ts): routeKey hit, else the best path match, else `$default`.

function routeRecord(id1: u32): usize {
  return T + <usize>load<u32>(ROUTES_DIR + (<usize>(id1 - 1) << 2));
}

/** Route id + 1 whose key is exactly these bytes, or 0. */
function keyLookup(p: usize, n: u32): u32 {
  const h = fmix32(fnv1a(p, n));
  let i = h & KEY_MASK;
  while (true) {
    const slot = KEY_INDEX + (<usize>i << 3);
    const r = load<u32>(slot, 4);
    if (r == 0) return 0;
    if (load<u32>(slot) == h) {
      const key = load<u32>(routeRecord(r), F.R_KEY);
      if (bytesEqual(sPtr(key), sLen(key), p, n)) return r;
    }
    i = (i + 1) & KEY_MASK;
  }
  return 0;
}

function literalChild(node: u32, seg: usize): u32 {
  const h = fmix32(load<u32>(seg, 8) ^ ((node + 1) * 0x9e3779b1));
  let i = h & EDGE_MASK;
  while (true) {
    const slot = EDGE_INDEX + (<usize>i << 4);
    const child = load<u32>(slot, 12);
    if (child == 0) return 0;
    if (load<u32>(slot) == h && load<u32>(slot, 4) == node) {
      const id = load<u32>(slot, 8);
      if (bytesEqual(sPtr(id), sLen(id), <usize>load<u32>(seg), load<u32>(seg, 4))) return child;
    }
    i = (i + 1) & EDGE_MASK;
  }
  return 0;
}

/** The node's route for the request method, else its ANY route; id + 1 or 0. */
function terminal(node: u32): u32 {
  const off = load<u32>(NODES + <usize>node * F.NODE_BYTES, 8);
  if (off == 0) return 0;
  const t = T + <usize>off;
  const mask = load<u32>(t);
  // Route ids follow the mask, one per set bit in bit order.
  if (METHOD >= 0 && (mask & (1 << METHOD)) != 0) {
    return load<u32>(t + 4 + (<usize>popcnt(mask & ((1 << METHOD) - 1)) << 2));
  }
  if ((mask & (1 << F.METHOD_ANY)) != 0) {
    return load<u32>(t + 4 + (<usize>popcnt(mask & ((1 << F.METHOD_ANY) - 1)) << 2));
  }
  return 0;
}

/**
 * Depth-first in literal → {param} → {greedy+} order, exact method before ANY at each terminal:
 * the first hit is the reference's best match (compareRoutes is that lexicographic order).
 */
function matchFrom(node: u32, depth: u32): u32 {
  if (depth == SEG_COUNT) return terminal(node);
  const rec = NODES + <usize>node * F.NODE_BYTES;
  const lit = literalChild(node, SEGS + <usize>depth * 12);
  if (lit != 0) {
    const r = matchFrom(lit, depth + 1);
    if (r != 0) return r;
  }
  const param = load<u32>(rec);
  if (param != 0) {
    const r = matchFrom(param, depth + 1);
    if (r != 0) return r;
  }
  const greedy = load<u32>(rec, 4);
  if (greedy != 0) return terminal(greedy); // depth < SEG_COUNT: at least one segment left
  return 0;
}

/** The route's template matches the request's method and path (matchRoute in route-select.ts). */
function routeMatches(id1: u32): bool {
  const rec = routeRecord(id1);
  if ((load<u32>(rec, F.R_FLAGS) & F.ROUTE_ANY) == 0 && <i32>load<u32>(rec, F.R_METHOD) != METHOD) return false;
  const shape = load<u32>(rec, F.R_SHAPE);
  const kinds = sPtr(shape);
  const n = sLen(shape);
  const greedy = n > 0 && <u32>load<u8>(kinds + n - 1) == F.SHAPE_GREEDY;
  if (greedy ? SEG_COUNT < n : SEG_COUNT != n) return false; // {p+} takes one segment or more
  const literals = T + <usize>load<u32>(rec, F.R_SEGMENTS) + 4;
  for (let i: u32 = 0; i < n; i++) {
    const lit = load<u32>(literals + (<usize>i << 2));
    if (lit == F.SEG_NOT_LITERAL) continue;
    const seg = SEGS + <usize>i * 12;
    if (!bytesEqual(sPtr(lit), sLen(lit), <usize>load<u32>(seg), load<u32>(seg, 4))) return false;
  }
  return true;
}

function pushFiner(id1: u32): void {
  if (FINER_COUNT == FINER_CAP) {
    const cap: u32 = FINER_CAP == 0 ? 8 : FINER_CAP * 2;
    const next = malloc(cap << 2);
    if (FINER_COUNT != 0) memory.copy(next, FINERS, FINER_COUNT << 2);
    FINERS = next;
    FINER_CAP = cap;
  }
  store<u32>(FINERS + (<usize>FINER_COUNT << 2), id1);
  FINER_COUNT++;
}

/** compareRoutes(a, b) < 0: a's segment kinds rank first (leftmost difference), then exact method over ANY. */
function ranksBefore(a: u32, b: u32): bool {
  const ra = routeRecord(a);
  const rb = routeRecord(b);
  const sa = load<u32>(ra, F.R_SHAPE);
  const sb = load<u32>(rb, F.R_SHAPE);
  const pa = sPtr(sa);
  const pb = sPtr(sb);
  const la = sLen(sa);
  const lb = sLen(sb);
  const n = la < lb ? la : lb;
  for (let i: u32 = 0; i < n; i++) {
    const x = load<u8>(pa + i);
    const y = load<u8>(pb + i);
    if (x != y) return x < y;
  }
  return (load<u32>(ra, F.R_FLAGS) & F.ROUTE_ANY) == 0 && (load<u32>(rb, F.R_FLAGS) & F.ROUTE_ANY) != 0;
}

/**
 * A terminal's routes for the request (exact method, then ANY); true once a route that does not
 * rank strictly before `stop` is met (`stop` itself, or a same-shape twin the trie holds instead).
 */
function collectTerminal(node: u32, stop: u32): bool {
  const off = load<u32>(NODES + <usize>node * F.NODE_BYTES, 8);
  if (off == 0) return false;
  const t = T + <usize>off;
  const mask = load<u32>(t);
  // A request whose method is literally "ANY" matches only ANY routes: its exact slot is ANY's.
  if (METHOD >= 0 && <u32>METHOD != F.METHOD_ANY && (mask & (1 << METHOD)) != 0) {
    const r = load<u32>(t + 4 + (<usize>popcnt(mask & ((1 << METHOD) - 1)) << 2));
    if (!ranksBefore(r, stop)) return true;
    pushFiner(r);
  }
  if ((mask & (1 << F.METHOD_ANY)) != 0) {
    const r = load<u32>(t + 4 + (<usize>popcnt(mask & ((1 << F.METHOD_ANY) - 1)) << 2));
    if (!ranksBefore(r, stop)) return true;
    pushFiner(r);
  }
  return false;
}

/**
 * Every route matching the request that ranks before the dispatched route `stop`, into FINERS:
 * the same depth-first walk as matchFrom (which is rank order), going on past the first hit and
 * ending where `stop` is met. True once it is.
 */
function collectFrom(node: u32, depth: u32, stop: u32): bool {
  if (depth == SEG_COUNT) return collectTerminal(node, stop);
  const rec = NODES + <usize>node * F.NODE_BYTES;
  const lit = literalChild(node, SEGS + <usize>depth * 12);
  if (lit != 0 && collectFrom(lit, depth + 1, stop)) return true;
  const param = load<u32>(rec);
  if (param != 0 && collectFrom(param, depth + 1, stop)) return true;
  const greedy = load<u32>(rec, 4);
  if (greedy != 0 && collectTerminal(greedy, stop)) return true; // depth < SEG_COUNT: a segment is left
  return false;
}

function methodIndex(p: usize, n: u32): i32 {
  for (let m: u32 = 0; m < F.METHOD_COUNT; m++) {
    if (constEquals(F.C_M_GET + m, p, n)) return <i32>m;
  }
  return -1;
}

/** Sets PARAM_PTR/LEN to the named path parameter (pathParam in route-select.ts); false when absent. */
function findParam(name: u32): bool {
  if (PARAM_MODE == MODE_GIVEN) {
    if (PATH_PARAMS == 0) return false;
    const v = getStr(PATH_PARAMS, name);
    if (v == 0 || valueTag(v) != TAG_STRING) return false;
    PARAM_PTR = stringPtr(v);
    PARAM_LEN = stringLen(v);
    return true;
  }
  if (PARAM_MODE == MODE_CAPTURED) {
    // Names are interned, so equal names have equal ids; the last one written wins, as in matchTemplate.
    const n = load<u32>(ROUTE, F.R_PARAM_COUNT);
    for (let j = <i32>n - 1; j >= 0; j--) {
      const e = ROUTE + F.R_PARAMS + (<usize>j << 3);
      if (load<u32>(e) != name) continue;
      const at = load<u32>(e, 4);
      const seg = SEGS + <usize>(at & ~F.PARAM_GREEDY) * 12;
      PARAM_PTR = <usize>load<u32>(seg);
      PARAM_LEN = (at & F.PARAM_GREEDY) != 0 ? <u32>(PATH_END - PARAM_PTR) : load<u32>(seg, 4);
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Reasons: a failure is a template; a check appends one when it fails, after a comma if needed.

function fail(t: u32, v: usize, x: f64): void {
  if (SILENT) {
    REASONS++;
    return;
  }
  const mark = bufLen(OUT);
  if (REASONS != 0) bufByte(OUT, 0x2c);
  const start = bufLen(OUT);
  emit(t, v, x);
  if (DEDUP) {
    const len = bufLen(OUT) - start;
    if (FINER_PHASE && isListed(start, len)) {
      bufSetLen(OUT, mark);
      return;
    }
    pushSpan(start, len);
  }
  REASONS++;
}

/** An identical reason (same bytes) is already written. */
function isListed(start: u32, len: u32): bool {
  const base = bufPtr(OUT);
  for (let i: u32 = 0; i < SPAN_COUNT; i++) {
    const span = SPANS + (<usize>i << 3);
    if (bytesEqual(base + <usize>load<u32>(span), load<u32>(span, 4), base + <usize>start, len)) return true;
  }
  return false;
}

function pushSpan(start: u32, len: u32): void {
  if (SPAN_COUNT == SPAN_CAP) {
    const cap: u32 = SPAN_CAP == 0 ? 16 : SPAN_CAP * 2;
    const next = malloc(cap << 3);
    if (SPAN_COUNT != 0) memory.copy(next, SPANS, SPAN_COUNT << 3);
    SPANS = next;
    SPAN_CAP = cap;
  }
  const span = SPANS + (<usize>SPAN_COUNT << 3);
  store<u32>(span, start);
  store<u32>(span, len, 4);
  SPAN_COUNT++;
}

// ---------------------------------------------------------------------------------------------
// Checks (checks.ts). Each appends its reason when it fails; REASONS counts them.

function isString(v: usize, id: u32): bool {
  return bytesEqual(stringPtr(v), stringLen(v), sPtr(id), sLen(id));
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
  const p = sPtr(id);
  const len = sLen(id);
  for (let i: u32 = 0; i < n; i++) {
    const e = arrayGet(arr, i);
    if (bytesEqual(stringPtr(e), stringLen(e), p, len)) return true;
  }
  return false;
}
/** A table list [n, strId…] contains the string value. */
function listHas(list: u32, v: usize): bool {
  const l = T + <usize>list;
  const n = load<u32>(l);
  for (let i: u32 = 0; i < n; i++) if (isString(v, load<u32>(l + 4 + (<usize>i << 2)))) return true;
  return false;
}

/** A factor completed `age` seconds ago is fresh; a non-finite age never is. */
function freshSeconds(age: f64, maxAge: f64): bool {
  return isFinite(age) && age <= maxAge;
}

/** checkAge: true when it reported a failure. `t` is milliseconds. */
function ageFails(r: usize, claim: usize): bool {
  if (load<u32>(r, F.W_HAS_MAX_AGE) == 0) return false;
  const t = getStr(claim, constId(F.C_K_T));
  if (t == 0 || valueTag(t) == TAG_NULL) {
    fail(load<u32>(r, F.W_A_WT_T_NONE), 0, 0);
    return true;
  }
  if (valueTag(t) != TAG_NUMBER) {
    fail(load<u32>(r, F.W_A_WT_T), t, 0);
    return true;
  }
  const age = NOW - numberF64(t);
  // A non-finite time (raw text like 1e400) is never fresh.
  if (isFinite(age) && age <= load<f64>(r, F.W_MAX_AGE) * 1000) return false;
  fail(load<u32>(r, F.W_A_EXPIRED), 0, age / 1000);
  return true;
}

function checkAudience(r: usize, claim: usize): void {
  if (claim == 0) return fail(load<u32>(r, F.W_MISSING), 0, 0);
  const list = T + <usize>load<u32>(r, F.W_LIST);
  const n = load<u32>(list);
  const tag = valueTag(claim);
  if (tag == TAG_STRING) {
    for (let i: u32 = 0; i < n; i++) if (isString(claim, load<u32>(list + 4 + (<usize>i << 2)))) return;
  } else if (isStringArray(claim)) {
    for (let i: u32 = 0; i < n; i++) if (includes(claim, load<u32>(list + 4 + (<usize>i << 2)))) return;
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
  const v = getPresent(claim, constId(F.C_K_V));
  if (v == 0) return fail(load<u32>(r, F.W_A_MISSING), 0, 0);
  if (valueTag(v) != TAG_BOOL) return fail(load<u32>(r, F.W_A_WT_VALUE), v, 0);
  if (ageFails(r, claim)) return;
  if (!boolValue(v)) fail(load<u32>(r, F.W_E_WRONG_VALUE), 0, 0);
}

function checkList(r: usize, claim: usize): void {
  if (claim == 0) return fail(load<u32>(r, F.W_A_MISSING), 0, 0);
  if (valueTag(claim) != TAG_OBJECT) return fail(load<u32>(r, F.W_A_WT_OBJECT), claim, 0);
  const v = getPresent(claim, constId(F.C_K_V));
  if (v == 0) return fail(load<u32>(r, F.W_A_MISSING), 0, 0);
  if (!isStringArray(v)) return fail(load<u32>(r, F.W_A_WT_VALUE), v, 0);
  if (ageFails(r, claim)) return;
  const anyOf = load<u32>(r, F.W_L_ANY);
  if (anyOf != F.NONE) {
    const l = T + <usize>anyOf;
    const n = load<u32>(l);
    let found = false;
    for (let i: u32 = 0; i < n && !found; i++) found = includes(v, load<u32>(l + 4 + (<usize>i << 2)));
    if (!found) return fail(load<u32>(r, F.W_L_ANY_F), v, 0);
  }
  const allOf = load<u32>(r, F.W_L_ALL);
  if (allOf != F.NONE) {
    const l = T + <usize>allOf;
    const n = load<u32>(l);
    for (let i: u32 = 0; i < n; i++) {
      if (!includes(v, load<u32>(l + 4 + (<usize>i << 2)))) return fail(load<u32>(r, F.W_L_ALL_F), v, 0);
    }
  }
  const noneOf = load<u32>(r, F.W_L_NONE);
  if (noneOf != F.NONE) {
    const l = T + <usize>noneOf;
    const n = load<u32>(l);
    for (let i: u32 = 0; i < n; i++) {
      if (includes(v, load<u32>(l + 4 + (<usize>i << 2)))) return fail(load<u32>(r, F.W_L_NONE_F), v, 0);
    }
  }
}

function checkMfa(r: usize, claim: usize): void {
  if (claim == 0) return fail(load<u32>(r, F.W_M_REQUIRED), 0, 0);
  if (valueTag(claim) != TAG_OBJECT) return fail(load<u32>(r, F.W_M_WT_OBJECT), claim, 0);
  const v = getPresent(claim, constId(F.C_K_V));
  if (v == 0) return fail(load<u32>(r, F.W_M_REQUIRED), 0, 0);
  if (valueTag(v) != TAG_BOOL) return fail(load<u32>(r, F.W_M_WT_BOOLEAN), v, 0);
  if (!boolValue(v)) return fail(load<u32>(r, F.W_M_REQUIRED), 0, 0);
  const mode = load<u32>(r, F.W_M_MODE);
  if (mode == 0) return;
  const completed = getPresent(claim, constId(F.C_K_C));
  if (completed != 0 && valueTag(completed) != TAG_OBJECT) return fail(load<u32>(r, F.W_M_WT_OBJECT), completed, 0);
  const nowSeconds = NOW / 1000;
  const hasMaxAge = load<u32>(r, F.W_HAS_MAX_AGE) != 0;
  const maxAge = load<f64>(r, F.W_MAX_AGE);
  const n = load<u32>(r, F.W_M_FACTOR_COUNT);
  for (let i: u32 = 0; i < n; i++) {
    const f = r + F.W_M_FACTORS + <usize>(i * F.MFA_FACTOR_BYTES);
    const at: usize = completed == 0 ? 0 : getPresent(completed, load<u32>(f));
    if (mode == 1) {
      if (at == 0) return fail(load<u32>(f, 4), 0, 0);
      if (valueTag(at) != TAG_NUMBER) return fail(load<u32>(r, F.W_M_WT_NUMBER), at, 0);
      const age = nowSeconds - numberF64(at);
      if (hasMaxAge && !(isFinite(age) && age <= maxAge)) return fail(load<u32>(f, 8), 0, age);
    } else if (at != 0 && valueTag(at) == TAG_NUMBER && (!hasMaxAge || freshSeconds(nowSeconds - numberF64(at), maxAge))) {
      return;
    }
  }
  if (mode == 2) fail(load<u32>(r, F.W_M_NONE_FRESH), 0, 0);
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
  if (bytesEqual(stringPtr(claim), stringLen(claim), PARAM_PTR, PARAM_LEN)) return;
  fail(load<u32>(r, F.W_P_WRONG_VALUE), claim, 0);
}

// @ts-ignore: decorator
@inline function policyValue(slot: u32): usize {
  return <usize>load<u32>(VALUES + (<usize>slot << 2));
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

/** A check's or program's outcome: FAILED, or'ed with how many reasons it reports (0 when it passes). */
const FAILED: u32 = 0x80000000;
const COUNT: u32 = 0x7fffffff;

function runCheck(off: u32): u32 {
  const r = T + <usize>off;
  const op = load<u32>(r);
  if (op == F.OP_ANY_OF) {
    // Passes when every check of one branch passes: find out silently (stopping at the first
    // passing branch). When none does, it reports every branch's reasons, in order (possibly none:
    // a branch can fail without reasons when it holds an anyOf without branches).
    const n = load<u32>(r, F.W_B_COUNT);
    const wasSilent = SILENT;
    const saved = REASONS;
    SILENT = true;
    let reasons: u32 = 0;
    let pass = false;
    for (let i: u32 = 0; i < n && !pass; i++) {
      const res = runProgram(load<u32>(r + F.W_B_PROGRAMS + (<usize>i << 2)));
      pass = (res & FAILED) == 0;
      reasons += res & COUNT;
    }
    SILENT = wasSilent;
    REASONS = saved;
    if (pass) return 0;
    if (SILENT || reasons == 0) {
      REASONS += reasons;
      return FAILED | reasons;
    }
    const before = REASONS;
    for (let i: u32 = 0; i < n; i++) runProgram(load<u32>(r + F.W_B_PROGRAMS + (<usize>i << 2)));
    return FAILED | (REASONS - before);
  }
  const claim = getPresent(TOKEN, load<u32>(r, F.W_KEY));
  const before = REASONS;
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
  // A leaf fails exactly when it reports its one reason.
  return REASONS == before ? 0 : FAILED | 1;
}

/**
 * Runs a check list; all checks run with output. Silently it may stop early: once a reason is
 * counted, both "failed" and "has reasons" are settled (a failure without reasons settles nothing).
 */
function runProgram(off: u32): u32 {
  const p = T + <usize>off;
  const n = load<u32>(p);
  let failed: u32 = 0;
  let reasons: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const res = runCheck(load<u32>(p + 4 + (<usize>i << 2)));
    failed |= res & FAILED;
    reasons += res & COUNT;
    if (SILENT && reasons != 0) break;
  }
  return failed | reasons;
}

// ---------------------------------------------------------------------------------------------
// The decision (evaluate.ts).

function fixed(k: u32): bool {
  emitConst(k);
  return false;
}


function decide(input: usize): bool {
  // checkInput, in its order
  if (input == 0 || valueTag(input) != TAG_OBJECT) return fixed(F.C_INPUT_NOT_OBJECT);
  const request = getStr(input, constId(F.C_K_REQUEST));
  if (request == 0 || valueTag(request) != TAG_OBJECT) return fixed(F.C_REQUEST_NOT_OBJECT);
  const method = getStr(request, constId(F.C_K_METHOD));
  if (method == 0 || valueTag(method) != TAG_STRING) return fixed(F.C_METHOD_NOT_STRING);
  const path = getStr(request, constId(F.C_K_PATH));
  if (path == 0 || valueTag(path) != TAG_STRING) return fixed(F.C_PATH_NOT_STRING);
  const routeKey = getPresent(request, constId(F.C_K_ROUTE_KEY));
  if (routeKey != 0 && valueTag(routeKey) != TAG_STRING) return fixed(F.C_ROUTE_KEY_NOT_STRING);
  const pathParams = getPresent(request, constId(F.C_K_PATH_PARAMETERS));
  if (pathParams != 0 && valueTag(pathParams) != TAG_OBJECT) return fixed(F.C_PATH_PARAMETERS_NOT_OBJECT);
  const token = getPresent(input, constId(F.C_K_TOKEN));
  if (token != 0 && valueTag(token) != TAG_OBJECT) return fixed(F.C_TOKEN_NOT_OBJECT);
  const now = getStr(input, constId(F.C_K_NOW));
  if (now == 0 || valueTag(now) != TAG_NUMBER || !isFinite(numberF64(now))) return fixed(F.C_NOW_NOT_NUMBER);

  if (!splitPath(stringPtr(path), stringLen(path))) return fixed(F.C_PATH_REJECTED);

  // Route selection (route-select.ts): the route API Gateway dispatched (routeKey) always applies,
  // with every finer policy route that matches the request; a hit whose template cannot match is
  // an inconsistent event; without a hit, the best match by path, else `$default`.
  METHOD = methodIndex(stringPtr(method), stringLen(method));
  let hit: u32 = 0;
  if (routeKey != 0) {
    const p = stringPtr(routeKey);
    const n = stringLen(routeKey);
    if (!constEquals(F.C_K_DEFAULT, p, n)) hit = keyLookup(p, n);
  }
  let route: u32 = 0;
  if (hit != 0) {
    if (!routeMatches(hit)) return fixed(F.C_ROUTE_MISMATCH);
    collectFrom(0, 0, hit);
    route = hit;
    PARAM_MODE = MODE_GIVEN;
    PATH_PARAMS = pathParams;
  } else {
    route = matchFrom(0, 0);
    PARAM_MODE = MODE_CAPTURED;
    if (route == 0) {
      route = DEFAULT_ROUTE;
      PARAM_MODE = MODE_NONE;
    }
  }
  if (route == 0) return fixed(F.C_ROUTE_NOT_IN_POLICY);
  DISPATCHED = routeRecord(route);
  const dispatchedMode = PARAM_MODE;

  let anyProtected = !isPublic(DISPATCHED);
  for (let i: u32 = 0; i < FINER_COUNT && !anyProtected; i++) anyProtected = !isPublic(finerRecord(i));
  if (!anyProtected) return allow();
  if (token == 0) {
    head(F.C_HEAD_UNAUTHORIZED);
    emitConst(F.C_TAIL_TOKEN_MISSING);
    return false;
  }
  TOKEN = token;
  NOW = numberF64(now);

  // Silently first: the reference allows exactly when no applying route reports a reason.
  SILENT = true;
  REASONS = 0;
  let denied = runRoute(DISPATCHED, dispatchedMode);
  for (let i: u32 = 0; i < FINER_COUNT && !denied; i++) denied = runRoute(finerRecord(i), MODE_CAPTURED);
  if (!denied) return allow();
  if (ALLOW_ONLY) return false;
  head(F.C_HEAD_DENY);
  emitConst(F.C_REASONS_HEAD);
  SILENT = false;
  REASONS = 0;
  DEDUP = FINER_COUNT != 0;
  runRoute(DISPATCHED, dispatchedMode);
  FINER_PHASE = true;
  for (let i: u32 = 0; i < FINER_COUNT; i++) runRoute(finerRecord(i), MODE_CAPTURED);
  emitConst(F.C_DECISION_TAIL);
  return false;
}

function isPublic(rec: usize): bool {
  return (load<u32>(rec, F.R_FLAGS) & F.ROUTE_PUBLIC) != 0;
}

function finerRecord(i: u32): usize {
  return routeRecord(load<u32>(FINERS + (<usize>i << 2)));
}

/** Runs a protected route's checks on its own parameters; true when one reports a reason. */
function runRoute(rec: usize, mode: u32): bool {
  if (isPublic(rec)) return false;
  ROUTE = rec;
  PARAM_MODE = mode;
  return (runProgram(load<u32>(rec, F.R_PROGRAM)) & COUNT) != 0;
}

/** The decision's head up to the route, then `,"finerRoutes":[…]` when finer routes applied. */
function head(k: u32): void {
  emitConst(k);
  if (FINER_COUNT == 0) return;
  emitConst(F.C_FINER_HEAD);
  for (let i: u32 = 0; i < FINER_COUNT; i++) {
    if (i != 0) bufByte(OUT, 0x2c);
    const key = load<u32>(finerRecord(i), F.R_KEY);
    bufJsonString(OUT, sPtr(key), sLen(key));
  }
  bufByte(OUT, 0x5d);
}

function allow(): bool {
  head(F.C_HEAD_ALLOW);
  emitConst(F.C_TAIL_ALLOW);
  return true;
}

/**
 * Appends the result of `entrypoint` for `input` (a value address, 0 when the input is undefined)
 * to the buffer `out`: 0 `claimguard/decision` → the decision object, 1 `claimguard/allow` → a boolean.
 */
export function policyEval(entrypoint: u32, input: usize, out: usize): void {
  PARAM_MODE = MODE_NONE;
  PATH_PARAMS = 0;
  FINER_COUNT = 0;
  FINER_CAP = 0;
  DEDUP = false;
  FINER_PHASE = false;
  SPAN_COUNT = 0;
  SPAN_CAP = 0;
  METHOD = -1;
  SEG_COUNT = 0;
  OUT = out;
  ALLOW_ONLY = entrypoint != 0;
  if (!ALLOW_ONLY) {
    decide(input);
    return;
  }
  // The boolean alone: fixed decisions are written and taken back; reasons are never written.
  const start = bufLen(out);
  const allow = decide(input);
  bufSetLen(out, start);
  bufAscii(out, allow ? "true" : "false");
}
