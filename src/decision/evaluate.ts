// The reference evaluator: docs/decision.md in plain TypeScript. It is the semantic oracle the
// wasm module is tested against, so it favours being obviously right over being fast.
import type { PolicyIR } from '../policy/ir.js';
import { evaluateChecks, type CheckOutcome } from './checks.js';
import { checkInput } from './input.js';
import { splitPath } from './path.js';
import { MISMATCH, selectRoute, type RouteMatch } from './route-select.js';
import type { Decision, Reason } from './types.js';
import { REQUEST_REASONS } from './vocabulary.js';

export interface Evaluation {
  readonly decision: Decision;
  /** The route that decides (the dispatched one, or the best match by path), when one matched. */
  readonly match: RouteMatch | null;
  /** One outcome per check of `match`, in order; empty when its checks did not run. */
  readonly outcomes: readonly CheckOutcome[];
  /** Finer policy routes whose requirements applied as well (routeKey hit only), most specific first. */
  readonly finer: readonly FinerEvaluation[];
}

export interface FinerEvaluation {
  readonly match: RouteMatch;
  /** Empty when its checks did not run (public route, or no token). */
  readonly outcomes: readonly CheckOutcome[];
}

const deny = (status: 401 | 403, route: string | null, reasons: readonly Reason[]): Decision => ({
  allow: false,
  status,
  route,
  reasons,
});

/** A deny decided before any route's checks ran. */
const refused = (reason: Reason): Evaluation => ({ decision: deny(403, null, [reason]), match: null, outcomes: [], finer: [] });

/** One of the reasons given before any requirement runs. */
const requestReason = (r: (typeof REQUEST_REASONS)[keyof typeof REQUEST_REASONS]): Reason => ({
  id: r.id,
  code: r.code,
  reason: { message: r.message },
});

/** The decision's keys in contract order, with `finerRoutes` only when finer routes applied. */
function decision(allow: boolean, status: 200 | 401 | 403, match: RouteMatch, finer: readonly RouteMatch[], reasons: readonly Reason[]): Decision {
  return finer.length === 0
    ? { allow, status, route: match.route.key, reasons }
    : { allow, status, route: match.route.key, finerRoutes: finer.map((m) => m.route.key), reasons };
}

/** Full evaluation with per-check outcomes, for `explain` and coverage. */
export function evaluate(ir: PolicyIR, input: unknown): Evaluation {
  const checked = checkInput(input);
  if ('code' in checked) return refused(checked);
  const segments = splitPath(checked.path);
  if (segments === null) {
    return refused(requestReason(REQUEST_REASONS.pathRejected));
  }
  const selected = selectRoute(ir, checked, segments);
  if (selected === MISMATCH) {
    return refused(requestReason(REQUEST_REASONS.routeMismatch));
  }
  if (selected === null) {
    return refused(requestReason(REQUEST_REASONS.routeNotInPolicy));
  }
  const { match, finer } = selected;
  const none: Evaluation = { decision: decision(true, 200, match, finer, []), match, outcomes: [], finer: finer.map((m) => ({ match: m, outcomes: [] })) };
  if ([match, ...finer].every((m) => m.route.public)) return none;
  if (checked.token === null) {
    return { ...none, decision: decision(false, 401, match, finer, [requestReason(REQUEST_REASONS.tokenMissing)]) };
  }
  const token = checked.token;
  const run = (m: RouteMatch): CheckOutcome[] =>
    m.route.public ? [] : evaluateChecks(m.route.checks, { token, params: m.params, now: checked.now });
  const outcomes = run(match);
  const finerEvaluations = finer.map((m) => ({ match: m, outcomes: run(m) }));
  const reasons: Reason[] = outcomes.flatMap((o) => o.reasons);
  // A finer route adds only reasons not already listed (the global and default requirements are
  // in every route, so they would repeat).
  const listed = new Set(reasons.map((r) => JSON.stringify(r)));
  for (const r of finerEvaluations.flatMap((f) => f.outcomes.flatMap((o) => o.reasons))) {
    const text = JSON.stringify(r);
    if (listed.has(text)) continue;
    listed.add(text);
    reasons.push(r);
  }
  // Allow only when every check passed; a failed check always carries a reason, except an anyOf
  // without branches, which the loader and the compiler refuse — and which still denies here.
  const allow = [outcomes, ...finerEvaluations.map((f) => f.outcomes)].every((os) => os.every((o) => o.pass));
  return { match, outcomes, finer: finerEvaluations, decision: decision(allow, allow ? 200 : 403, match, finer, reasons) };
}

/** The decision for one input document (entrypoint `claimguard/decision`). */
export function decide(ir: PolicyIR, input: unknown): Decision {
  return evaluate(ir, input).decision;
}
