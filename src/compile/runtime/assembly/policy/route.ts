// Route selection (src/decision/route-select.ts, docs/decision.md "Which route decides"): the route
// API Gateway dispatched (a routeKey the policy names) always applies, with every finer policy route
// that matches the request; a hit whose template cannot match is an inconsistent event; without a
// hit, the best match by method and path, else `$default`. Cost does not depend on the number of
// routes: a hash lookup, and a trie walk bounded by the path's segments.
import { malloc } from "../alloc";
import { DEBUG } from "../debug";
import { stringLen, stringPtr } from "../value";
import { Eval, PARAMS_CAPTURED, PARAMS_GIVEN, PARAMS_NONE } from "./state";
import * as F from "./format";
import {
  constEquals, defaultRoute, greedyChild, isAnyMethod, keyLookup, literalChild, paramChild, routeMethod, routeRecord,
  routeSegments, routeShape, blockItem, str, strEquals, strLen, terminalOf, terminalRoute,
} from "./table";
import { segmentHash, segmentLen, segmentStart } from "./path";

/** selectRoute's outcomes besides a route. */
export const SELECTED: u32 = 0;
export const NO_ROUTE: u32 = 1; // ROUTE_NOT_IN_POLICY
export const MISMATCH: u32 = 2; // ROUTE_MISMATCH

/** The request method's slot, -1 when the policy names no such method (only ANY routes match it). */
export function methodSlot(p: usize, n: u32): i32 {
  for (let m: u32 = 0; m < F.METHOD_COUNT; m++) {
    if (constEquals(F.C_M_GET + m, p, n)) return <i32>m;
  }
  return -1;
}

/**
 * Picks the routes that apply to the request (Eval.method and segments set): Eval.dispatched with
 * how its checks get parameters, and Eval.finers. `routeKey` is the request's routeKey (a string
 * value), or 0 when it has none.
 */
export function selectRoute(routeKey: usize): u32 {
  let hit: u32 = 0;
  if (routeKey != 0) {
    const p = stringPtr(routeKey);
    const n = stringLen(routeKey);
    if (!constEquals(F.C_K_DEFAULT, p, n)) hit = keyLookup(p, n);
  }
  let route: u32 = 0;
  if (hit != 0) {
    if (!routeMatches(hit)) return MISMATCH;
    collectFrom(0, 0, hit);
    route = hit;
    Eval.dispatchedParams = PARAMS_GIVEN;
  } else {
    route = matchFrom(0, 0);
    Eval.dispatchedParams = PARAMS_CAPTURED;
    if (route == 0) {
      route = defaultRoute();
      Eval.dispatchedParams = PARAMS_NONE;
    }
  }
  if (route == 0) return NO_ROUTE;
  Eval.dispatched = routeRecord(route);
  return SELECTED;
}

/** The record of finer route i. */
export function finerRecord(i: u32): usize {
  if (DEBUG) assert(i < Eval.finerCount, "route: finer route out of range");
  return routeRecord(load<u32>(Eval.finers + (<usize>i << 2)));
}

/** The node's route for the request method, else its ANY route; id + 1 or 0. */
function terminal(node: u32): u32 {
  const t = terminalOf(node);
  if (t == 0) return 0;
  if (Eval.method >= 0) {
    const r = terminalRoute(t, <u32>Eval.method);
    if (r != 0) return r;
  }
  return terminalRoute(t, F.METHOD_ANY);
}

/** The trie child along request segment `depth`'s literal, 0 if none. */
// @ts-ignore: decorator
@inline function literalStep(node: u32, depth: u32): u32 {
  return literalChild(node, segmentStart(depth), segmentLen(depth), segmentHash(depth));
}

/**
 * Depth-first in literal → {param} → {greedy+} order, exact method before ANY at each terminal:
 * the first hit is the reference's best match (compareRoutes is that lexicographic order).
 */
function matchFrom(node: u32, depth: u32): u32 {
  if (depth == Eval.segmentCount) return terminal(node);
  const lit = literalStep(node, depth);
  if (lit != 0) {
    const r = matchFrom(lit, depth + 1);
    if (r != 0) return r;
  }
  const param = paramChild(node);
  if (param != 0) {
    const r = matchFrom(param, depth + 1);
    if (r != 0) return r;
  }
  const greedy = greedyChild(node);
  if (greedy != 0) return terminal(greedy); // depth < segmentCount: at least one segment left
  return 0;
}

/** The route's template matches the request's method and path (matchRoute in route-select.ts). */
function routeMatches(id1: u32): bool {
  const rec = routeRecord(id1);
  if (!isAnyMethod(rec) && <i32>routeMethod(rec) != Eval.method) return false;
  const shape = routeShape(rec);
  const kinds = str(shape);
  const n = strLen(shape);
  const greedy = n > 0 && <u32>load<u8>(kinds + n - 1) == F.SHAPE_GREEDY;
  if (greedy ? Eval.segmentCount < n : Eval.segmentCount != n) return false; // {p+} takes one segment or more
  const literals = routeSegments(rec);
  for (let i: u32 = 0; i < n; i++) {
    const lit = blockItem(literals, i);
    if (lit == F.SEG_NOT_LITERAL) continue;
    if (!strEquals(lit, segmentStart(i), segmentLen(i))) return false;
  }
  return true;
}

function pushFiner(id1: u32): void {
  if (Eval.finerCount == Eval.finerCap) {
    const cap: u32 = Eval.finerCap == 0 ? 8 : Eval.finerCap * 2;
    const next = malloc(cap << 2);
    if (Eval.finerCount != 0) memory.copy(next, Eval.finers, Eval.finerCount << 2);
    Eval.finers = next;
    Eval.finerCap = cap;
  }
  store<u32>(Eval.finers + (<usize>Eval.finerCount << 2), id1);
  Eval.finerCount++;
}

/** compareRoutes(a, b) < 0: a's segment kinds rank first (leftmost difference), then exact method over ANY. */
function ranksBefore(a: u32, b: u32): bool {
  const ra = routeRecord(a);
  const rb = routeRecord(b);
  const sa = routeShape(ra);
  const sb = routeShape(rb);
  const pa = str(sa);
  const pb = str(sb);
  const la = strLen(sa);
  const lb = strLen(sb);
  const n = la < lb ? la : lb;
  for (let i: u32 = 0; i < n; i++) {
    const x = load<u8>(pa + i);
    const y = load<u8>(pb + i);
    if (x != y) return x < y;
  }
  return !isAnyMethod(ra) && isAnyMethod(rb);
}

/**
 * A terminal's routes for the request (exact method, then ANY); true once a route that does not
 * rank strictly before `stop` is met (`stop` itself, or a same-shape twin the trie holds instead).
 */
function collectTerminal(node: u32, stop: u32): bool {
  const t = terminalOf(node);
  if (t == 0) return false;
  // A request whose method is literally "ANY" matches only ANY routes: its exact slot is ANY's.
  if (Eval.method >= 0 && <u32>Eval.method != F.METHOD_ANY) {
    const r = terminalRoute(t, <u32>Eval.method);
    if (r != 0) {
      if (!ranksBefore(r, stop)) return true;
      pushFiner(r);
    }
  }
  const r = terminalRoute(t, F.METHOD_ANY);
  if (r != 0) {
    if (!ranksBefore(r, stop)) return true;
    pushFiner(r);
  }
  return false;
}

/**
 * Every route matching the request that ranks before the dispatched route `stop`, into Eval.finers:
 * the same depth-first walk as matchFrom (which is rank order), going on past the first hit and
 * ending where `stop` is met. True once it is.
 */
function collectFrom(node: u32, depth: u32, stop: u32): bool {
  if (depth == Eval.segmentCount) return collectTerminal(node, stop);
  const lit = literalStep(node, depth);
  if (lit != 0 && collectFrom(lit, depth + 1, stop)) return true;
  const param = paramChild(node);
  if (param != 0 && collectFrom(param, depth + 1, stop)) return true;
  const greedy = greedyChild(node);
  if (greedy != 0 && collectTerminal(greedy, stop)) return true; // depth < segmentCount: a segment is left
  return false;
}
