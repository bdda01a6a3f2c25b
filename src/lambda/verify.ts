// Signature verification with jose: optional for withAuthorization (defence in depth, function
// URLs, local runs), required by the Lambda authorizer. The key set is created once per cold start
// and a remote one is fetched right away; jose is imported only when verification is configured.
// A key set that cannot be fetched or used is a KeySetError (500), never a token refusal: no
// refreshed token could cure it (docs/authorizer.md, "Keys").
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { ClaimguardError } from '../errors.js';

export interface VerifyOptions {
  /** A local JWKS (e.g. pinned keys). Exactly one of `jwks` / `jwksUrl`. */
  readonly jwks?: JSONWebKeySet;
  /** The issuer's JWKS endpoint, e.g. `https://api.example.com/auth/jwt/jwks.json`. */
  readonly jwksUrl?: string | URL;
  /** Required `iss` (SuperTokens: `apiDomain + apiBasePath`). */
  readonly issuer: string | readonly string[];
  /** Required `aud` (the policy's `audience`). */
  readonly audience: string | readonly string[];
  /** Accepted algorithms; SuperTokens signs with RS256. */
  readonly algorithms?: readonly string[];
}

export type Verifier = (token: string, now: number) => Promise<Record<string, unknown>>;

export type KeySetErrorCode = 'JWKS_UNAVAILABLE';

/** The JWKS could not be fetched (network, timeout, not 200) or is not a usable key set. */
export class KeySetError extends ClaimguardError<KeySetErrorCode> {
  override readonly name = 'KeySetError';
}

/**
 * How jose's remote key set is kept (`createRemoteJWKSet` options; its own defaults are a 10 min
 * cache, a 30 s cooldown and a 5 s timeout).
 */
export const JWKS_SETTINGS = {
  /** Fetched once per cold start and kept: a key the issuer still lists never needs a refetch. */
  cacheMaxAge: Number.POSITIVE_INFINITY,
  /** A token whose `kid` the set lacks refetches it (key rotation), at most once per 30 s. */
  cooldownDuration: 30_000,
  /** The longest one fetch may take before the request fails (500). */
  timeoutDuration: 5_000,
} as const;

/** Throws a TypeError for options that can never verify anything. */
export function checkVerifyOptions(options: VerifyOptions): void {
  if ((options.jwks === undefined) === (options.jwksUrl === undefined)) {
    throw new TypeError('verify: set exactly one of `jwks` and `jwksUrl`');
  }
  if (options.jwksUrl !== undefined) new URL(options.jwksUrl); // throws on a malformed URL
  const empty = (x: string | readonly string[]) => (typeof x === 'string' ? x === '' : x.length === 0 || x.includes(''));
  if (empty(options.issuer) || empty(options.audience)) throw new TypeError('verify: `issuer` and `audience` must be set');
}

export async function createVerifier(options: VerifyOptions): Promise<Verifier> {
  checkVerifyOptions(options);
  // jose's own entry points, not its index: the index would bring its JWE and key-generation code
  // into a bundled handler (parsed at every cold start) and into the import graph.
  const [{ jwtVerify }, { JWKSMultipleMatchingKeys, JWKSNoMatchingKey }] = await Promise.all([import('jose/jwt/verify'), import('jose/errors')]);
  let keys: JWTVerifyGetKey;
  let source: string;
  if (options.jwks !== undefined) {
    const { createLocalJWKSet } = await import('jose/jwks/local');
    keys = createLocalJWKSet(options.jwks);
    source = 'the local JWKS';
  } else {
    const { createRemoteJWKSet } = await import('jose/jwks/remote');
    const remote = createRemoteJWKSet(new URL(options.jwksUrl!), { ...JWKS_SETTINGS });
    // Fetched during the cold start, beside the bundle. A failure is not kept: the first
    // verification fetches again.
    remote.reload().catch(() => {});
    keys = remote;
    source = `the JWKS at ${String(options.jwksUrl)}`;
  }
  const selectKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await keys(header, token);
    } catch (e) {
      // The token names no key (or several) of a set that is there: the token's problem, a 401.
      if (e instanceof JWKSNoMatchingKey || e instanceof JWKSMultipleMatchingKeys) throw e;
      throw new KeySetError('JWKS_UNAVAILABLE', `${source} cannot be used: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  };
  const issuer = typeof options.issuer === 'string' ? options.issuer : [...options.issuer];
  const audience = typeof options.audience === 'string' ? options.audience : [...options.audience];
  const algorithms = [...(options.algorithms ?? ['RS256'])];
  return async (token, now) => {
    const { payload } = await jwtVerify(token, selectKey, { issuer, audience, algorithms, currentDate: new Date(now) });
    return payload as Record<string, unknown>;
  };
}
