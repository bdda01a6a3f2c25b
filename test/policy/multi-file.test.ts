// Every problem in every file shows up in one run, in file then line order.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadPolicy } from '../../src/policy/load.js';
import { lines, writeFixture } from './fixtures.js';

it('reports all problems across the entry file and included files at once', async () => {
  const dir = writeFixture({
    'policies.yaml': lines(
      'version: 1',
      'include: [rules/*.yaml, missing/*.yaml]',
      'routes:',
      '  GET /a/{id}:',
      '    require: { subject: { equalsPathParam: userId } }',
      '  get /b: { public: true }',
    ),
    'rules/a.yaml': lines('routes:', '  GET /c:', '    require: { mfa: { maxAgeSeconds: -1 } }'),
    'rules/b.yaml': lines('routes:', '  GET /a/{id}: { public: true }', '  GET /d: { public: true, require: {} }'),
    'rules/c.yaml': lines('routes: [oops'),
    'rules/skip.test.yaml': 'not: [valid',
  });
  const result = await loadPolicy(join(dir, 'policies.yaml'));
  expect(result.ok).toBe(false);
  if (result.ok) return;
  const seen = result.errors.map((e) => `${e.file}:${e.line}:${e.col} ${e.code}`);
  expect(seen).toEqual([
    'policies.yaml:2:25 INCLUDE_NO_MATCH',
    'policies.yaml:5:44 PARAM_UNKNOWN',
    'policies.yaml:6:3 ROUTE_KEY_INVALID',
    'rules/a.yaml:3:16 KEY_MISSING',
    'rules/a.yaml:3:38 MAX_AGE_INVALID',
    'rules/b.yaml:2:3 ROUTE_DUPLICATE',
    'rules/b.yaml:3:27 PUBLIC_WITH_REQUIRE',
    'rules/c.yaml:2:1 YAML_SYNTAX',
  ]);
  expect(result.warnings.map((w) => w.code)).toEqual(['AUDIENCE_MISSING']);
});

it('reads included files in sorted order and skips test suites', async () => {
  const dir = writeFixture({
    'policies.yaml': lines('version: 1', 'audience: api', 'include: [rules/*.yaml, rules/b.yaml]', 'routes:', '  GET /e: { public: true }'),
    'rules/b.yaml': lines('routes:', '  GET /b: { public: true }'),
    'rules/a.yaml': lines('routes:', '  GET /a: { public: true }'),
    'rules/a.test.yaml': 'anything: [',
  });
  const result = await loadPolicy(join(dir, 'policies.yaml'));
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(result.files).toEqual(['policies.yaml', 'rules/a.yaml', 'rules/b.yaml']);
  expect(result.ir.routes.map((r) => `${r.at.file} ${r.key}`)).toEqual([
    'policies.yaml GET /e',
    'rules/a.yaml GET /a',
    'rules/b.yaml GET /b',
  ]);
});

it('names files relative to baseDir when given', async () => {
  const dir = writeFixture({ 'conf/policies.yaml': lines('version: 1', 'audience: api', 'routes: {}') });
  const result = await loadPolicy(join(dir, 'conf/policies.yaml'), { baseDir: dir });
  expect(result.ok && result.files).toEqual(['conf/policies.yaml']);
});
