// Key material for bundle signatures, read the way OPA reads it: a PEM file holds an RSA or EC key
// (or, to verify, a certificate); anything else is an HMAC secret, used byte for byte. The
// algorithm is checked against the key here, before jose sees either, so a key can only ever sign
// or verify with algorithms of its own kind (no RS256 key used as an HS256 secret).
import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { BundleError } from '../errors.js';

/** What `claimguard build --signing-alg` accepts. */
export const SIGNING_ALGORITHMS = ['RS256', 'ES256', 'HS256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** Key material: PEM text or bytes (RSA/EC key, certificate), or an HMAC secret. */
export type KeyMaterial = string | Uint8Array;

const RSA = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const HMAC: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 };
const EC_CURVES: Readonly<Record<string, string>> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

const invalid = (why: string, cause?: unknown): never => {
  throw new BundleError('BUNDLE_KEY_INVALID', why, { cause });
};

const bytesOf = (material: KeyMaterial): Uint8Array => (typeof material === 'string' ? new TextEncoder().encode(material) : material);

/** The material's bytes when they hold a PEM block (node:crypto reads PEM from bytes), else null. */
function pemOf(material: KeyMaterial): Buffer | null {
  const bytes = Buffer.from(bytesOf(material));
  return bytes.includes('-----BEGIN ') ? bytes : null;
}

/** RFC 7518 §3.3 (and jose): RSA keys for JWS are at least 2048 bits. */
function checkRsaSize(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') return;
  // An RSA key object always carries its modulus length.
  const bits = (key.asymmetricKeyDetails as { readonly modulusLength: number }).modulusLength;
  if (bits < 2048) invalid(`${what} is a ${bits}-bit RSA key; at least 2048 bits are required`);
}

/**
 * The algorithms a key may be used with, strongest evidence first: the key's own type. An RSA-PSS
 * key (id-RSASSA-PSS) gets none: jose cannot use that key type on Node 20, so it could never verify;
 * a plain RSA key verifies PS* signatures as well.
 */
function algorithmsOf(key: KeyObject): string[] {
  if (key.type === 'secret') {
    // Stryker disable next-line LogicalOperator: a secret KeyObject always has its size.
    const length = key.symmetricKeySize ?? 0;
    return Object.keys(HMAC).filter((alg) => length >= (HMAC[alg] as number));
  }
  if (key.asymmetricKeyType === 'rsa') return RSA;
  // Only EC keys have a named curve; every other type gets none.
  // Stryker disable next-line OptionalChaining,StringLiteral: an asymmetric key always has details, and "" names no curve, as undefined does not.
  const alg = EC_CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
  return alg === undefined ? [] : [alg];
}

/** Why a key that no algorithm fits cannot be used: the RSA-PSS case has a fix to name. */
const unfit = (key: KeyObject): string =>
  key.asymmetricKeyType === 'rsa-pss'
    ? 'an RSA-PSS key (id-RSASSA-PSS), which jose cannot use on this Node version; use a plain RSA key (rsaEncryption), which verifies RS* and PS* signatures'
    : `a ${key.asymmetricKeyType ?? key.type} key, which no bundle signature algorithm uses`;

function secretKey(material: KeyMaterial, what: string): KeyObject {
  const bytes = bytesOf(material);
  if (bytes.length === 0) invalid(`${what} is empty (a PEM key, or an HMAC secret of at least 32 bytes, is needed)`);
  if (bytes.length < 32) {
    invalid(`${what} is not a PEM key, so it is an HMAC secret, and it is ${bytes.length} bytes: HS256 needs at least 32 (RFC 7518 §3.2)`);
  }
  return createSecretKey(bytes);
}

/** The signing key and the algorithm it signs with (`algorithm`, or the one its type implies). */
export function signingKey(material: KeyMaterial, algorithm?: SigningAlgorithm): { key: KeyObject; algorithm: SigningAlgorithm } {
  const pem = pemOf(material);
  let key: KeyObject;
  if (pem === null) key = secretKey(material, 'the signing key');
  else {
    try {
      key = createPrivateKey(pem);
    } catch (cause) {
      return invalid(`the signing key is not a readable, unencrypted PEM private key: ${(cause as Error).message}`, cause);
    }
    checkRsaSize(key, 'the signing key');
  }
  // Each kind of key signs with one of SIGNING_ALGORITHMS at most: RSA RS256, EC P-256 ES256, a secret HS256.
  const own = algorithmsOf(key).find((a): a is SigningAlgorithm => (SIGNING_ALGORITHMS as readonly string[]).includes(a));
  if (own === undefined || (algorithm !== undefined && algorithm !== own)) {
    // Stryker disable next-line StringLiteral,LogicalOperator,OptionalChaining: an asymmetric private key always has its type and details.
    const kind = key.type === 'secret' ? 'an HMAC secret' : `a ${key.asymmetricKeyType ?? 'unknown'} key${key.asymmetricKeyDetails?.namedCurve ? ` on ${key.asymmetricKeyDetails.namedCurve}` : ''}`;
    return invalid(
      `the signing key is ${kind}, which cannot sign ${algorithm ?? `with any of ${SIGNING_ALGORITHMS.join(', ')}`}` +
        (own === undefined ? '' : ` (it can sign ${own})`),
    );
  }
  return { key, algorithm: own };
}

/** The verification key and every algorithm a signature made for it may use. */
export function verificationKey(material: KeyMaterial): { key: KeyObject; algorithms: string[] } {
  const pem = pemOf(material);
  let key: KeyObject;
  if (pem === null) key = secretKey(material, 'the verification key');
  else {
    try {
      // createPublicKey reads a public key, a private key's public half, or an X.509 certificate's key.
      key = createPublicKey(pem);
    } catch (cause) {
      return invalid(`the verification key is not a readable PEM public key or certificate: ${(cause as Error).message}`, cause);
    }
    checkRsaSize(key, 'the verification key');
  }
  const algorithms = algorithmsOf(key);
  if (algorithms.length === 0) invalid(`the verification key is ${unfit(key)}`);
  return { key, algorithms };
}
