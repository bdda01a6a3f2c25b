// normalize: check order (audience, issuer, defaults, route), dedupe, paths and positions.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { IRRoute, PolicyIR } from '../../src/policy/ir.js';
import { loadPolicy } from '../../src/policy/load.js';
import { lines, writeFixture } from './fixtures.js';

async function irOf(text: string): Promise<PolicyIR> {
  const dir = writeFixture({ 'policies.yaml': text });
  const result = await loadPolicy(join(dir, 'policies.yaml'));
  if (!result.ok) throw new Error(result.errors.map((e) => e.format()).join('\n'));
  return result.ir;
}

const at = (line: number, col: number): IRRoute['at'] => ({ file: 'policies.yaml', line, col });

it('merges globals and defaults before the route, in written order, dropping repeats', async () => {
  const ir = await irOf(
    lines(
      'version: 1',
      'audience: api',
      'issuer: https://auth.example.com',
      'defaults:',
      '  require:',
      '    roles: { noneOf: [banned] }',
      '    emailVerified: true',
      'routes:',
      '  GET /health: { public: true }',
      '  GET /users/{userId}:',
      '    require:',
      '      emailVerified: true',
      '      audience: api',
      '      claims: { "2": { exists: true }, plan: { equals: { path: x } }, "a-b": { anyOf: [1, "1"] } }',
      '      anyOf:',
      '        - subject: { equalsPathParam: userId }',
      '        - { mfa: true, roles: { anyOf: [admin] } }',
      '  $default:',
      '    require: { mfa: { factors: { anyOf: [totp] }, maxAgeSeconds: 60 } }',
    ),
  );
  const globals = [
    { kind: 'audience', id: 'aud', anyOf: ['api'], path: 'audience', at: at(2, 1) },
    { kind: 'issuer', id: 'iss', equals: 'https://auth.example.com', path: 'issuer', at: at(3, 1) },
    { kind: 'roles', id: 'st-role', anyOf: null, allOf: null, noneOf: ['banned'], maxAgeSeconds: null, path: 'defaults.require.roles', at: at(6, 5) },
    { kind: 'emailVerified', id: 'st-ev', maxAgeSeconds: null, path: 'defaults.require.emailVerified', at: at(7, 5) },
  ];
  const route = 'routes["GET /users/{userId}"].require';
  expect(ir).toEqual({
    version: 1,
    audience: 'api',
    issuer: 'https://auth.example.com',
    routes: [
      { key: 'GET /health', method: 'GET', segments: [{ kind: 'literal', value: 'health' }], public: true, checks: [], at: at(9, 3) },
      {
        key: 'GET /users/{userId}',
        method: 'GET',
        segments: [
          { kind: 'literal', value: 'users' },
          { kind: 'param', name: 'userId' },
        ],
        public: false,
        // The route's own emailVerified and audience repeat a global check: dropped, first kept.
        checks: [
          ...globals,
          { kind: 'claim', id: '2', op: 'exists', path: `${route}.claims["2"]`, at: at(14, 17) },
          { kind: 'claim', id: 'plan', op: 'equals', value: { path: 'x' }, path: `${route}.claims.plan`, at: at(14, 40) },
          { kind: 'claim', id: 'a-b', op: 'anyOf', values: [1, '1'], path: `${route}.claims["a-b"]`, at: at(14, 71) },
          {
            kind: 'anyOf',
            path: `${route}.anyOf`,
            at: at(15, 7),
            branches: [
              [{ kind: 'subject', id: 'sub', equalsPathParam: 'userId', path: `${route}.anyOf[0].subject`, at: at(16, 11) }],
              [
                { kind: 'mfa', id: 'st-mfa', factors: null, maxAgeSeconds: null, path: `${route}.anyOf[1].mfa`, at: at(17, 13) },
                { kind: 'roles', id: 'st-role', anyOf: ['admin'], allOf: null, noneOf: null, maxAgeSeconds: null, path: `${route}.anyOf[1].roles`, at: at(17, 24) },
              ],
            ],
          },
        ],
        at: at(10, 3),
      },
      {
        key: '$default',
        method: null,
        segments: null,
        public: false,
        checks: [
          ...globals,
          {
            kind: 'mfa',
            id: 'st-mfa',
            factors: { anyOf: ['totp'], allOf: null },
            maxAgeSeconds: 60,
            path: 'routes["$default"].require.mfa',
            at: at(19, 16),
          },
        ],
        at: at(18, 3),
      },
    ],
  });
});

it('keeps a route audience that differs from the global one, and claim values that differ only in a "path" key', async () => {
  const ir = await irOf(
    lines(
      'version: 1',
      'audience: api',
      'routes:',
      '  GET /:',
      '    require:',
      '      audience: [ops]',
      '      anyOf:',
      '        - claims: { c: { equals: { path: a } } }',
      '          mfa: true',
      '        - claims: { c: { equals: { path: b } } }',
    ),
  );
  const checks = ir.routes[0]?.checks ?? [];
  expect(checks.map((c) => c.kind)).toEqual(['audience', 'audience', 'anyOf']);
  expect(checks[1]).toMatchObject({ anyOf: ['ops'] });
  const anyOf = checks[2];
  expect(anyOf?.kind === 'anyOf' && anyOf.branches.map((b) => b.length)).toEqual([2, 1]);
});

it('gives a route without globals or defaults only its own checks, and a protected route with require: {} none', async () => {
  const ir = await irOf(lines('version: 1', 'routes:', '  GET /a: { require: {} }', '  GET /b: { require: { mfa: true } }'));
  expect(ir.audience).toBeNull();
  expect(ir.routes.map((r) => [r.public, r.checks.map((c) => c.path)])).toEqual([
    [false, []],
    [false, ['routes["GET /b"].require.mfa']],
  ]);
});
