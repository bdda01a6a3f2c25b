// The engine `test` and `explain` use: the policy compiled in memory with buildBundle (the same
// bytes `claimguard build` writes), or the bundle at --bundle, loaded as the Lambda loads it.
// A signed bundle's signature is not checked here (as `opa test` does not): `claimguard
// verify-bundle` does that.
import { buildBundle } from '../compile/compile.js';
import type { PolicyIR } from '../policy/ir.js';
import { loadBundle } from '../runtime/load-bundle.js';
import type { DecisionEngine } from './engine.js';

export async function bundleEngine(ir: PolicyIR, bundlePath?: string): Promise<DecisionEngine> {
  const source = bundlePath ?? (await buildBundle(ir)).bytes;
  const authorizer = await loadBundle(source, { skipVerification: true });
  return {
    description: `bundle ${authorizer.revision} (${bundlePath ?? 'built in memory'})`,
    decide: (input) => authorizer.decide(input),
  };
}
