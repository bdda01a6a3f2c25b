// What runs the cases. In `claimguard test` and `explain` it is always the bundle that ships,
// loaded through the official OPA SDK (bundle-engine.ts); the interface keeps the runner free of
// how the bundle was obtained.
import type { Decision, DecisionInput } from '../decision/types.js';

export interface DecisionEngine {
  /** For reports: `bundle <revision> (built in memory)`. */
  readonly description: string;
  /** Throws when the engine cannot decide (a RuntimeError from the bundle): the runner reports it. */
  decide(input: DecisionInput): Decision;
}
