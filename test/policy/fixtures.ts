// Writes policy fixtures to a fresh temp dir, so loader tests read real files.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `files`: relative path → contents (string, or raw bytes for encoding tests). Returns the dir. */
export function writeFixture(files: Readonly<Record<string, string | Uint8Array>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'claimguard-policy-'));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

/** Joins lines, so fixtures show their line numbers plainly in the test source. */
export const lines = (...ls: string[]): string => `${ls.join('\n')}\n`;
