// One table per requirement kind (docs/policy-language.md): pass, fail, missing (absent and null), wrong JSON type,
// expiry and its boundary, with the exact SuperTokens-shaped reason objects (docs/policy-language.md, "SuperTokens claims").
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decide } from '../../src/decision/evaluate.js';
import type { Decision, ReasonCode, ReasonDetail } from '../../src/decision/types.js';
import type { Check } from '../../src/policy/ir.js';
import { chk, input, policy, route } from '../support/ir-builders.js';

/** Frozen clock of every row: the documented example's `now` (docs/decision.md) (a whole second). */
const NOW = 1712345680000;
const NOW_S = NOW / 1000;
const KEY = 'GET /t/{tenantId}/u/{userId}';
const PATH = '/t/acme/u/u1';

type Expected = null | { code: ReasonCode; reason: ReasonDetail };
interface Row {
  name: string;
  token: Record<string, unknown>;
  expected: Expected;
  now?: number;
}

function decideOne(check: Check, token: Record<string, unknown>, now = NOW): Decision {
  return decide(policy([route(KEY, [check])]), input('GET', PATH, { token, now }));
}

function expectOne(check: Check, row: Row): void {
  const got = decideOne(check, row.token, row.now);
  if (row.expected === null) {
    expect(got).toEqual({ allow: true, status: 200, route: KEY, reasons: [] });
  } else {
    const id = check.kind === 'anyOf' ? '?' : check.id;
    expect(got).toEqual({ allow: false, status: 403, route: KEY, reasons: [{ id, ...row.expected }] });
  }
}

const invalid = (expectedType: string, actualValue?: unknown): Expected => ({
  code: 'CLAIM_INVALID',
  reason: (actualValue === undefined
    ? { message: 'wrong value type', expectedType }
    : { message: 'wrong value type', expectedType, actualValue }) as ReasonDetail,
});

// The evaluator must take time from `input.now` only: a wandering system clock changes nothing.
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2099-01-01T00:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('emailVerified: true (st-ev)', () => {
  const notExist: Expected = { code: 'EMAIL_NOT_VERIFIED', reason: { message: 'value does not exist', expectedValue: true } };
  it.each<Row>([
    { name: 'v true passes', token: { 'st-ev': { v: true, t: NOW - 1 } }, expected: null },
    { name: 'v true without t passes (no max age)', token: { 'st-ev': { v: true } }, expected: null },
    { name: 'very old t is irrelevant without max age', token: { 'st-ev': { v: true, t: 0 } }, expected: null },
    {
      name: 'v false → wrong value',
      token: { 'st-ev': { v: false, t: NOW } },
      expected: { code: 'EMAIL_NOT_VERIFIED', reason: { message: 'wrong value', expectedValue: true, actualValue: false } },
    },
    { name: 'claim absent', token: { sub: 'u1' }, expected: notExist },
    { name: 'claim null', token: { 'st-ev': null }, expected: notExist },
    { name: 'v absent', token: { 'st-ev': { t: NOW } }, expected: notExist },
    { name: 'v null', token: { 'st-ev': { v: null, t: NOW } }, expected: notExist },
    { name: 'claim is a string', token: { 'st-ev': 'map[t:1712345678901 v:true]' }, expected: invalid('object', 'map[t:1712345678901 v:true]') },
    { name: 'claim is true', token: { 'st-ev': true }, expected: invalid('object', true) },
    { name: 'claim is an array', token: { 'st-ev': [true] }, expected: invalid('object', [true]) },
    { name: 'v is the string "true"', token: { 'st-ev': { v: 'true' } }, expected: invalid('boolean', 'true') },
    { name: 'v is 1', token: { 'st-ev': { v: 1 } }, expected: invalid('boolean', 1) },
  ])('$name', (row) => expectOne(chk.emailVerified(), row));
});

describe('emailVerified: { maxAgeSeconds: 300 } (t in ms)', () => {
  const expired = (ageInSeconds: number): Expected => ({
    code: 'EMAIL_VERIFICATION_EXPIRED',
    reason: { message: 'expired', ageInSeconds, maxAgeInSeconds: 300 },
  });
  it.each<Row>([
    { name: 'fresh', token: { 'st-ev': { v: true, t: NOW - 1000 } }, expected: null },
    { name: 'exactly 300 s old is still fresh', token: { 'st-ev': { v: true, t: NOW - 300_000 } }, expected: null },
    { name: '300 s + 1 ms old is expired', token: { 'st-ev': { v: true, t: NOW - 300_001 } }, expected: expired(300.001) },
    {
      name: 'fractional now half a ms past the boundary is expired',
      token: { 'st-ev': { v: true, t: NOW - 300_000 } },
      now: NOW + 0.5,
      expected: expired(300.0005),
    },
    { name: 't in the future is fresh', token: { 'st-ev': { v: true, t: NOW + 60_000 } }, expected: null },
    { name: 'expired wins over wrong value (SuperTokens order)', token: { 'st-ev': { v: false, t: NOW - 400_000 } }, expected: expired(400) },
    {
      name: 'fresh but false → wrong value',
      token: { 'st-ev': { v: false, t: NOW } },
      expected: { code: 'EMAIL_NOT_VERIFIED', reason: { message: 'wrong value', expectedValue: true, actualValue: false } },
    },
    { name: 't absent fails closed', token: { 'st-ev': { v: true } }, expected: invalid('number') },
    { name: 't null fails closed (no actualValue)', token: { 'st-ev': { v: true, t: null } }, expected: invalid('number') },
    { name: 't as a decimal string', token: { 'st-ev': { v: true, t: String(NOW) } }, expected: invalid('number', String(NOW)) },
  ])('$name', (row) => expectOne(chk.emailVerified(300), row));

  it.each<Row>([
    { name: 'maxAgeSeconds 0: t == now passes', token: { 'st-ev': { v: true, t: NOW } }, expected: null },
    { name: 'maxAgeSeconds 0: 1 ms old is expired', token: { 'st-ev': { v: true, t: NOW - 1 } }, expected: { code: 'EMAIL_VERIFICATION_EXPIRED', reason: { message: 'expired', ageInSeconds: 0.001, maxAgeInSeconds: 0 } } },
  ])('$name', (row) => expectOne(chk.emailVerified(0), row));
});

// roles (st-role) and permissions (st-perm) share one implementation and one table.
describe.each([
  { kind: 'roles' as const, id: 'st-role', missing: 'ROLES_MISSING', forbidden: 'ROLE_FORBIDDEN', expiredCode: 'ROLES_EXPIRED', a: 'admin', b: 'billing', c: 'customer', x: 'banned' },
  { kind: 'permissions' as const, id: 'st-perm', missing: 'PERMISSIONS_MISSING', forbidden: 'PERMISSION_FORBIDDEN', expiredCode: 'PERMISSIONS_EXPIRED', a: 'write:orders', b: 'read:orders', c: 'read:users', x: 'admin:*' },
] as const)('$kind ($id)', ({ kind, id, missing, forbidden, expiredCode, a, b, c, x }) => {
  const claim = (v: unknown, t: unknown = NOW) => ({ [id]: { v, t } });

  describe('anyOf', () => {
    const check = chk.list(kind, { anyOf: [c, a] });
    const exp = { expectedToIncludeAtLeastOneOf: [c, a] };
    const notExist: Expected = { code: missing, reason: { message: 'value does not exist', ...exp } };
    const wrong = (actualValue: unknown[]): Expected => ({ code: missing, reason: { message: 'wrong value', ...exp, actualValue: actualValue as string[] } });
    it.each<Row>([
      { name: 'one of them passes', token: claim([a]), expected: null },
      { name: 'the other one with extras passes', token: claim([b, c]), expected: null },
      { name: 'none of them', token: claim([b]), expected: wrong([b]) },
      { name: 'empty list', token: claim([]), expected: wrong([]) },
      { name: 'case-sensitive', token: claim([a.toUpperCase()]), expected: wrong([a.toUpperCase()]) },
      { name: 'claim absent', token: {}, expected: notExist },
      { name: 'claim null', token: { [id]: null }, expected: notExist },
      { name: 'v absent', token: { [id]: { t: NOW } }, expected: notExist },
      { name: 'v null', token: claim(null), expected: notExist },
      { name: 'claim is a string (Go-flattened authorizer form)', token: { [id]: `map[t:1 v:[${a}]]` }, expected: invalid('object', `map[t:1 v:[${a}]]`) },
      { name: 'claim is an array', token: { [id]: [a] }, expected: invalid('object', [a]) },
      { name: 'v is a string, not an array', token: claim(a), expected: invalid('string[]', a) },
      { name: 'v is an object', token: claim({ 0: a }), expected: invalid('string[]', { 0: a }) },
      { name: 'v holds a number', token: claim([a, 1]), expected: invalid('string[]', [a, 1]) },
      { name: 'v holds null', token: claim([a, null]), expected: invalid('string[]', [a, null]) },
      { name: 'no maxAgeSeconds: t is not read at all', token: claim([a], 'yesterday'), expected: null },
    ])('$name', (row) => expectOne(check, row));
  });

  describe('allOf', () => {
    const check = chk.list(kind, { allOf: [a, b] });
    it.each<Row>([
      { name: 'all of them (any order, extras) pass', token: claim([c, b, a]), expected: null },
      { name: 'one missing', token: claim([a]), expected: { code: missing, reason: { message: 'wrong value', expectedToInclude: [a, b], actualValue: [a] } } },
      { name: 'claim absent', token: {}, expected: { code: missing, reason: { message: 'value does not exist', expectedToInclude: [a, b] } } },
    ])('$name', (row) => expectOne(check, row));
  });

  describe('noneOf', () => {
    const check = chk.list(kind, { noneOf: [x] });
    it.each<Row>([
      { name: 'absent from the list passes', token: claim([a]), expected: null },
      { name: 'empty list passes', token: claim([]), expected: null },
      { name: 'forbidden value present', token: claim([a, x]), expected: { code: forbidden, reason: { message: 'wrong value', expectedToNotInclude: [x], actualValue: [a, x] } } },
      // SuperTokens' excludes validator also fails on a missing claim: absence is not proof of exclusion.
      { name: 'claim absent fails too', token: {}, expected: { code: missing, reason: { message: 'value does not exist', expectedToNotInclude: [x] } } },
    ])('$name', (row) => expectOne(check, row));
  });

  describe('anyOf + allOf + noneOf: checked in that order, first failure reported', () => {
    const check = chk.list(kind, { anyOf: [a, c], allOf: [b], noneOf: [x] });
    it.each<Row>([
      { name: 'all satisfied', token: claim([a, b]), expected: null },
      { name: 'anyOf fails first', token: claim([x]), expected: { code: missing, reason: { message: 'wrong value', expectedToIncludeAtLeastOneOf: [a, c], actualValue: [x] } } },
      { name: 'then allOf', token: claim([a, x]), expected: { code: missing, reason: { message: 'wrong value', expectedToInclude: [b], actualValue: [a, x] } } },
      { name: 'then noneOf', token: claim([a, b, x]), expected: { code: forbidden, reason: { message: 'wrong value', expectedToNotInclude: [x], actualValue: [a, b, x] } } },
      { name: 'missing claim names the first expectation set', token: {}, expected: { code: missing, reason: { message: 'value does not exist', expectedToIncludeAtLeastOneOf: [a, c] } } },
    ])('$name', (row) => expectOne(check, row));
  });

  describe('maxAgeSeconds: 60 (t in ms)', () => {
    const check = chk.list(kind, { anyOf: [a], maxAgeSeconds: 60 });
    const expired = (ageInSeconds: number): Expected => ({ code: expiredCode, reason: { message: 'expired', ageInSeconds, maxAgeInSeconds: 60 } });
    it.each<Row>([
      { name: 'exactly 60 s old is fresh', token: claim([a], NOW - 60_000), expected: null },
      { name: '60 s + 1 ms old is expired', token: claim([a], NOW - 60_001), expected: expired(60.001) },
      { name: 'expired wins over wrong value', token: claim([b], NOW - 120_000), expected: expired(120) },
      { name: 'missing wins over expired', token: { [id]: { t: 0 } }, expected: { code: missing, reason: { message: 'value does not exist', expectedToIncludeAtLeastOneOf: [a] } } },
      { name: 't absent fails closed', token: { [id]: { v: [a] } }, expected: invalid('number') },
      { name: 't a string', token: claim([a], '1712345680000'), expected: invalid('number', '1712345680000') },
      { name: 'wrongly typed v is reported before age', token: claim('x', 0), expected: invalid('string[]', 'x') },
    ])('$name', (row) => expectOne(check, row));
  });
});

describe('mfa: true (st-mfa.v only)', () => {
  const required: Expected = { code: 'MFA_REQUIRED', reason: { message: 'MFA requirement for auth is not satisfied' } };
  it.each<Row>([
    { name: 'v true passes', token: { 'st-mfa': { c: { emailpassword: NOW_S }, v: true } }, expected: null },
    { name: 'v true without c passes', token: { 'st-mfa': { v: true } }, expected: null },
    { name: 'v false', token: { 'st-mfa': { c: { emailpassword: NOW_S }, v: false } }, expected: required },
    { name: 'claim absent', token: {}, expected: required },
    { name: 'claim null', token: { 'st-mfa': null }, expected: required },
    { name: 'v absent', token: { 'st-mfa': { c: {} } }, expected: required },
    { name: 'v null', token: { 'st-mfa': { c: {}, v: null } }, expected: required },
    { name: 'v the string "true"', token: { 'st-mfa': { v: 'true' } }, expected: invalid('boolean', 'true') },
    { name: 'claim a string', token: { 'st-mfa': 'map[c:map[] v:true]' }, expected: invalid('object', 'map[c:map[] v:true]') },
    { name: 'claim an array', token: { 'st-mfa': [] }, expected: invalid('object', []) },
  ])('$name', (row) => expectOne(chk.mfa(), row));
});

describe('mfa: { factors: { allOf }, maxAgeSeconds: 300 } (c values in seconds, now in ms)', () => {
  const check = chk.mfa({ allOf: ['emailpassword', 'totp'] }, 300);
  const mfa = (c: unknown, v: unknown = true) => ({ 'st-mfa': { c, v } });
  const factorMissing = (f: string): Expected => ({ code: 'MFA_FACTOR_MISSING', reason: { message: `Factor validation failed: ${f} not completed`, factorId: f } });
  const factorExpired = (f: string, ageInSeconds: number): Expected => ({
    code: 'MFA_FACTOR_EXPIRED',
    reason: { message: 'expired', factorId: f, ageInSeconds, maxAgeInSeconds: 300 },
  });
  it.each<Row>([
    { name: 'both fresh', token: mfa({ emailpassword: NOW_S - 10, totp: NOW_S - 1 }), expected: null },
    { name: 'exactly 300 s old is fresh', token: mfa({ emailpassword: NOW_S, totp: NOW_S - 300 }), expected: null },
    {
      name: '300 s + 1 ms (now) is expired',
      token: mfa({ emailpassword: NOW_S, totp: NOW_S - 300 }),
      now: NOW + 1,
      expected: factorExpired('totp', (NOW + 1) / 1000 - (NOW_S - 300)),
    },
    { name: '301 s old is expired', token: mfa({ emailpassword: NOW_S - 301, totp: NOW_S }), expected: factorExpired('emailpassword', 301) },
    { name: 'c in the future is fresh', token: mfa({ emailpassword: NOW_S + 5, totp: NOW_S + 5 }), expected: null },
    { name: 'first listed factor missing is reported first', token: mfa({}), expected: factorMissing('emailpassword') },
    { name: 'second factor missing', token: mfa({ emailpassword: NOW_S }), expected: factorMissing('totp') },
    { name: 'factor null counts as missing', token: mfa({ emailpassword: NOW_S, totp: null }), expected: factorMissing('totp') },
    { name: 'c absent: factors missing', token: { 'st-mfa': { v: true } }, expected: factorMissing('emailpassword') },
    { name: 'c null: factors missing', token: mfa(null), expected: factorMissing('emailpassword') },
    { name: 'c an array', token: mfa(['totp']), expected: invalid('object', ['totp']) },
    { name: 'c a string', token: mfa('map[totp:1]'), expected: invalid('object', 'map[totp:1]') },
    { name: 'factor time a string', token: mfa({ emailpassword: NOW_S, totp: String(NOW_S) }), expected: invalid('number', String(NOW_S)) },
    { name: 'factors complete but v false', token: mfa({ emailpassword: NOW_S, totp: NOW_S }, false), expected: { code: 'MFA_REQUIRED', reason: { message: 'MFA requirement for auth is not satisfied' } } },
    { name: 'claim absent', token: {}, expected: { code: 'MFA_REQUIRED', reason: { message: 'MFA requirement for auth is not satisfied' } } },
  ])('$name', (row) => expectOne(check, row));

  it('without maxAgeSeconds an old factor still counts', () => {
    expectOne(chk.mfa({ allOf: ['totp'] }), { name: '', token: mfa({ totp: 1 }), expected: null });
  });
});

describe('mfa: { factors: { anyOf }, maxAgeSeconds: 300 }', () => {
  const check = chk.mfa({ anyOf: ['totp', 'otp-email'] }, 300);
  const mfa = (c: unknown) => ({ 'st-mfa': { c, v: true } });
  const none: Expected = {
    code: 'MFA_FACTOR_MISSING',
    reason: { message: 'None of these factors are complete in the session: totp, otp-email', oneOf: ['totp', 'otp-email'] },
  };
  it.each<Row>([
    { name: 'first fresh', token: mfa({ totp: NOW_S }), expected: null },
    { name: 'second fresh', token: mfa({ 'otp-email': NOW_S - 300 }), expected: null },
    { name: 'first stale, second fresh', token: mfa({ totp: NOW_S - 301, 'otp-email': NOW_S }), expected: null },
    { name: 'both stale', token: mfa({ totp: NOW_S - 301, 'otp-email': NOW_S - 1000 }), expected: none },
    { name: 'exactly at the boundary, 1 ms later', token: mfa({ totp: NOW_S - 300 }), now: NOW + 1, expected: none },
    { name: 'other factors only', token: mfa({ emailpassword: NOW_S }), expected: none },
    { name: 'c absent', token: { 'st-mfa': { v: true } }, expected: none },
    { name: 'a wrongly typed factor does not count', token: mfa({ totp: String(NOW_S) }), expected: none },
    { name: 'a wrongly typed factor beside a good one', token: mfa({ totp: 'x', 'otp-email': NOW_S }), expected: null },
  ])('$name', (row) => expectOne(check, row));
});

describe('tenant (tId)', () => {
  describe('anyOf', () => {
    const check = chk.tenantAnyOf('public', 'acme');
    const exp = { expectedOneOf: ['public', 'acme'] };
    it.each<Row>([
      { name: 'listed tenant', token: { tId: 'acme' }, expected: null },
      { name: 'other tenant', token: { tId: 'globex' }, expected: { code: 'TENANT_MISMATCH', reason: { message: 'wrong value', ...exp, actualValue: 'globex' } } },
      { name: 'case-sensitive', token: { tId: 'ACME' }, expected: { code: 'TENANT_MISMATCH', reason: { message: 'wrong value', ...exp, actualValue: 'ACME' } } },
      { name: 'absent', token: {}, expected: { code: 'TENANT_MISMATCH', reason: { message: 'value does not exist', ...exp } } },
      { name: 'null', token: { tId: null }, expected: { code: 'TENANT_MISMATCH', reason: { message: 'value does not exist', ...exp } } },
      { name: 'a number', token: { tId: 1 }, expected: invalid('string', 1) },
      { name: 'an array holding a listed tenant', token: { tId: ['acme'] }, expected: invalid('string', ['acme']) },
    ])('$name', (row) => expectOne(check, row));
  });

  describe('equalsPathParam: tenantId (path /t/acme/u/u1)', () => {
    const check = chk.tenantParam('tenantId');
    it.each<Row>([
      { name: 'equal', token: { tId: 'acme' }, expected: null },
      { name: 'different', token: { tId: 'public' }, expected: { code: 'TENANT_MISMATCH', reason: { message: 'wrong value', expectedValue: 'acme', actualValue: 'public' } } },
      { name: 'absent', token: {}, expected: { code: 'TENANT_MISMATCH', reason: { message: 'value does not exist', expectedValue: 'acme' } } },
      { name: 'null', token: { tId: null }, expected: { code: 'TENANT_MISMATCH', reason: { message: 'value does not exist', expectedValue: 'acme' } } },
      { name: 'an object', token: { tId: { v: 'acme' } }, expected: invalid('string', { v: 'acme' }) },
    ])('$name', (row) => expectOne(check, row));
  });
});

describe('subject: { equalsPathParam: userId } (path /t/acme/u/u1)', () => {
  const check = chk.subject('userId');
  it.each<Row>([
    { name: 'owner', token: { sub: 'u1' }, expected: null },
    { name: 'someone else', token: { sub: 'u2' }, expected: { code: 'SUBJECT_MISMATCH', reason: { message: 'wrong value', expectedValue: 'u1', actualValue: 'u2' } } },
    { name: 'case-sensitive', token: { sub: 'U1' }, expected: { code: 'SUBJECT_MISMATCH', reason: { message: 'wrong value', expectedValue: 'u1', actualValue: 'U1' } } },
    { name: 'absent', token: {}, expected: { code: 'SUBJECT_MISMATCH', reason: { message: 'value does not exist', expectedValue: 'u1' } } },
    { name: 'null', token: { sub: null }, expected: { code: 'SUBJECT_MISMATCH', reason: { message: 'value does not exist', expectedValue: 'u1' } } },
    { name: 'a number', token: { sub: 1 }, expected: invalid('string', 1) },
  ])('$name', (row) => expectOne(check, row));
});

describe('equalsPathParam on a routeKey hit uses request.pathParameters', () => {
  const p = policy([route(KEY, [chk.tenantParam('tenantId'), chk.subject('userId')])]);
  const noParam = (code: ReasonCode, id: string, pathParameter: string) => ({
    id,
    code,
    reason: { message: 'path parameter does not exist', pathParameter },
  });
  it.each([
    {
      name: 'pathParameters given',
      pathParameters: { tenantId: 'acme', userId: 'u1' } as Record<string, unknown> | null | undefined,
      reasons: [],
    },
    {
      name: 'pathParameters absent: the param is missing, even with a matching path',
      pathParameters: undefined,
      reasons: [noParam('TENANT_MISMATCH', 'tId', 'tenantId'), noParam('SUBJECT_MISMATCH', 'sub', 'userId')],
    },
    {
      name: 'pathParameters null',
      pathParameters: null,
      reasons: [noParam('TENANT_MISMATCH', 'tId', 'tenantId'), noParam('SUBJECT_MISMATCH', 'sub', 'userId')],
    },
    {
      name: 'one param missing',
      pathParameters: { tenantId: 'acme' },
      reasons: [noParam('SUBJECT_MISMATCH', 'sub', 'userId')],
    },
    {
      name: 'a non-string param counts as missing',
      pathParameters: { tenantId: 7, userId: ['u1'] },
      reasons: [noParam('TENANT_MISMATCH', 'tId', 'tenantId'), noParam('SUBJECT_MISMATCH', 'sub', 'userId')],
    },
    {
      // API Gateway extracted them, so they win over the raw path: path says acme/u1, params say evil/u2.
      name: 'pathParameters win over the path',
      pathParameters: { tenantId: 'evil', userId: 'u2' },
      reasons: [
        { id: 'tId', code: 'TENANT_MISMATCH', reason: { message: 'wrong value', expectedValue: 'evil', actualValue: 'acme' } },
        { id: 'sub', code: 'SUBJECT_MISMATCH', reason: { message: 'wrong value', expectedValue: 'u2', actualValue: 'u1' } },
      ],
    },
  ])('$name', ({ pathParameters, reasons }) => {
    const opts = pathParameters === undefined ? {} : { pathParameters };
    const d = decide(p, input('GET', PATH, { routeKey: KEY, ...opts, token: { tId: 'acme', sub: 'u1' }, now: NOW }));
    expect(d).toEqual({ allow: reasons.length === 0, status: reasons.length === 0 ? 200 : 403, route: KEY, reasons });
  });
});

describe('audience (aud string or array)', () => {
  const check = chk.audience('api', 'admin-api');
  const exp = { expectedToIncludeAtLeastOneOf: ['api', 'admin-api'] };
  const wrong = (actualValue: string | string[]): Expected => ({ code: 'AUDIENCE_MISMATCH', reason: { message: 'wrong value', ...exp, actualValue } });
  it.each<Row>([
    { name: 'string aud', token: { aud: 'api' }, expected: null },
    { name: 'array aud containing one', token: { aud: ['other', 'admin-api'] }, expected: null },
    { name: 'string aud not listed', token: { aud: 'jwtAuthorizers' }, expected: wrong('jwtAuthorizers') },
    { name: 'array aud not listed', token: { aud: ['x', 'y'] }, expected: wrong(['x', 'y']) },
    { name: 'empty array', token: { aud: [] }, expected: wrong([]) },
    { name: 'no substring match', token: { aud: 'api2' }, expected: wrong('api2') },
    { name: 'absent', token: {}, expected: { code: 'AUDIENCE_MISMATCH', reason: { message: 'value does not exist', ...exp } } },
    { name: 'null', token: { aud: null }, expected: { code: 'AUDIENCE_MISMATCH', reason: { message: 'value does not exist', ...exp } } },
    { name: 'a number', token: { aud: 1 }, expected: invalid('string | string[]', 1) },
    { name: 'array with a non-string beside a match', token: { aud: ['api', 1] }, expected: invalid('string | string[]', ['api', 1]) },
    { name: 'an object', token: { aud: { api: true } }, expected: invalid('string | string[]', { api: true }) },
  ])('$name', (row) => expectOne(check, row));
});

describe('issuer (iss)', () => {
  const iss = 'https://api.example.com/auth';
  const check = chk.issuer(iss);
  it.each<Row>([
    { name: 'equal', token: { iss }, expected: null },
    { name: 'trailing slash differs', token: { iss: iss + '/' }, expected: { code: 'ISSUER_MISMATCH', reason: { message: 'wrong value', expectedValue: iss, actualValue: iss + '/' } } },
    { name: 'absent', token: {}, expected: { code: 'ISSUER_MISMATCH', reason: { message: 'value does not exist', expectedValue: iss } } },
    { name: 'null', token: { iss: null }, expected: { code: 'ISSUER_MISMATCH', reason: { message: 'value does not exist', expectedValue: iss } } },
    { name: 'an array holding it', token: { iss: [iss] }, expected: invalid('string', [iss]) },
  ])('$name', (row) => expectOne(check, row));
});

describe('claims: equals (JSON value equality)', () => {
  const mismatch = (expectedValue: unknown, actualValue: unknown): Expected => ({
    code: 'CLAIM_MISMATCH',
    reason: { message: 'wrong value', expectedValue, actualValue } as ReasonDetail,
  });
  it.each<Row & { value: unknown }>([
    { name: 'objects with different key order are equal', value: { a: 1, b: [1, { c: 'x', d: null }] }, token: { plan: { b: [1, { d: null, c: 'x' }], a: 1 } }, expected: null },
    { name: '1 equals 1.0 (as JSON text)', value: 1, token: JSON.parse('{"plan": 1.0}'), expected: null },
    { name: '1e3 equals 1000', value: 1000, token: JSON.parse('{"plan": 1e3}'), expected: null },
    { name: 'large number', value: 2 ** 53, token: JSON.parse('{"plan": 9007199254740992}'), expected: null },
    { name: 'number vs numeric string', value: 1, token: { plan: '1' }, expected: mismatch(1, '1') },
    { name: 'false vs 0', value: false, token: { plan: 0 }, expected: mismatch(false, 0) },
    { name: 'empty string equals empty string', value: '', token: { plan: '' }, expected: null },
    { name: 'unicode with escapes', value: 'gold "é" \\ 😀', token: JSON.parse('{"plan": "gold \\"\\u00e9\\" \\\\ \\ud83d\\ude00"}'), expected: null },
    { name: 'array order matters', value: [1, 2], token: { plan: [2, 1] }, expected: mismatch([1, 2], [2, 1]) },
    { name: 'array vs object with index keys', value: ['a'], token: { plan: { 0: 'a' } }, expected: mismatch(['a'], { 0: 'a' }) },
    { name: 'extra key', value: { a: 1 }, token: { plan: { a: 1, b: 2 } }, expected: mismatch({ a: 1 }, { a: 1, b: 2 }) },
    { name: 'missing key', value: { a: 1, b: 2 }, token: { plan: { a: 1 } }, expected: mismatch({ a: 1, b: 2 }, { a: 1 }) },
    { name: 'same key count, different keys', value: { a: null }, token: { plan: { b: null } }, expected: mismatch({ a: null }, { b: null }) },
    { name: 'absent', value: 'gold', token: {}, expected: { code: 'CLAIM_MISMATCH', reason: { message: 'value does not exist', expectedValue: 'gold' } } },
    { name: 'null claim', value: 'gold', token: { plan: null }, expected: { code: 'CLAIM_MISMATCH', reason: { message: 'value does not exist', expectedValue: 'gold' } } },
    // A JSON null claim counts as missing, so `equals: null` can never pass (see report).
    { name: 'equals null never passes', value: null, token: { plan: null }, expected: { code: 'CLAIM_MISMATCH', reason: { message: 'value does not exist', expectedValue: null } } },
  ])('$name', (row) => expectOne(chk.claimEquals('plan', row.value as never), row));
});

describe('claims: anyOf and exists', () => {
  const values = ['gold', 3, { tier: 1 }];
  it.each<Row>([
    { name: 'anyOf: a string', token: { plan: 'gold' }, expected: null },
    { name: 'anyOf: a number', token: { plan: 3.0 }, expected: null },
    { name: 'anyOf: an object', token: { plan: { tier: 1 } }, expected: null },
    { name: 'anyOf: none', token: { plan: 'silver' }, expected: { code: 'CLAIM_MISMATCH', reason: { message: 'wrong value', expectedOneOf: values, actualValue: 'silver' } } },
    { name: 'anyOf: absent', token: {}, expected: { code: 'CLAIM_MISMATCH', reason: { message: 'value does not exist', expectedOneOf: values } } },
  ])('$name', (row) => expectOne(chk.claimAnyOf('plan', values), row));

  it.each<Row>([
    { name: 'exists: false counts', token: { plan: false }, expected: null },
    { name: 'exists: 0 counts', token: { plan: 0 }, expected: null },
    { name: 'exists: empty string counts', token: { plan: '' }, expected: null },
    { name: 'exists: empty object counts', token: { plan: {} }, expected: null },
    { name: 'exists: null does not', token: { plan: null }, expected: { code: 'CLAIM_MISMATCH', reason: { message: 'value does not exist' } } },
    { name: 'exists: absent does not', token: {}, expected: { code: 'CLAIM_MISMATCH', reason: { message: 'value does not exist' } } },
  ])('$name', (row) => expectOne(chk.claimExists('plan'), row));

  it.each([
    { name: 'inherited constructor is not a claim', id: 'constructor' },
    { name: 'inherited toString is not a claim', id: 'toString' },
    { name: 'inherited __proto__ is not a claim', id: '__proto__' },
    { name: 'inherited hasOwnProperty is not a claim', id: 'hasOwnProperty' },
  ])('$name', ({ id }) => {
    expectOne(chk.claimExists(id), { name: '', token: {}, expected: { code: 'CLAIM_MISMATCH', reason: { message: 'value does not exist' } } });
  });

  it('an own "__proto__" claim (as JSON.parse makes it) is compared as data', () => {
    const token = JSON.parse('{"__proto__": {"b": 2, "a": 1}}') as Record<string, unknown>;
    expectOne(chk.claimEquals('__proto__', { a: 1, b: 2 }), { name: '', token, expected: null });
  });
});

describe('anyOf: [branch, …]', () => {
  const admin = chk.roles({ anyOf: ['admin'] });
  const owner = chk.subject('userId');
  const ev = chk.emailVerified();
  const rolesWrong = (actualValue: string[]) => ({ id: 'st-role', code: 'ROLES_MISSING', reason: { message: 'wrong value', expectedToIncludeAtLeastOneOf: ['admin'], actualValue } });
  const subWrong = (actualValue: string) => ({ id: 'sub', code: 'SUBJECT_MISMATCH', reason: { message: 'wrong value', expectedValue: 'u1', actualValue } });
  const evMissing = { id: 'st-ev', code: 'EMAIL_NOT_VERIFIED', reason: { message: 'value does not exist', expectedValue: true } };
  const run = (check: Check, token: Record<string, unknown>) => decideOne(check, token).reasons;

  it.each([
    { name: 'first branch passes', token: { 'st-role': { v: ['admin'], t: NOW }, sub: 'u2' }, reasons: [] },
    { name: 'second branch passes', token: { 'st-role': { v: ['user'], t: NOW }, sub: 'u1' }, reasons: [] },
    { name: 'both fail: reasons of every branch, flattened in branch order', token: { 'st-role': { v: ['user'], t: NOW }, sub: 'u2' }, reasons: [rolesWrong(['user']), subWrong('u2')] },
  ])('two branches: $name', ({ token, reasons }) => {
    expect(run(chk.anyOf([admin], [owner]), token)).toEqual(reasons);
  });

  it.each([
    { name: 'a branch passes only when all its checks pass', token: { 'st-role': { v: ['admin'], t: NOW }, sub: 'u2' }, reasons: [evMissing, subWrong('u2')] },
    { name: 'the full branch passes', token: { 'st-role': { v: ['admin'], t: NOW }, 'st-ev': { v: true } }, reasons: [] },
  ])('multi-check branch: $name', ({ token, reasons }) => {
    // Passing checks inside a failed branch contribute no reasons.
    expect(run(chk.anyOf([admin, ev], [owner]), token)).toEqual(reasons);
  });

  it.each([
    { name: 'innermost branch passes', token: { 'st-ev': { v: true }, sub: 'u1' }, reasons: [] },
    { name: 'outer second branch passes', token: { 'st-role': { v: ['admin'], t: NOW } }, reasons: [] },
    {
      name: 'nothing passes: nested reasons flattened depth-first',
      token: { 'st-role': { v: ['user'], t: NOW }, sub: 'u2' },
      reasons: [subWrong('u2'), rolesWrong(['user']), evMissing, rolesWrong(['user'])],
    },
    {
      name: 'inner anyOf passes but its sibling check fails',
      token: { 'st-role': { v: ['user'], t: NOW }, sub: 'u1' },
      reasons: [evMissing, rolesWrong(['user'])],
    },
  ])('nested depth 3: $name', ({ token, reasons }) => {
    // anyOf[ [ anyOf[ [owner], [anyOf[[admin]]] ], ev ], [admin] ]
    const nested = chk.anyOf([chk.anyOf([owner], [chk.anyOf([admin])]), ev], [admin]);
    expect(run(nested, token)).toEqual(reasons);
  });
});

describe('several checks: every failing check is reported, in check order', () => {
  const iss = 'https://api.example.com/auth';
  const checks = [
    chk.audience('jwtAuthorizers'),
    chk.issuer(iss),
    chk.emailVerified(),
    chk.roles({ anyOf: ['admin'] }),
    chk.mfa(),
  ];
  const reasons = {
    aud: { id: 'aud', code: 'AUDIENCE_MISMATCH', reason: { message: 'value does not exist', expectedToIncludeAtLeastOneOf: ['jwtAuthorizers'] } },
    iss: { id: 'iss', code: 'ISSUER_MISMATCH', reason: { message: 'value does not exist', expectedValue: iss } },
    ev: { id: 'st-ev', code: 'EMAIL_NOT_VERIFIED', reason: { message: 'value does not exist', expectedValue: true } },
    role: { id: 'st-role', code: 'ROLES_MISSING', reason: { message: 'value does not exist', expectedToIncludeAtLeastOneOf: ['admin'] } },
    mfa: { id: 'st-mfa', code: 'MFA_REQUIRED', reason: { message: 'MFA requirement for auth is not satisfied' } },
  };

  it('global audience, global issuer, defaults, then the route’s own, all reported (no short-circuit)', () => {
    const d = decide(policy([route(KEY, checks)]), input('GET', PATH, { token: {}, now: NOW }));
    expect(d).toEqual({ allow: false, status: 403, route: KEY, reasons: [reasons.aud, reasons.iss, reasons.ev, reasons.role, reasons.mfa] });
  });

  it('report order is the IR check order, not the claim name', () => {
    const reversed = [...checks].reverse();
    const d = decide(policy([route(KEY, reversed)]), input('GET', PATH, { token: {}, now: NOW }));
    expect(d.reasons).toEqual([reasons.mfa, reasons.role, reasons.ev, reasons.iss, reasons.aud]);
  });

  it('only the failing ones, in order', () => {
    const token = { aud: 'jwtAuthorizers', 'st-ev': { v: true, t: NOW }, 'st-mfa': { c: {}, v: true } };
    const d = decide(policy([route(KEY, checks)]), input('GET', PATH, { token, now: NOW }));
    expect(d.reasons).toEqual([reasons.iss, reasons.role]);
  });

  it('two checks on the same claim both report', () => {
    const two = [chk.roles({ anyOf: ['admin'] }), chk.roles({ noneOf: ['banned'] })];
    const d = decide(policy([route(KEY, two)]), input('GET', PATH, { token: { 'st-role': { v: ['banned'], t: NOW } }, now: NOW }));
    expect(d.reasons).toEqual([
      { id: 'st-role', code: 'ROLES_MISSING', reason: { message: 'wrong value', expectedToIncludeAtLeastOneOf: ['admin'], actualValue: ['banned'] } },
      { id: 'st-role', code: 'ROLE_FORBIDDEN', reason: { message: 'wrong value', expectedToNotInclude: ['banned'], actualValue: ['banned'] } },
    ]);
  });
});
