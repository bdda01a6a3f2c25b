// Errors of the runtime path (bundle → decision). A caller switches on `code`; every one of them
// means "no decision": the Lambda wrapper answers 500 and never calls the handler.
import { ClaimguardError } from '../errors.js';
import type { BundleErrorCode } from '../bundle/errors.js';

export type RuntimeErrorCode =
  | 'BUNDLE_NOT_FOUND'
  /** Not a readable claimguard bundle (the bundle module's BUNDLE_MALFORMED). */
  | 'BUNDLE_CORRUPT'
  | 'BUNDLE_REVISION_MISMATCH'
  /** Manifest and signature problems keep the bundle module's code. */
  | Exclude<BundleErrorCode, 'BUNDLE_MALFORMED'>
  | 'WASM_LOAD_FAILED'
  | 'DECISION_FAILED';

export class RuntimeError extends ClaimguardError<RuntimeErrorCode> {
  override readonly name = 'RuntimeError';
}
