// The decision engine `test`, `explain` and `report` run cases on: the bundle given with
// `--bundle`, or one compiled in memory from the policy. A bundle file that is not there is I/O
// (exit 2); one that is there but does not load is a finding (exit 1), with its code.
import { resolve } from 'node:path';
import type { PolicyIR } from '../policy/ir.js';
import { bundleEngine } from '../testing/bundle-engine.js';
import type { DecisionEngine } from '../testing/engine.js';
import { EXIT_FAILURE, usageError, type CliIo, type ExitCode } from './io.js';

export async function engineForCli(io: CliIo, ir: PolicyIR, bundle: string | undefined, purpose: string): Promise<DecisionEngine | ExitCode> {
  try {
    return await bundleEngine(ir, bundle === undefined ? undefined : resolve(io.cwd, bundle));
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    const message = cause instanceof Error ? cause.message : String(cause);
    if (code === 'BUNDLE_NOT_FOUND') return usageError(io, message);
    io.stderr.write(`claimguard: cannot load the bundle ${purpose}${typeof code === 'string' ? ` (${code})` : ''}: ${message}\n`);
    return EXIT_FAILURE;
  }
}
