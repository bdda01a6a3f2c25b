// The `--policies FILE` option and loading it, shared by every command that reads the policy.
import { relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { loadPolicy, type LoadResult } from '../policy/load.js';
import type { CliIo } from './io.js';

export const DEFAULT_POLICIES = 'policies.yaml';

export function addPoliciesOption(command: Command): Command {
  return command.option('--policies <file>', 'entry policy file', DEFAULT_POLICIES);
}

export type CliLoad = LoadResult | { readonly ok: 'usage'; readonly message: string };

/**
 * Loads the policy with file names relative to the working directory. A policies file that
 * cannot be read at all is a usage error (exit 2), not a policy error.
 */
export async function loadPolicyForCli(io: CliIo, policies: string | undefined): Promise<CliLoad> {
  const given = policies ?? DEFAULT_POLICIES;
  const entry = resolve(io.cwd, given);
  const entryName = relative(io.cwd, entry).split(sep).join('/');
  const result = await loadPolicy(entry, { baseDir: io.cwd });
  if (result.ok) return result;
  const entryUnreadable = result.errors.find(
    (e) => (e.code === 'FILE_NOT_FOUND' || e.code === 'FILE_UNREADABLE') && e.file === entryName,
  );
  if (entryUnreadable !== undefined) {
    const hint = given === DEFAULT_POLICIES ? ' (pass --policies FILE)' : '';
    return { ok: 'usage', message: `${entryUnreadable.message}${hint}` };
  }
  return result;
}
