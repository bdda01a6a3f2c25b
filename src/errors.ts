// One error family: everything claimguard's public API throws is a ClaimguardError with a stable
// `code` from a closed union (callers `switch (err.code)`) and, when it wraps another failure, its
// `cause`. Each area keeps its own subclass and code union (PolicyError, CompileError, LinkError,
// BundleError, RuntimeError, DeployError, …); all of them are exported from the package entry.

export abstract class ClaimguardError<Code extends string = string> extends Error {
  abstract override readonly name: string;
  readonly code: Code;

  constructor(code: Code, message: string, options?: { readonly cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
