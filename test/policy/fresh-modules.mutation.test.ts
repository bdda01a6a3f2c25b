// What src/policy computes once, when a module loads: the reserved-claim reasons, the type names
// of schema messages, the compiled schema, the route-key, identifier and test-suite patterns, the
// path order of files. Every other test file imports these modules before its tests start, so a
// change to that load-time code is seen by no test that runs per test (Stryker runs a mutant only
// with the tests that reached it). Here each test loads the modules afresh (vi.resetModules, then
// import) and checks what they computed. See CONTRIBUTING.md, "Mutation testing".
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PolicyError } from '../../src/policy/errors.js';
import { lines, RESERVED_CLAIM_REASONS, writeFixture } from './fixtures.js';

beforeEach(() => {
  vi.resetModules();
});

const row = (p: PolicyError) => ({ code: p.code, at: `${p.file}:${p.line}:${p.col}`, message: p.message });

async function parsed(name: string, text: string) {
  const { parseSource } = await import('../../src/policy/source.js');
  const p = parseSource(name, text);
  if (!p.syntaxOk) throw new Error(p.problems.map((e) => e.format()).join('\n'));
  return p.file;
}

describe('semantic.ts', () => {
  it('each reserved claim, with its reason', async () => {
    const { semanticProblems } = await import('../../src/policy/semantic.js');
    const reasons = RESERVED_CLAIM_REASONS;
    const names = Object.keys(reasons);
    const text = lines('version: 1', 'audience: api', 'routes:', '  GET /a:', '    require:', '      claims:', ...names.map((n) => `        "${n}": { exists: true }`), '        plan: { exists: true }');
    const entry = await parsed('policies.yaml', text);
    expect(semanticProblems(entry, []).map(row)).toEqual(
      names.map((n, i) => ({ code: 'CLAIM_RESERVED', at: `policies.yaml:${7 + i}:9`, message: `"${n}" cannot be checked under claims: ${reasons[n]}` })),
    );
  });

  it('maps are read as maps, lists and scalars are not, and only own keys count', async () => {
    const { semanticProblems } = await import('../../src/policy/semantic.js');
    const entry = await parsed(
      'policies.yaml',
      lines(
        'version: 1',
        'routes:',
        '  GET /a/{id}: { require: { tenant: { equalsPathParam: t }, claims: { toString: { equals: .nan } } } }',
        '  GET /b: [require]',
        '  GET /c: { require: [{ tenant: { equalsPathParam: t } }] }',
      ),
    );
    const rules = [await parsed('r/x.yaml', lines('routes: [GET /d]')), await parsed('r/y.yaml', lines('- routes'))];
    expect(semanticProblems(entry, rules).map(row)).toEqual([
      { code: 'VALUE_INVALID', at: 'policies.yaml:3:91', message: 'routes["GET /a/{id}"].require.claims.toString.equals is not a JSON value (NaN and infinities cannot be compared)' },
      { code: 'PARAM_UNKNOWN', at: 'policies.yaml:3:56', message: 'route "GET /a/{id}" uses equalsPathParam "t" but the route has no {t} parameter' },
      {
        code: 'AUDIENCE_MISSING',
        at: 'policies.yaml:1:1',
        message: 'no "audience": tokens minted for any other audience will be accepted; set it to the JWT authorizer\'s audience',
      },
    ]);
  });
});

describe('schema.ts', () => {
  it('type names in messages, and every problem of a file at once', async () => {
    const { validateEntry } = await import('../../src/policy/schema.js');
    const text = lines(
      'version: 1',
      'audience: [api]',
      'include: x',
      'defaults: 5',
      'routes:',
      '  GET /a: { require: { emailVerified: yes, audience: {}, roles: { anyOf: x } } }',
    );
    const v = validateEntry(await parsed('policies.yaml', text));
    expect(v.ok ? [] : v.problems.map(row)).toEqual([
      { code: 'TYPE_MISMATCH', at: 'policies.yaml:2:11', message: 'audience must be a string (got ["api"])' },
      { code: 'TYPE_MISMATCH', at: 'policies.yaml:3:10', message: 'include must be a list (got "x")' },
      { code: 'TYPE_MISMATCH', at: 'policies.yaml:4:11', message: 'defaults must be a map (got 5)' },
      { code: 'TYPE_MISMATCH', at: 'policies.yaml:6:39', message: 'routes["GET /a"].require.emailVerified must be true or a map (got "yes")' },
      { code: 'TYPE_MISMATCH', at: 'policies.yaml:6:74', message: 'routes["GET /a"].require.roles.anyOf must be a list (got "x")' },
      { code: 'TYPE_MISMATCH', at: 'policies.yaml:6:54', message: 'routes["GET /a"].require.audience must be a string or a list (got {})' },
    ]);
  });

  it('strict numbers: an infinite maxAgeSeconds is no whole number', async () => {
    const { validateEntry } = await import('../../src/policy/schema.js');
    const text = lines('version: 1', 'audience: api', 'routes:', '  GET /a: { require: { emailVerified: { maxAgeSeconds: .inf } } }');
    const v = validateEntry(await parsed('policies.yaml', text));
    const problems = v.ok ? [] : v.problems.map(row);
    expect(problems.map(({ code, at }) => ({ code, at }))).toEqual([{ code: 'MAX_AGE_INVALID', at: 'policies.yaml:4:56' }]);
    expect(problems[0]?.message).toBe('routes["GET /a"].require.emailVerified.maxAgeSeconds must be a whole number of seconds greater than 0 (got .inf)');
  });
});

describe('route-key.ts', () => {
  it('$default, parameter names and literal characters', async () => {
    const { parseRouteKey, routeShape } = await import('../../src/policy/route-key.js');
    const ok = (key: string) => {
      const r = parseRouteKey(key);
      return r.ok ? routeShape(r.route) : r.problems.map((p) => p.message);
    };
    expect(ok('$default')).toBe('$default');
    expect(ok('')).toEqual(['route key "" must be "METHOD /path" or "$default"']);
    expect(ok('GET /{a_1.b-c}/ü/{9}')).toBe('GET /{}/ü/{}');
    expect(ok('GET /{.a}')).toEqual(['route key "GET /{.a}": path parameter "{.a}" must be {name} or {name+} with a name of letters, digits, ".", "_" or "-"']);
    expect(ok('GET /{a b}')).toEqual(['route key "GET /{a b}": path parameter "{a b}" must be {name} or {name+} with a name of letters, digits, ".", "_" or "-"']);
    const badChar = (s: string) => `route key "GET /${s}": segment "${s}" has a character a request path cannot match (space, %, \\, ?, #, control character…)`;
    expect([ok('GET / a'), ok('GET /a '), ok('GET /a\u0085')]).toEqual([[badChar(' a')], [badChar('a ')], [badChar('a\u0085')]]);
  });
});

describe('paths.ts', () => {
  it('identifiers join with dots, anything else is quoted', async () => {
    const { formatPath } = await import('../../src/policy/paths.js');
    expect(formatPath(['a', '_b9', '9b', 'b-', '-b', 'ab', ''])).toBe('a._b9["9b"]["b-"]["-b"].ab[""]');
  });
});

describe('load.ts and globs.ts', () => {
  it('test suites (.test.yaml, .test.yml) are skipped, other names read; included files in path order', async () => {
    const { loadPolicy } = await import('../../src/policy/load.js');
    const dir = writeFixture({
      'policies.yaml': lines('version: 1', 'audience: api', 'include: [r/z.yaml, r/*.y*ml]', 'routes: {}'),
      'r/z.yaml': lines('routes: { GET /z: { public: true } }'),
      'r/a.test.yml': 'not: [valid',
      'r/b.test.yaml': 'not: [valid',
      'r/c.test.yaml.yaml': lines('routes: { GET /c: { public: true } }'),
      'r/D.yaml': lines('routes: { GET /d: { public: true } }'),
    });
    const result = await loadPolicy(join(dir, 'policies.yaml'));
    expect(result.ok ? result.files : result.errors.map(row)).toEqual(['policies.yaml', 'r/D.yaml', 'r/c.test.yaml.yaml', 'r/z.yaml']);
  });
});
