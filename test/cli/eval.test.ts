import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { lines, writeFixture } from '../policy/fixtures.js';
import { fakeIo } from './fake-io.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

// docs/decision.md's example input against the sample policy.
const designInput = {
  request: { method: 'DELETE', routeKey: 'DELETE /orders/{orderId}', path: '/orders/42', pathParameters: { orderId: '42' } },
  token: { sub: 'u1', aud: 'jwtAuthorizers', 'st-role': { v: ['admin'], t: 1712345678901 } },
  now: 1712345680000,
};

describe('claimguard eval', () => {
  it('prints the decision for an input read from stdin', async () => {
    const io = fakeIo(repo, JSON.stringify(designInput));
    expect(await runCli(['eval', '--input', '-'], io)).toBe(0);
    const decision = JSON.parse(io.out()) as { allow: boolean; status: number; route: string; reasons: { id: string; code: string; reason: { message: string } }[] };
    expect(decision).toMatchObject({ allow: false, status: 403, route: 'DELETE /orders/{orderId}' });
    expect(decision.reasons).toContainEqual({ id: 'st-mfa', code: 'MFA_REQUIRED', reason: { message: 'MFA requirement for auth is not satisfied' } });
  });

  it('reads the input from a file relative to the working directory', async () => {
    const dir = writeFixture({
      'policies.yaml': lines('version: 1', 'audience: api', 'routes:', '  GET /health: { public: true }'),
      'in.json': JSON.stringify({ request: { method: 'GET', path: '/health' }, token: null, now: 0 }),
    });
    const io = fakeIo(dir);
    expect(await runCli(['eval', '--input', 'in.json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual({ allow: true, status: 200, route: 'GET /health', reasons: [] });
  });

  it.each([
    ['input that is not JSON', ['eval', '--input', '-'], '{nope', /input \(stdin\) is not valid JSON/],
    ['a missing input file', ['eval', '--input', 'missing.json'], '', /cannot read input missing\.json \(ENOENT\)/],
    ['no --input', ['eval'], '', /required option '--input <file>' not specified/],
  ])('exits 2 on %s', async (_name, argv, stdin, message) => {
    const io = fakeIo(repo, stdin);
    expect(await runCli(argv, io)).toBe(2);
    expect(io.err()).toMatch(message);
  });

  it('exits 1 with the problems when the policy is invalid', async () => {
    const dir = writeFixture({ 'policies.yaml': lines('version: 1', 'routes:', '  get /a: { public: true }') });
    const io = fakeIo(dir, '{}');
    expect(await runCli(['eval', '--input', '-'], io)).toBe(1);
    expect(io.err()).toMatch(/policies\.yaml:3:3: error ROUTE_KEY_INVALID/);
  });
});
