// Coverage per route × requirement, from the reference evaluator's outcomes (which see every
// check, every anyOf branch, even after the decision is known). A protected route's requirement
// is covered when some case made it pass and some case made it fail; a public route is covered
// when some case reached it. A route no case reached has every item uncovered.
import type { CheckOutcome } from '../decision/checks.js';
import type { Evaluation } from '../decision/evaluate.js';
import type { Check, IRRoute, PolicyIR, SourceLocation } from '../policy/ir.js';

export type Outcome = 'pass' | 'fail' | 'reached';

export interface CoverageItem {
  readonly route: string;
  /** The requirement's stable path (`routes["GET /a"].require.roles`, `audience`…), or the route's for public. */
  readonly requirement: string;
  readonly at: SourceLocation;
  readonly needed: readonly Outcome[];
  readonly seen: readonly Outcome[];
}

export interface CoverageReport {
  /**
   * Which routes were counted: every route of the policy, or (with `test --filter`) only the
   * routes the selected cases reach, so a focused run is not judged on routes it never meant to test.
   */
  readonly scope: 'all' | 'reached';
  /** How many routes were counted. */
  readonly routes: number;
  readonly covered: number;
  readonly total: number;
  /** 0–100; 100 when there is nothing to cover. */
  readonly percent: number;
  readonly items: readonly CoverageItem[];
  readonly uncovered: readonly { readonly route: string; readonly requirement: string; readonly missing: Outcome; readonly at: SourceLocation }[];
}

export class CoverageRecorder {
  readonly #ir: PolicyIR;
  /** Per route: global and default checks are shared objects in the IR, but covered per route. */
  readonly #checks = new Map<IRRoute, Map<Check, Set<Outcome>>>();
  readonly #reached = new Set<IRRoute>();

  constructor(ir: PolicyIR) {
    this.#ir = ir;
  }

  record(evaluation: Evaluation): void {
    if (evaluation.match !== null) this.#recordRoute(evaluation.match.route, evaluation.outcomes);
    for (const f of evaluation.finer) this.#recordRoute(f.match.route, f.outcomes);
  }

  #recordRoute(route: IRRoute, outcomes: readonly CheckOutcome[]): void {
    if (route.public) this.#reached.add(route);
    let checks = this.#checks.get(route);
    if (checks === undefined) this.#checks.set(route, (checks = new Map()));
    record(checks, outcomes);
  }

  /** Coverage over every route, or with `scope: 'reached'` over the routes some input reached. */
  report(scope: 'all' | 'reached' = 'all'): CoverageReport {
    const items: CoverageItem[] = [];
    const walk = (route: IRRoute, checks: readonly Check[]): void => {
      for (const check of checks) {
        const seen = this.#checks.get(route)?.get(check) ?? new Set<Outcome>();
        items.push({ route: route.key, requirement: check.path, at: check.at, needed: ['pass', 'fail'], seen: (['pass', 'fail'] as const).filter((x) => seen.has(x)) });
        if (check.kind === 'anyOf') for (const branch of check.branches) walk(route, branch);
      }
    };
    const routes = scope === 'all' ? this.#ir.routes : this.#ir.routes.filter((r) => this.#reached.has(r) || this.#checks.has(r));
    for (const route of routes) {
      if (route.public) {
        const seen: Outcome[] = this.#reached.has(route) ? ['reached'] : [];
        items.push({ route: route.key, requirement: `routes[${JSON.stringify(route.key)}]`, at: route.at, needed: ['reached'], seen });
      } else {
        walk(route, route.checks);
      }
    }
    const total = items.reduce((n, i) => n + i.needed.length, 0);
    const covered = items.reduce((n, i) => n + i.seen.length, 0);
    const uncovered = items.flatMap((i) =>
      i.needed.filter((o) => !i.seen.includes(o)).map((missing) => ({ route: i.route, requirement: i.requirement, missing, at: i.at })),
    );
    return { scope, routes: routes.length, covered, total, percent: total === 0 ? 100 : (covered / total) * 100, items, uncovered };
  }
}

function record(into: Map<Check, Set<Outcome>>, outcomes: readonly CheckOutcome[]): void {
  for (const o of outcomes) {
    let seen = into.get(o.check);
    if (seen === undefined) into.set(o.check, (seen = new Set()));
    seen.add(o.pass ? 'pass' : 'fail');
    for (const branch of o.branches ?? []) record(into, branch);
  }
}
