// Coverage counts are exact on a small policy with known gaps.
import { describe, expect, it } from 'vitest';
import { lines, writeFixture } from '../policy/fixtures.js';
import { cli } from './support.js';

const policy = lines(
  'version: 1',
  'audience: api',
  'routes:',
  '  GET /health: { public: true }',
  '  GET /a:',
  '    require: { roles: { anyOf: [x] } }',
  '  GET /b/{id}:',
  '    require:',
  '      anyOf:',
  '        - roles: { anyOf: [admin] }',
  '        - subject: { equalsPathParam: id }',
);

const suite = lines(
  'version: 1',
  'principals:',
  '  x: { claims: { sub: u1, aud: api, st-role: { v: [x], t: 0 } } }',
  'cases:',
  '  - { name: x reads a, request: GET /a, principal: x, expect: allow }',
  '  - { name: x reads own b, request: GET /b/u1, principal: x, expect: allow }',
);

describe('coverage', () => {
  it('counts pass and fail per route × requirement, and lists each gap with its position', async () => {
    const dir = writeFixture({ 'policies.yaml': policy, 'policies/gaps.test.yaml': suite });
    const r = await cli(dir, ['test', '--coverage', '--format', 'json']);
    const report = JSON.parse(r.out) as { coverage: { covered: number; total: number; uncovered: unknown[] } };
    // /health: reached (1). /a: audience, roles (2 × 2). /b: audience, anyOf, anyOf[0].roles, anyOf[1].subject (4 × 2).
    expect(report.coverage.total).toBe(13);
    // Seen: /a audience pass, roles pass; /b audience pass, anyOf pass, roles fail, subject pass.
    expect(report.coverage.covered).toBe(6);
    expect(report.coverage.uncovered).toEqual([
      { route: 'GET /health', requirement: 'routes["GET /health"]', missing: 'reached', at: { file: 'policies.yaml', line: 4, col: 3 } },
      { route: 'GET /a', requirement: 'audience', missing: 'fail', at: { file: 'policies.yaml', line: 2, col: 1 } },
      { route: 'GET /a', requirement: 'routes["GET /a"].require.roles', missing: 'fail', at: { file: 'policies.yaml', line: 6, col: 16 } },
      { route: 'GET /b/{id}', requirement: 'audience', missing: 'fail', at: { file: 'policies.yaml', line: 2, col: 1 } },
      { route: 'GET /b/{id}', requirement: 'routes["GET /b/{id}"].require.anyOf', missing: 'fail', at: { file: 'policies.yaml', line: 9, col: 7 } },
      { route: 'GET /b/{id}', requirement: 'routes["GET /b/{id}"].require.anyOf[0].roles', missing: 'pass', at: { file: 'policies.yaml', line: 10, col: 11 } },
      { route: 'GET /b/{id}', requirement: 'routes["GET /b/{id}"].require.anyOf[1].subject', missing: 'fail', at: { file: 'policies.yaml', line: 11, col: 11 } },
    ]);
    expect(r.code).toBe(0);
  });

  it('prints the gaps and fails the gate below --min-coverage', async () => {
    const dir = writeFixture({ 'policies.yaml': policy, 'policies/gaps.test.yaml': suite });
    const r = await cli(dir, ['test', '--min-coverage', '50']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('Coverage: 6/13 requirement outcomes (46.1%), minimum 50%\n');
    expect(r.out).toContain('    policies.yaml:11:11  GET /b/{id}  routes["GET /b/{id}"].require.anyOf[1].subject: no case makes it fail\n');
    expect(r.out).toContain('✖ coverage 46.1% is below the minimum 50%\n');
    expect(r.out).toMatch(/\n2 passed, 0 failed\n$/);
    expect((await cli(dir, ['test', '--min-coverage', '46'])).code).toBe(0);
  });

  it('refuses a --min-coverage that is not a percentage (exit 2)', async () => {
    const dir = writeFixture({ 'policies.yaml': policy, 'policies/gaps.test.yaml': suite });
    const r = await cli(dir, ['test', '--min-coverage', '120']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--min-coverage must be a percentage from 0 to 100');
  });
});
