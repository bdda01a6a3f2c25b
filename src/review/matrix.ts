// The access matrix `claimguard report` shows: routes × principals, each cell what the compiled
// bundle decided in the test suites' own cases for that principal on that route (a case counts
// when it uses the principal as defined, with no claims added or unset), and, where no case did,
// the bundle's decision for the route's representative request, marked as untested.
import { isDeepStrictEqual } from 'node:util';
import type { Decision } from '../decision/types.js';
import type { Check, IRRoute, PolicyIR, SourceLocation } from '../policy/ir.js';
import type { CoverageReport } from '../testing/coverage.js';
import type { DecisionEngine } from '../testing/engine.js';
import { describeCheck, requirementLabel } from '../testing/explain.js';
import type { CaseResult, TestRunResult } from '../testing/run.js';
import type { ReviewPrincipal } from './access.js';
import { Placeholders, representativeRequest, type ProbeRequest } from './requests.js';

export interface Observation {
  readonly caseName: string;
  readonly at: SourceLocation;
  readonly request: string;
  readonly now: number;
  readonly decision: Decision;
  /** The case met its expectation (a failing case still shows what the bundle decided). */
  readonly passed: boolean;
}

export type CellVerdict = 'allow' | 'deny' | 'mixed' | 'untested';

export interface MatrixCell {
  readonly route: string;
  readonly principal: string;
  readonly verdict: CellVerdict;
  readonly observations: readonly Observation[];
  /** Only for untested cells: the representative request and the bundle's decision for it. */
  readonly representative: { readonly request: ProbeRequest; readonly decision: Decision } | null;
}

export interface RequirementRow {
  readonly label: string;
  readonly words: string;
  readonly at: SourceLocation;
  /** Outcomes some case produced (`pass`, `fail`) and those still needed. */
  readonly seen: readonly string[];
  readonly missing: readonly string[];
  readonly depth: number;
}

export interface RouteRow {
  readonly key: string;
  readonly public: boolean;
  readonly at: SourceLocation;
  readonly requirements: readonly RequirementRow[];
  readonly covered: number;
  readonly total: number;
  readonly cells: readonly MatrixCell[];
}

export interface AccessMatrix {
  readonly principals: readonly string[];
  readonly routes: readonly RouteRow[];
  /** Cases whose request matched no route (ROUTE_NOT_IN_POLICY, PATH_REJECTED). */
  readonly unrouted: readonly Observation[];
  readonly coverage: CoverageReport;
  readonly passed: number;
  readonly failed: number;
}

function observationOf(c: CaseResult): Observation {
  // The by-path input (or the pinned one) is first; its route is the one the bundle picked.
  const run = c.inputs[0]!;
  return {
    caseName: c.case.name,
    at: c.case.at,
    request: c.case.requestLine,
    now: c.case.now,
    decision: run.decision ?? run.reference.decision,
    passed: c.status === 'passed',
  };
}

function requirementRows(route: IRRoute, coverage: CoverageReport): RequirementRow[] {
  const items = coverage.items.filter((i) => i.route === route.key);
  const rows: RequirementRow[] = [];
  const walk = (checks: readonly Check[], depth: number): void => {
    for (const c of checks) {
      const item = items.find((i) => i.requirement === c.path);
      const seen = item?.seen ?? [];
      rows.push({ label: requirementLabel(route, c), words: describeCheck(c), at: c.at, seen, missing: (item?.needed ?? ['pass', 'fail']).filter((o) => !seen.includes(o)), depth });
      if (c.kind === 'anyOf') c.branches.forEach((b) => walk(b, depth + 1));
    }
  };
  walk(route.checks, 0);
  return rows;
}

export function accessMatrix(ir: PolicyIR, result: TestRunResult, engine: DecisionEngine, principals: readonly ReviewPrincipal[]): AccessMatrix {
  const byName = new Map(principals.map((p) => [p.name, p]));
  const cells = new Map<string, Observation[]>();
  const unrouted: Observation[] = [];
  for (const s of result.suites) {
    for (const c of s.cases) {
      const p = byName.get(c.case.principal);
      // Only the principal as defined: a case that adds or unsets claims tests a variant of it.
      if (p === undefined || !isDeepStrictEqual(c.case.token, p.tokenAt(s.suite.now))) continue;
      const o = observationOf(c);
      if (o.decision.route === null) {
        unrouted.push(o);
        continue;
      }
      const key = `${o.decision.route}\u0000${p.name}`;
      const list = cells.get(key) ?? [];
      list.push(o);
      cells.set(key, list);
    }
  }
  const placeholders = new Placeholders(ir);
  const routes = ir.routes.map((route): RouteRow => {
    const items = result.coverage.items.filter((i) => i.route === route.key);
    return {
      key: route.key,
      public: route.public,
      at: route.at,
      requirements: requirementRows(route, result.coverage),
      covered: items.reduce((n, i) => n + i.seen.length, 0),
      total: items.reduce((n, i) => n + i.needed.length, 0),
      cells: principals.map((p): MatrixCell => {
        const observations = cells.get(`${route.key}\u0000${p.name}`) ?? [];
        if (observations.length > 0) {
          const allows = observations.filter((o) => o.decision.allow).length;
          const verdict: CellVerdict = allows === observations.length ? 'allow' : allows === 0 ? 'deny' : 'mixed';
          return { route: route.key, principal: p.name, verdict, observations, representative: null };
        }
        const request = representativeRequest(ir, route, placeholders, p.token);
        const representative = request === null ? null : { request, decision: engine.decide({ request: { method: request.method, path: request.path }, token: p.token, now: p.now }) };
        return { route: route.key, principal: p.name, verdict: 'untested', observations: [], representative };
      }),
    };
  });
  return { principals: principals.map((p) => p.name), routes, unrouted, coverage: result.coverage, passed: result.passed, failed: result.failed + result.errors };
}
