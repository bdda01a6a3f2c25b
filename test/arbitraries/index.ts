// Public surface of the test arbitraries: reused by test/decision, the wasm differential test and
// `npm run fuzz:long`. Everything generated is plain JSON-serializable data.
import fc from 'fast-check';
import type { PolicyIR } from '../../src/policy/ir.js';
import { arbInputFor, type InputOptions } from './input.js';
import { arbPolicyIR, type PolicyIROptions } from './policy.js';

export { arbJsonEqualCopy, arbJsonValue, jsonObject, reorderKeys } from './json.js';
export {
  arbAnyOf,
  arbLeafCheck,
  arbPolicyIR,
  arbRequireMap,
  arbRouteTemplate,
  paramNamesOf,
  renderTemplate,
  templateShape,
  type PolicyIROptions,
  type RouteTemplate,
} from './policy.js';
export { arbInputFor, genInputFor, genNow, genPathFor, genToken, type InputOptions } from './input.js';
export * as vocab from './vocab.js';

export interface DecisionCase {
  readonly ir: PolicyIR;
  readonly input: unknown;
}

/** One policy and one input aimed at it. */
export function arbCase(policy: PolicyIROptions = {}, input: InputOptions = {}): fc.Arbitrary<DecisionCase> {
  return arbPolicyIR(policy).chain((ir) => arbInputFor(ir, input).map((i) => ({ ir, input: i })));
}

/** One policy and many inputs aimed at it: cheaper per input when the policy is expensive to compile. */
export function arbCases(
  count: { min?: number; max?: number } = {},
  policy: PolicyIROptions = {},
  input: InputOptions = {},
): fc.Arbitrary<{ readonly ir: PolicyIR; readonly inputs: readonly unknown[] }> {
  return arbPolicyIR(policy).chain((ir) =>
    fc.array(arbInputFor(ir, input), { minLength: count.min ?? 1, maxLength: count.max ?? 50 }).map((inputs) => ({ ir, inputs })),
  );
}
