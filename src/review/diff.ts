// `claimguard diff`, per route: added, removed, modified or unchanged, and what that does to
// access. A route in both policies compares its own requirements. A new route takes requests that
// another route (a broader one, `$default`) or nothing answered before, so it compares with that
// one; a removed route's requests now go to another route or to nothing, so it compares with
// that. Which routes those are is found with probe requests (src/review/requests.ts), routed by
// method and path the way API Gateway ranks routes (the diff assumes the API's routes are the
// policy's routes, as `claimguard test` does).
import type { IRRoute, PolicyIR } from '../policy/ir.js';
import { combine, combineEffects, compareRoutes, effectOf, type ChangeDetail, type Effect, type Relation } from './classify.js';
import { Placeholders, probes, routeFor, type ProbeRequest } from './requests.js';

export type RouteChangeKind = 'added' | 'removed' | 'modified' | 'unchanged';

/** For an added route, who answered its requests before; for a removed one, who answers them now. */
export interface Handover {
  /** A route key of the other policy, or null when no route answers (ROUTE_NOT_IN_POLICY). */
  readonly route: string | null;
  /** One request of that kind. */
  readonly request: ProbeRequest;
  readonly relation: Relation;
}

export interface RouteChange {
  readonly route: string;
  readonly change: RouteChangeKind;
  readonly effect: Effect;
  readonly details: readonly ChangeDetail[];
  /** Added and removed routes only. */
  readonly handovers: readonly Handover[];
}

const line = (r: ProbeRequest): string => `${r.method} ${r.path}`;
const who = (key: string | null, dflt: string): string => (key === null ? 'no route (denied with ROUTE_NOT_IN_POLICY)' : key === '$default' ? '$default' : dflt);

export function diffRoutes(base: PolicyIR, head: PolicyIR): RouteChange[] {
  const placeholders = new Placeholders(base, head);
  const inBase = new Map(base.routes.map((r) => [r.key, r]));
  const inHead = new Map(head.routes.map((r) => [r.key, r]));
  const out: RouteChange[] = [];
  for (const h of head.routes) {
    const b = inBase.get(h.key);
    if (b === undefined) {
      out.push(added(h, base, head, placeholders));
      continue;
    }
    const c = compareRoutes(b, h);
    out.push({ route: h.key, change: c.relation === 'same' ? 'unchanged' : 'modified', effect: effectOf(c.relation), details: c.details, handovers: [] });
  }
  for (const b of base.routes) if (!inHead.has(b.key)) out.push(removed(b, base, head, placeholders));
  return out;
}

/** The effect of the whole change. */
export function overallEffect(routes: readonly RouteChange[]): Effect {
  return combineEffects(routes.map((r) => r.effect));
}

interface Group {
  readonly other: IRRoute | null;
  readonly request: ProbeRequest;
}

/** Probe requests of `route` that `own` sends to it, grouped by the route `other` sends them to. */
function handoverGroups(route: IRRoute, own: PolicyIR, other: PolicyIR, placeholders: Placeholders): Group[] {
  const groups = new Map<string | null, Group>();
  for (const p of probes(route, other, placeholders)) {
    if (routeFor(own, p)?.route !== route) continue;
    const there = routeFor(other, p)?.route ?? null;
    const key = there?.key ?? null;
    if (!groups.has(key)) groups.set(key, { other: there, request: p });
  }
  return [...groups.values()];
}

function added(route: IRRoute, base: PolicyIR, head: PolicyIR, placeholders: Placeholders): RouteChange {
  if (route.segments === null) {
    // Requests no route of the head matches went to no route of the base either, unless to a
    // route the head removed: that route's own entry says where its requests go.
    const reason = 'added $default: requests no route matches were denied (ROUTE_NOT_IN_POLICY); $default now answers them';
    return { route: route.key, change: 'added', effect: 'loosened', details: [{ requirement: 'route', effect: 'loosened', reason }], handovers: [] };
  }
  return handover(route, 'added', handoverGroups(route, head, base, placeholders), (g) => {
    if (g.other === null) {
      return { relation: 'loosened', details: [{ requirement: 'route', effect: 'loosened', reason: `added: ${line(g.request)} matched no route before (denied with ROUTE_NOT_IN_POLICY)` }] };
    }
    const c = compareRoutes(g.other, route);
    return { relation: c.relation, details: c.details.map((d) => ({ ...d, reason: `vs ${who(g.other!.key, g.other!.key)}, which answered ${line(g.request)} before: ${d.reason}` })) };
  });
}

function removed(route: IRRoute, base: PolicyIR, head: PolicyIR, placeholders: Placeholders): RouteChange {
  if (route.segments === null) {
    const reason = 'removed $default: requests no route matches are now denied (ROUTE_NOT_IN_POLICY)';
    return { route: route.key, change: 'removed', effect: 'tightened', details: [{ requirement: 'route', effect: 'tightened', reason }], handovers: [] };
  }
  return handover(route, 'removed', handoverGroups(route, base, head, placeholders), (g) => {
    if (g.other === null) {
      return { relation: 'tightened', details: [{ requirement: 'route', effect: 'tightened', reason: `removed: ${line(g.request)} now matches no route (denied with ROUTE_NOT_IN_POLICY)` }] };
    }
    const c = compareRoutes(route, g.other);
    return { relation: c.relation, details: c.details.map((d) => ({ ...d, reason: `vs ${who(g.other!.key, g.other!.key)}, which now answers ${line(g.request)}: ${d.reason}` })) };
  });
}

function handover(
  route: IRRoute,
  change: 'added' | 'removed',
  groups: readonly Group[],
  compare: (g: Group) => { relation: Relation; details: readonly ChangeDetail[] },
): RouteChange {
  const handovers: Handover[] = [];
  const details: ChangeDetail[] = [];
  if (groups.length === 0) {
    // No probe reaches the route, so nothing shows what it takes over or gives away: say so,
    // never "none".
    const reason = `${change}: no probe request reaches this route, so its effect on access is unknown`;
    return { route: route.key, change, effect: 'mixed', details: [{ requirement: 'route', effect: 'changed', reason }], handovers };
  }
  for (const g of groups) {
    const c = compare(g);
    handovers.push({ route: g.other?.key ?? null, request: g.request, relation: c.relation });
    details.push(...c.details);
  }
  return { route: route.key, change, effect: effectOf(combine(handovers.map((h) => h.relation))), details, handovers };
}
