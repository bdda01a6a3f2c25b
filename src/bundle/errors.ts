// Errors of the bundle module (reading, writing, manifest, signatures). The runtime re-raises each
// as a RuntimeError with the same code (BUNDLE_MALFORMED becomes BUNDLE_CORRUPT), the CLI maps
// them to exit codes; every one of them means "this bundle must not be used".

import { ClaimguardError } from '../errors.js';
export type BundleErrorCode =
  /** Not a gzip'd ustar archive with exactly claimguard's entries. */
  | 'BUNDLE_MALFORMED'
  /** `/.manifest` is not claimguard's manifest shape. */
  | 'BUNDLE_MANIFEST_INVALID'
  /** The manifest's entrypoints are not claimguard's (in order). */
  | 'BUNDLE_ENTRYPOINT_MISMATCH'
  /** A verification key is configured but the bundle has no `/.signatures.json`. */
  | 'BUNDLE_SIGNATURE_MISSING'
  /** The bundle is signed but no verification key is configured (OPA refuses this too). */
  | 'BUNDLE_SIGNATURE_UNEXPECTED'
  /** `/.signatures.json` is malformed, or its JWS does not verify with the key, algorithm, key id or scope. */
  | 'BUNDLE_SIGNATURE_INVALID'
  /** The signature is valid but the bundle's files are not the signed ones (added, missing or altered). */
  | 'BUNDLE_TAMPERED'
  /** The signing or verification key cannot be read or does not fit the algorithm. */
  | 'BUNDLE_KEY_INVALID';

export class BundleError extends ClaimguardError<BundleErrorCode> {
  override readonly name = 'BundleError';
}
