// The policy as the CDK constructs see it at synth time: loaded (and compiled, for functions) by
// the library's own loader and compiler in a child process (prepare.ts), because construct
// constructors are synchronous. One result per policy per synth, unless its files change.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
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
      /** The compiled bundle. */
      readonly bundle: { readonly file: string; readonly revision: string };
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

const cache = new Map<string, { readonly stamp: string; readonly files: readonly string[]; readonly result: PrepareResult }>();

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

let bundleDir: string | undefined;

/**
 * Compiled bundles of this synth, named by revision, in a private temp dir removed when the
 * process exits (by then bundling has copied them into the cloud assembly's assets).
 */
function bundles(): string {
  if (bundleDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'claimguard-cdk-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    bundleDir = dir;
  }
  return bundleDir;
}

interface Job {
  readonly policies: string;
  readonly entry: string;
  readonly baseDir: string;
  readonly args: readonly string[];
}

function job(policies: string): Job {
  const baseDir = process.cwd();
  const entry = resolve(baseDir, policies);
  return { policies, entry, baseDir, args: [workerPath(), entry, baseDir, bundles()] };
}

function cached(j: Job): PrepareResult | undefined {
  const hit = cache.get(j.entry);
  return hit !== undefined && hit.stamp === stampOf(j.baseDir, hit.files) ? hit.result : undefined;
}

function outcome(j: Job, result: PrepareResult): PreparedPolicy {
  if (!result.ok) {
    throw new DeployError('POLICY_INVALID', `${j.policies} has errors; fix them (\`claimguard check\`) before synthesizing:\n${result.errors.join('\n')}`);
  }
  return result;
}

function settle(j: Job, run: { readonly error?: Error | undefined; readonly status: number | null; readonly stdout: string; readonly stderr: string }): PreparedPolicy {
  if (run.error !== undefined || run.status !== 0) {
    const why = run.error?.message ?? (run.stderr.trim() || `exit code ${String(run.status)}`);
    throw new DeployError('PREPARE_FAILED', `claimguard could not load ${j.policies} at synth time: ${why}`, { cause: run.error });
  }
  let result: PrepareResult;
  try {
    result = JSON.parse(run.stdout) as PrepareResult;
  } catch (cause) {
    throw new DeployError('PREPARE_FAILED', `claimguard's synth-time policy load printed no result: ${run.stdout.slice(0, 200)}`, { cause });
  }
  // A failed load is remembered by the entry file alone: it is reported again, never turned into a pass.
  const files = result.ok ? result.files : [relative(j.baseDir, j.entry)];
  cache.set(j.entry, { stamp: stampOf(j.baseDir, files), files, result });
  return outcome(j, result);
}

/**
 * Loads `policies` (relative to the working directory, like the CLI) and compiles its bundle.
 * Blocks for the child process (under a second) unless preloadPolicy ran. Throws a DeployError
 * listing every policy problem.
 */
export function preparePolicy(policies: string): PreparedPolicy {
  const j = job(policies);
  const hit = cached(j);
  if (hit !== undefined) return outcome(j, hit);
  return settle(j, spawnSync(process.execPath, j.args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
}

/**
 * The same, without blocking the event loop: apps whose `main` is async (and tests) can await it
 * before creating the constructs, which then find the result ready. It never throws: problems are
 * reported by the construct that uses the policy.
 */
export async function preloadPolicy(policies: string): Promise<void> {
  const j = job(policies);
  if (cached(j) !== undefined) return;
  const run = await new Promise<{ error?: Error; status: number | null; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, j.args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      done({ ...(error !== null && typeof error.code !== 'number' ? { error } : {}), status, stdout, stderr });
    });
  });
  try {
    settle(j, run);
  } catch {
    // Remembered (or not, for a failed run): the construct reports it where it is created.
  }
}
