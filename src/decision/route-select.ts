// Route selection (docs/decision.md, "Which route decides"): the route API Gateway dispatched
// (routeKey) always applies, a strictly finer policy route that also matches applies as well, and
// without a usable routeKey the request is matched by method and path the way API Gateway ranks
// routes. This is the oracle, so it scans every route; the wasm module uses an index and must agree.
import type { IRRoute, PolicyIR, Segment } from '../policy/ir.js';
import { isObject, own, type JsonObject } from './input.js';

export interface RouteMatch {
  readonly route: IRRoute;
  /** Parameter name → value: from the request's pathParameters on a routeKey hit, else captured. */
  readonly params: JsonObject;
}

export interface RouteSelection {
  /** The dispatched route (routeKey hit), or the best match by method and path, or `$default`. */
  readonly match: RouteMatch;
  /**
   * Only on a routeKey hit: every policy route that matches the method and path and is strictly
   * more specific than the dispatched one, most specific first. Their requirements apply too.
   */
  readonly finer: readonly RouteMatch[];
}

/** The routeKey names a policy route whose template cannot match the request: an inconsistent event. */
// Stryker disable next-line StringLiteral: a sentinel compared by identity only (evaluate.ts); its text is never shown.
export const MISMATCH = 'mismatch';

const RANK: Record<Segment['kind'], number> = { literal: 0, param: 1, greedy: 2 };

/** Captured params when the template matches the path segments, else null. */
function matchTemplate(template: readonly Segment[], segments: readonly string[]): JsonObject | null {
  // Null prototype: a parameter named `__proto__` must be stored as data, not set the prototype.
  const params: JsonObject = Object.create(null) as JsonObject;
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    if (t.kind === 'greedy') {
      if (i >= segments.length) return null; // {p+} needs at least one segment
      params[t.name] = segments.slice(i).join('/');
      return params;
    }
    const s = segments[i];
    // Stryker disable next-line ConditionalExpression: without this early exit a missing segment still fails (a literal never equals undefined, and a param leaves the lengths unequal); it says so here.
    if (s === undefined) return null;
    if (t.kind === 'literal' && t.value !== s) return null;
    if (t.kind === 'param') params[t.name] = s;
  }
  return template.length === segments.length ? params : null;
}

/** Captured params when the route (not `$default`) matches the method and path, else null. */
function matchRoute(route: IRRoute, method: string, segments: readonly string[]): JsonObject | null {
  // Stryker disable next-line ConditionalExpression: `$default` is also the only route whose method is null, so the method test below refuses it too; this line narrows the type and says why.
  if (route.segments === null) return null;
  if (route.method !== method && route.method !== 'ANY') return null;
  return matchTemplate(route.segments, segments);
}

/** Negative when a ranks before b: literal beats {param} beats {greedy+}, leftmost difference first; then exact method beats ANY. */
function compareRoutes(a: IRRoute, b: IRRoute): number {
  const sa = a.segments!;
  const sb = b.segments!;
  // Stryker disable next-line MethodExpression: both routes match the same path, so their templates differ at or before the shorter one's end (a greedy segment is last and outranked there) and the loop returns first; Math.max would reach past it only for routes that cannot both match.
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const d = RANK[sa[i]!.kind] - RANK[sb[i]!.kind];
    if (d !== 0) return d;
  }
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}

/** Every route (not `$default`) matching the method and path, in API Gateway's rank order. */
function matches(ir: PolicyIR, method: string, segments: readonly string[]): RouteMatch[] {
  const found: RouteMatch[] = [];
  for (const route of ir.routes) {
    const params = matchRoute(route, method, segments);
    if (params !== null) found.push({ route, params });
  }
  // Stable: two matching routes never rank equal (keys and shapes are unique), so order is total.
  return found.sort((a, b) => compareRoutes(a.route, b.route));
}

/** Matching by method and path alone (no routeKey, or `$default`): the best template, else `$default`. */
export function matchByPath(ir: PolicyIR, method: string, segments: readonly string[]): RouteMatch | null {
  const best = matches(ir, method, segments)[0];
  if (best !== undefined) return best;
  const fallback = ir.routes.find((r) => r.segments === null);
  return fallback ? { route: fallback, params: {} } : null;
}

export function selectRoute(
  ir: PolicyIR,
  request: { method: string; routeKey: string | null; pathParameters: JsonObject },
  segments: readonly string[],
): RouteSelection | typeof MISMATCH | null {
  // `$default` as the API's route key says nothing about which policy route applies: match by path.
  // Two guards for one fact: `$default` is the only route key of a route without segments, so each
  // guard alone keeps a `$default` routeKey from dispatching, and mutating either alone changes
  // nothing. test/decision/route-select.mutation.test.ts pins what they guard together.
  const hit =
    // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: equivalent alone (see above)
    request.routeKey !== null && request.routeKey !== '$default'
      ? // Stryker disable next-line ConditionalExpression: equivalent alone (see above)
        ir.routes.find((r) => r.key === request.routeKey && r.segments !== null)
      : undefined;
  if (hit !== undefined) {
    // API Gateway invoked this route's integration, so its requirements always apply; a path it
    // cannot match means the event is not what API Gateway sends, and nothing else may stand in.
    if (matchRoute(hit, request.method, segments) === null) return MISMATCH;
    // A policy finer than the API's routes (one `ANY /{proxy+}` integration in front of specific
    // policy routes) must not be bypassed: every finer route's requirements apply too. All of
    // them, not only the most specific: a finer public route must not hide a protected one.
    const finer = matches(ir, request.method, segments).filter((m) => compareRoutes(m.route, hit) < 0);
    return { match: { route: hit, params: request.pathParameters }, finer };
  }
  const match = matchByPath(ir, request.method, segments);
  return match === null ? null : { match, finer: [] };
}

/** A path parameter's value, or undefined when absent or not a string. */
export function pathParam(params: JsonObject, name: string): string | undefined {
  const v = isObject(params) ? own(params, name) : undefined;
  return typeof v === 'string' ? v : undefined;
}
