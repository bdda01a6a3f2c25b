// Principal layering and time sugar, on their own.
import { describe, expect, it } from 'vitest';
import { deepMerge, pointerSteps } from '../../src/testing/principals.js';
import { caseTime, claimTime, relativeTime } from '../../src/testing/time.js';

const NOW = Date.UTC(2025, 5, 1, 12);

describe('deepMerge', () => {
  it.each([
    { name: 'maps merge key by key', base: { a: { x: 1, y: 2 } }, over: { a: { y: 3 } }, out: { a: { x: 1, y: 3 } } },
    { name: 'lists replace', base: { v: ['a', 'b'] }, over: { v: ['c'] }, out: { v: ['c'] } },
    { name: 'null sets JSON null', base: { a: 1 }, over: { a: null }, out: { a: null } },
    { name: 'a scalar replaces a map', base: { a: { x: 1 } }, over: { a: 2 }, out: { a: 2 } },
  ])('$name', ({ base, over, out }) => {
    expect(deepMerge(base, over)).toEqual(out);
  });

  it('does not share structure with its inputs', () => {
    const base = { a: { x: 1 } };
    const merged = deepMerge(base, {}) as { a: { x: number } };
    merged.a.x = 2;
    expect(base.a.x).toBe(1);
  });
});

describe('unset entries', () => {
  it.each([
    ['plan', ['plan']],
    ['/st-mfa/c/totp', ['st-mfa', 'c', 'totp']],
    ['/https:~1~1example.com~1ops', ['https://example.com/ops']],
    ['/a~0b', ['a~b']],
  ])('%s', (entry, steps) => {
    expect(pointerSteps(entry)).toEqual(steps);
  });
});

describe('time sugar', () => {
  it.each([
    ['now', NOW],
    ['now-5m', NOW - 300_000],
    ['now+1h30m', NOW + 5_400_000],
    ['now-1d+2h', NOW - 86_400_000 + 7_200_000],
    ['now + 250ms', NOW + 250],
  ])('%s', (text, ms) => {
    expect(relativeTime(text, NOW)).toBe(ms);
  });

  it('converts by where SuperTokens keeps the time: ms in st-ev/st-role/st-perm t, s in st-mfa c and iat/exp', () => {
    expect(claimTime('now-5m', ['st-ev', 't'], NOW)).toEqual({ kind: 'value', value: NOW - 300_000 });
    expect(claimTime('now-5m', ['st-mfa', 'c', 'totp'], NOW)).toEqual({ kind: 'value', value: (NOW - 300_000) / 1000 });
    expect(claimTime('now+1h', ['exp'], NOW)).toEqual({ kind: 'value', value: NOW / 1000 + 3600 });
    expect(claimTime('now-5m', ['custom'], NOW)).toEqual({ kind: 'ambiguous' });
    expect(claimTime('s(now-5m)', ['custom'], NOW)).toEqual({ kind: 'value', value: (NOW - 300_000) / 1000 });
    expect(claimTime('ms(now)', ['custom'], NOW)).toEqual({ kind: 'value', value: NOW });
    expect(claimTime('nowhere', ['custom'], NOW)).toEqual({ kind: 'none' });
  });

  it('floors seconds, as SuperTokens writes them', () => {
    expect(claimTime('now-1ms', ['iat'], NOW + 500)).toEqual({ kind: 'value', value: NOW / 1000 });
  });

  it('case times are absolute or relative to the suite', () => {
    expect(caseTime('2025-06-01T12:00:00Z', 0)).toBe(NOW);
    expect(caseTime(NOW, 0)).toBe(NOW);
    expect(caseTime('now+1d', NOW)).toBe(NOW + 86_400_000);
    expect(caseTime('2025-13-01T00:00:00Z', NOW)).toBeNull();
  });
});
