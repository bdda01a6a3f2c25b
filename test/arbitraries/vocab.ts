// The small vocabularies the arbitraries draw from. Small on purpose: route templates collide,
// and tokens built from the same words satisfy checks about half the time.
import type { HttpMethod } from '../../src/policy/ir.js';

/** A whole second, so MFA `c` values (seconds) can sit exactly on a maxAgeSeconds boundary. */
export const BASE_NOW = 1712345680000;

export const POLICY_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];
export const REQUEST_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** Literal segments (valid per the loader's LITERAL rule). */
export const LITERALS: readonly string[] = ['a', 'b', 'ab', 'ü', "o'k"];
/** Parameter names (valid per the loader's PARAM_NAME rule, `__proto__` included on purpose). */
export const PARAM_NAMES: readonly string[] = ['id', 'p', 'userId', 'tenantId', 'x.y', '__proto__'];

export const ROLES: readonly string[] = ['admin', 'customer', 'billing', 'support', 'banned'];
export const PERMISSIONS: readonly string[] = ['read:orders', 'write:orders', 'delete:orders', 'admin:*'];
export const FACTORS: readonly string[] = [
  'emailpassword',
  'webauthn',
  'otp-email',
  'otp-phone',
  'link-email',
  'link-phone',
  'thirdparty',
  'totp',
];
export const TENANTS: readonly string[] = ['public', 'acme', 'globex'];
export const SUBJECTS: readonly string[] = ['u1', 'u2', 'fa7a0841-b533-4478-9553-0fde890c3483'];
export const AUDIENCES: readonly string[] = ['jwtAuthorizers', 'api', 'admin-api'];
export const ISSUERS: readonly string[] = ['https://api.example.com/auth', 'https://auth.example.org/'];
/** Custom claim names for `claims:` checks: never a claim another check kind owns. */
export const CLAIM_NAMES: readonly string[] = ['plan', 'org', 'flags', '__proto__', 'constructor', 'ü "q" \\ n'];
/** Schema: integer ≥ 1. */
export const MAX_AGES: readonly number[] = [1, 60, 300, 3600];

/** Strings for JSON values: escapes, astral characters, NUL, quotes. */
export const JSON_STRINGS: readonly string[] = ['', 'gold', 'ü', '"q"', 'back\\slash', 'line\nbreak', 'nul\u0000', '😀', '\u2028', 'admin'];
/** Numbers for JSON values: edges that JSON encoders print differently (no -0, NaN, Infinity). */
export const JSON_NUMBERS: readonly number[] = [0, 1, -1, 1.5, 3, 0.1, 1e21, 1e-7, 2 ** 53, 2 ** 53 + 2, -3.25, 1.7976931348623157e308, 5e-324];

/** Path parameter values that are fine in a path. */
export const PARAM_VALUES_OK: readonly string[] = ['1', '42', 'a', 'b', 'ab', 'ü', '😀', "it's", '"q"', 'a b', '...', '__proto__', '\u00a0', 'u1', 'acme', 'public'];
/** Values that make the path refused (PATH_REJECTED) once placed in it. */
export const PARAM_VALUES_REFUSED: readonly string[] = ['back\\slash', '%2e', '100%', '.', '..', '', 'bel\u0007', 'nel\u0085', 'nl\n', 'del\u007f'];
