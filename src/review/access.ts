// The concrete effect of a policy change: for every principal of the head's test suites and every
// route, the base bundle and the head bundle (loaded as the Lambda loads them) decide the route's
// representative request (src/review/requests.ts). Each principal × route whose verdict differs
// gains or loses access.
import type { Decision, DecisionInput } from '../decision/types.js';
import type { IRRoute, PolicyIR } from '../policy/ir.js';
import type { Claims } from '../testing/suite.js';
import { Placeholders, representativeRequest, type ProbeRequest } from './requests.js';

export type Verdict = 'allow' | 'deny';

/** A principal as the suites define it: its token (null for anonymous) at its suite's clock. */
export interface ReviewPrincipal {
  readonly name: string;
  readonly token: Claims | null;
  /** Epoch ms: the `now` of the suite that defines the principal. */
  readonly now: number;
  /** The token as a suite with another clock resolves it (relative times follow the suite that uses a principal). */
  readonly tokenAt: (now: number) => Claims | null;
}

export interface Decider {
  decide(input: DecisionInput): Decision;
}

export interface AccessChange {
  readonly principal: string;
  readonly route: string;
  readonly before: Verdict;
  readonly after: Verdict;
  /** The request both bundles decided (not in the JSON contract). */
  readonly request: ProbeRequest;
  readonly beforeDecision: Decision;
  readonly afterDecision: Decision;
}

const verdict = (d: Decision): Verdict => (d.allow ? 'allow' : 'deny');

/** Every route of the head, then the base's removed ones: each with the policy it is reached in. */
function routesOf(base: PolicyIR, head: PolicyIR): { route: IRRoute; ir: PolicyIR; versions: IRRoute[] }[] {
  const inBase = new Map(base.routes.map((r) => [r.key, r]));
  const inHead = new Set(head.routes.map((r) => r.key));
  const out = head.routes.map((route) => {
    const before = inBase.get(route.key);
    return { route, ir: head, versions: before === undefined ? [route] : [before, route] };
  });
  for (const route of base.routes) if (!inHead.has(route.key)) out.push({ route, ir: base, versions: [route] });
  return out;
}

export function accessChanges(
  base: { readonly ir: PolicyIR; readonly bundle: Decider },
  head: { readonly ir: PolicyIR; readonly bundle: Decider },
  principals: readonly ReviewPrincipal[],
): AccessChange[] {
  const placeholders = new Placeholders(base.ir, head.ir);
  const out: AccessChange[] = [];
  for (const { route, ir, versions } of routesOf(base.ir, head.ir)) {
    for (const p of principals) {
      const request = representativeRequest(ir, route, placeholders, p.token, versions);
      if (request === null) continue;
      const input: DecisionInput = { request: { method: request.method, path: request.path }, token: p.token, now: p.now };
      const beforeDecision = base.bundle.decide(input);
      const afterDecision = head.bundle.decide(input);
      if (beforeDecision.allow === afterDecision.allow) continue;
      out.push({ principal: p.name, route: route.key, before: verdict(beforeDecision), after: verdict(afterDecision), request, beforeDecision, afterDecision });
    }
  }
  return out;
}
