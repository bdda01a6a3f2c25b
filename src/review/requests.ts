// Concrete requests for route templates: one representative request per route (what `diff` and
// `report` decide for each principal), and the probe requests that find which routes answered a
// new route's requests before, or answer a removed route's requests now.
//
// Path parameters get placeholder values (`x-orderId`) that no literal segment of either policy
// uses, so a placeholder never selects a literal route by accident. Where a route checks a
// parameter against the token (`subject` / `tenant` with `equalsPathParam`), the representative
// request for a principal uses the principal's own `sub` / `tId`: "may this user read their own
// profile?" is the question a reviewer means, and a placeholder would deny every principal.
import { splitPath } from '../decision/path.js';
import { matchByPath, type RouteMatch } from '../decision/route-select.js';
import type { Check, HttpMethod, IRRoute, PolicyIR, Segment } from '../policy/ir.js';
import { HTTP_METHODS } from '../policy/route-key.js';
import type { Claims } from '../testing/suite.js';

/** What API Gateway can send: every policy method but `ANY`. */
export const CONCRETE_METHODS: readonly Exclude<HttpMethod, 'ANY'>[] = HTTP_METHODS.filter((m): m is Exclude<HttpMethod, 'ANY'> => m !== 'ANY');

/** The method a representative request of an `ANY` route (or `$default`) uses. */
export const ANY_METHOD = 'GET';

export interface ProbeRequest {
  readonly method: string;
  readonly path: string;
}

/** Placeholder values that are not a literal segment of any of the policies. */
export class Placeholders {
  readonly #literals = new Set<string>();

  constructor(...irs: readonly PolicyIR[]) {
    for (const ir of irs) for (const r of ir.routes) for (const s of r.segments ?? []) if (s.kind === 'literal') this.#literals.add(s.value);
  }

  value(name: string): string {
    let v = `x-${name}`;
    for (let n = 2; this.#literals.has(v); n++) v = `x-${name}-${n}`;
    return v;
  }

  /** A path segment that is no literal: for `$default` probes. */
  get unmatched(): string {
    return this.value('default');
  }
}

/** The route `method path` selects by path (no routeKey), as the bundle's own index does. */
export function routeFor(ir: PolicyIR, request: ProbeRequest): RouteMatch | null {
  const segments = splitPath(request.path);
  if (segments === null) return null;
  return matchByPath(ir, request.method, segments);
}

const render = (parts: readonly string[]): string => `/${parts.join('/')}`;

function fill(segments: readonly Segment[], value: (s: Exclude<Segment, { kind: 'literal' }>) => string): string {
  return render(segments.map((s) => (s.kind === 'literal' ? s.value : value(s))));
}

/** Path parameters a route compares with `sub` / `tId`, in its own requirements, anyOf branches and defaults. */
export function ownershipParams(checks: readonly Check[]): Map<string, 'sub' | 'tId'> {
  const out = new Map<string, 'sub' | 'tId'>();
  const walk = (cs: readonly Check[]): void => {
    for (const c of cs) {
      if (c.kind === 'anyOf') c.branches.forEach(walk);
      else if (c.kind === 'subject') out.set(c.equalsPathParam, 'sub');
      else if (c.kind === 'tenant' && c.equalsPathParam !== null && !out.has(c.equalsPathParam)) out.set(c.equalsPathParam, 'tId');
    }
  };
  walk(checks);
  return out;
}

/** A token claim usable as one path segment (what API Gateway would capture for it). */
const asSegment = (v: unknown): string | null => (typeof v === 'string' && v !== '' && splitPath(`/${v}`)?.length === 1 ? v : null);

/**
 * The one request that stands for `route` in `ir`, for a principal: method (GET for `ANY` and
 * `$default`), placeholders, and the principal's own `sub`/`tId` where the route (in any of
 * `versions`) checks a parameter against them. Null when no request reaches the route by path
 * (a `$default` behind a greedy `ANY /{proxy+}`).
 */
export function representativeRequest(
  ir: PolicyIR,
  route: IRRoute,
  placeholders: Placeholders,
  token: Claims | null = null,
  versions: readonly IRRoute[] = [route],
): ProbeRequest | null {
  const method = route.method === null || route.method === 'ANY' ? ANY_METHOD : route.method;
  const reaches = (path: string): boolean => routeFor(ir, { method, path })?.route === route;
  if (route.segments === null) {
    for (let n = 1; n <= 3; n++) {
      const path = render(Array.from({ length: n }, () => placeholders.unmatched));
      if (reaches(path)) return { method, path };
    }
    return null;
  }
  const owned = new Map<string, 'sub' | 'tId'>();
  for (const v of versions) for (const [k, claim] of ownershipParams(v.checks)) owned.set(k, claim);
  const generic = fill(route.segments, (s) => placeholders.value(s.name));
  const personal = fill(route.segments, (s) => {
    const claim = owned.get(s.name);
    return (claim !== undefined && token !== null ? asSegment(token[claim]) : null) ?? placeholders.value(s.name);
  });
  if (personal !== generic && reaches(personal)) return { method, path: personal };
  return reaches(generic) ? { method, path: generic } : null;
}

/**
 * A request both templates match, as generic as possible (placeholders wherever both have a
 * parameter), or null when no request matches both. Any request matching both is matched by
 * every route that matches this one, so the route it selects is the one a real request of that
 * kind selects.
 */
export function intersection(a: readonly Segment[], b: readonly Segment[], placeholders: Placeholders): string | null {
  const out: string[] = [];
  const rest = (segments: readonly Segment[], from: number): string[] => segments.slice(from).map((s) => (s.kind === 'literal' ? s.value : placeholders.value(s.name)));
  for (let i = 0; ; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined && y === undefined) return render(out);
    if (x?.kind === 'greedy') return y === undefined ? null : render([...out, ...rest(b, i)]);
    if (y?.kind === 'greedy') return x === undefined ? null : render([...out, ...rest(a, i)]);
    if (x === undefined || y === undefined) return null;
    if (x.kind === 'literal' && y.kind === 'literal') {
      if (x.value !== y.value) return null;
      out.push(x.value);
    } else if (x.kind === 'literal') out.push(x.value);
    else if (y.kind === 'literal') out.push(y.value);
    else out.push(placeholders.value(x.name));
  }
}

const methodsOf = (r: IRRoute): readonly string[] => (r.method === null || r.method === 'ANY' ? CONCRETE_METHODS : [r.method]);

/**
 * Requests that reach `route` (of `own`) and, between them, every other route of `other` that can
 * answer some request `route` matches: the route's own representative and its intersection with
 * each route of `other`, for each method both accept.
 */
export function probes(route: IRRoute, other: PolicyIR, placeholders: Placeholders): ProbeRequest[] {
  const out = new Map<string, ProbeRequest>();
  // A greedy `{p+}` takes one segment or many, and different lengths can reach different routes
  // (a fixed-length template ranks before a greedy one only at its own length): probe it with the
  // greedy part one, two and three segments long.
  const greedy = route.segments?.at(-1)?.kind === 'greedy';
  const add = (method: string, path: string | null): void => {
    if (path === null) return;
    out.set(`${method} ${path}`, { method, path });
    if (!greedy) return;
    for (const extra of [placeholders.value('more'), `${placeholders.value('more')}/${placeholders.value('more2')}`]) {
      const longer = path === '/' ? `/${extra}` : `${path}/${extra}`;
      out.set(`${method} ${longer}`, { method, path: longer });
    }
  };
  if (route.segments === null) {
    for (const m of CONCRETE_METHODS) add(m, render([placeholders.unmatched]));
    return [...out.values()];
  }
  const mine = methodsOf(route);
  for (const m of mine) add(m, fill(route.segments, (s) => placeholders.value(s.name)));
  for (const u of other.routes) {
    if (u.segments === null) continue;
    const path = intersection(route.segments, u.segments, placeholders);
    for (const m of methodsOf(u)) if (mine.includes(m)) add(m, path);
  }
  return [...out.values()];
}
