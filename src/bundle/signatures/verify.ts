// Verifies a bundle's /.signatures.json as OPA does (docs/bundles.md "Verification"): the JWS must
// verify with the configured key, name no other key id, carry exactly the expected scope, and list
// exactly the bundle's files with matching digests. jose does the JWS work; this module is loaded
// only when a verification key is configured, so unsigned deployments never import jose.
import { decodeProtectedHeader } from 'jose/decode/protected_header';
import { compactVerify } from 'jose/jws/compact/verify';
import { BundleError } from '../errors.js';
import { SIGNATURES_JSON, type BundleEntry } from '../layout.js';
import { fileDigest, isSupportedHash, signedName, type SignedFile } from './digest.js';
import { verificationKey, type KeyMaterial } from './keys.js';
import { decodePayload, decodeSignaturesFile } from './payload.js';

export interface VerificationOptions {
  /** A PEM public key or certificate (RSA or EC), or the HMAC secret the bundle was signed with. */
  readonly key: KeyMaterial;
  /** When set, a signature that names another key id (`kid`, else `keyid`) is refused. */
  readonly keyId?: string | undefined;
  /** The scope the signature must carry; unset means it must carry none. */
  readonly scope?: string | undefined;
}

export interface VerifiedSignature {
  readonly algorithm: string;
  /** The key id the signature names, if any. */
  readonly keyId: string | null;
  readonly scope: string | null;
  readonly files: readonly SignedFile[];
}

export interface SignedBundle {
  readonly entries: readonly BundleEntry[];
  /** The text of /.signatures.json, or null when the bundle has none. */
  readonly signatures: string | null;
}

const invalid = (why: string, cause?: unknown): never => {
  throw new BundleError('BUNDLE_SIGNATURE_INVALID', `bundle signature: ${why}`, { cause });
};
const tampered = (why: string): never => {
  throw new BundleError('BUNDLE_TAMPERED', `bundle signature: ${why}`);
};

export async function verifyBundleSignature(bundle: SignedBundle, options: VerificationOptions): Promise<VerifiedSignature> {
  const { key, algorithms } = verificationKey(options.key);
  if (bundle.signatures === null) {
    throw new BundleError('BUNDLE_SIGNATURE_MISSING', 'bundle signature: the bundle has no /.signatures.json, and a verification key is configured');
  }
  const decoded = decodeSignaturesFile(bundle.signatures);
  if ('problem' in decoded) return invalid(decoded.problem);

  let header: { alg?: unknown; kid?: unknown };
  try {
    header = decodeProtectedHeader(decoded.jws);
  } catch (cause) {
    return invalid('the JWS header is not readable', cause);
  }
  const alg = typeof header.alg === 'string' ? header.alg : '(none)';
  if (!algorithms.includes(alg)) return invalid(`signed with ${alg}, and this verification key verifies only ${algorithms.join(', ')}`);
  let payloadBytes: Uint8Array;
  try {
    // Stryker disable next-line ObjectLiteral,ArrayDeclaration: alg is already one this key verifies; jose is told so again, so that its own check stands even if the one above changes.
    payloadBytes = (await compactVerify(decoded.jws, key, { algorithms: [alg] })).payload;
  } catch (cause) {
    return invalid(`the JWS does not verify with this key (${(cause as Error).message}): signed with another key, or altered`, cause);
  }
  const payload = decodePayload(payloadBytes);
  if ('problem' in payload) return invalid(payload.problem);

  const named = typeof header.kid === 'string' && header.kid !== '' ? header.kid : payload.keyid !== undefined && payload.keyid !== '' ? payload.keyid : null;
  if (options.keyId !== undefined && named !== null && named !== options.keyId) {
    invalid(`signed with key id ${JSON.stringify(named)}, expected ${JSON.stringify(options.keyId)}`);
  }
  const scope = payload.scope ?? '';
  if (scope !== (options.scope ?? '')) {
    invalid(`signed for scope ${JSON.stringify(scope)}, expected ${JSON.stringify(options.scope ?? '')}`);
  }

  const signed = new Map<string, SignedFile>();
  for (const file of payload.files) {
    if (signed.has(file.name)) invalid(`${file.name} is listed twice in the signed files`);
    if (!isSupportedHash(file.algorithm)) invalid(`${file.name} is hashed with ${JSON.stringify(file.algorithm)}; accepted: SHA-224, SHA-256, SHA-384, SHA-512, SHA-512-224, SHA-512-256`);
    signed.set(file.name, file);
  }
  for (const entry of bundle.entries) {
    if (entry.name === SIGNATURES_JSON) continue;
    const name = signedName(entry);
    const file = signed.get(name);
    if (file === undefined) tampered(`${name} is in the bundle but not in the signature`);
    else {
      let digest: string;
      try {
        digest = fileDigest(entry, file.algorithm);
      } catch {
        return tampered(`${name} cannot be hashed as the signature requires (not canonical JSON)`);
      }
      if (digest !== file.hash.toLowerCase()) tampered(`${name} does not match its signed ${file.algorithm} digest`);
      signed.delete(name);
    }
  }
  if (signed.size > 0) tampered(`signed file(s) ${[...signed.keys()].join(', ')} missing from the bundle`);
  // An empty scope is no scope, as an empty key id is no key id (and as signing treats both).
  return { algorithm: alg, keyId: named, scope: scope === '' ? null : scope, files: payload.files };
}
