// Shapes the generators never produce, pinned one by one (found by mutation testing, CONTRIBUTING.md
// "Mutation testing"): checks whose IR lacks the list its invariant promises, non-object claims
// against object `equals` values, and a `$default` routeKey next to a `$default` policy route.
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decision/evaluate.js';
import { jsonEquals } from '../../src/decision/json-equals.js';
import type { Check, JsonValue } from '../../src/policy/ir.js';
import { chk, input, policy, publicRoute, route } from '../support/ir-builders.js';

const NOW = 1712345680000;
const KEY = 'GET /t/{tenantId}';

const deny = (check: Check, token: Record<string, unknown>) =>
  decide(policy([route(KEY, [check])]), input('GET', '/t/acme', { token, now: NOW, routeKey: KEY, pathParameters: { tenantId: 'acme' } }));

describe('an IR that breaks its own invariants still denies, naming an empty expectation', () => {
  // The loader never builds these (the schema requires one list), but the evaluator is also the
  // oracle for hand-built and generated IR: a missing list must not read as "anything goes".
  it('roles with no list at all: a missing claim expects to include none of []', () => {
    const check: Check = { ...chk.roles({ noneOf: ['x'] }), noneOf: null };
    expect(deny(check, {}).reasons).toEqual([
      { id: 'st-role', code: 'ROLES_MISSING', reason: { message: 'value does not exist', expectedToNotInclude: [] } },
    ]);
  });

  it('mfa factors with neither anyOf nor allOf: no factor can be fresh', () => {
    const check: Check = { ...chk.mfa({ anyOf: ['totp'] }), factors: { anyOf: null, allOf: null } };
    expect(deny(check, { 'st-mfa': { v: true, c: { totp: NOW / 1000 } } }).reasons).toEqual([
      {
        id: 'st-mfa',
        code: 'MFA_FACTOR_MISSING',
        reason: { message: 'None of these factors are complete in the session: ', oneOf: [] },
      },
    ]);
  });

  it('tenant with neither anyOf nor equalsPathParam: every tenant is refused', () => {
    const check: Check = { ...chk.tenantAnyOf('acme'), anyOf: null };
    expect(deny(check, { tId: 'acme' }).reasons).toEqual([
      { id: 'tId', code: 'TENANT_MISMATCH', reason: { message: 'wrong value', expectedOneOf: [], actualValue: 'acme' } },
    ]);
  });
});

describe('claims.equals with an object value never matches a claim that is not an object', () => {
  // Object.keys of a number, boolean or "" is [], and of "ab" is ["0", "1"]: a comparison that
  // took any value for an object would find `{}` equal to 7 and {"0":"a","1":"b"} equal to "ab".
  const cases: [claim: JsonValue, value: JsonValue][] = [
    [7, {}],
    [0, {}],
    [true, {}],
    [false, {}],
    ['', {}],
    ['ab', { 0: 'a', 1: 'b' }],
    [['a', 'b'], { 0: 'a', 1: 'b' }],
  ];

  it.each(cases)('claim %j against equals %j: CLAIM_MISMATCH, wrong value', (claim, value) => {
    expect(jsonEquals(claim, value)).toBe(false);
    expect(deny(chk.claimEquals('plan', value), { plan: claim }).reasons).toEqual([
      { id: 'plan', code: 'CLAIM_MISMATCH', reason: { message: 'wrong value', expectedValue: value, actualValue: claim } },
    ]);
  });

  it.each(cases)('claim %j against anyOf [%j]: CLAIM_MISMATCH, wrong value', (claim, value) => {
    expect(deny(chk.claimAnyOf('plan', [value]), { plan: claim }).reasons).toEqual([
      { id: 'plan', code: 'CLAIM_MISMATCH', reason: { message: 'wrong value', expectedOneOf: [value], actualValue: claim } },
    ]);
  });

  it('the object forms themselves still match, in any key order', () => {
    expect(deny(chk.claimEquals('plan', { 0: 'a', 1: 'b' }), { plan: { 1: 'b', 0: 'a' } })).toMatchObject({ allow: true, reasons: [] });
    expect(deny(chk.claimEquals('plan', {}), { plan: {} })).toMatchObject({ allow: true, reasons: [] });
  });
});

describe('a $default routeKey never dispatches, even when the policy has a $default route', () => {
  const ir = policy([route('GET /a', [chk.roles({ anyOf: ['admin'] })]), publicRoute('$default')]);

  it.each([['$default'], [null]])('routeKey %j on /a: GET /a decides by path', (routeKey) => {
    expect(decide(ir, input('GET', '/a', { routeKey, token: {}, now: NOW }))).toEqual({
      allow: false,
      status: 403,
      route: 'GET /a',
      reasons: [{ id: 'st-role', code: 'ROLES_MISSING', reason: { message: 'value does not exist', expectedToIncludeAtLeastOneOf: ['admin'] } }],
    });
  });

  it.each([['$default'], [null]])('routeKey %j on a path no route matches: the $default route, not ROUTE_MISMATCH', (routeKey) => {
    expect(decide(ir, input('GET', '/elsewhere', { routeKey, now: NOW }))).toEqual({ allow: true, status: 200, route: '$default', reasons: [] });
  });
});
