// Errors of the runtime path (bundle → decision). A caller switches on `code`; every one of them
// means "no decision": the Lambda wrapper answers 500 and never calls the handler.

export type RuntimeErrorCode =
  | 'BUNDLE_NOT_FOUND'
  | 'BUNDLE_CORRUPT'
  | 'BUNDLE_MANIFEST_INVALID'
  | 'BUNDLE_REVISION_MISMATCH'
  | 'BUNDLE_ENTRYPOINT_MISMATCH'
  | 'WASM_LOAD_FAILED'
  | 'DECISION_FAILED';

export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  readonly code: RuntimeErrorCode;

  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
