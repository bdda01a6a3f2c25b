// Route selection: routeKey hit first, then API Gateway's ranking of method + path.
// This is the oracle, so it scans every route; the wasm module uses an index and must agree.
import type { IRRoute, PolicyIR, Segment } from '../policy/ir.js';
import { isObject, own, type JsonObject } from './input.js';

export interface RouteMatch {
  readonly route: IRRoute;
  /** Parameter name → value: from the request's pathParameters on a routeKey hit, else captured. */
  readonly params: JsonObject;
}

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
    if (s === undefined) return null;
    if (t.kind === 'literal' && t.value !== s) return null;
    if (t.kind === 'param') params[t.name] = s;
  }
  return template.length === segments.length ? params : null;
}

/** Negative when a ranks before b: literal beats {param} beats {greedy+}, leftmost difference first; then exact method beats ANY. */
function compareRoutes(a: IRRoute, b: IRRoute): number {
  const sa = a.segments!;
  const sb = b.segments!;
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const d = RANK[sa[i]!.kind] - RANK[sb[i]!.kind];
    if (d !== 0) return d;
  }
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}

export function selectRoute(
  ir: PolicyIR,
  request: { method: string; routeKey: string | null; pathParameters: JsonObject },
  segments: readonly string[],
): RouteMatch | null {
  // `$default` as the API's route key says nothing about which policy route applies: match by path.
  const hit =
    request.routeKey !== null && request.routeKey !== '$default'
      ? ir.routes.find((r) => r.key === request.routeKey && r.segments !== null)
      : undefined;
  let best: RouteMatch | null = null;
  for (const route of ir.routes) {
    if (route.segments === null) continue;
    if (route.method !== request.method && route.method !== 'ANY') continue;
    const params = matchTemplate(route.segments, segments);
    if (params === null) continue;
    if (best === null || compareRoutes(route, best.route) < 0) best = { route, params };
  }
  if (hit) {
    // The API's route is trusted unless the policy is finer than the API's routes (one
    // `ANY /{proxy+}` integration in front of a policy with specific routes): then the more
    // specific policy route decides, or a catch-all would bypass it.
    if (best !== null && compareRoutes(best.route, hit) < 0) return best;
    return { route: hit, params: request.pathParameters };
  }
  if (best) return best;
  const fallback = ir.routes.find((r) => r.segments === null);
  return fallback ? { route: fallback, params: {} } : null;
}

/** A path parameter's value, or undefined when absent or not a string. */
export function pathParam(params: JsonObject, name: string): string | undefined {
  const v = isObject(params) ? own(params, name) : undefined;
  return typeof v === 'string' ? v : undefined;
}
