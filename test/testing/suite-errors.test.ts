// Malformed suites fail the run before any case (exit 1: an invalid suite is a finding), every
// problem as file:line:col with a stable code and the offending line, like policy errors.
import { describe, expect, it } from 'vitest';
import { lines, writeFixture } from '../policy/fixtures.js';
import { cli } from './support.js';

const policy = lines('version: 1', 'audience: api', 'routes:', '  GET /orders/{id}: { require: { roles: { anyOf: [x] } } }');
const principals = "principals:\n  x: { claims: { aud: api, st-role: { v: [x], t: now-1h } } }";

async function errorsOf(suite: string, extra: Record<string, string> = {}): Promise<{ code: number; err: string }> {
  const dir = writeFixture({ 'policies.yaml': policy, 'policies/s.test.yaml': suite, ...extra });
  const r = await cli(dir, ['test']);
  expect(r.out).toBe('');
  return r;
}

describe('malformed suites', () => {
  it.each([
    {
      what: 'an unknown principal',
      suite: lines('version: 1', principals, 'cases:', '  - { name: a, request: GET /orders/1, principal: admn, expect: allow }'),
      error: 'policies/s.test.yaml:5:51: error PRINCIPAL_UNKNOWN: unknown principal "admn" (known: x; "anonymous" means no token)',
      line: '  - { name: a, request: GET /orders/1, principal: admn, expect: allow }',
    },
    {
      what: 'a mistyped principal, with a suggestion',
      suite: lines('version: 1', principals, '  admin: { extends: x }', 'cases:', '  - { name: a, request: GET /orders/1, principal: admn, expect: allow }'),
      error: 'policies/s.test.yaml:6:51: error PRINCIPAL_UNKNOWN: unknown principal "admn" (did you mean "admin"?) (known: admin, x; "anonymous" means no token)',
      line: '  - { name: a, request: GET /orders/1, principal: admn, expect: allow }',
    },
    {
      what: 'a mistyped reason code, with a suggestion',
      suite: lines('version: 1', principals, 'matrix:', '  - principals: [x]', '    rows:', '      GET /orders/1: [ROLE_MISSING]'),
      error: 'policies/s.test.yaml:7:23: error EXPECT_INVALID: unknown reason code ROLE_MISSING (did you mean ROLES_MISSING?)',
      line: null,
    },
    {
      what: 'a mistyped suite key, with a suggestion',
      suite: lines('version: 1', principals, 'case:', '  - { name: a, request: GET /orders/1, principal: x, expect: allow }'),
      error: 'policies/s.test.yaml:4:1: error SCHEMA_INVALID: unknown key "case" in (file) (did you mean "cases"?)',
      line: 'case:',
    },
    {
      what: 'an HTTP method typo in a request line',
      suite: lines('version: 1', principals, 'cases:', '  - { name: a, request: DELTE /orders/1, principal: x, expect: allow }'),
      error: 'policies/s.test.yaml:5:25: error METHOD_UNKNOWN: unknown HTTP method "DELTE" (did you mean "DELETE"?): use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
      line: null,
    },
    {
      what: 'an HTTP method typo in a matrix row, once for the row',
      suite: lines('version: 1', principals, 'matrix:', '  - principals: [x, anonymous]', '    rows:', '      GTE /orders/1: [allow, 401]'),
      error: 'policies/s.test.yaml:7:7: error METHOD_UNKNOWN: unknown HTTP method "GTE" (did you mean "GET"?)',
      line: null,
    },
    {
      what: 'an HTTP method typo in the object form points at method',
      suite: lines('version: 1', principals, 'cases:', '  - name: a', '    request: { method: PUTT, path: /orders/1, routeKey: null }', '    principal: x', '    expect: allow'),
      error: 'policies/s.test.yaml:6:24: error METHOD_UNKNOWN: unknown HTTP method "PUTT" (did you mean "PUT"?)',
      line: null,
    },
    {
      what: 'a principal whose claim has the wrong shape, at the principal',
      suite: lines('version: 1', principals, '  analyst:', '    extends: x', '    claims:', '      st-role: { v: analyst }', 'cases:', '  - { name: a, request: GET /orders/1, principal: analyst, expect: deny }'),
      error: 'policies/s.test.yaml:7:21: error CLAIM_SHAPE: principal "analyst": st-role.v must be a list of strings: SuperTokens writes st-role as { v: [role, …], t: <ms> } (got "analyst")',
      line: '      st-role: { v: analyst }',
    },
    {
      what: 'a principal whose aud is a map',
      suite: lines('version: 1', 'principals:', '  y: { claims: { aud: { a: 1 }, st-role: { v: [x], t: now } } }'),
      error: 'policies/s.test.yaml:3:23: error CLAIM_SHAPE: principal "y": aud must be a string or a list of strings (got {"a":1})',
      line: null,
    },
    {
      what: 'a principal whose unset breaks a SuperTokens claim, at the unset',
      suite: lines('version: 1', principals, '  y: { extends: x, unset: [/st-role/v] }'),
      error: 'policies/s.test.yaml:4:28: error CLAIM_SHAPE: principal "y": st-role.v must be a list of strings',
      line: null,
    },
    {
      what: 'time sugar that does not parse',
      suite: lines('version: 1', 'principals:', '  y: { claims: { aud: api, st-ev: { v: true, t: now-10 minutes } } }'),
      error: 'policies/s.test.yaml:3:49: error TIME_INVALID: "now-10 minutes" is not a valid time: write now, now-5m, now+1h30m or now-1d+2h',
      line: null,
    },
    {
      what: 'a request to a route not in the policy',
      suite: lines('version: 1', principals, 'cases:', '  - name: a', '    request: DELETE /orders/1', '    principal: x', '    expect: deny'),
      error:
        'policies/s.test.yaml:6:14: error ROUTE_NOT_IN_POLICY: DELETE /orders/1 matches no route of the policy (expect a ROUTE_NOT_IN_POLICY reason if that is the point)',
      line: '    request: DELETE /orders/1',
    },
    {
      what: 'bad YAML',
      suite: lines('version: 1', 'cases:', '  - name: [unclosed', '    request: GET /orders/1'),
      error: 'policies/s.test.yaml:4:',
      line: null,
    },
    {
      what: 'a key the schema does not know',
      suite: lines('version: 1', principals, 'cases:', '  - { name: a, request: GET /orders/1, principal: x, expected: allow }'),
      error: 'policies/s.test.yaml:5:5: error SCHEMA_INVALID: cases[0] needs "expect"',
      line: null,
    },
    {
      what: 'an extends cycle',
      suite: lines('version: 1', 'principals:', '  a: { extends: b }', '  b: { extends: a }'),
      error: 'policies/s.test.yaml:3:17: error PRINCIPAL_CYCLE: principal "a" extends itself: a → b → a',
      line: null,
    },
    {
      what: 'unset of a claim the parent lacks',
      suite: lines('version: 1', principals, '  y: { extends: x, unset: [/st-mfa/c/totp] }'),
      error: 'policies/s.test.yaml:4:28: error UNSET_INVALID: unset "/st-mfa/c/totp": the inherited payload has no such claim',
      line: null,
    },
    {
      what: 'a relative time where the unit is unknown',
      suite: lines('version: 1', 'principals:', '  y: { claims: { custom: { at: now-5m } } }'),
      error: 'policies/s.test.yaml:3:32: error TIME_UNIT_AMBIGUOUS: "custom.at" is not a known time field, so the unit of this time is unclear: write ms(…) or s(…)',
      line: null,
    },
    {
      what: 'a matrix row with the wrong number of cells',
      suite: lines('version: 1', principals, 'matrix:', '  - principals: [x, anonymous]', '    rows:', '      GET /orders/1: [allow]'),
      error: 'policies/s.test.yaml:7:22: error MATRIX_ROW_LENGTH: row "GET /orders/1" has 1 cells for 2 principals (x, anonymous)',
      line: null,
    },
    {
      what: 'a contradictory expectation',
      suite: lines('version: 1', principals, 'cases:', '  - { name: a, request: GET /orders/1, principal: x, expect: { decision: allow, status: 403 } }'),
      error: 'policies/s.test.yaml:5:62: error EXPECT_INVALID: an allow always has status 200, not 403',
      line: null,
    },
  ])('$what', async ({ suite, error, line }) => {
    const r = await errorsOf(suite);
    expect(r.code).toBe(1);
    expect(r.err).toContain(error);
    if (line !== null) expect(r.err).toContain(`\n  ${line}\n`);
    expect(r.err).toMatch(/✖ \d+ errors? in 1 test file\n$/);
  });

  it('a tests: glob in the policy that matches nothing points at the policy', async () => {
    const dir = writeFixture({ 'policies.yaml': `${policy}tests: [suites/*.yaml]\n`, 'policies/s.test.yaml': lines('version: 1') });
    const r = await cli(dir, ['test']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('policies.yaml:5:9: error TESTS_NO_MATCH: tests glob "suites/*.yaml" matches no file');
  });

  it('a case may still carry a malformed claim on purpose (only principals are shape-checked)', async () => {
    const suite = lines(
      'version: 1',
      principals,
      'cases:',
      '  - { name: a, request: GET /orders/1, principal: x, claims: { st-role: { v: x } }, expect: { reasons: [{ id: st-role, code: CLAIM_INVALID }] } }',
      '  - { name: b, request: GET /orders/1, principal: x, claims: { note: now playing }, expect: allow }',
    );
    const dir = writeFixture({ 'policies.yaml': policy, 'policies/s.test.yaml': suite });
    const r = await cli(dir, ['test']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('the same principal name in two suites names the first definition', async () => {
    const r = await errorsOf(lines('version: 1', principals), { 'policies/t.test.yaml': lines('version: 1', principals) });
    expect(r.err).toContain('policies/t.test.yaml:3:3: error PRINCIPAL_DUPLICATE: principal "x" is already defined at policies/s.test.yaml:3:3');
  });
});
