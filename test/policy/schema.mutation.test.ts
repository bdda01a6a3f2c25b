// The schema's errors as an author reads them (schema.ts): one row per translation, with the exact
// code, position and message, in the entry file and in an included rule file. Found by mutation
// testing (CONTRIBUTING.md, "Mutation testing"): most of these messages were asserted by no test.
import { describe, expect, it } from 'vitest';
import type { PolicyError } from '../../src/policy/errors.js';
import { validateEntry, validateRule } from '../../src/policy/schema.js';
import { parseSource, type SourceFile } from '../../src/policy/source.js';
import { lines } from './fixtures.js';

const HEAD = ['version: 1', 'audience: api'];

function parsed(name: string, text: string): SourceFile {
  const p = parseSource(name, text);
  if (!p.syntaxOk) throw new Error(p.problems.map((e) => e.format()).join('\n'));
  return p.file;
}

const rows = (problems: readonly PolicyError[]) => problems.map((p) => ({ code: p.code, at: `${p.file}:${p.line}:${p.col}`, message: p.message }));

function entryProblems(text: string) {
  const v = validateEntry(parsed('policies.yaml', text));
  return v.ok ? [] : rows(v.problems);
}

function ruleProblems(text: string) {
  const v = validateRule(parsed('rules/x.yaml', text), 'policies.yaml');
  return v.ok ? [] : rows(v.problems);
}

/** `file:line:col` of the first `needle` on line `line` of `text`. */
function at(text: string, line: number, needle: string, file = 'policies.yaml'): string {
  const col = (text.split('\n')[line - 1] ?? '').indexOf(needle);
  if (col < 0) throw new Error(`"${needle}" not on line ${line}`);
  return `${file}:${line}:${col + 1}`;
}

/** A policy with one route whose require map is `req` (one line, flow style): line 5. */
const withRequire = (req: string, key = 'GET /a/{id}') => lines(...HEAD, 'routes:', `  ${key}:`, `    require: ${req}`);

describe('a file that is not a map of settings', () => {
  it.each([
    ['an empty file', '', 'empty'],
    ['a comment only', '# nothing yet\n', 'empty'],
    ['a string', 'routes\n', '"routes"'],
    ['a list', '- version: 1\n', '[{"version":1}]'],
    ['a number', '5\n', '5'],
  ])('%s', (_name, text, shown) => {
    expect(entryProblems(text)).toEqual([
      { code: 'TYPE_MISMATCH', at: 'policies.yaml:1:1', message: `a policy file must be a YAML map of settings (version:, routes:, …), not ${shown}` },
    ]);
  });
});

describe('keys', () => {
  it('a misspelled top-level key suggests the right one; the root is named (file)', () => {
    const text = lines(...HEAD, 'rotues: {}');
    expect(entryProblems(text)).toEqual([{ code: 'KEY_UNKNOWN', at: 'policies.yaml:3:1', message: 'unknown key "rotues" in (file) (did you mean "routes"?)' }]);
  });

  it('an unknown key nothing resembles gets no suggestion', () => {
    expect(entryProblems(withRequire('{ zzzzzz: true }'))).toEqual([
      { code: 'KEY_UNKNOWN', at: at(withRequire('{ zzzzzz: true }'), 5, 'zzzzzz'), message: 'unknown key "zzzzzz" in routes["GET /a/{id}"].require' },
    ]);
  });

  it('a requirement written beside require: says where it belongs', () => {
    const text = lines(...HEAD, 'routes:', '  GET /a:', '    roles: { anyOf: [a] }', '    require: {}');
    expect(entryProblems(text)).toEqual([
      { code: 'KEY_UNKNOWN', at: 'policies.yaml:5:5', message: '"roles" is a requirement: put it under routes["GET /a"].require' },
    ]);
  });

  it('a requirement name anywhere but beside require: is just unknown', () => {
    const text = lines(...HEAD, 'mfa: true', 'routes:', '  GET /a:', '    require: { roles: { anyOf: [a], mfa: true } }');
    expect(entryProblems(text)).toEqual([
      { code: 'KEY_UNKNOWN', at: 'policies.yaml:3:1', message: 'unknown key "mfa" in (file)' },
      { code: 'KEY_UNKNOWN', at: at(text, 6, 'mfa'), message: 'unknown key "mfa" in routes["GET /a"].require.roles' },
    ]);
  });

  it('a key that is not a requirement beside require: is unknown (did you mean)', () => {
    const text = lines(...HEAD, 'routes:', '  GET /a:', '    requires: {}');
    expect(entryProblems(text)).toContainEqual({
      code: 'KEY_UNKNOWN',
      at: 'policies.yaml:5:5',
      message: 'unknown key "requires" in routes["GET /a"] (did you mean "require"?)',
    });
  });

  it('a global setting in a rule file belongs in the entry file; an unknown one there is unknown', () => {
    const text = lines('version: 1', 'issuer: https://x.example.com', 'defaults: {}', 'foo: 1', 'routes: {}');
    expect(ruleProblems(text)).toEqual([
      { code: 'KEY_ENTRY_ONLY', at: 'rules/x.yaml:2:1', message: '"issuer" belongs in the entry file (policies.yaml); an included file holds only routes' },
      { code: 'KEY_ENTRY_ONLY', at: 'rules/x.yaml:3:1', message: '"defaults" belongs in the entry file (policies.yaml); an included file holds only routes' },
      { code: 'KEY_UNKNOWN', at: 'rules/x.yaml:4:1', message: 'unknown key "foo" in (file)' },
    ]);
  });

  it('an entry file named "entry" is named like any other (no name is taken as "this is the entry file")', () => {
    const v = validateRule(parsed('rules/x.yaml', lines('audience: api', 'routes: {}')), 'entry');
    expect(v.ok ? [] : rows(v.problems)).toEqual([
      { code: 'KEY_ENTRY_ONLY', at: 'rules/x.yaml:1:1', message: '"audience" belongs in the entry file (entry); an included file holds only routes' },
    ]);
  });

  it('an entry-file key deeper in a rule file is just unknown there', () => {
    const text = lines('routes:', '  GET /a:', '    public: true', '    audience: api');
    expect(ruleProblems(text)).toContainEqual({ code: 'KEY_UNKNOWN', at: 'rules/x.yaml:4:5', message: '"audience" is a requirement: put it under routes["GET /a"].require' });
  });

  it('missing version in the entry file, missing routes in a rule file, missing keys deeper', () => {
    expect(entryProblems(lines('audience: api', 'routes: {}'))).toEqual([{ code: 'KEY_MISSING', at: 'policies.yaml:1:1', message: 'missing "version: 1"' }]);
    expect(ruleProblems(lines('version: 1'))).toEqual([{ code: 'KEY_MISSING', at: 'rules/x.yaml:1:1', message: '(file) needs "routes"' }]);
    const text = withRequire('{ subject: {} }');
    expect(entryProblems(text)).toEqual([{ code: 'KEY_MISSING', at: at(text, 5, 'subject'), message: 'routes["GET /a/{id}"].require.subject needs "equalsPathParam"' }]);
  });

  it('a route that is neither public nor protected, and one that is both', () => {
    const text = lines(...HEAD, 'routes:', '  GET /a: { description: x }', '  GET /b:', '    public: true', '    require: {}');
    expect(entryProblems(text)).toEqual([
      { code: 'KEY_MISSING', at: 'policies.yaml:4:3', message: 'route "GET /a" needs either "public: true" or "require:"' },
      { code: 'PUBLIC_WITH_REQUIRE', at: 'policies.yaml:7:5', message: 'route "GET /b" is public but also has "require:"; a public route checks nothing, so remove one' },
    ]);
  });
});

describe('types', () => {
  it('routes that are a list, not a map of route keys', () => {
    const text = lines(...HEAD, 'routes: [GET /a]');
    expect(entryProblems(text)).toEqual([{ code: 'TYPE_MISMATCH', at: 'policies.yaml:3:9', message: 'routes must be a map (got ["GET /a"])' }]);
  });

  it.each([
    ['audience: 5', 'audience must be a string (got 5)'],
    ['include: rules/*.yaml', 'include must be a list (got "rules/*.yaml")'],
    ['defaults: [1]', 'defaults must be a map (got [1])'],
  ])('%s', (line, message) => {
    const text = lines('version: 1', line, 'routes: {}');
    expect(entryProblems(text).filter((p) => p.code === 'TYPE_MISMATCH')).toEqual([{ code: 'TYPE_MISMATCH', at: at(text, 2, line.slice(line.indexOf(':') + 2)), message }]);
  });

  it.each([
    ['{ emailVerified: "yes" }', '"yes"', 'routes["GET /a/{id}"].require.emailVerified must be true or a map (got "yes")'],
    ['{ audience: 5 }', '5', 'routes["GET /a/{id}"].require.audience must be a string or a list (got 5)'],
    ['{ roles: { anyOf: [a, 1] } }', '1]', 'routes["GET /a/{id}"].require.roles.anyOf[1] must be a string (got 1)'],
    ['{ anyOf: [x] }', 'x', 'routes["GET /a/{id}"].require.anyOf[0] must be a map (got "x")'],
  ])('in a requirement: %s', (req, needle, message) => {
    const text = withRequire(req);
    expect(entryProblems(text).filter((p) => p.code === 'TYPE_MISMATCH')).toEqual([{ code: 'TYPE_MISMATCH', at: at(text, 5, needle), message }]);
  });
});

describe('values', () => {
  it('an unsupported version, in the entry file and in a rule file', () => {
    expect(entryProblems(lines('version: 2', 'audience: api', 'routes: {}'))).toEqual([
      { code: 'VERSION_UNSUPPORTED', at: 'policies.yaml:1:10', message: 'unsupported policy version 2: this claimguard reads version 1' },
    ]);
    expect(ruleProblems(lines('version: "1"', 'routes: {}'))).toEqual([
      { code: 'VERSION_UNSUPPORTED', at: 'rules/x.yaml:1:10', message: 'unsupported policy version "1": this claimguard reads version 1' },
    ]);
  });

  it.each([
    ['public: false', '  GET /a: { public: false }', 'public: false', 'routes["GET /a"].public must be true; leave it out for a protected route'],
    ['emailVerified: false', '  GET /a: { require: { emailVerified: false } }', 'false', 'routes["GET /a"].require.emailVerified must be true or { maxAgeSeconds: N }; to not require it, leave it out'],
    ['mfa: false', '  GET /a: { require: { mfa: false } }', 'false', 'routes["GET /a"].require.mfa must be true or { factors: … }; to not require it, leave it out'],
    ['exists: false', '  GET /a: { require: { claims: { x: { exists: false } } } }', 'false', 'routes["GET /a"].require.claims.x.exists must be true (got false)'],
  ])('%s', (_name, route, needle, message) => {
    const text = lines(...HEAD, 'routes:', route);
    const col = needle === 'public: false' ? route.indexOf('false') : route.indexOf(needle);
    expect(entryProblems(text)).toEqual([{ code: 'VALUE_INVALID', at: `policies.yaml:4:${col + 1}`, message }]);
  });

  it('a factor that is not one of SuperTokens\' names lists them all', () => {
    const text = withRequire('{ mfa: { factors: { anyOf: [totp, sms] } } }');
    expect(entryProblems(text)).toEqual([
      {
        code: 'VALUE_INVALID',
        at: at(text, 5, 'sms'),
        message: 'routes["GET /a/{id}"].require.mfa.factors.anyOf[1]: "sms" is not one of emailpassword, webauthn, otp-email, otp-phone, link-email, link-phone, thirdparty, totp',
      },
    ]);
  });

  it('empty lists, empty strings, repeated entries', () => {
    const text = lines(...HEAD, 'include: []', 'routes:', '  GET /a:', '    require: { audience: "", roles: { allOf: [b, a, b] }, tenant: { anyOf: [""] } }');
    expect(entryProblems(text)).toEqual([
      { code: 'LIST_EMPTY', at: 'policies.yaml:3:10', message: 'include must not be an empty list' },
      { code: 'LIST_DUPLICATE', at: `policies.yaml:6:${text.split('\n')[5]!.indexOf('b] }') + 1}`, message: 'routes["GET /a"].require.roles.allOf lists "b" twice' },
      { code: 'VALUE_INVALID', at: at(text, 6, '[""]').replace(/:(\d+)$/, (_m, c: string) => `:${Number(c) + 1}`), message: 'routes["GET /a"].require.tenant.anyOf[0] must not be an empty string' },
      { code: 'VALUE_INVALID', at: at(text, 6, '""'), message: 'routes["GET /a"].require.audience must not be an empty string' },
    ]);
  });

  it('an empty claims map, an empty anyOf branch, a tenant with both forms, a claim with two operators', () => {
    const text = withRequire('{ claims: {}, anyOf: [{}], tenant: { anyOf: [a], equalsPathParam: id } }');
    const textClaim = withRequire('{ claims: { x: { equals: 1, exists: true } } }');
    expect(entryProblems(text)).toEqual([
      { code: 'CHOICE_INVALID', at: at(text, 5, '{ anyOf: [a]'), message: 'routes["GET /a/{id}"].require.tenant needs exactly one of anyOf, equalsPathParam' },
      { code: 'REQUIREMENT_EMPTY', at: at(text, 5, '{}'), message: 'routes["GET /a/{id}"].require.claims must name at least one claim' },
      { code: 'REQUIREMENT_EMPTY', at: at(text, 5, '{}]'), message: 'routes["GET /a/{id}"].require.anyOf[0] is an empty requirement map, so this anyOf would always pass' },
    ]);
    expect(entryProblems(textClaim)).toEqual([
      { code: 'CHOICE_INVALID', at: at(textClaim, 5, '{ equals'), message: 'routes["GET /a/{id}"].require.claims.x needs exactly one of equals, anyOf, exists' },
    ]);
  });

  it('roles with no list, mfa factors with none', () => {
    const text = withRequire('{ roles: { maxAgeSeconds: 5 }, mfa: { factors: {} } }');
    expect(entryProblems(text)).toEqual([
      { code: 'CHOICE_INVALID', at: at(text, 5, 'roles'), message: 'routes["GET /a/{id}"].require.roles needs at least one of anyOf, allOf, noneOf' },
      { code: 'CHOICE_INVALID', at: at(text, 5, '{} }'), message: 'routes["GET /a/{id}"].require.mfa.factors needs exactly one of anyOf, allOf' },
    ]);
  });

  it('an empty claim name, a null claim value, an issuer that is not a URI', () => {
    const text = lines(...HEAD, 'issuer: auth', 'routes:', '  GET /a:', '    require: { claims: { "": { exists: true }, x: { anyOf: [1, null] } } }');
    expect(entryProblems(text)).toEqual([
      { code: 'VALUE_INVALID', at: 'policies.yaml:3:9', message: 'issuer must be a URI like https://api.example.com/auth (got "auth")' },
      { code: 'VALUE_INVALID', at: at(text, 6, '""'), message: 'routes["GET /a"].require.claims has an empty claim name' },
      { code: 'VALUE_INVALID', at: at(text, 6, 'null'), message: 'routes["GET /a"].require.claims.x.anyOf[1] must not be null: a null claim counts as missing, so this could never pass' },
    ]);
  });

  it.each([
    ['0', 'emailVerified: { maxAgeSeconds: 0 }', 'emailVerified.maxAgeSeconds', '0'],
    ['"60"', 'roles: { anyOf: [a], maxAgeSeconds: "60" }', 'roles.maxAgeSeconds', '"60"'],
    ['-1', 'mfa: { factors: { anyOf: [totp] }, maxAgeSeconds: -1 }', 'mfa.maxAgeSeconds', '-1'],
    ['.inf (shown as written, not as JSON\'s null)', 'roles: { anyOf: [a], maxAgeSeconds: .inf }', 'roles.maxAgeSeconds', '.inf'],
    ['-.inf', 'emailVerified: { maxAgeSeconds: -.inf }', 'emailVerified.maxAgeSeconds', '-.inf'],
    ['.nan', 'permissions: { allOf: [a], maxAgeSeconds: .nan }', 'permissions.maxAgeSeconds', '.nan'],
  ])('maxAgeSeconds %s', (_name, req, path, shown) => {
    const text = withRequire(`{ ${req} }`);
    expect(entryProblems(text)).toEqual([
      {
        code: 'MAX_AGE_INVALID',
        at: at(text, 5, `maxAgeSeconds: ${shown}`).replace(/:(\d+)$/, (_m, c: string) => `:${Number(c) + 'maxAgeSeconds: '.length}`),
        message: `routes["GET /a/{id}"].require.${path} must be a whole number of seconds greater than 0 (got ${shown})`,
      },
    ]);
  });

  it('one problem reported once, even when ajv reports it along several schema paths', () => {
    const text = withRequire('{ permissions: { anyOf: [a, a] } }');
    expect(entryProblems(text)).toEqual([
      { code: 'LIST_DUPLICATE', at: at(text, 5, 'a] }'), message: 'routes["GET /a/{id}"].require.permissions.anyOf lists "a" twice' },
    ]);
  });

  it('route keys the schema\'s pattern refuses are left to the route-key parser', () => {
    expect(entryProblems(lines(...HEAD, 'routes:', '  get /a: { public: true }'))).toEqual([]);
  });
});
