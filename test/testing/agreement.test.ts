// The bundle and the reference evaluator must agree on every input. A bundle built from another
// policy is the simplest way to make them disagree: the run reports an internal error, not a
// failing expectation, and exits 1.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/compile/compile.js';
import { loadPolicy } from '../../src/policy/load.js';
import { parseXml } from './xml.js';
import { cli, edit, sampleCopy } from './support.js';

describe('bundle vs reference', () => {
  it('a bundle that disagrees with the policy is an internal error, loudly', async () => {
    const dir = sampleCopy();
    edit(dir, 'policies.yaml', 'require: { roles: { allOf: [admin] }, mfa: true }', 'require: { roles: { allOf: [admin] } }');
    const other = await loadPolicy(join(dir, 'policies.yaml'));
    if (!other.ok) throw new Error('mutated policy does not load');
    writeFileSync(join(dir, 'other.tar.gz'), (await buildBundle(other.ir)).bytes);
    edit(dir, 'policies.yaml', 'require: { roles: { allOf: [admin] } }', 'require: { roles: { allOf: [admin] }, mfa: true }');

    const r = await cli(dir, ['test', '--bundle', 'other.tar.gz', '--filter', 'DELETE /orders/o-1 as no-mfa']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('‼ orders: DELETE /orders/o-1 as no-mfa  (policies/orders.test.yaml:');
    expect(r.out).toContain('‼ INTERNAL ERROR: the bundle and the reference evaluator disagree on this input');
    expect(r.out).toContain('‼ 1 case hit an internal error');
    expect(r.out).toMatch(/\n0 passed, 1 failed\n$/);

    const junit = parseXml((await cli(dir, ['test', '--bundle', 'other.tar.gz', '--format', 'junit', '--filter', 'as no-mfa'])).out);
    expect(junit.attrs['errors']).not.toBe('0');
  });

  it('--bundle that does not exist is a usage error', async () => {
    const r = await cli(sampleCopy(), ['test', '--bundle', 'missing.tar.gz']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('missing.tar.gz');
  });
});
