// A timestamp that is not a finite number (only raw JSON text such as 1e400 can carry one) is never
// fresh: without this, `t: 1e400` would pass every maxAgeSeconds, since its age is -Infinity.
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/decision/evaluate.js';
import { chk, input, policy, route } from '../support/ir-builders.js';

const NOW = 1_712_345_680_000;

describe('non-finite timestamps are never fresh', () => {
  it.each([
    ['st-ev.t = Infinity', [chk.emailVerified(300)], { 'st-ev': { v: true, t: Infinity } }, 'EMAIL_VERIFICATION_EXPIRED'],
    ['st-role.t = Infinity', [chk.roles({ anyOf: ['admin'], maxAgeSeconds: 300 })], { 'st-role': { v: ['admin'], t: Infinity } }, 'ROLES_EXPIRED'],
    ['st-mfa.c.totp = Infinity (allOf)', [chk.mfa({ allOf: ['totp'] }, 300)], { 'st-mfa': { v: true, c: { totp: Infinity } } }, 'MFA_FACTOR_EXPIRED'],
    ['st-mfa.c.totp = Infinity (anyOf)', [chk.mfa({ anyOf: ['totp'] }, 300)], { 'st-mfa': { v: true, c: { totp: Infinity } } }, 'MFA_FACTOR_MISSING'],
  ] as const)('%s → %s', (_name, checks, token, code) => {
    const d = decide(policy([route('GET /x', [...checks])]), input('GET', '/x', { token, now: NOW }));
    expect(d.allow).toBe(false);
    expect(d.reasons.map((r) => r.code)).toEqual([code]);
  });

  it('a finite future timestamp is still fresh, as in SuperTokens', () => {
    const d = decide(policy([route('GET /x', [chk.emailVerified(300)])]), input('GET', '/x', { token: { 'st-ev': { v: true, t: NOW + 1000 } }, now: NOW }));
    expect(d.allow).toBe(true);
  });
});
