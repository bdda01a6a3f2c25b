// The checks the schema cannot express (semantic.ts) and duplicate keys (duplicates.ts), each
// problem pinned whole: code, position, severity and the exact message a policy author reads.
// Found by mutation testing (CONTRIBUTING.md, "Mutation testing"): non-finite numbers inside
// lists and maps, duplicates in maps nested in lists, the wording of every message.
import { describe, expect, it } from 'vitest';
import { findDuplicateKeys } from '../../src/policy/duplicates.js';
import type { PolicyError } from '../../src/policy/errors.js';
import { RESERVED_CLAIMS, semanticProblems } from '../../src/policy/semantic.js';
import { parseSource, type SourceFile } from '../../src/policy/source.js';
import { lines, RESERVED_CLAIM_REASONS } from './fixtures.js';

const HEAD = ['version: 1', 'audience: api'];

function parsed(name: string, text: string): SourceFile {
  const p = parseSource(name, text);
  if (!p.syntaxOk) throw new Error(p.problems.map((e) => e.format()).join('\n'));
  return p.file;
}

/** Every problem as a plain row, so one toEqual pins all of them and nothing else. */
const rows = (problems: readonly PolicyError[]) =>
  problems.map((p) => ({ code: p.code, at: `${p.file}:${p.line}:${p.col}`, severity: p.severity, message: p.message }));

function semantic(entry: string, rules: Record<string, string> = {}) {
  return rows(semanticProblems(parsed('policies.yaml', entry), Object.entries(rules).map(([name, text]) => parsed(name, text))));
}

/** `file:line:col` of the `nth` occurrence of `needle` on line `line` of `text` (1-based). */
function at(text: string, line: number, needle: string, nth = 1, file = 'policies.yaml'): string {
  const l = text.split('\n')[line - 1] ?? '';
  let i = -1;
  for (let k = 0; k < nth; k++) i = l.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`"${needle}" not on line ${line}: ${l}`);
  return `${file}:${line}:${i + 1}`;
}

const error = (code: PolicyError['code'], at: string, message: string) => ({ code, at, severity: 'error', message });
const warning = (code: PolicyError['code'], at: string, message: string) => ({ code, at, severity: 'warning', message });

describe('non-finite numbers in claim values (VALUE_INVALID)', () => {
  const NOT_JSON = 'is not a JSON value (NaN and infinities cannot be compared)';

  it.each([
    ['.inf inside an anyOf list', 'claims: { score: { anyOf: [1, .inf] } }', 'score.anyOf[1]', '.inf'],
    ['-.inf inside an equals list', 'claims: { score: { equals: [1, 2, -.inf] } }', 'score.equals[2]', '-.inf'],
    ['.nan inside a nested map', 'claims: { score: { equals: { a: { b: .nan } } } }', 'score.equals.a.b', '.nan'],
    ['.nan after a finite value in a map', 'claims: { score: { equals: { a: 1, b: .nan } } }', 'score.equals.b', '.nan'],
    ['.NaN in a map inside a list', 'claims: { score: { equals: [{ a: 1 }, { b: .NaN }] } }', 'score.equals[1].b', '.NaN'],
    ['.Inf as a whole value', 'claims: { score: { equals: .Inf } }', 'score.equals', '.Inf'],
  ])('%s', (_name, claims, path, value) => {
    const text = lines(...HEAD, 'routes:', '  GET /a:', '    require:', `      ${claims}`);
    expect(semantic(text)).toEqual([error('VALUE_INVALID', at(text, 6, value), `routes["GET /a"].require.claims.${path} ${NOT_JSON}`)]);
  });

  it('reports the first non-finite number of a value only, and every claim that holds one', () => {
    const text = lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      claims:', '        x: { anyOf: [.nan, .inf] }', '        y: { equals: [0, -.inf] }');
    expect(semantic(text)).toEqual([
      error('VALUE_INVALID', at(text, 7, '.nan'), `routes["GET /a"].require.claims.x.anyOf[0] ${NOT_JSON}`),
      error('VALUE_INVALID', at(text, 8, '-.inf'), `routes["GET /a"].require.claims.y.equals[1] ${NOT_JSON}`),
    ]);
  });

  it('finite numbers, strings that spell .inf, and empty lists and maps are JSON', () => {
    expect(
      semantic(lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      claims: { a: { anyOf: [1e300, -0.5, ".inf", [], {}] }, b: { equals: { c: [0] } } }')),
    ).toEqual([]);
  });

  it('inside an anyOf branch and in defaults', () => {
    const text = lines(
      ...HEAD,
      'defaults:',
      '  require: { claims: { d: { equals: [.inf] } } }',
      'routes:',
      '  GET /a:',
      '    require:',
      '      anyOf:',
      '        - mfa: true',
      '        - claims: { s: { anyOf: [[.nan]] } }',
    );
    expect(semantic(text)).toEqual([
      error('VALUE_INVALID', at(text, 10, '.nan'), `routes["GET /a"].require.anyOf[1].claims.s.anyOf[0][0] ${NOT_JSON}`),
      error('VALUE_INVALID', at(text, 4, '.inf'), `defaults.require.claims.d.equals[0] ${NOT_JSON}`),
    ]);
  });
});

describe('duplicate keys (findDuplicateKeys)', () => {
  const dups = (text: string) => rows(findDuplicateKeys(parsed('policies.yaml', text)));

  it('in a map inside an anyOf branch', () => {
    expect(dups(lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      anyOf:', '        - mfa: true', '          mfa: true'))).toEqual([
      error('KEY_DUPLICATE', 'policies.yaml:8:11', 'key "mfa" appears twice in the same map (first at policies.yaml:7:11)'),
    ]);
  });

  it('in a flow map inside a nested anyOf, and in a claim value inside a list', () => {
    const text = lines(
      ...HEAD,
      'routes:',
      '  GET /a:',
      '    require:',
      '      anyOf:',
      '        - anyOf: [{ roles: { anyOf: [a] }, roles: { anyOf: [b] } }]',
      '        - claims: { x: { anyOf: [{ k: 1, k: 2 }] } }',
    );
    expect(dups(text)).toEqual([
      error('KEY_DUPLICATE', at(text, 7, 'roles', 2), `key "roles" appears twice in the same map (first at ${at(text, 7, 'roles')})`),
      error('KEY_DUPLICATE', at(text, 8, 'k:', 2), `key "k" appears twice in the same map (first at ${at(text, 8, 'k:')})`),
    ]);
  });

  it('keys that toJS merges are duplicates, whatever their spelling; keys it keeps apart are not', () => {
    // `~`, `null` and `""` all become the key "", so the second would silently replace the first.
    const text = lines('x: { "": 1, ~: 2 }', 'y: { null: 1, "null": 2 }', 'z: { 1: a, "1": b }');
    expect(dups(text)).toEqual([
      error('KEY_DUPLICATE', at(text, 1, '~'), `key "" appears twice in the same map (first at ${at(text, 1, '""')})`),
      error('KEY_DUPLICATE', at(text, 3, '"1"'), `key "1" appears twice in the same map (first at ${at(text, 3, '1:')})`),
    ]);
  });

  it('a key three times: each repeat points at the first', () => {
    expect(dups(lines('version: 1', 'version: 1', 'version: 1'))).toEqual([
      error('KEY_DUPLICATE', 'policies.yaml:2:1', 'key "version" appears twice in the same map (first at policies.yaml:1:1)'),
      error('KEY_DUPLICATE', 'policies.yaml:3:1', 'key "version" appears twice in the same map (first at policies.yaml:1:1)'),
    ]);
  });

  it('routes twice are ROUTE_DUPLICATE; a map named routes anywhere deeper is an ordinary map', () => {
    const text = lines(
      ...HEAD,
      'routes:',
      '  GET /a: { public: true }',
      '  GET /a: { require: { claims: { routes: { equals: { x: 1, x: 2 } } } } }',
      'defaults: { require: { claims: { routes: { exists: true }, routes: { exists: true } } } }',
    );
    expect(dups(text)).toEqual([
      error('ROUTE_DUPLICATE', 'policies.yaml:5:3', 'route "GET /a" is defined twice (first at policies.yaml:4:3)'),
      error('KEY_DUPLICATE', at(text, 5, 'x:', 2), `key "x" appears twice in the same map (first at ${at(text, 5, 'x:')})`),
      error('KEY_DUPLICATE', at(text, 6, 'routes', 2), `key "routes" appears twice in the same map (first at ${at(text, 6, 'routes')})`),
    ]);
  });

  it('only the top-level routes map holds routes: not defaults, nor a routes map inside a list', () => {
    const text = lines('defaults: { require: { mfa: true }, require: { mfa: true } }', 'x: [{ routes: { GET /a: 1, GET /a: 2 } }]');
    expect(dups(text)).toEqual([
      error('KEY_DUPLICATE', at(text, 1, 'require', 2), `key "require" appears twice in the same map (first at ${at(text, 1, 'require')})`),
      error('KEY_DUPLICATE', at(text, 2, 'GET', 2), `key "GET /a" appears twice in the same map (first at ${at(text, 2, 'GET')})`),
    ]);
    expect(dups(lines('- routes: { GET /a: 1, GET /a: 2 }'))).toEqual([
      error('KEY_DUPLICATE', 'policies.yaml:1:24', 'key "GET /a" appears twice in the same map (first at policies.yaml:1:13)'),
    ]);
  });

  it('an anchored map is checked once, where it is defined, not again at each alias', () => {
    const text = lines(...HEAD, 'defaults:', '  require: &r { mfa: true, mfa: true }', 'routes:', '  GET /a: { require: *r }', '  GET /b: { require: *r }');
    expect(dups(text)).toEqual([
      error('KEY_DUPLICATE', at(text, 4, 'mfa', 2), `key "mfa" appears twice in the same map (first at ${at(text, 4, 'mfa')})`),
    ]);
  });

  it('lists of lists and scalars at the top hold no maps to check', () => {
    expect(dups(lines('- [{ a: 1, a: 2 }]', '- x'))).toEqual([
      error('KEY_DUPLICATE', 'policies.yaml:1:12', 'key "a" appears twice in the same map (first at policies.yaml:1:6)'),
    ]);
    expect(dups('just text\n')).toEqual([]);
  });
});

describe('route keys and routes defined twice across files', () => {
  it('an invalid key is reported at the key, with the parser\'s message', () => {
    expect(semantic(lines(...HEAD, 'routes:', '  get /a: { public: true }', '  GET /b/{id}/{id}: { public: true }'))).toEqual([
      error('ROUTE_KEY_INVALID', 'policies.yaml:4:3', 'route key "get /a": method must be upper case ("GET")'),
      error('PARAM_DUPLICATE', 'policies.yaml:5:3', 'route key "GET /b/{id}/{id}" names path parameter {id} twice'),
    ]);
  });

  it('the same key in two files names where it was first defined', () => {
    expect(
      semantic(lines(...HEAD, 'include: [r/*.yaml]', 'routes:', '  GET /a: { public: true }'), {
        'r/x.yaml': lines('routes:', '  GET /b: { public: true }', '  GET /a: { public: true }'),
      }),
    ).toEqual([error('ROUTE_DUPLICATE', 'r/x.yaml:3:3', 'route "GET /a" is already defined at policies.yaml:5:3')]);
  });

  it('a key repeated within one file is left to the duplicate-key check', () => {
    expect(semantic(lines(...HEAD, 'routes:', '  GET /a/{x}: { public: true }', '  GET /a/{x}: { public: true }'))).toEqual([]);
  });

  it('the same template under other parameter names, within a file and across files', () => {
    expect(
      semantic(lines(...HEAD, 'routes:', '  GET /a/{x}: { public: true }', '  GET /a/{y}: { public: true }'), {
        'r/x.yaml': lines('routes:', '  GET /a/{z}: { public: true }'),
      }),
    ).toEqual([
      error(
        'ROUTE_DUPLICATE',
        'policies.yaml:5:3',
        'route "GET /a/{y}" matches the same requests as "GET /a/{x}" (policies.yaml:4:3); parameter names do not tell routes apart',
      ),
      error(
        'ROUTE_DUPLICATE',
        'r/x.yaml:2:3',
        'route "GET /a/{z}" matches the same requests as "GET /a/{x}" (policies.yaml:4:3); parameter names do not tell routes apart',
      ),
    ]);
  });

  it('files without a routes map, or whose data is not a map, add nothing', () => {
    expect(semantic(lines(...HEAD, 'routes: [GET /a]'), { 'r/x.yaml': '- routes\n', 'r/y.yaml': 'routes: 5\n' })).toEqual([]);
  });
});

describe('equalsPathParam naming no parameter (PARAM_UNKNOWN)', () => {
  it('on a route: names the route and the missing parameter', () => {
    const text = lines(...HEAD, 'routes:', '  GET /a/{id}:', '    require: { tenant: { equalsPathParam: t } }');
    expect(semantic(text)).toEqual([
      error('PARAM_UNKNOWN', at(text, 5, 't }'), 'route "GET /a/{id}" uses equalsPathParam "t" but the route has no {t} parameter'),
    ]);
  });

  it('on $default: says it has no parameters at all', () => {
    const text = lines(...HEAD, 'routes:', '  $default:', '    require: { subject: { equalsPathParam: id } }');
    expect(semantic(text)).toEqual([
      error('PARAM_UNKNOWN', at(text, 5, 'id'), 'route "$default" uses equalsPathParam "id" but the $default route has no path parameters'),
    ]);
  });

  it('a parameter the route has, a greedy one included, is fine; an empty or non-string name is the schema\'s business', () => {
    expect(
      semantic(
        lines(
          ...HEAD,
          'routes:',
          '  GET /a/{id}/{rest+}:',
          '    require: { subject: { equalsPathParam: id }, tenant: { equalsPathParam: rest } }',
          '  GET /b:',
          '    require: { subject: { equalsPathParam: "" }, tenant: { equalsPathParam: 5 } }',
        ),
      ),
    ).toEqual([]);
  });

  it('public routes and routes that are not maps are not checked', () => {
    expect(
      semantic(lines(...HEAD, 'routes:', '  GET /a:', '    public: true', '    require: { subject: { equalsPathParam: nope } }', '  GET /b: 5')),
    ).toEqual([]);
  });

  it('a route with an invalid key still has its values checked, but not its parameters', () => {
    const text = lines(...HEAD, 'routes:', '  get /a/{id}:', '    require: { subject: { equalsPathParam: nope }, claims: { x: { equals: .nan } } }');
    expect(semantic(text)).toEqual([
      error('ROUTE_KEY_INVALID', 'policies.yaml:4:3', 'route key "get /a/{id}": method must be upper case ("GET")'),
      error('VALUE_INVALID', at(text, 5, '.nan'), 'routes["get /a/{id}"].require.claims.x.equals is not a JSON value (NaN and infinities cannot be compared)'),
    ]);
  });

  describe('in defaults: lists the protected routes that lack it', () => {
    const withRoutes = (...keys: string[]) =>
      semantic(
        lines(
          ...HEAD,
          'defaults:',
          '  require: { tenant: { equalsPathParam: t } }',
          'routes:',
          '  GET /t/{t}: { require: {} }',
          '  GET /public: { public: true }',
          '  get /bad: { require: {} }',
          ...keys.map((k) => `  ${k}: { require: {} }`),
        ),
      ).filter((p) => p.code === 'PARAM_UNKNOWN');
    const at = 'policies.yaml:4:41';
    const head = 'defaults.require.tenant.equalsPathParam is "t", applied to every protected route, but';

    it('none lacking: nothing', () => {
      expect(withRoutes()).toEqual([]);
    });
    it('one: "route … has"', () => {
      expect(withRoutes('GET /a')).toEqual([error('PARAM_UNKNOWN', at, `${head} route "GET /a" has no {t} parameter`)]);
    });
    it('three: all named', () => {
      expect(withRoutes('GET /a', 'GET /b', '$default')).toEqual([
        error('PARAM_UNKNOWN', at, `${head} routes "GET /a", "GET /b", "$default" have no {t} parameter`),
      ]);
    });
    it('four: three named and one more', () => {
      expect(withRoutes('GET /a', 'GET /b', 'GET /c', 'GET /d')).toEqual([
        error('PARAM_UNKNOWN', at, `${head} routes "GET /a", "GET /b", "GET /c" and 1 more have no {t} parameter`),
      ]);
    });
    it('six: three named and three more', () => {
      expect(withRoutes('GET /a', 'GET /b', 'GET /c', 'GET /d', 'GET /e', 'GET /f')).toEqual([
        error('PARAM_UNKNOWN', at, `${head} routes "GET /a", "GET /b", "GET /c" and 3 more have no {t} parameter`),
      ]);
    });

    it('counts protected routes of included files too, and the subject form', () => {
      expect(
        semantic(lines(...HEAD, 'include: [r/*.yaml]', 'defaults:', '  require: { subject: { equalsPathParam: u } }', 'routes: {}'), {
          'r/x.yaml': lines('routes:', '  GET /x: { require: {} }', '  GET /u/{u}: { require: {} }'),
        }),
      ).toEqual([
        error(
          'PARAM_UNKNOWN',
          'policies.yaml:5:42',
          'defaults.require.subject.equalsPathParam is "u", applied to every protected route, but route "GET /x" has no {u} parameter',
        ),
      ]);
    });
  });
});

describe('reserved claims under claims: (CLAIM_RESERVED)', () => {
  it.each(Object.entries(RESERVED_CLAIMS))('%s', (name, why) => {
    expect(semantic(lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      claims:', `        "${name}": { exists: true }`))).toEqual([
      error('CLAIM_RESERVED', 'policies.yaml:7:9', `"${name}" cannot be checked under claims: ${why}`),
    ]);
  });

  it('names that only exist on Object.prototype are ordinary claims', () => {
    expect(
      semantic(lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      claims: { constructor: { exists: true }, toString: { exists: true }, hasOwnProperty: { exists: true } }')),
    ).toEqual([]);
  });

  it('the wording of each reason', () => {
    expect(RESERVED_CLAIMS).toEqual(RESERVED_CLAIM_REASONS);
  });
});

describe('requirements no token can pass (REQUIREMENT_UNSATISFIABLE, a warning)', () => {
  const warn = (req: string) => semantic(lines(...HEAD, 'routes:', '  GET /a:', '    require:', `      ${req}`));

  it('allOf and noneOf share a role', () => {
    expect(warn('roles: { allOf: [a, b], noneOf: [c, b] }')).toEqual([
      warning('REQUIREMENT_UNSATISFIABLE', 'policies.yaml:6:7', 'routes["GET /a"].require.roles both needs and forbids "b", so no token can pass'),
    ]);
  });

  it('every anyOf entry is forbidden (permissions)', () => {
    expect(warn('permissions: { anyOf: [a, b], noneOf: [b, a] }')).toEqual([
      warning(
        'REQUIREMENT_UNSATISFIABLE',
        'policies.yaml:6:7',
        'routes["GET /a"].require.permissions: every anyOf entry is also in noneOf, so no token can pass',
      ),
    ]);
  });

  it('a clash with allOf is named even when anyOf is forbidden as well', () => {
    expect(warn('roles: { anyOf: [a], allOf: [b], noneOf: [a, b] }')).toEqual([
      warning('REQUIREMENT_UNSATISFIABLE', 'policies.yaml:6:7', 'routes["GET /a"].require.roles both needs and forbids "b", so no token can pass'),
    ]);
  });

  it.each([
    ['one anyOf entry still allowed', 'roles: { anyOf: [a, b], noneOf: [a] }'],
    ['noneOf alone', 'roles: { noneOf: [a] }'],
    ['no noneOf', 'roles: { anyOf: [a], allOf: [a] }'],
    ['an empty noneOf', 'roles: { anyOf: [a], noneOf: [] }'],
    ['non-string entries are not names', 'roles: { allOf: [1], noneOf: [1, x] }'],
    ['noneOf not a list', 'roles: { allOf: [a], noneOf: a }'],
    ['anyOf not a list', 'roles: { anyOf: a, noneOf: [a] }'],
  ])('not when %s', (_name, req) => {
    expect(warn(req)).toEqual([]);
  });

  it('inside an anyOf branch, pointing at the branch\'s key', () => {
    expect(warn('anyOf: [{ mfa: true }, { roles: { allOf: [x], noneOf: [x] } }]')).toEqual([
      warning(
        'REQUIREMENT_UNSATISFIABLE',
        at(`      anyOf: [{ mfa: true }, { roles: { allOf: [x], noneOf: [x] } }]`, 1, 'roles').replace(':1:', ':6:'),
        'routes["GET /a"].require.anyOf[1].roles both needs and forbids "x", so no token can pass',
      ),
    ]);
  });
});

describe('no audience (AUDIENCE_MISSING, a warning)', () => {
  it('is reported at 1:1 of the entry file, saying what it lets in', () => {
    expect(semantic(lines('version: 1', 'routes: {}'))).toEqual([
      warning(
        'AUDIENCE_MISSING',
        'policies.yaml:1:1',
        'no "audience": tokens minted for any other audience will be accepted; set it to the JWT authorizer\'s audience',
      ),
    ]);
  });

  it('not for an entry file that is not a map (the schema reports that), nor for rule files', () => {
    expect(semantic('- version\n')).toEqual([]);
    expect(semantic(lines(...HEAD, 'routes: {}'), { 'r/x.yaml': lines('routes: {}') })).toEqual([]);
  });
});
