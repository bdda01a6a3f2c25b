// One error family: every error class in src/ extends ClaimguardError (a stable `code`, `cause`
// kept), and every one the public API can throw is exported from a package entry point.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';
import { ClaimguardError } from '../src/errors.js';
import * as lambda from '../src/lambda/index.js';
import { RuntimeError } from '../src/runtime/errors.js';

/** Thrown only inside the CLI, which turns them into messages and exit codes; never by a library call. */
const CLI_ONLY = new Set(['GitError', 'SuiteError']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'assembly' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

const classes = sourceFiles('src').flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/^export (?:abstract )?class (\w+) extends (\w+)/gm)].map((m) => ({ file, name: m[1]!, base: m[2]! })),
);

describe('the error family', () => {
  it('every error class in src/ extends ClaimguardError', () => {
    const errors = classes.filter((c) => c.name.endsWith('Error') && c.name !== 'ClaimguardError');
    expect(errors.length).toBeGreaterThan(8);
    for (const c of errors) expect(c.base, `${c.name} in ${c.file}`).toMatch(/^ClaimguardError/);
  });

  it('every one the library can throw is exported from the package entry (or its own subpath)', async () => {
    const supertokens = await import('../src/supertokens/errors.js');
    const cdk = await import('../src/deploy/errors.js');
    const authorizer = await import('../src/authorizer/index.js');
    const exported = new Set([...Object.keys(root), ...Object.keys(lambda), ...Object.keys(supertokens), ...Object.keys(cdk), ...Object.keys(authorizer)]);
    for (const c of classes.filter((x) => x.base.startsWith('ClaimguardError') && !CLI_ONLY.has(x.name))) {
      expect(exported.has(c.name), `${c.name} (${c.file}) is not exported`).toBe(true);
    }
  });

  it('code, message, name and cause survive, and callers can switch on the code', () => {
    const cause = new Error('disk on fire');
    const e = new RuntimeError('BUNDLE_NOT_FOUND', 'dist/bundle.tar.gz is missing', { cause });
    expect(e).toBeInstanceOf(ClaimguardError);
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.code, e.message, e.cause]).toEqual(['RuntimeError', 'BUNDLE_NOT_FOUND', 'dist/bundle.tar.gz is missing', cause]);
    expect(new root.PolicyError({ code: 'KEY_UNKNOWN', file: 'p.yaml', line: 1, col: 2, message: 'x' })).toBeInstanceOf(ClaimguardError);
    expect(new root.PolicyEncodeError('no').code).toBe('IR_INVALID');
    expect('cause' in new root.LinkError('INVALID_MODULE', 'bad')).toBe(false);
  });
});
