// `claimguard build`: the bundle it writes is what it says it is — it loads as the Lambda loads it,
// its revision and counts are the ones printed, and it decides like the reference evaluator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { decide } from '../../src/decision/evaluate.js';
import { loadPolicy } from '../../src/policy/load.js';
import { loadBundle } from '../../src/runtime/load-bundle.js';
import { lines, writeFixture } from '../policy/fixtures.js';
import { fakeIo } from './fake-io.js';

const policy = lines(
  'version: 1',
  'audience: api',
  'defaults:',
  '  require: { emailVerified: true }',
  'routes:',
  '  GET /health: { public: true }',
  '  GET /orders/{id}:',
  '    require: { roles: { anyOf: [customer] } }',
  '  DELETE /orders/{id}:',
  '    require: { roles: { allOf: [admin] }, mfa: true }',
);

describe('claimguard build', () => {
  it('writes a bundle that loads, carries the printed revision and decides like the reference', async () => {
    const dir = writeFixture({ 'policies.yaml': policy });
    const io = fakeIo(dir);
    expect(await runCli(['build'], io)).toBe(0);
    expect(io.err()).toBe('');
    const out = io.out();
    expect(out).toMatch(/^✔ built dist\/bundle\.tar\.gz in \d+ ms\n/);
    expect(out).toContain('  routes       3 (1 public)\n');
    // audience + emailVerified + own requirements: 3 on the GET route, 4 on the DELETE one.
    expect(out).toContain('  requirements 7\n');
    expect(out).toContain('  entrypoints  claimguard/decision, claimguard/allow\n');
    // No route decides on a path parameter or a freshness window: API Gateway's default for HTTP
    // APIs; REST's cached policy would name one order's method ARN.
    expect(out).toContain('  cache TTL    longest safe claimguard/authorizer result TTL: HTTP API 300 s, REST API 0 s\n');
    expect(out).toMatch(/ {15}REST API: "GET \/orders\/\{id\}" has path parameters \(policies\.yaml:7\)/);

    const authorizer = await loadBundle(readFileSync(join(dir, 'dist', 'bundle.tar.gz')));
    expect(out).toContain(`  revision     ${authorizer.revision}\n`);
    const loaded = await loadPolicy(join(dir, 'policies.yaml'));
    if (!loaded.ok) throw new Error('fixture policy does not load');
    const token = { aud: 'api', 'st-ev': { v: true, t: 0 }, 'st-role': { v: ['customer'], t: 0 } };
    for (const [method, path] of [['GET', '/health'], ['GET', '/orders/1'], ['DELETE', '/orders/1'], ['GET', '/nope']] as const) {
      const input = { request: { method, path }, token, now: 1000 };
      expect(authorizer.decide(input)).toEqual(decide(loaded.ir, input));
    }
  });

  it('refuses an invalid policy without writing anything (exit 1)', async () => {
    const dir = writeFixture({ 'policies.yaml': lines('version: 1', 'routes:', '  GET /x:', '    require: { roles: { anyOf: [] } }') });
    const io = fakeIo(dir);
    expect(await runCli(['build'], io)).toBe(1);
    expect(io.err()).toMatch(/policies\.yaml:4:\d+: error LIST_EMPTY/);
    expect(() => readFileSync(join(dir, 'dist', 'bundle.tar.gz'))).toThrow(/ENOENT/);
  });
});
