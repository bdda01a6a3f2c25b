// Time in test suites. Never the wall clock: a suite's `now` is fixed (default DEFAULT_NOW), and
// tokens say `now-5m` relative to it. SuperTokens mixes units (st-ev/st-role/st-perm `t` in ms,
// st-mfa `c` values and iat/exp in seconds), so a bare `now-5m` is only accepted where the unit
// is known; anywhere else it must say `ms(now-5m)` or `s(now-5m)`, never guessed.

/** 2025-01-01T00:00:00Z: the clock of a suite without `now:`. */
export const DEFAULT_NOW = Date.UTC(2025, 0, 1);

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const RELATIVE = /^now((?:\s*[+-]\s*(?:\d+(?:ms|s|m|h|d))+)*)$/;
/** One signed group (`-1h30m`) and the amounts inside it. */
const GROUP = /([+-])\s*((?:\d+(?:ms|s|m|h|d))+)/g;
const AMOUNT = /(\d+)(ms|s|m|h|d)/g;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const WRAPPED = /^(ms|s)\((.*)\)$/;

/** `now`, `now-5m`, `now+1h30m`, `now-1d+2h`… → epoch ms relative to `now`; null when not that form. */
export function relativeTime(text: string, now: number): number | null {
  const m = RELATIVE.exec(text.trim());
  if (m === null) return null;
  let t = now;
  for (const [, sign, amounts] of (m[1] ?? '').matchAll(GROUP)) {
    for (const [, n, unit] of (amounts ?? '').matchAll(AMOUNT)) t += (sign === '-' ? -1 : 1) * Number(n) * (UNIT_MS[unit!] ?? 0);
  }
  return t;
}

/** An ISO-8601 date-time with zone, or epoch ms; null when neither. */
export function absoluteTime(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (typeof value !== 'string' || !ISO.test(value)) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** A case's or matrix's `now`: absolute, or relative to the suite's. */
export function caseTime(value: unknown, suiteNow: number): number | null {
  return absoluteTime(value) ?? (typeof value === 'string' ? relativeTime(value, suiteNow) : null);
}

export type TimeUnit = 'ms' | 's';

/**
 * The unit a claim position holds times in, from SuperTokens' claim shapes (docs/policy-language.md),
 * or null when it is not a known time field. `path` is the key path inside the token payload.
 */
export function unitAt(path: readonly string[]): TimeUnit | null {
  const [claim, field, factor] = path;
  if (path.length === 2 && field === 't' && (claim === 'st-ev' || claim === 'st-role' || claim === 'st-perm')) return 'ms';
  if (path.length === 3 && claim === 'st-mfa' && field === 'c' && factor !== undefined) return 's';
  if (path.length === 1 && (claim === 'iat' || claim === 'exp' || claim === 'nbf' || claim === 'auth_time')) return 's';
  return null;
}

export type TimeSugar =
  | { readonly kind: 'none' }
  | { readonly kind: 'value'; readonly value: number }
  | { readonly kind: 'ambiguous' }
  /** Meant as time sugar (starts with `now`, `ms(` or `s(`) but not valid. */
  | { readonly kind: 'invalid' };

/** What valid time sugar looks like, for error messages. */
export const TIME_SUGAR_HELP = 'write now, now-5m, now+1h30m or now-1d+2h (units ms, s, m, h, d; no spaces inside an amount), or ms(…)/s(…) around it';

/** A string that starts like time sugar: `now`, `now-…`, `now +…`, `ms(…`, `s(…` (not `now playing`). */
const SUGAR_ATTEMPT = /^\s*(?:now\s*(?:[+-]|$)|m?s\()/;

/** Resolves a claim string that is time sugar. Seconds are whole (floored), as SuperTokens writes them. */
export function claimTime(text: string, path: readonly string[], now: number): TimeSugar {
  const wrapped = WRAPPED.exec(text.trim());
  const unit: TimeUnit | null = wrapped ? (wrapped[1] as TimeUnit) : unitAt(path);
  const ms = relativeTime(wrapped ? (wrapped[2] ?? '') : text, now);
  if (ms === null) {
    // Other strings stay strings: a case may put a malformed value in a time field on purpose.
    return SUGAR_ATTEMPT.test(text) ? { kind: 'invalid' } : { kind: 'none' };
  }
  if (unit === null) return { kind: 'ambiguous' };
  return { kind: 'value', value: unit === 'ms' ? ms : Math.floor(ms / 1000) };
}
