// loadPolicy end to end (load.ts, read.ts, source.ts, globs.ts): every problem of a load pinned
// whole (code, file:line:col, severity, message) and in report order, so a problem that goes
// missing, moves, or is reported by a step that should have been skipped fails a test. Found by
// mutation testing (CONTRIBUTING.md, "Mutation testing").
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PolicyError } from '../../src/policy/errors.js';
import { loadPolicy, type LoadOptions } from '../../src/policy/load.js';
import { lines, writeFixture } from './fixtures.js';

// The real reader and schema everywhere but in "fail closed" below, where one file is made to be
// dropped by a step that reports no error for it.
const drop = vi.hoisted(() => ({ read: null as string | null, entry: false, rule: null as string | null }));

vi.mock('../../src/policy/read.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/policy/read.js')>();
  return {
    ...real,
    readPolicyFile: async (absPath: string, name: string) =>
      name === drop.read
        ? { ok: false, error: new PolicyError({ code: 'FILE_UNREADABLE', message: `not read: ${name}`, file: name, line: 1, col: 1, severity: 'warning' }) }
        : real.readPolicyFile(absPath, name),
  };
});

vi.mock('../../src/policy/schema.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/policy/schema.js')>();
  return {
    ...real,
    validateEntry: (...args: Parameters<typeof real.validateEntry>) => (drop.entry ? { ok: false, problems: [] } : real.validateEntry(...args)),
    validateRule: (...args: Parameters<typeof real.validateRule>) =>
      args[0].name === drop.rule ? { ok: false, problems: [] } : real.validateRule(...args),
  };
});

afterEach(() => {
  drop.read = null;
  drop.entry = false;
  drop.rule = null;
});

const HEAD = ['version: 1', 'audience: api'];

const row = (p: PolicyError) => ({ code: p.code, at: `${p.file}:${p.line}:${p.col}`, severity: p.severity, message: p.message });
const error = (code: PolicyError['code'], at: string, message: string) => ({ code, at, severity: 'error', message });
const warning = (code: PolicyError['code'], at: string, message: string) => ({ code, at, severity: 'warning', message });

const NO_AUDIENCE = warning(
  'AUDIENCE_MISSING',
  'policies.yaml:1:1',
  'no "audience": tokens minted for any other audience will be accepted; set it to the JWT authorizer\'s audience',
);

async function load(files: Readonly<Record<string, string | Uint8Array>>, entry = 'policies.yaml', options?: LoadOptions) {
  const dir = writeFixture(files);
  const opts = options?.baseDir === undefined ? options : { baseDir: join(dir, options.baseDir) };
  const result = await loadPolicy(join(dir, entry), opts);
  return { dir, result };
}

/** Errors and warnings as rows; throws when the load succeeded. */
async function problems(files: Readonly<Record<string, string | Uint8Array>>, entry?: string, options?: LoadOptions) {
  const { result } = await load(files, entry, options);
  if (result.ok) throw new Error('expected the load to fail');
  return { errors: result.errors.map(row), warnings: result.warnings.map(row), formatted: result.errors.map((e) => e.format()) };
}

describe('reading files (read.ts)', () => {
  it('a missing entry file: file-level, at 1:1, no source line, its cause kept', async () => {
    const { result } = await load({}, 'policies.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(row)).toEqual([error('FILE_NOT_FOUND', 'policies.yaml:1:1', 'file not found: policies.yaml')]);
    expect(result.warnings).toEqual([]);
    expect(result.errors[0]?.format()).toBe('policies.yaml:1:1: error FILE_NOT_FOUND: file not found: policies.yaml');
    expect((result.errors[0]?.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('an entry that is a directory is unreadable, with the system error code', async () => {
    const { result } = await load({ 'policies.yaml/x': 'x' });
    expect(result.ok ? [] : result.errors.map(row)).toEqual([error('FILE_UNREADABLE', 'policies.yaml:1:1', 'cannot read policies.yaml (EISDIR)')]);
  });

  it('a missing entry file is named relative to baseDir', async () => {
    expect((await problems({ 'conf/x': 'x' }, 'conf/policies.yaml', { baseDir: '.' })).errors).toEqual([
      error('FILE_NOT_FOUND', 'conf/policies.yaml:1:1', 'file not found: conf/policies.yaml'),
    ]);
  });

  it('an invalid byte first in the file: 1:1, the byte and its offset', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff]), Buffer.from('version: 1\n')]);
    const p = await problems({ 'policies.yaml': bytes });
    expect(p.errors).toEqual([error('FILE_NOT_UTF8', 'policies.yaml:1:1', 'policies.yaml is not valid UTF-8 (byte 0xff at offset 0); save it as UTF-8')]);
    expect(p.formatted).toEqual(['policies.yaml:1:1: error FILE_NOT_UTF8: policies.yaml is not valid UTF-8 (byte 0xff at offset 0); save it as UTF-8\n  \ufffdversion: 1\n  ^']);
  });

  it('an invalid byte after CRLF lines and a multi-byte character: its line, its column in characters, the whole line shown', async () => {
    // "version: 1\r\n" (12 bytes) + "audience: api\r\n" (15) + "# é " (5 bytes, 4 characters), then 0x80.
    const bytes = Buffer.concat([
      Buffer.from('version: 1\r\naudience: api\r\n# é '),
      Buffer.from([0x80]),
      Buffer.from(' tail\r\nroutes: {}\r\n'),
    ]);
    const p = await problems({ 'policies.yaml': bytes });
    expect(p.errors).toEqual([error('FILE_NOT_UTF8', 'policies.yaml:3:5', 'policies.yaml is not valid UTF-8 (byte 0x80 at offset 32); save it as UTF-8')]);
    expect(p.formatted[0]?.split('\n').slice(1)).toEqual(['  # é \ufffd tail', '      ^']);
  });

  it('a byte that is never UTF-8, on the last line without a newline', async () => {
    const bytes = Buffer.concat([Buffer.from('version: 1\nx: ab'), Buffer.from([0xc0]), Buffer.from('cd')]);
    const p = await problems({ 'policies.yaml': bytes });
    expect(p.errors).toEqual([error('FILE_NOT_UTF8', 'policies.yaml:2:6', 'policies.yaml is not valid UTF-8 (byte 0xc0 at offset 16); save it as UTF-8')]);
    expect(p.formatted[0]?.split('\n').slice(1)).toEqual(['  x: ab\ufffdcd', '       ^']);
  });

  it('after many multi-byte characters: the offset of the invalid byte itself, not of a character cut in two', async () => {
    const bytes = Buffer.concat([Buffer.from(`x: ${'é'.repeat(40)}`), Buffer.from([0xff]), Buffer.from('\n')]);
    const p = await problems({ 'policies.yaml': bytes });
    expect(p.errors).toEqual([error('FILE_NOT_UTF8', 'policies.yaml:1:44', 'policies.yaml is not valid UTF-8 (byte 0xff at offset 83); save it as UTF-8')]);
  });

  it('a lone CR inside the line is kept in the line shown; one ending the file is not', async () => {
    const bytes = Buffer.concat([Buffer.from('version: 1\nx: a\rb'), Buffer.from([0xff]), Buffer.from('c\r')]);
    const p = await problems({ 'policies.yaml': bytes });
    expect(p.errors).toEqual([error('FILE_NOT_UTF8', 'policies.yaml:2:7', 'policies.yaml is not valid UTF-8 (byte 0xff at offset 17); save it as UTF-8')]);
    expect(p.formatted[0]?.split('\n').slice(1)).toEqual(['  x: a\rb\ufffdc', '        ^']);
  });

  it('an included file that is not UTF-8 is named as included, and the rest of the load still runs', async () => {
    const p = await problems({
      'policies.yaml': lines(...HEAD, 'include: [rules/*.yaml]', 'routes:', '  get /a: { public: true }'),
      'rules/x.yaml': Buffer.concat([Buffer.from('routes:\n  GET /b: { public: true }\n  '), Buffer.from([0xfe])]),
    });
    expect(p.errors).toEqual([
      error('ROUTE_KEY_INVALID', 'policies.yaml:5:3', 'route key "get /a": method must be upper case ("GET")'),
      error('FILE_NOT_UTF8', 'rules/x.yaml:3:3', 'rules/x.yaml is not valid UTF-8 (byte 0xfe at offset 37); save it as UTF-8'),
    ]);
  });

  it('a rule file that is not UTF-8 alone keeps the policy from loading', async () => {
    const p = await problems({
      'policies.yaml': lines(...HEAD, 'include: [rules/*.yaml]', 'routes: {}'),
      'rules/x.yaml': Buffer.from([0x72, 0x3a, 0x20, 0xf8, 0x80, 0x80]),
    });
    expect(p.errors).toEqual([error('FILE_NOT_UTF8', 'rules/x.yaml:1:4', 'rules/x.yaml is not valid UTF-8 (byte 0xf8 at offset 3); save it as UTF-8')]);
  });
});

describe('YAML (source.ts)', () => {
  it('a second document: one clear message at the "---"', async () => {
    expect((await problems({ 'policies.yaml': lines(...HEAD, 'routes: {}', '---', 'routes: {}') })).errors).toEqual([
      error('YAML_SYNTAX', 'policies.yaml:4:1', 'a policy file holds one YAML document: remove "---" and what follows, or move it to its own file'),
    ]);
  });

  it('a parser error keeps the parser\'s message; the file is then neither schema-checked nor checked for duplicate keys', async () => {
    const p = await problems({ 'policies.yaml': lines('version: 1', 'version: 1', 'a: b: c', 'routes: {}') });
    expect(p.errors).toEqual([error('YAML_SYNTAX', 'policies.yaml:3:4', 'Nested mappings are not allowed in compact mappings')]);
    // Nor is its data: no AUDIENCE_MISSING although it names no audience.
    expect(p.warnings).toEqual([]);
  });

  it('parser warnings are errors too', async () => {
    expect((await problems({ 'policies.yaml': lines('%FOO x', '---', ...HEAD, 'routes: {}') })).errors).toEqual([
      error('YAML_SYNTAX', 'policies.yaml:1:1', 'Unknown directive %FOO'),
    ]);
  });

  it('an alias bomb is refused at 1:1 with the parser\'s reason', async () => {
    const bomb = lines(
      'version: 1',
      'x: &a [x, x, x, x, x, x, x, x, x, x]',
      'y: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'z: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'w: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    );
    const p = await problems({ 'policies.yaml': bomb });
    expect(p.errors).toEqual([error('YAML_SYNTAX', 'policies.yaml:1:1', 'Excessive alias count indicates a resource exhaustion attack')]);
    // The data of a file that failed to parse is not trusted: no AUDIENCE_MISSING although it names no audience.
    expect(p.warnings).toEqual([]);
  });

  it('a rule file with a syntax error is not schema-checked; the other files are', async () => {
    const p = await problems({
      'policies.yaml': lines(...HEAD, 'include: [rules/*.yaml]', 'routes: { GET /a: { public: true }, GET /a: { public: true } }'),
      'rules/a.yaml': lines('routes:', '  GET /b: { public: true', '  GET /c: {}'),
      'rules/b.yaml': lines('routes:', '  GET /d: { public: false }'),
    });
    expect(p.errors).toEqual([
      error('ROUTE_DUPLICATE', 'policies.yaml:4:37', 'route "GET /a" is defined twice (first at policies.yaml:4:11)'),
      error('YAML_SYNTAX', 'rules/a.yaml:3:3', 'Flow map in block collection must be sufficiently indented and end with a }'),
      error('VALUE_INVALID', 'rules/b.yaml:2:21', 'routes["GET /d"].public must be true; leave it out for a protected route'),
    ]);
  });
});

describe('include: (load.ts, globs.ts)', () => {
  it('a glob matching nothing, and one matching only test suites or the entry itself', async () => {
    const p = await problems({
      'policies.yaml': lines(...HEAD, 'include:', '  - none/*.yaml', '  - suites/*.yaml', '  - "*.yaml"', 'routes: {}'),
      'suites/a.test.yaml': 'cases: []\n',
      'suites/b.test.yml': 'cases: []\n',
    });
    expect(p.errors).toEqual([
      error('INCLUDE_NO_MATCH', 'policies.yaml:4:5', 'include glob "none/*.yaml" matches no rule file'),
      error('INCLUDE_NO_MATCH', 'policies.yaml:5:5', 'include glob "suites/*.yaml" matches no rule file (only test suites or the entry file itself)'),
      error('INCLUDE_NO_MATCH', 'policies.yaml:6:5', 'include glob "*.yaml" matches no rule file (only test suites or the entry file itself)'),
    ]);
  });

  it('a glob too long to compile is VALUE_INVALID at the glob, with the matcher\'s reason', async () => {
    const long = `${'a'.repeat(70_000)}/*.yaml`;
    const p = await problems({ 'policies.yaml': lines(...HEAD, `include: [${long}]`, 'routes: {}') });
    expect(p.errors).toEqual([
      error('VALUE_INVALID', 'policies.yaml:3:11', `include glob "${long}" is not a valid glob: Input length: 70007, exceeds maximum allowed length: 65536`),
    ]);
  });

  it('entries that are not strings, or empty, are left to the schema (no glob problem for them)', async () => {
    const p = await problems({ 'policies.yaml': lines(...HEAD, 'include: [5, "", r/*.yaml]', 'routes: {}'), 'r/x.yaml': lines('routes: {}') });
    expect(p.errors).toEqual([
      error('TYPE_MISMATCH', 'policies.yaml:3:11', 'include[0] must be a string (got 5)'),
      error('VALUE_INVALID', 'policies.yaml:3:14', 'include[1] must not be an empty string'),
    ]);
  });

  it.each([
    ['empty', '', 'not empty'],
    ['only a comment', '# include: [r/*.yaml]\n', 'not empty'],
    ['a list holding include:', '- include: [r/*.yaml]\n', 'not [{"include":["r/*.yaml"]}]'],
  ])('an entry file that is %s reads no rule file: one TYPE_MISMATCH at 1:1', async (_name, text, got) => {
    const p = await problems({ 'policies.yaml': text, 'r/a.yaml': 'not: [valid' });
    expect(p).toMatchObject({
      errors: [error('TYPE_MISMATCH', 'policies.yaml:1:1', `a policy file must be a YAML map of settings (version:, routes:, …), ${got}`)],
      warnings: [],
    });
  });

  it('include that is not a list reads nothing more', async () => {
    const p = await problems({ 'policies.yaml': lines(...HEAD, 'include: r/*.yaml', 'routes: {}'), 'r/x.yaml': 'not: [valid' });
    expect(p.errors).toEqual([error('TYPE_MISMATCH', 'policies.yaml:3:10', 'include must be a list (got "r/*.yaml")')]);
  });

  it('files matched by several globs are read once, in path order; .test.yml suites and the entry are skipped', async () => {
    const { result } = await load({
      'policies.yaml': lines(...HEAD, 'include: [r/b.yaml, r/*.yaml, "*.yaml", r/*.yml]', 'routes: { GET /e: { public: true } }'),
      'r/b.yaml': lines('routes: { GET /b: { public: true } }'),
      'r/a.yaml': lines('routes: { GET /a: { public: true } }'),
      'r/B.yaml': lines('routes: { GET /B: { public: true } }'),
      'r/c.yml': lines('routes: { GET /c: { public: true } }'),
      'r/s.test.yml': 'not: [valid',
      'r/t.test.yaml': 'not: [valid',
      'other.yaml': lines('routes: { GET /o: { public: true } }'),
    });
    expect(result.ok ? { files: result.files, routes: result.ir.routes.map((r) => `${r.at.file} ${r.key}`), warnings: result.warnings } : result.errors.map(row)).toEqual({
      files: ['policies.yaml', 'other.yaml', 'r/B.yaml', 'r/a.yaml', 'r/b.yaml', 'r/c.yml'],
      routes: ['policies.yaml GET /e', 'other.yaml GET /o', 'r/B.yaml GET /B', 'r/a.yaml GET /a', 'r/b.yaml GET /b', 'r/c.yml GET /c'],
      warnings: [],
    });
  });

  it('globs are relative to the entry file\'s directory, names to baseDir', async () => {
    const { result } = await load(
      {
        'conf/policies.yaml': lines('version: 1', 'include: [../shared/*.yaml]', 'routes: {}'),
        'shared/x.yaml': lines('routes: { GET /x: { public: true } }'),
      },
      'conf/policies.yaml',
      { baseDir: 'conf' },
    );
    expect(result.ok && { files: result.files, at: result.ir.routes[0]?.at, warnings: result.warnings.map(row) }).toEqual({
      files: ['policies.yaml', '../shared/x.yaml'],
      at: { file: '../shared/x.yaml', line: 1, col: 11 },
      warnings: [NO_AUDIENCE],
    });
  });
});

describe('the result (load.ts)', () => {
  it('problems in file order (entry, then includes in path order), then line, then column, whatever step found them', async () => {
    const p = await problems({
      'policies.yaml': lines('version: 1', 'include: [r/*.yaml]', 'routes:', '  GET /a/{x}: { require: { subject: { equalsPathParam: y }, rolse: 1 } }'),
      'r/a.yaml': lines('routes:', '  GET /b: { public: true', ''),
      'r/b.yaml': lines('routes:', '  GET /a/{z}: { public: true, foo: 1 }', '  GET /c: { public: true }', '  GET /c: { public: true }'),
    });
    expect(p.errors).toEqual([
      error('PARAM_UNKNOWN', 'policies.yaml:4:56', 'route "GET /a/{x}" uses equalsPathParam "y" but the route has no {y} parameter'),
      error('KEY_UNKNOWN', 'policies.yaml:4:61', 'unknown key "rolse" in routes["GET /a/{x}"].require (did you mean "roles"?)'),
      error('YAML_SYNTAX', 'r/a.yaml:4:1', 'Flow map in block collection must be sufficiently indented and end with a }'),
      error(
        'ROUTE_DUPLICATE',
        'r/b.yaml:2:3',
        'route "GET /a/{z}" matches the same requests as "GET /a/{x}" (policies.yaml:4:3); parameter names do not tell routes apart',
      ),
      error('KEY_UNKNOWN', 'r/b.yaml:2:31', 'unknown key "foo" in routes["GET /a/{z}"]'),
      error('ROUTE_DUPLICATE', 'r/b.yaml:4:3', 'route "GET /c" is defined twice (first at r/b.yaml:3:3)'),
    ]);
    expect(p.warnings).toEqual([NO_AUDIENCE]);
  });

  it('warnings alone do not fail a load, and come back sorted with it', async () => {
    const { result } = await load({
      'policies.yaml': lines('version: 1', 'routes:', '  GET /b: { require: { roles: { allOf: [x], noneOf: [x] } } }', '  GET /a: { require: { roles: { anyOf: [x], noneOf: [x] } } }'),
    });
    expect(result.ok && result.warnings.map(row)).toEqual([
      NO_AUDIENCE,
      warning('REQUIREMENT_UNSATISFIABLE', 'policies.yaml:3:24', 'routes["GET /b"].require.roles both needs and forbids "x", so no token can pass'),
      warning('REQUIREMENT_UNSATISFIABLE', 'policies.yaml:4:24', 'routes["GET /a"].require.roles: every anyOf entry is also in noneOf, so no token can pass'),
    ]);
    expect(result.ok && result.ir.routes.map((r) => r.key)).toEqual(['GET /b', 'GET /a']);
  });

  it('a failed load reports its warnings too', async () => {
    const p = await problems({ 'policies.yaml': lines('version: 2', 'routes: {}') });
    expect(p).toMatchObject({
      errors: [error('VERSION_UNSUPPORTED', 'policies.yaml:1:10', 'unsupported policy version 2: this claimguard reads version 1')],
      warnings: [NO_AUDIENCE],
    });
  });
});

describe('fail closed (load.ts)', () => {
  // Each real step that drops a file or a document reports an error for it, so these cannot happen
  // today; if a step ever forgot to, the load must still not return an IR that lacks that file.
  const policy = {
    'policies.yaml': lines(...HEAD, 'include: [r/*.yaml]', 'routes: { GET /e: { public: true } }'),
    'r/a.yaml': lines('routes: { GET /a: { public: true } }'),
  };
  const UNNORMALIZED = 'loadPolicy: no errors reported but the policy could not be normalized';

  it('as a check, the policy loads with both files', async () => {
    const { result } = await load(policy);
    expect(result.ok && { files: result.files, routes: result.ir.routes.map((r) => r.key) }).toEqual({ files: ['policies.yaml', 'r/a.yaml'], routes: ['GET /e', 'GET /a'] });
  });

  it('a rule file the schema rejects without a problem: the load throws', async () => {
    drop.rule = 'r/a.yaml';
    await expect(load(policy)).rejects.toThrow(new Error(UNNORMALIZED));
  });

  it('an entry file the schema rejects without a problem: the load throws', async () => {
    drop.entry = true;
    await expect(load(policy)).rejects.toThrow(new Error(UNNORMALIZED));
  });

  it('a rule file that is not read, with only a warning: the load throws', async () => {
    drop.read = 'r/a.yaml';
    await expect(load(policy)).rejects.toThrow(new Error(UNNORMALIZED));
  });

  it('an entry file that is not read, with only a warning: no IR, the warning reported', async () => {
    drop.read = 'policies.yaml';
    const { result } = await load(policy);
    expect(result.ok ? result.ir : { errors: result.errors, warnings: result.warnings.map(row) }).toEqual({
      errors: [],
      warnings: [warning('FILE_UNREADABLE', 'policies.yaml:1:1', 'not read: policies.yaml')],
    });
  });
});
