// The bearer token: taken from the Authorization header, its payload decoded (API Gateway's JWT
// authorizer already checked the signature), and cross-checked against the authorizer's claims
// map so that a header the authorizer did not see cannot smuggle claims in.

/**
 * Why a token was refused. Each is logged under this code; every one but TOKEN_UNVERIFIED is a
 * 401, which the SuperTokens frontend answers by refreshing the session (a fresh token cures it).
 */
export type TokenErrorCode =
  | 'TOKEN_MULTIPLE' // more than one Authorization header (or a comma-joined value)
  | 'TOKEN_TOO_LARGE' // the header is longer than `maxTokenBytes`
  | 'TOKEN_MALFORMED' // not three base64url segments, a header or payload that is not a JSON object, or nested too deep
  | 'TOKEN_CLAIMS_MISMATCH' // sub / iat / exp / sessionHandle differ from the authorizer's claims
  | 'TOKEN_UNVERIFIED' // a token on a protected route that no authorizer (and no `verify`) checked: a 500, no refresh cures it
  | 'TOKEN_SIGNATURE_INVALID'; // `verify` is set and jose refused the token (signature, expiry, issuer, audience)

/** A refusal (not thrown: returned, so a payload can never be mistaken for one). */
export class TokenError {
  constructor(
    readonly code: TokenErrorCode,
    readonly message: string,
  ) {}
}

export type TokenPayload = Record<string, unknown>;

export const DEFAULT_MAX_TOKEN_BYTES = 16 * 1024;

const BEARER = /^bearer[ \t]+/i;
const DECIMAL = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const error = (code: TokenErrorCode, message: string): TokenError => new TokenError(code, message);

/**
 * The single token in the Authorization header(s), without its `Bearer ` scheme: null when there
 * is no header, an error when there are several or the value is oversize.
 */
export function pickToken(values: readonly string[], maxBytes: number): string | null | TokenError {
  if (values.length === 0) return null;
  if (values.length > 1) return error('TOKEN_MULTIPLE', `${values.length} Authorization headers`);
  const raw = values[0]!;
  // UTF-16 length ≤ UTF-8 bytes ≤ 3 × UTF-16 length: count bytes only when it could matter.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the first two tests are shortcuts; Buffer.byteLength(raw) > maxBytes alone gives the same answer.
  if (raw.length > maxBytes || (raw.length * 3 > maxBytes && Buffer.byteLength(raw) > maxBytes)) {
    return error('TOKEN_TOO_LARGE', `Authorization header longer than ${maxBytes} bytes`);
  }
  // HTTP API joins repeated headers with a comma; a JWT never contains one.
  if (raw.includes(',')) return error('TOKEN_MULTIPLE', 'comma-joined Authorization header values');
  const trimmed = raw.trim();
  const m = BEARER.exec(trimmed);
  return m ? trimmed.slice(m[0].length) : trimmed;
}

/** Bytes an unpadded base64url text of this length decodes to (`n % 4 === 1` is never valid). */
// Stryker disable next-line UnaryOperator: the -1 is for n % 4 === 1, a length base64url() refuses before it asks
const decodedLength = (n: number): number => ((n >> 2) * 3) + [0, -1, 1, 2][n & 3]!;

/**
 * The bytes of one base64url segment, or null when it is not strictly base64url. Node's decoder
 * skips characters outside the alphabet and also takes `+` and `/`; a skipped character always
 * shortens the output, so comparing lengths (plus the two extra characters) is an exact check
 * without a per-character regex.
 */
function base64url(segment: string): Buffer | null {
  const n = segment.length;
  if (n === 0 || (n & 3) === 1 || segment.includes('+') || segment.includes('/')) return null;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.length === decodedLength(n) ? bytes : null;
}

/**
 * Deepest nesting of objects and arrays accepted in a token payload (the payload object itself is
 * level 1). SuperTokens payloads are 3 levels deep (`st-mfa.c`); the decision input wraps the
 * token one level further, far below the policy module's 1,000-level input limit, so a deeper
 * token is refused here as malformed before anything serializes or walks it recursively.
 */
export const MAX_TOKEN_DEPTH = 64;

/**
 * Whether the text opens at most `max` objects and arrays in all (then it cannot nest deeper); native scans.
 * Only a shortcut: `false` sends the text to the full scan, which gives the same answer. The
 * mutants marked below all make it answer `false` more often (or always): slower, never different.
 */
// Stryker disable next-line BlockStatement: an empty body returns undefined, i.e. "scan it all"
function opensAtMost(text: string, max: number): boolean {
  let n = 0;
  // Stryker disable next-line StringLiteral: '' is found at every index, so the count passes max: "scan it all"
  for (const open of ['{', '[']) {
    // Stryker disable next-line UnaryOperator,ArithmeticOperator,ConditionalExpression,EqualityOperator: each makes the count pass max sooner or the scan never end at -1: "scan it all"
    for (let i = text.indexOf(open); i !== -1; i = text.indexOf(open, i + 1)) if (++n > max) return false;
  }
  // Stryker disable next-line BooleanLiteral: false is "scan it all"
  return true;
}

/** Whether JSON text nests objects/arrays deeper than `max`: one pass, no recursion (any depth costs the same stack). */
export function nestsDeeperThan(text: string, max: number): boolean {
  // Stryker disable next-line ConditionalExpression: without the shortcut the scan below gives the same answer.
  if (opensAtMost(text, max)) return false; // every real token: a few brackets, counted without a per-character loop
  let depth = 0;
  let inString = false;
  // Stryker disable next-line EqualityOperator: one step past the end reads NaN, which is no bracket or quote.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* backslash: skip the escaped unit */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}

/** A decoded token: its payload, and the SuperTokens access-token version its header names. */
export interface DecodedToken {
  readonly payload: TokenPayload;
  /**
   * The header's `version` as SuperTokens reads it (`"5"` → 5; absent → 3, the version before
   * headers named one); NaN when it is not a decimal string.
   */
  readonly version: number;
}

function jsonObject(bytes: Buffer): Record<string, unknown> | 'not-json' | 'too-deep' | 'not-object' {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return 'not-json';
  }
  if (nestsDeeperThan(text, MAX_TOKEN_DEPTH)) return 'too-deep';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not-json';
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : 'not-object';
}

/**
 * The decoded header and payload of a compact JWS, or why not. No signature check here: the
 * signature segment must only be present (the authorizer, or `verify`, checked it).
 */
export function decodeToken(token: string): DecodedToken | TokenError {
  const first = token.indexOf('.');
  // Without a first dot there is no second: indexOf('.', 0) is -1 as well.
  const second = token.indexOf('.', first + 1);
  if (second === -1 || second === token.length - 1 || token.indexOf('.', second + 1) !== -1) {
    return error('TOKEN_MALFORMED', 'token is not three dot-separated segments');
  }
  const payloadBytes = base64url(token.slice(first + 1, second));
  if (payloadBytes === null) return error('TOKEN_MALFORMED', 'token segment is not base64url');
  const version = headerVersion(token.slice(0, first));
  if (version === null) return error('TOKEN_MALFORMED', 'token header is not a base64url JSON object');
  const payload = jsonObject(payloadBytes);
  if (payload === 'too-deep') return error('TOKEN_MALFORMED', `token payload nests deeper than ${MAX_TOKEN_DEPTH} levels`);
  if (payload === 'not-json') return error('TOKEN_MALFORMED', 'token payload is not UTF-8 JSON');
  if (payload === 'not-object') return error('TOKEN_MALFORMED', 'token payload is not a JSON object');
  return { payload, version };
}

/** Header segment → its version (null: malformed). An issuer signs with a handful of keys, so a few headers recur. */
const headerVersions = new Map<string, number | null>();

function headerVersion(segment: string): number | null {
  let version = headerVersions.get(segment);
  // Stryker disable next-line ConditionalExpression: a cache; reading the header again gives the same version.
  if (version !== undefined) return version;
  const bytes = base64url(segment);
  const header = bytes && jsonObject(bytes); // null: not base64url; a string: not a JSON object
  if (header === null || typeof header === 'string') version = null;
  else {
    const v = header.version;
    version = v === undefined ? 3 : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : Number.NaN;
  }
  // The bound only limits memory under forged headers; what is cached is what headerVersion computes anyway.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: no answer depends on whether (or how many) headers are kept
  if (headerVersions.size < 64) headerVersions.set(segment, version);
  return version;
}

/** The decoded payload alone (see `decodeToken`). */
export function decodePayload(token: string): TokenPayload | TokenError {
  const decoded = decodeToken(token);
  return decoded instanceof TokenError ? decoded : decoded.payload;
}

/** SuperTokens' tenant for tokens that do not carry one (supertokens-node `DEFAULT_TENANT_ID`). */
export const DEFAULT_TENANT = 'public';

/**
 * The payload as SuperTokens reads it: access tokens before version 4 have no `tId`, and
 * supertokens-node puts every such session in the tenant `public` (whatever the payload says).
 * Newer tokens are returned as they are.
 */
export function withTenant(payload: TokenPayload, version: number): TokenPayload {
  if (!(version < 4) || payload.tId === DEFAULT_TENANT) return payload;
  return { ...payload, tId: DEFAULT_TENANT };
}

/** The claims both sides must agree on: all scalars, so API Gateway reports them faithfully. */
export const CROSS_CHECKED = ['sub', 'iat', 'exp', 'sessionHandle'] as const;

/** A token claim against the authorizer's rendering of it (numbers arrive as decimal strings). */
function agrees(tokenValue: unknown, reported: unknown): boolean {
  if (tokenValue === undefined) return reported === undefined;
  if (typeof tokenValue === 'string') return reported === tokenValue;
  // A number, reported as a number or as its decimal string. (null, booleans and objects, never what
  // these claims are, equal neither: a reported value is a number or a string.)
  if (typeof reported === 'number') return reported === tokenValue;
  return typeof reported === 'string' && DECIMAL.test(reported) && Number(reported) === tokenValue;
}

/** null when the token and the authorizer's claims agree on every cross-checked claim. */
export function crossCheck(token: TokenPayload, claims: Readonly<Record<string, unknown>>): TokenError | null {
  for (const name of CROSS_CHECKED) {
    const t = Object.hasOwn(token, name) ? token[name] : undefined;
    const c = Object.hasOwn(claims, name) ? claims[name] : undefined;
    if (!agrees(t, c)) return error('TOKEN_CLAIMS_MISMATCH', `claim "${name}" of the token differs from the authorizer's`);
  }
  return null;
}
