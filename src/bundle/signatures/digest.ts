// The `files` list of a bundle signature, computed as OPA computes it: each file named without its
// leading "/", hashed over its bytes, except structured files (data.json and .manifest; OPA also
// counts data.yaml, which a claimguard bundle never holds), hashed over their canonical JSON text
// (canonical.ts), so whitespace and key order do not count.
import { createHash } from 'node:crypto';
import type { BundleEntry } from '../layout.js';
import { canonicalJson } from './canonical.js';

/** One `files` item of the signed payload. */
export interface SignedFile {
  readonly name: string;
  readonly hash: string;
  readonly algorithm: string;
}

export const DEFAULT_HASH = 'SHA-256';

/**
 * OPA's hash names, with node:crypto's. OPA also accepts MD5 and SHA-1; claimguard refuses them:
 * a collision would let a tampered file pass as the signed one.
 */
const HASHES: Readonly<Record<string, string>> = {
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  'SHA-512-224': 'sha512-224',
  'SHA-512-256': 'sha512-256',
};

export const isSupportedHash = (algorithm: string): boolean => Object.hasOwn(HASHES, algorithm);

const STRUCTURED = new Set(['data.json', '.manifest']);

/** The name a signature uses for an entry: the archive path without its leading "/". */
export const signedName = (entry: BundleEntry): string => entry.name.slice(1);

/** Hex digest of one entry with one of OPA's hash names (a caller checks isSupportedHash first). */
export function fileDigest(entry: BundleEntry, algorithm: string): string {
  // Every entry of a claimguard bundle sits at the root (layout.ts), so its name is its base name:
  // OPA's rule "a file named data.json or .manifest, in any folder" is this lookup.
  const name = signedName(entry);
  const id = HASHES[algorithm];
  if (id === undefined) throw new RangeError(`fileDigest: unsupported hash algorithm ${JSON.stringify(algorithm)}`);
  const hash = createHash(id);
  if (STRUCTURED.has(name)) hash.update(canonicalJson(new TextDecoder('utf-8', { fatal: true }).decode(entry.bytes)));
  else hash.update(entry.bytes);
  return hash.digest('hex');
}
