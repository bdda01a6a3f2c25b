// Signs a bundle's entries as `opa build --signing-key` does: a JWS (jose) over the `files` list of
// their digests, written as /.signatures.json. Imported only by the compiler.
import { CompactSign } from 'jose/jws/compact/sign';
import { BundleError } from '../errors.js';
import { SIGNATURES_JSON, type BundleEntry } from '../layout.js';
import { DEFAULT_HASH, fileDigest, signedName, type SignedFile } from './digest.js';
import { signingKey, type KeyMaterial, type SigningAlgorithm } from './keys.js';
import { encodePayload, encodeSignaturesFile } from './payload.js';

export interface SigningOptions {
  /** A PEM private key (RSA ≥ 2048 bits or EC P-256), or an HMAC secret of at least 32 bytes. */
  readonly key: KeyMaterial;
  /** Default: the key's kind (RS256 for RSA, ES256 for EC P-256, HS256 for a secret). */
  readonly algorithm?: SigningAlgorithm | undefined;
  /** Written as the header's `kid` and the payload's `keyid`: which key verifiers should use. */
  readonly keyId?: string | undefined;
  /** Written as the payload's `scope`; a verifier must expect exactly this scope. */
  readonly scope?: string | undefined;
}

export interface BundleSignature {
  /** The /.signatures.json text. */
  readonly signatures: string;
  readonly algorithm: SigningAlgorithm;
  readonly keyId: string | null;
  readonly files: readonly SignedFile[];
}

/** Signs every entry except /.signatures.json itself, in archive order. */
export async function signBundleEntries(entries: readonly BundleEntry[], options: SigningOptions): Promise<BundleSignature> {
  const { key, algorithm } = signingKey(options.key, options.algorithm);
  const files = entries
    .filter((e) => e.name !== SIGNATURES_JSON)
    .map((e): SignedFile => ({ name: signedName(e), hash: fileDigest(e, DEFAULT_HASH), algorithm: DEFAULT_HASH }));
  // An empty key id or scope is none (as OPA's flags treat them).
  const keyId = options.keyId === '' ? undefined : options.keyId;
  const payload = encodePayload({ files, keyid: keyId, scope: options.scope === '' ? undefined : options.scope });
  // Stryker disable next-line ConditionalExpression: an undefined kid is not written either (the header is JSON); the spread keeps the header's type exact.
  const header = { alg: algorithm, typ: 'JWT', ...(keyId === undefined ? {} : { kid: keyId }) };
  let jws: string;
  try {
    jws = await new CompactSign(payload).setProtectedHeader(header).sign(key);
  } catch (cause) {
    // jose signs with every key signingKey lets through; should a jose version refuse one, the
    // refusal still carries the key's code.
    throw new BundleError('BUNDLE_KEY_INVALID', `the signing key cannot sign ${algorithm}: ${(cause as Error).message}`, { cause });
  }
  return { signatures: encodeSignaturesFile(jws), algorithm, keyId: keyId ?? null, files };
}
