// The `--policies FILE` and `--strict` options and loading the policy, shared by every command
// that reads it.
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { PolicyError } from '../policy/errors.js';
import { loadPolicy, type LoadResult } from '../policy/load.js';
import type { CliIo } from './io.js';

export const DEFAULT_POLICIES = 'policies.yaml';

export function addPoliciesOption(command: Command): Command {
  return command.option('--policies <file>', 'entry policy file', DEFAULT_POLICIES);
}

export function addStrictOption(command: Command): Command {
  return command.option('--strict', 'treat warnings as errors (exit 1)');
}

export type CliLoad = LoadResult | { readonly ok: 'usage'; readonly message: string };

export interface CliLoadOptions {
  /** Warnings count as errors: the load fails with them. */
  readonly strict?: boolean | undefined;
}

/** A `/`-separated path relative to the working directory, as every message names files. */
export function displayPath(io: CliIo, abs: string): string {
  return relative(io.cwd, abs).split(sep).join('/') || '.';
}

/**
 * The bundle a policy file builds to when no `--out` is given: `dist/bundle.tar.gz` beside the
 * policy file, so building another policy never overwrites this one's bundle.
 */
export function defaultBundleFor(io: CliIo, policies: string | undefined): string {
  return join(dirname(resolve(io.cwd, policies ?? DEFAULT_POLICIES)), 'dist', 'bundle.tar.gz');
}

/**
 * Loads the policy with file names relative to the working directory. A policies file that
 * cannot be read at all is a usage error (exit 2), not a policy error.
 */
export async function loadPolicyForCli(io: CliIo, policies: string | undefined, options: CliLoadOptions = {}): Promise<CliLoad> {
  const given = policies ?? DEFAULT_POLICIES;
  const entry = resolve(io.cwd, given);
  const entryName = displayPath(io, entry);
  const result = await loadPolicy(entry, { baseDir: io.cwd });
  if (!result.ok) {
    const entryUnreadable = result.errors.find(
      (e) => (e.code === 'FILE_NOT_FOUND' || e.code === 'FILE_UNREADABLE') && e.file === entryName,
    );
    if (entryUnreadable !== undefined) {
      const hint = given === DEFAULT_POLICIES ? ' (pass --policies FILE)' : '';
      return { ok: 'usage', message: `${entryUnreadable.message}${hint}` };
    }
  }
  if (options.strict !== true || result.warnings.length === 0) return result;
  const promoted = result.warnings.map(
    (w) => new PolicyError({ code: w.code, message: `${w.message} (a warning, an error under --strict)`, file: w.file, line: w.line, col: w.col, severity: 'error', sourceLine: w.sourceLine, cause: w }),
  );
  return { ok: false, errors: [...(result.ok ? [] : result.errors), ...promoted], warnings: [] };
}
