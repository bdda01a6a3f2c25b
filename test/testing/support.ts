// Shared by the `claimguard test` tests: a temp copy of the sample policy and its suites, and
// the CLI run in-process on it.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/main.js';
import { fakeIo } from '../cli/fake-io.js';

export const repo = fileURLToPath(new URL('../../', import.meta.url));

/** policies.yaml and policies/ copied to a fresh temp dir. */
export function sampleCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'claimguard-test-'));
  cpSync(join(repo, 'policies.yaml'), join(dir, 'policies.yaml'));
  cpSync(join(repo, 'policies'), join(dir, 'policies'), { recursive: true });
  return dir;
}

/** Replaces `from` (which must occur exactly once) in `file` under `dir`. */
export function edit(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const at = text.indexOf(from);
  if (at === -1 || text.indexOf(from, at + 1) !== -1) throw new Error(`"${from}" does not occur exactly once in ${file}`);
  writeFileSync(path, text.slice(0, at) + to + text.slice(at + from.length));
}

export async function cli(dir: string, argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo(dir);
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}
