// The reference evaluator: DESIGN §3 in plain TypeScript. It is the semantic oracle the wasm
// module is tested against, so it favours being obviously right over being fast.
import type { PolicyIR } from '../policy/ir.js';
import { evaluateChecks, type CheckOutcome } from './checks.js';
import { checkInput } from './input.js';
import { splitPath } from './path.js';
import { selectRoute, type RouteMatch } from './route-select.js';
import type { Decision, Reason } from './types.js';

export interface Evaluation {
  readonly decision: Decision;
  /** The matched route and its captured or given parameters, when one matched. */
  readonly match: RouteMatch | null;
  /** One outcome per route check, in order; empty when the checks did not run. */
  readonly outcomes: readonly CheckOutcome[];
}

const deny = (status: 401 | 403, route: string | null, reasons: readonly Reason[]): Decision => ({
  allow: false,
  status,
  route,
  reasons,
});

/** Full evaluation with per-check outcomes, for `explain` and coverage. */
export function evaluate(ir: PolicyIR, input: unknown): Evaluation {
  const checked = checkInput(input);
  if ('code' in checked) return { decision: deny(403, null, [checked]), match: null, outcomes: [] };
  const segments = splitPath(checked.path);
  if (segments === null) {
    const reason: Reason = {
      id: 'request.path',
      code: 'PATH_REJECTED',
      reason: { message: 'path is not in canonical form' },
    };
    return { decision: deny(403, null, [reason]), match: null, outcomes: [] };
  }
  const match = selectRoute(ir, checked, segments);
  if (match === null) {
    const reason: Reason = {
      id: 'request',
      code: 'ROUTE_NOT_IN_POLICY',
      reason: { message: 'no policy route matches the request' },
    };
    return { decision: deny(403, null, [reason]), match: null, outcomes: [] };
  }
  const route = match.route;
  if (route.public) return { decision: { allow: true, status: 200, route: route.key, reasons: [] }, match, outcomes: [] };
  if (checked.token === null) {
    const reason: Reason = { id: 'token', code: 'TOKEN_MISSING', reason: { message: 'token missing' } };
    return { decision: deny(401, route.key, [reason]), match, outcomes: [] };
  }
  const outcomes = evaluateChecks(route.checks, { token: checked.token, params: match.params, now: checked.now });
  const reasons = outcomes.flatMap((o) => o.reasons);
  // Allow only when every check passed; a failed check always carries a reason, except an anyOf
  // without branches, which the loader and the compiler refuse — and which still denies here.
  const decision: Decision = outcomes.every((o) => o.pass)
    ? { allow: true, status: 200, route: route.key, reasons }
    : deny(403, route.key, reasons);
  return { decision, match, outcomes };
}

/** The decision for one input document (entrypoint `claimguard/decision`). */
export function decide(ir: PolicyIR, input: unknown): Decision {
  return evaluate(ir, input).decision;
}
