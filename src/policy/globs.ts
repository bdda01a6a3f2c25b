// Globs in policy files (`include:` rule files, `tests:` suites) are relative to the entry file's
// directory; both are resolved here, the one way: absolute, normalized, files only, sorted.
import { resolve } from 'node:path';
import { glob } from 'tinyglobby';

export type GlobMatch = { readonly ok: true; readonly files: readonly string[] } | { readonly ok: false; readonly message: string };

export async function filesMatching(pattern: string, dir: string): Promise<GlobMatch> {
  let matches: string[];
  try {
    matches = await glob(pattern, { cwd: dir, absolute: true, onlyFiles: true, expandDirectories: false });
  } catch (cause) {
    return { ok: false, message: `"${pattern}" is not a valid glob${cause instanceof Error ? `: ${cause.message}` : ''}` };
  }
  return { ok: true, files: [...new Set(matches.map((m) => resolve(m)))].sort(byPath) };
}

export const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
