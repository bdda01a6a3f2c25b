// Malformed suites fail the run before any case (exit 2), every problem as file:line:col with a
// stable code and the offending line, like policy errors.
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
    expect(r.code).toBe(2);
    expect(r.err).toContain(error);
    if (line !== null) expect(r.err).toContain(`\n  ${line}\n`);
    expect(r.err).toMatch(/✖ \d+ errors? in 1 test file\n$/);
  });

  it('a tests: glob in the policy that matches nothing points at the policy', async () => {
    const dir = writeFixture({ 'policies.yaml': `${policy}tests: [suites/*.yaml]\n`, 'policies/s.test.yaml': lines('version: 1') });
    const r = await cli(dir, ['test']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('policies.yaml:5:9: error TESTS_NO_MATCH: tests glob "suites/*.yaml" matches no file');
  });

  it('the same principal name in two suites names the first definition', async () => {
    const r = await errorsOf(lines('version: 1', principals), { 'policies/t.test.yaml': lines('version: 1', principals) });
    expect(r.err).toContain('policies/t.test.yaml:3:3: error PRINCIPAL_DUPLICATE: principal "x" is already defined at policies/s.test.yaml:3:3');
  });
});
