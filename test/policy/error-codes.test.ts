// One row per error code: the loader reports it with the right file, line and column.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PolicyErrorCode } from '../../src/policy/errors.js';
import { loadPolicy } from '../../src/policy/load.js';
import { lines, writeFixture } from './fixtures.js';

const HEAD = ['version: 1', 'audience: api'];

interface Row {
  readonly name: string;
  readonly code: PolicyErrorCode;
  readonly files: Readonly<Record<string, string | Uint8Array>>;
  readonly file?: string;
  readonly line: number;
  readonly col: number;
  readonly message?: RegExp;
}

const rows: Row[] = [
  { name: 'missing entry file', code: 'FILE_NOT_FOUND', files: {}, line: 1, col: 1, message: /not found/ },
  {
    name: 'entry is a directory',
    code: 'FILE_UNREADABLE',
    files: { 'policies.yaml/x': 'x' },
    line: 1,
    col: 1,
  },
  {
    name: 'bytes that are not UTF-8',
    code: 'FILE_NOT_UTF8',
    files: { 'policies.yaml': Buffer.concat([Buffer.from('version: 1\naudience: ab'), Buffer.from([0xff]), Buffer.from('c\n')]) },
    line: 2,
    col: 13,
    message: /0xff/,
  },
  {
    name: 'include glob matching nothing',
    code: 'INCLUDE_NO_MATCH',
    files: { 'policies.yaml': lines(...HEAD, 'include:', '  - rules/*.yaml', 'routes: {}') },
    line: 4,
    col: 5,
    message: /"rules\/\*\.yaml"/,
  },
  {
    name: 'include glob matching only test suites',
    code: 'INCLUDE_NO_MATCH',
    files: { 'policies.yaml': lines(...HEAD, 'include: [rules/*.yaml]'), 'rules/a.test.yaml': 'cases: []\n' },
    line: 3,
    col: 11,
    message: /test suites/,
  },
  {
    name: 'YAML syntax error',
    code: 'YAML_SYNTAX',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a: { public: true', '  GET /b: { public: true }') },
    line: 5,
    col: 3,
  },
  {
    name: 'duplicate key in a requirement map',
    code: 'KEY_DUPLICATE',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      mfa: true', '      mfa: true') },
    line: 7,
    col: 7,
    message: /"mfa" appears twice.*first at policies\.yaml:6:7/,
  },
  {
    name: 'version 2',
    code: 'VERSION_UNSUPPORTED',
    files: { 'policies.yaml': lines('audience: api', 'version: 2', 'routes: {}') },
    line: 2,
    col: 10,
  },
  {
    name: 'misspelled requirement',
    code: 'KEY_UNKNOWN',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    require: { rolse: { anyOf: [a] } }') },
    line: 5,
    col: 16,
    message: /unknown key "rolse".*did you mean "roles"/,
  },
  {
    name: 'requirement outside require',
    code: 'KEY_UNKNOWN',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    mfa: true') },
    line: 5,
    col: 5,
    message: /put it under routes\["GET \/a"\]\.require/,
  },
  {
    name: 'global setting in an included file',
    code: 'KEY_ENTRY_ONLY',
    files: {
      'policies.yaml': lines(...HEAD, 'include: [more/*.yaml]'),
      'more/x.yaml': lines('audience: other', 'routes:', '  GET /x: { public: true }'),
    },
    file: 'more/x.yaml',
    line: 1,
    col: 1,
    message: /"audience" belongs in the entry file \(policies\.yaml\)/,
  },
  {
    name: 'missing version',
    code: 'KEY_MISSING',
    files: { 'policies.yaml': lines('audience: api', 'routes: {}') },
    line: 1,
    col: 1,
    message: /version: 1/,
  },
  {
    name: 'route with neither public nor require',
    code: 'KEY_MISSING',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a: { description: hi }') },
    line: 4,
    col: 3,
    message: /route "GET \/a" needs either "public: true" or "require:"/,
  },
  {
    name: 'mfa object without factors',
    code: 'KEY_MISSING',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      mfa: { }') },
    line: 6,
    col: 7,
    message: /needs "factors"/,
  },
  {
    name: 'roles given as a string',
    code: 'TYPE_MISMATCH',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a: { require: { roles: admin } }') },
    line: 4,
    col: 31,
    message: /must be a map/,
  },
  {
    name: 'unknown MFA factor',
    code: 'VALUE_INVALID',
    files: {
      'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      mfa: { factors: { anyOf: [totp, sms] } }'),
    },
    line: 6,
    col: 39,
    message: /"sms" is not one of/,
  },
  {
    name: 'claim equals null (a null claim counts as missing: it could never pass)',
    code: 'VALUE_INVALID',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      claims: { plan: { equals: null } }') },
    line: 6,
    col: 25,
    message: /must not be null/,
  },
  {
    name: 'public: false',
    code: 'VALUE_INVALID',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a: { public: false }') },
    line: 4,
    col: 21,
  },
  {
    name: 'issuer that is not a URI',
    code: 'VALUE_INVALID',
    files: { 'policies.yaml': lines(...HEAD, 'issuer: not a uri', 'routes: {}') },
    line: 3,
    col: 9,
  },
  {
    name: 'claim value that is not JSON',
    code: 'VALUE_INVALID',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      claims: { score: { equals: .nan } }') },
    line: 6,
    col: 34,
    message: /not a JSON value/,
  },
  {
    name: 'empty anyOf list',
    code: 'LIST_EMPTY',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      roles: { anyOf: [] }') },
    line: 6,
    col: 23,
  },
  {
    name: 'empty requirement anyOf',
    code: 'LIST_EMPTY',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      anyOf: []') },
    line: 6,
    col: 14,
  },
  {
    name: 'role listed twice',
    code: 'LIST_DUPLICATE',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      roles: { allOf: [a, b, a] }') },
    line: 6,
    col: 30,
    message: /lists "a" twice/,
  },
  {
    name: 'empty anyOf branch',
    code: 'REQUIREMENT_EMPTY',
    files: {
      'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      anyOf:', '        - mfa: true', '        - {}'),
    },
    line: 8,
    col: 11,
    message: /always pass/,
  },
  {
    name: 'tenant with both forms',
    code: 'CHOICE_INVALID',
    files: {
      'policies.yaml': lines(...HEAD, 'routes:', '  GET /t/{t}:', '    require:', '      tenant: { anyOf: [a], equalsPathParam: t }'),
    },
    line: 6,
    col: 15,
    message: /exactly one of anyOf, equalsPathParam/,
  },
  {
    name: 'roles with only maxAgeSeconds',
    code: 'CHOICE_INVALID',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      roles: { maxAgeSeconds: 5 }') },
    line: 6,
    col: 7,
    message: /at least one of anyOf, allOf, noneOf/,
  },
  {
    name: 'public route with require',
    code: 'PUBLIC_WITH_REQUIRE',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    public: true', '    require: { mfa: true }') },
    line: 6,
    col: 5,
  },
  {
    name: 'maxAgeSeconds zero',
    code: 'MAX_AGE_INVALID',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      emailVerified: { maxAgeSeconds: 0 }') },
    line: 6,
    col: 39,
    message: /greater than 0 \(got 0\)/,
  },
  {
    name: 'maxAgeSeconds fractional',
    code: 'MAX_AGE_INVALID',
    files: {
      'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      roles: { anyOf: [a], maxAgeSeconds: 1.5 }'),
    },
    line: 6,
    col: 43,
  },
  {
    name: 'lower-case method',
    code: 'ROUTE_KEY_INVALID',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  get /a: { public: true }') },
    line: 4,
    col: 3,
    message: /upper case \("GET"\)/,
  },
  {
    name: 'greedy parameter not last',
    code: 'ROUTE_KEY_INVALID',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /{p+}/x: { public: true }') },
    line: 4,
    col: 3,
  },
  {
    name: 'same route key twice in one file',
    code: 'ROUTE_DUPLICATE',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a: { public: true }', '  GET /a: { public: true }') },
    line: 5,
    col: 3,
    message: /first at policies\.yaml:4:3/,
  },
  {
    name: 'same route key in two files',
    code: 'ROUTE_DUPLICATE',
    files: {
      'policies.yaml': lines(...HEAD, 'include: [more/*.yaml]', 'routes:', '  GET /a: { public: true }'),
      'more/x.yaml': lines('routes:', '  GET /b: { public: true }', '  GET /a: { public: true }'),
    },
    file: 'more/x.yaml',
    line: 3,
    col: 3,
    message: /already defined at policies\.yaml:5:3/,
  },
  {
    name: 'same template with other parameter names',
    code: 'ROUTE_DUPLICATE',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a/{x}: { public: true }', '  GET /a/{y}: { public: true }') },
    line: 5,
    col: 3,
    message: /matches the same requests as "GET \/a\/\{x\}"/,
  },
  {
    name: 'parameter named twice',
    code: 'PARAM_DUPLICATE',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a/{id}/b/{id}: { public: true }') },
    line: 4,
    col: 3,
    message: /\{id\} twice/,
  },
  {
    name: 'equalsPathParam naming no parameter',
    code: 'PARAM_UNKNOWN',
    files: {
      'policies.yaml': lines(...HEAD, 'routes:', '  GET /a/{id}:', '    require:', '      subject: { equalsPathParam: userId }'),
    },
    line: 6,
    col: 35,
    message: /route "GET \/a\/\{id\}" uses equalsPathParam "userId" but the route has no \{userId\} parameter/,
  },
  {
    name: 'equalsPathParam inside a nested anyOf',
    code: 'PARAM_UNKNOWN',
    files: {
      'policies.yaml': lines(
        ...HEAD,
        'routes:',
        '  GET /a/{id}:',
        '    require:',
        '      anyOf:',
        '        - mfa: true',
        '        - anyOf:',
        '            - tenant: { equalsPathParam: tenantId }',
      ),
    },
    line: 9,
    col: 42,
  },
  {
    name: 'equalsPathParam in defaults that a protected route lacks',
    code: 'PARAM_UNKNOWN',
    files: {
      'policies.yaml': lines(
        ...HEAD,
        'defaults:',
        '  require: { tenant: { equalsPathParam: t } }',
        'routes:',
        '  GET /x/{t}: { require: {} }',
        '  GET /health: { public: true }',
        '  GET /y: { require: {} }',
      ),
    },
    line: 4,
    col: 41,
    message: /route "GET \/y" has no \{t\} parameter/,
  },
  {
    name: 'a SuperTokens claim under claims:',
    code: 'CLAIM_RESERVED',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /x:', '    require:', '      claims:', '        plan: { equals: pro }', '        st-role: { equals: [admin] }') },
    line: 8,
    col: 9,
    message: /"st-role" cannot be checked under claims: SuperTokens' roles claim; use roles: \{ anyOf \| allOf \| noneOf \}/,
  },
  {
    name: 'a JWT claim under claims: inside anyOf',
    code: 'CLAIM_RESERVED',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /x/{id}:', '    require:', '      anyOf:', '        - claims: { sub: { equals: u1 } }') },
    line: 7,
    col: 21,
    message: /use subject: \{ equalsPathParam \}/,
  },
];

const warnings: Row[] = [
  {
    name: 'no audience',
    code: 'AUDIENCE_MISSING',
    files: { 'policies.yaml': lines('version: 1', 'routes: {}') },
    line: 1,
    col: 1,
  },
  {
    name: 'role both needed and forbidden',
    code: 'REQUIREMENT_UNSATISFIABLE',
    files: { 'policies.yaml': lines(...HEAD, 'routes:', '  GET /a:', '    require:', '      roles: { allOf: [a], noneOf: [a] }') },
    line: 6,
    col: 7,
  },
];

describe('loadPolicy error codes', () => {
  it.each(rows)('$code: $name', async (row) => {
    const dir = writeFixture(row.files);
    const result = await loadPolicy(join(dir, 'policies.yaml'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const found = result.errors.find((e) => e.code === row.code);
    expect(found, result.errors.map((e) => e.format()).join('\n')).toBeDefined();
    expect({ file: found?.file, line: found?.line, col: found?.col }, found?.format()).toEqual({
      file: row.file ?? 'policies.yaml',
      line: row.line,
      col: row.col,
    });
    if (row.message) expect(found?.message).toMatch(row.message);
    expect(found?.severity).toBe('error');
  });
});

describe('loadPolicy warnings', () => {
  it.each(warnings)('$code: $name', async (row) => {
    const dir = writeFixture(row.files);
    const result = await loadPolicy(join(dir, 'policies.yaml'));
    expect(result.ok, result.ok ? '' : result.errors.map((e) => e.format()).join('\n')).toBe(true);
    const found = result.warnings.find((w) => w.code === row.code);
    expect({ file: found?.file, line: found?.line, col: found?.col, severity: found?.severity }).toEqual({
      file: 'policies.yaml',
      line: row.line,
      col: row.col,
      severity: 'warning',
    });
  });
});

it('has a row for every code', () => {
  const all: Record<PolicyErrorCode, true> = {
    FILE_NOT_FOUND: true,
    FILE_UNREADABLE: true,
    FILE_NOT_UTF8: true,
    INCLUDE_NO_MATCH: true,
    YAML_SYNTAX: true,
    KEY_DUPLICATE: true,
    VERSION_UNSUPPORTED: true,
    KEY_UNKNOWN: true,
    KEY_ENTRY_ONLY: true,
    KEY_MISSING: true,
    TYPE_MISMATCH: true,
    VALUE_INVALID: true,
    LIST_EMPTY: true,
    LIST_DUPLICATE: true,
    REQUIREMENT_EMPTY: true,
    CHOICE_INVALID: true,
    PUBLIC_WITH_REQUIRE: true,
    MAX_AGE_INVALID: true,
    ROUTE_KEY_INVALID: true,
    ROUTE_DUPLICATE: true,
    PARAM_DUPLICATE: true,
    PARAM_UNKNOWN: true,
    CLAIM_RESERVED: true,
    AUDIENCE_MISSING: true,
    REQUIREMENT_UNSATISFIABLE: true,
  };
  const covered = new Set([...rows, ...warnings].map((r) => r.code));
  expect(Object.keys(all).filter((c) => !covered.has(c as PolicyErrorCode))).toEqual([]);
});
