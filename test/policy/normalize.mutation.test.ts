// normalize.ts: the exact IR of a policy using every requirement form, and dedupe's notion of
// "the same check" (written order and place ignored, JSON values compared whole). Found by mutation
// testing (CONTRIBUTING.md, "Mutation testing").
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Check, PolicyIR, SourceLocation } from '../../src/policy/ir.js';
import { loadPolicy } from '../../src/policy/load.js';
import { dedupe } from '../../src/policy/normalize.js';
import { lines, writeFixture } from './fixtures.js';

async function irOf(text: string): Promise<PolicyIR> {
  const dir = writeFixture({ 'policies.yaml': text });
  const result = await loadPolicy(join(dir, 'policies.yaml'));
  if (!result.ok) throw new Error(result.errors.map((e) => e.format()).join('\n'));
  return result.ir;
}

const at = (line: number, col: number): SourceLocation => ({ file: 'policies.yaml', line, col });

describe('every requirement form, in written order, after the globals and defaults', () => {
  const text = lines(
    'version: 1',
    'issuer: https://auth.example.com',
    'defaults:',
    '  require:',
    '    emailVerified: { maxAgeSeconds: 300 }',
    '    claims: { plan: { equals: { b: [1, 2], a: x } } }',
    '    anyOf: [{ mfa: true }, { roles: { anyOf: [r] } }]',
    'routes:',
    '  POST /t/{tenant}/u/{user}/{rest+}:',
    '    require:',
    '      roles: { allOf: [a], noneOf: [b], maxAgeSeconds: 60 }',
    '      permissions: { anyOf: [p] }',
    '      mfa: { factors: { allOf: [totp, webauthn] } }',
    '      tenant: { equalsPathParam: tenant }',
    '      subject: { equalsPathParam: user }',
    '      audience: api',
    '      claims:',
    '        plan: { equals: { a: x, b: [1, 2] } }',
    '        n: { equals: 0 }',
    '        s: { equals: "0" }',
    '        f: { equals: false }',
    '        e: { exists: true }',
    '        l: { anyOf: [[1, 2], [2, 1]] }',
    '      anyOf:',
    '        - { tenant: { anyOf: [t1] }, mfa: true, emailVerified: true }',
    '        - { emailVerified: { maxAgeSeconds: 300 } }',
    '  PUT /o:',
    '    require:',
    '      anyOf: [{ mfa: true }, { roles: { anyOf: [r] } }]',
    '      emailVerified: { maxAgeSeconds: 301 }',
    '      audience: [api, ops]',
  );
  const globals: Check[] = [
    { kind: 'issuer', id: 'iss', equals: 'https://auth.example.com', path: 'issuer', at: at(2, 1) },
    { kind: 'emailVerified', id: 'st-ev', maxAgeSeconds: 300, path: 'defaults.require.emailVerified', at: at(5, 5) },
    { kind: 'claim', id: 'plan', op: 'equals', value: { b: [1, 2], a: 'x' }, path: 'defaults.require.claims.plan', at: at(6, 15) },
    {
      kind: 'anyOf',
      path: 'defaults.require.anyOf',
      at: at(7, 5),
      branches: [
        [{ kind: 'mfa', id: 'st-mfa', factors: null, maxAgeSeconds: null, path: 'defaults.require.anyOf[0].mfa', at: at(7, 15) }],
        [{ kind: 'roles', id: 'st-role', anyOf: ['r'], allOf: null, noneOf: null, maxAgeSeconds: null, path: 'defaults.require.anyOf[1].roles', at: at(7, 30) }],
      ],
    },
  ];
  const r = 'routes["POST /t/{tenant}/u/{user}/{rest+}"].require';

  it('the whole IR', async () => {
    expect(await irOf(text)).toEqual({
      version: 1,
      audience: null,
      issuer: 'https://auth.example.com',
      routes: [
        {
          key: 'POST /t/{tenant}/u/{user}/{rest+}',
          method: 'POST',
          segments: [
            { kind: 'literal', value: 't' },
            { kind: 'param', name: 'tenant' },
            { kind: 'literal', value: 'u' },
            { kind: 'param', name: 'user' },
            { kind: 'greedy', name: 'rest' },
          ],
          public: false,
          checks: [
            ...globals,
            { kind: 'roles', id: 'st-role', anyOf: null, allOf: ['a'], noneOf: ['b'], maxAgeSeconds: 60, path: `${r}.roles`, at: at(11, 7) },
            { kind: 'permissions', id: 'st-perm', anyOf: ['p'], allOf: null, noneOf: null, maxAgeSeconds: null, path: `${r}.permissions`, at: at(12, 7) },
            { kind: 'mfa', id: 'st-mfa', factors: { anyOf: null, allOf: ['totp', 'webauthn'] }, maxAgeSeconds: null, path: `${r}.mfa`, at: at(13, 7) },
            { kind: 'tenant', id: 'tId', anyOf: null, equalsPathParam: 'tenant', path: `${r}.tenant`, at: at(14, 7) },
            { kind: 'subject', id: 'sub', equalsPathParam: 'user', path: `${r}.subject`, at: at(15, 7) },
            { kind: 'audience', id: 'aud', anyOf: ['api'], path: `${r}.audience`, at: at(16, 7) },
            // plan (line 18) equals the default's value with its keys in another order: dropped.
            { kind: 'claim', id: 'n', op: 'equals', value: 0, path: `${r}.claims.n`, at: at(19, 9) },
            { kind: 'claim', id: 's', op: 'equals', value: '0', path: `${r}.claims.s`, at: at(20, 9) },
            { kind: 'claim', id: 'f', op: 'equals', value: false, path: `${r}.claims.f`, at: at(21, 9) },
            { kind: 'claim', id: 'e', op: 'exists', path: `${r}.claims.e`, at: at(22, 9) },
            { kind: 'claim', id: 'l', op: 'anyOf', values: [[1, 2], [2, 1]], path: `${r}.claims.l`, at: at(23, 9) },
            {
              kind: 'anyOf',
              path: `${r}.anyOf`,
              at: at(24, 7),
              branches: [
                [
                  { kind: 'tenant', id: 'tId', anyOf: ['t1'], equalsPathParam: null, path: `${r}.anyOf[0].tenant`, at: at(25, 13) },
                  { kind: 'mfa', id: 'st-mfa', factors: null, maxAgeSeconds: null, path: `${r}.anyOf[0].mfa`, at: at(25, 38) },
                  { kind: 'emailVerified', id: 'st-ev', maxAgeSeconds: null, path: `${r}.anyOf[0].emailVerified`, at: at(25, 49) },
                ],
                // Inside a branch a check is not dropped for repeating a global one: the branch would change.
                [{ kind: 'emailVerified', id: 'st-ev', maxAgeSeconds: 300, path: `${r}.anyOf[1].emailVerified`, at: at(26, 13) }],
              ],
            },
          ],
          at: at(9, 3),
        },
        {
          key: 'PUT /o',
          method: 'PUT',
          segments: [{ kind: 'literal', value: 'o' }],
          public: false,
          checks: [
            ...globals,
            // The anyOf repeats the default's (its branches' paths differ): dropped. maxAgeSeconds 301 is another check.
            { kind: 'emailVerified', id: 'st-ev', maxAgeSeconds: 301, path: 'routes["PUT /o"].require.emailVerified', at: at(30, 7) },
            { kind: 'audience', id: 'aud', anyOf: ['api', 'ops'], path: 'routes["PUT /o"].require.audience', at: at(31, 7) },
          ],
          at: at(27, 3),
        },
      ],
    });
  });
});

describe('dedupe', () => {
  const loc = (line: number): SourceLocation => ({ file: 'f', line, col: 1 });
  const claim = (value: unknown, line: number, path = 'p'): Check => ({ kind: 'claim', id: 'c', op: 'equals', value: value as never, path, at: loc(line) });
  const lines_ = (checks: readonly Check[]) => checks.map((c) => c.at.line);

  it('keeps the first of checks equal but for path and place; objects equal whatever their key order', () => {
    expect(lines_(dedupe([claim({ a: 1, b: { c: 2, d: 3 } }, 1), claim({ b: { d: 3, c: 2 }, a: 1 }, 2, 'q'), claim({ a: 1 }, 3)]))).toEqual([1, 3]);
  });

  it('values that only look alike are different checks', () => {
    const values = [1, '1', true, 'true', [1, 2], [12], [2, 1], [[1]], [1, [2]], { a: [1] }, { a: 1 }, { '1': 1 }, [{ a: 1 }], 0, false, '', [], {}];
    expect(lines_(dedupe(values.map((v, i) => claim(v, i))))).toEqual(values.map((_v, i) => i));
  });

  it('a value whose keys are named path or at is kept whole', () => {
    expect(lines_(dedupe([claim({ path: 'x', at: 1 }, 1), claim({ path: 'y', at: 1 }, 2), claim({ path: 'x', at: 2 }, 3), claim({ path: 'x', at: 1 }, 4)]))).toEqual([
      1, 2, 3,
    ]);
  });

  it('anyOf checks compare their branches without the branches\' paths and places', () => {
    const mfa = (line: number, path: string): Check => ({ kind: 'mfa', id: 'st-mfa', factors: null, maxAgeSeconds: null, path, at: loc(line) });
    const anyOf = (line: number, ...branches: Check[][]): Check => ({ kind: 'anyOf', path: `a${line}`, at: loc(line), branches });
    expect(
      lines_(
        dedupe([
          anyOf(1, [mfa(10, 'x')], [claim(1, 11)]),
          anyOf(2, [mfa(20, 'y')], [claim(1, 21, 'z')]),
          anyOf(3, [claim(1, 30)], [mfa(31, 'x')]),
          anyOf(4, [mfa(40, 'x'), claim(1, 41)]),
          anyOf(5, [mfa(50, 'x')], [claim(2, 51)]),
        ]),
      ),
    ).toEqual([1, 3, 4, 5]);
  });

  it('different kinds or ids are never the same check', () => {
    const list = (kind: 'roles' | 'permissions', line: number): Check => ({
      kind,
      id: kind === 'roles' ? 'st-role' : 'st-perm',
      anyOf: ['a'],
      allOf: null,
      noneOf: null,
      maxAgeSeconds: null,
      path: 'p',
      at: loc(line),
    });
    const other: Check = { kind: 'claim', id: 'd', op: 'equals', value: 1, path: 'p', at: loc(3) };
    expect(lines_(dedupe([list('roles', 1), list('permissions', 2), claim(1, 4), other, list('roles', 5)]))).toEqual([1, 2, 4, 3]);
  });
});
