// Optional signature verification with jose, for routes where the Lambda should not rely on the
// API Gateway authorizer alone (defence in depth, function URLs, local runs). The key set is
// created once per cold start; jose is imported only when verification is configured.
import type { JSONWebKeySet } from 'jose';

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
  const jose = await import('jose');
  const keys =
    options.jwks !== undefined
      ? jose.createLocalJWKSet(options.jwks)
      : jose.createRemoteJWKSet(new URL(options.jwksUrl!));
  const issuer = typeof options.issuer === 'string' ? options.issuer : [...options.issuer];
  const audience = typeof options.audience === 'string' ? options.audience : [...options.audience];
  const algorithms = [...(options.algorithms ?? ['RS256'])];
  return async (token, now) => {
    const { payload } = await jose.jwtVerify(token, keys, { issuer, audience, algorithms, currentDate: new Date(now) });
    return payload as Record<string, unknown>;
  };
}
