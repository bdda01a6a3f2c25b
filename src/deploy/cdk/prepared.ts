// The policy as the CDK constructs see it at synth time: loaded (and compiled, for functions) by
// the library's own loader and compiler in a child process (prepare.ts), because construct
// constructors are synchronous. One result per policy per synth, unless its files change.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PolicyIR } from '../../policy/ir.js';
import { DeployError } from '../errors.js';

export type PrepareResult =
  | {
      readonly ok: true;
      readonly ir: PolicyIR;
      /** Files read, relative to the base directory: the entry first. */
      readonly files: readonly string[];
      readonly warnings: readonly string[];
      /** The compiled bundle, when asked for. */
      readonly bundle: { readonly file: string; readonly revision: string } | null;
    }
  | { readonly ok: false; readonly errors: readonly string[]; readonly warnings: readonly string[] };

export type PreparedPolicy = Extract<PrepareResult, { ok: true }>;

/** prepare.js beside this file once compiled to lib/, or in lib/ when running from src/ (tests). */
function workerPath(): string {
  const candidates = [new URL('./prepare.js', import.meta.url), new URL('../../../lib/deploy/cdk/prepare.js', import.meta.url)];
  const found = candidates.map((u) => fileURLToPath(u)).find((p) => existsSync(p));
  if (found === undefined) throw new DeployError('PREPARE_FAILED', 'lib/deploy/cdk/prepare.js is missing: run `npm run build` first');
  return found;
}

const cache = new Map<string, { readonly stamp: string; readonly result: PreparedPolicy }>();

/** Size and mtime of every file the load read: a changed policy is loaded again. */
function stampOf(baseDir: string, files: readonly string[]): string {
  return files
    .map((f) => {
      try {
        const s = statSync(resolve(baseDir, f));
        return `${f}:${s.size}:${s.mtimeMs}`;
      } catch {
        return `${f}:missing`;
      }
    })
    .join('|');
}

/**
 * Loads `policies` (relative to the working directory, like the CLI) and, with `bundleDir`,
 * compiles its bundle there. Throws a DeployError listing every policy problem.
 */
export function preparePolicy(policies: string, options: { readonly bundleDir?: string } = {}): PreparedPolicy {
  const baseDir = process.cwd();
  const entry = resolve(baseDir, policies);
  const key = `${entry}\0${options.bundleDir ?? ''}`;
  const hit = cache.get(key);
  if (hit !== undefined && hit.stamp === stampOf(baseDir, hit.result.files)) return hit.result;

  const args = [workerPath(), entry, baseDir, ...(options.bundleDir === undefined ? [] : [options.bundleDir])];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error !== undefined || run.status !== 0) {
    const why = run.error?.message ?? (run.stderr.trim() || `exit code ${String(run.status)}`);
    throw new DeployError('PREPARE_FAILED', `claimguard could not load ${policies} at synth time: ${why}`, { cause: run.error });
  }
  let result: PrepareResult;
  try {
    result = JSON.parse(run.stdout) as PrepareResult;
  } catch (cause) {
    throw new DeployError('PREPARE_FAILED', `claimguard's synth-time policy load printed no result: ${run.stdout.slice(0, 200)}`, { cause });
  }
  if (!result.ok) {
    throw new DeployError('POLICY_INVALID', `${policies} has errors; fix them (\`claimguard check\`) before synthesizing:\n${result.errors.join('\n')}`);
  }
  cache.set(key, { stamp: stampOf(baseDir, result.files), result });
  return result;
}
