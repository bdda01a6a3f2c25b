// The small pieces every policy problem goes through: positions (source.ts), path names (paths.ts),
// report order and layout (errors.ts), "did you mean" (suggest.ts) and the counts shown to users
// (stats.ts). Each pinned on its edges. Found by mutation testing (CONTRIBUTING.md, "Mutation testing").
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { byPath, filesMatching } from '../../src/policy/globs.js';
import { formatPositioned, PolicyError, sortProblems } from '../../src/policy/errors.js';
import type { Check, PolicyIR } from '../../src/policy/ir.js';
import { dataPath, formatPath } from '../../src/policy/paths.js';
import { keysInOrder, keyString, offsetOf, parseSource, positionOf, problemAt, problemAtPath, sourceLineAt, type DataPath } from '../../src/policy/source.js';
import { countRequirements, policyCounts } from '../../src/policy/stats.js';
import { closest, didYouMean, editDistance } from '../../src/policy/suggest.js';
import { writeFixture } from './fixtures.js';

function file(text: string, name = 'p.yaml') {
  const p = parseSource(name, text);
  if (!p.syntaxOk) throw new Error(p.problems.map((e) => e.format()).join('\n'));
  return p.file;
}

describe('parseSource', () => {
  it('keeps duplicate keys for findDuplicateKeys (the last one wins in the data), with no problem of its own', () => {
    const p = parseSource('p.yaml', 'a: 1\na: 2\n');
    expect({ ok: p.syntaxOk, problems: p.problems, data: p.file.data, name: p.file.name, text: p.file.text }).toEqual({
      ok: true,
      problems: [],
      data: { a: 2 },
      name: 'p.yaml',
      text: 'a: 1\na: 2\n',
    });
  });

  it('a syntax error: positioned, the source line kept, the data not trusted', () => {
    const p = parseSource('p.yaml', 'x: 1\na: b: c\n');
    expect({ ok: p.syntaxOk, data: p.file.data, problems: p.problems.map((e) => e.format()) }).toEqual({
      ok: false,
      data: null,
      problems: ['p.yaml:2:4: error YAML_SYNTAX: Nested mappings are not allowed in compact mappings\n  a: b: c\n     ^'],
    });
  });
});

describe('positions (source.ts)', () => {
  const text = 'a: &x { b: 1, c: }\nd: *x\ne:\n  - f: 2\n  - [g]\nh: 1\nh: 2\n"9": q\n"10": r\n';
  const f = file(text);
  const at = (path: DataPath, part?: 'key' | 'value'): string => {
    const { line, col } = positionOf(f, offsetOf(f, path, part));
    return `${line}:${col}`;
  };

  it.each<[string, DataPath, string, string]>([
    ['the file itself', [], '1:1', '1:1'],
    ['a value and its key', ['a'], '1:7', '1:1'],
    ['a key inside a flow map', ['a', 'b'], '1:12', '1:9'],
    ['an empty value points at its key', ['a', 'c'], '1:15', '1:15'],
    ['an alias: its value is where the anchor is, its key where it is written', ['d'], '1:7', '2:1'],
    ['through an alias', ['d', 'b'], '1:12', '1:9'],
    ['a missing key under an alias: the closest enclosing key', ['d', 'zz'], '2:1', '2:1'],
    ['a map inside a list', ['e', 0, 'f'], '4:8', '4:5'],
    ['a list item has no key: its value either way', ['e', 1, 0], '5:6', '5:6'],
    ['a name on a list: the list\'s key', ['e', 'x'], '3:1', '3:1'],
    ['an index past the end of a list: the list\'s key', ['e', 5], '3:1', '3:1'],
    ['a repeated key: the last one, like the data', ['h'], '7:4', '7:1'],
    ['nothing matches: the file', ['zz', 'y'], '1:1', '1:1'],
  ])('%s %j', (_name, path, value, key) => {
    expect({ value: at(path), key: at(path, 'key') }).toEqual({ value, key });
  });

  it('a string step never indexes a list, and a scalar has nothing inside: the closest enclosing key', () => {
    expect([at(['e', '0', 'f']), at(['e', '0'], 'key')]).toEqual(['3:1', '3:1']);
    expect([at(['h', 0]), at(['h', 'x']), at(['h', 0, 'y'], 'key')]).toEqual(['7:1', '7:1', '7:1']);
    expect(keysInOrder(f, ['h', 0])).toEqual([]);
  });

  it('the default part is the value', () => {
    expect(offsetOf(f, ['a'])).toBe(offsetOf(f, ['a'], 'value'));
    expect(offsetOf(f, ['a'])).toBe(text.indexOf('{ b'));
  });

  it('a file holding only comments, or nothing: the document start, else offset 0', () => {
    const commented = file('# c\n\nx: 1\n');
    expect([offsetOf(commented, []), offsetOf(commented, ['y'], 'key')]).toEqual([5, 5]);
    const empty = file('');
    expect([offsetOf(empty, []), offsetOf(empty, ['a'], 'key'), keysInOrder(empty, [])]).toEqual([0, 0, []]);
  });

  it('keys in written order, integer-like ones too, repeats included; nothing for what is not a map', () => {
    expect(keysInOrder(f, [])).toEqual(['a', 'd', 'e', 'h', 'h', '9', '10']);
    expect(keysInOrder(f, ['d'])).toEqual(['b', 'c']);
    expect(keysInOrder(f, ['e'])).toEqual([]);
    expect(keysInOrder(f, ['zz'])).toEqual([]);
    expect(keysInOrder(f, ['d', 'zz'])).toEqual([]);
  });

  it('offsets outside the text are clamped to it', () => {
    const g = file('a: 1\nb: 2');
    expect([positionOf(g, 1000), positionOf(g, 10), positionOf(g, -5), positionOf(g, 0)]).toEqual([
      { line: 2, col: 5 },
      { line: 2, col: 5 },
      { line: 1, col: 1 },
      { line: 1, col: 1 },
    ]);
  });

  it('source lines without their CR; none past the end', () => {
    const g = file('a: 1\r\nb: 2\r\n');
    expect([sourceLineAt(g, 1), sourceLineAt(g, 2), sourceLineAt(g, 3), sourceLineAt(g, 4)]).toEqual(['a: 1', 'b: 2', '', null]);
  });

  it('only the CR that ends a line is dropped', () => {
    const g = { ...file('a: 1\n'), text: 'a: "x\ry"\r\nb: 1\r\r\n' };
    expect([sourceLineAt(g, 1), sourceLineAt(g, 2)]).toEqual(['a: "x\ry"', 'b: 1\r']);
  });

  it('problemAt and problemAtPath: an error unless told, the line shown', () => {
    const g = file('a:\n  b: 1\n');
    const e = problemAt(g, 5, 'KEY_UNKNOWN', 'm');
    expect([e.severity, e.line, e.col, e.sourceLine, e.file]).toEqual(['error', 2, 3, '  b: 1', 'p.yaml']);
    expect(problemAt(g, 5, 'KEY_UNKNOWN', 'm', 'warning').severity).toBe('warning');
    const v = problemAtPath(g, ['a', 'b'], 'VALUE_INVALID', 'v');
    expect([v.code, v.message, v.severity, v.line, v.col]).toEqual(['VALUE_INVALID', 'v', 'error', 2, 6]);
    const k = problemAtPath(g, ['a', 'b'], 'KEY_UNKNOWN', 'k', 'key', 'warning');
    expect([k.severity, k.line, k.col]).toEqual(['warning', 2, 3]);
  });

  it('keyString: scalars as their value, a missing key as ""', () => {
    const g = file('1: a\ntrue: b\nx: c\n');
    const keys = (g.doc.contents as { items: { key: unknown }[] }).items.map((p) => keyString(p.key));
    expect(keys).toEqual(['1', 'true', 'x']);
    expect([keyString(null), keyString(undefined), keyString('k')]).toEqual(['', '', 'k']);
  });
});

describe('paths.ts', () => {
  it.each<[DataPath, string]>([
    [[], '(file)'],
    [['routes', 'GET /a', 'require', 'anyOf', 1, 'subject'], 'routes["GET /a"].require.anyOf[1].subject'],
    [['GET /a'], '["GET /a"]'],
    [[0, 'a'], '[0].a'],
    [['_x', 'y_1', 'Z'], '_x.y_1.Z'],
    [['2a', 'a-b', 'a.b', ''], '["2a"]["a-b"]["a.b"][""]'],
    [['a', 'b\n"c'], 'a["b\\n\\"c"]'],
  ])('formatPath(%j)', (path, shown) => {
    expect(formatPath(path)).toBe(shown);
  });

  it('dataPath: JSON Pointer steps unescaped (~1 then ~0), indexes as numbers only inside lists', () => {
    const data = { routes: { 'GET /a': { require: { anyOf: [{ x: 1 }, { '0': { '~1': 2 } }] } } } };
    expect(dataPath('', data)).toEqual([]);
    expect(dataPath('/routes/GET ~1a/require/anyOf/1/0/~01', data)).toEqual(['routes', 'GET /a', 'require', 'anyOf', 1, '0', '~1']);
    expect(dataPath('/a~0b/~1/c', {})).toEqual(['a~b', '/', 'c']);
    expect(dataPath('/a/0', { a: null })).toEqual(['a', '0']);
    expect(dataPath('/0/1', [[5, 6]])).toEqual([0, 1]);
  });
});

describe('globs.ts', () => {
  it('filesMatching: absolute, normalized paths of files only (not directories), in path order', async () => {
    const dir = writeFixture({ 'conf/p.yaml': 'x', 'r/b.yaml': 'x', 'r/B.yaml': 'x', 'r/a.yaml': 'x', 'r/d.yaml/x': 'x', 'r/s/c.yaml': 'x' });
    expect(await filesMatching('../r/*.yaml', join(dir, 'conf'))).toEqual({ ok: true, files: ['B', 'a', 'b'].map((n) => join(dir, 'r', `${n}.yaml`)) });
    expect(await filesMatching('r/**', dir)).toEqual({
      ok: true,
      files: ['r/B.yaml', 'r/a.yaml', 'r/b.yaml', 'r/d.yaml/x', 'r/s/c.yaml'].map((n) => join(dir, n)),
    });
    expect(await filesMatching('none/*.yaml', dir)).toEqual({ ok: true, files: [] });
  });

  it('byPath: code-unit order, 0 only for the same path', () => {
    expect([byPath('a', 'b'), byPath('b', 'a'), byPath('a', 'a'), byPath('B', 'a'), byPath('a/b', 'a-b')]).toEqual([-1, 1, 0, -1, 1]);
  });
});

describe('errors.ts', () => {
  const p = (file: string, line: number, col: number, message = '') => new PolicyError({ code: 'KEY_UNKNOWN', message, file, line, col });
  const show = (ps: readonly PolicyError[]) => ps.map((e) => `${e.file}:${e.line}:${e.col}${e.message}`);

  it('sortProblems: by file in the given order (others last), then line, then column; ties keep their order', () => {
    const problems = [p('z', 1, 1), p('b', 2, 1), p('a', 9, 9), p('b', 1, 5, '#1'), p('b', 1, 2), p('y', 1, 1), p('b', 1, 5, '#2'), p('z', 0, 1)];
    expect(show(sortProblems(problems, ['b', 'a']))).toEqual(['b:1:2', 'b:1:5#1', 'b:1:5#2', 'b:2:1', 'a:9:9', 'z:0:1', 'z:1:1', 'y:1:1']);
    expect(show(problems)[0]).toBe('z:1:1');
  });

  it('PolicyError: an error with no source line unless given, its cause kept', () => {
    const cause = new Error('x');
    const e = new PolicyError({ code: 'FILE_UNREADABLE', message: 'm', file: 'f', line: 3, col: 4, cause });
    expect([e.name, e.code, e.message, e.severity, e.sourceLine, e.cause]).toEqual(['PolicyError', 'FILE_UNREADABLE', 'm', 'error', null, cause]);
    expect('cause' in new PolicyError({ code: 'FILE_UNREADABLE', message: 'm', file: 'f', line: 1, col: 1 })).toBe(false);
  });

  it('formatPositioned: a column before the first puts the caret at the start', () => {
    const base = { file: 'f', line: 2, severity: 'error', code: 'C', message: 'm', sourceLine: 'abc' };
    expect(formatPositioned({ ...base, col: 0 })).toBe('f:2:0: error C: m\n  abc\n  ^');
    expect(formatPositioned({ ...base, col: 1 })).toBe('f:2:1: error C: m\n  abc\n  ^');
    expect(formatPositioned({ ...base, col: 3 })).toBe('f:2:3: error C: m\n  abc\n    ^');
    expect(formatPositioned({ ...base, col: 3, sourceLine: '' })).toBe('f:2:3: error C: m\n  \n  ^');
  });
});

describe('suggest.ts', () => {
  it.each<[string, string, number]>([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['abc', 'abc', 0],
    ['ab', 'ba', 2],
    ['kitten', 'sitting', 3],
    ['rolse', 'roles', 2],
    ['flaw', 'lawn', 2],
    ['a', 'b', 1],
  ])('editDistance(%j, %j) = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it('closest: up to two edits, ignoring case, the first of equally close candidates, as written', () => {
    expect(closest('rolse', ['permissions', 'roles', 'rules'])).toBe('roles');
    expect(closest('ROLES', ['roles'])).toBe('roles');
    expect(closest('roles', ['ROLES'])).toBe('ROLES');
    expect(closest('abcd', ['abxy'])).toBe('abxy');
    expect(closest('abcd', ['axyz'])).toBeNull();
    expect(closest('abc', ['abx', 'aby', 'abc'])).toBe('abc');
    expect(closest('abc', ['xbc', 'axc'])).toBe('xbc');
    expect(closest('abc', ['xyc', 'abx'])).toBe('abx');
    expect(closest('x', [])).toBeNull();
  });

  it('didYouMean: a suffix to append, or nothing', () => {
    expect(didYouMean('rolse', new Set(['roles']))).toBe(' (did you mean "roles"?)');
    expect(didYouMean('zzzzz', ['roles'])).toBe('');
  });
});

describe('stats.ts', () => {
  const at = { file: 'f', line: 1, col: 1 };
  const mfa: Check = { kind: 'mfa', id: 'st-mfa', factors: null, maxAgeSeconds: null, path: 'p', at };
  const anyOf = (...branches: Check[][]): Check => ({ kind: 'anyOf', path: 'p', at, branches });

  it('countRequirements: leaves only, each branch counted, nested anyOf too', () => {
    expect(countRequirements([])).toBe(0);
    expect(countRequirements([mfa, mfa])).toBe(2);
    expect(countRequirements([anyOf()])).toBe(0);
    expect(countRequirements([mfa, anyOf([mfa, mfa], [anyOf([mfa], [mfa, mfa, mfa])])])).toBe(7);
  });

  it('policyCounts: routes, public routes, and requirements summed over routes', () => {
    const route = (pub: boolean, checks: Check[]) => ({ key: 'GET /', method: 'GET' as const, segments: [], public: pub, checks, at });
    const ir: PolicyIR = { version: 1, audience: null, issuer: null, routes: [route(true, []), route(false, [mfa, anyOf([mfa], [mfa])]), route(false, [mfa]), route(true, [])] };
    expect(policyCounts(ir)).toEqual({ routes: 4, publicRoutes: 2, requirements: 4 });
  });
});

describe('positions off the written shape (source.ts)', () => {
  const text = 'h: 1\ne:\n  - a\n  - b\nz: {}\n';
  const f = file(text);
  const at = (g: typeof f, path: DataPath, part?: 'key' | 'value'): string => {
    const { line, col } = positionOf(g, offsetOf(g, path, part));
    return `${line}:${col}`;
  };

  it.each<[string, DataPath]>([
    ['a name under a scalar', ['h', 'x']],
    ['an index under a scalar', ['h', 0]],
  ])('%s: the scalar\'s key, either part', (_name, path) => {
    expect([at(f, path), at(f, path, 'key')]).toEqual(['1:1', '1:1']);
    expect(keysInOrder(f, path)).toEqual([]);
  });

  it.each<[string, DataPath]>([
    ['an index written as a string', ['e', '1']],
    ['a name that is a property of every list', ['e', 'length']],
  ])('%s is not a list index: the list\'s key', (_name, path) => {
    expect([at(f, path), at(f, path, 'key')]).toEqual(['2:1', '2:1']);
  });

  it('a number on a list is an index', () => {
    expect([at(f, ['e', 1]), at(f, ['e', 1], 'key')]).toEqual(['4:5', '4:5']);
  });

  it('an empty flow map is a map: its keys are none, its place is the "{"', () => {
    expect([at(f, ['z']), keysInOrder(f, ['z'])]).toEqual(['5:4', []]);
  });

  it('an alias whose anchor comes later resolves to nothing: the key that holds it', () => {
    // toJS refuses the alias, so parseSource reports it at the file's start. offsetOf takes any
    // parsed file: through such an alias it must still answer, not throw.
    const p = parseSource('p.yaml', 'z: 1\na: *x\nb: &x { x: 1 }\n');
    expect(p.problems.map((e) => `${e.code} ${e.line}:${e.col} ${e.message}`)).toEqual([
      'YAML_SYNTAX 1:1 Unresolved alias (the anchor must be set before the alias): x',
    ]);
    expect([at(p.file, ['a', 'x']), at(p.file, ['a', 'x'], 'key'), at(p.file, ['a']), keysInOrder(p.file, ['a'])]).toEqual(['2:1', '2:1', '2:4', []]);
  });

  it('a source line keeps a carriage return inside it; only one ending the line is dropped', () => {
    const g = file('# a\rb\r\nx: "1\r2"\n');
    expect([sourceLineAt(g, 1), sourceLineAt(g, 2), sourceLineAt(g, 3)]).toEqual(['# a\rb', 'x: "1\r2"', '']);
  });
});
