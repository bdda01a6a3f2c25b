// Policy problems: one class, a closed union of stable codes, each with a file position.
// Callers (the CLI, editors, CI annotations) switch on `code`; never rename one, only add.

/** Every code a policy load can report. Warnings use the same union. */
import { ClaimguardError } from '../errors.js';
export type PolicyErrorCode =
  // Reading files
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'FILE_NOT_UTF8'
  | 'INCLUDE_NO_MATCH'
  // YAML
  | 'YAML_SYNTAX'
  | 'KEY_DUPLICATE'
  // Schema (policies.schema.json)
  | 'VERSION_UNSUPPORTED'
  | 'KEY_UNKNOWN'
  | 'KEY_ENTRY_ONLY'
  | 'KEY_MISSING'
  | 'TYPE_MISMATCH'
  | 'VALUE_INVALID'
  | 'LIST_EMPTY'
  | 'LIST_DUPLICATE'
  | 'REQUIREMENT_EMPTY'
  | 'CHOICE_INVALID'
  | 'PUBLIC_WITH_REQUIRE'
  | 'MAX_AGE_INVALID'
  // Semantics the schema cannot express
  | 'ROUTE_KEY_INVALID'
  | 'ROUTE_DUPLICATE'
  | 'PARAM_DUPLICATE'
  | 'PARAM_UNKNOWN'
  | 'CLAIM_RESERVED'
  // Warnings
  | 'AUDIENCE_MISSING'
  | 'REQUIREMENT_UNSATISFIABLE';

export type Severity = 'error' | 'warning';

export interface PolicyErrorInit {
  readonly code: PolicyErrorCode;
  readonly message: string;
  readonly file: string;
  /** 1-based; file-level problems (missing file…) use 1:1 and have no source line. */
  readonly line: number;
  readonly col: number;
  readonly severity?: Severity;
  /** The text of `line`, for the `^` pointer. */
  readonly sourceLine?: string | null;
  readonly cause?: unknown;
}

/** The JSON form (`check --format json`, editor integrations). */
export interface PolicyErrorJson {
  readonly code: PolicyErrorCode;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
  readonly severity: Severity;
}

export class PolicyError extends ClaimguardError<PolicyErrorCode> {
  override readonly name = 'PolicyError';
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: Severity;
  readonly sourceLine: string | null;

  constructor(init: PolicyErrorInit) {
    super(init.code, init.message, init);
    this.file = init.file;
    this.line = init.line;
    this.col = init.col;
    this.severity = init.severity ?? 'error';
    this.sourceLine = init.sourceLine ?? null;
  }

  /** `file:line:col: error CODE: message`, then the source line and a `^` under the column. */
  format(): string {
    return formatPositioned(this);
  }

  toJSON(): PolicyErrorJson {
    return {
      code: this.code,
      file: this.file,
      line: this.line,
      col: this.col,
      message: this.message,
      severity: this.severity,
    };
  }
}

/** Report order: by file (in load order), then line, then column; stable otherwise. */
export function sortProblems(problems: readonly PolicyError[], fileOrder: readonly string[]): PolicyError[] {
  const rank = (f: string): number => {
    const i = fileOrder.indexOf(f);
    return i === -1 ? fileOrder.length : i;
  };
  return [...problems].sort((a, b) => rank(a.file) - rank(b.file) || a.line - b.line || a.col - b.col);
}

/** The one layout of every positioned problem (policy files and test suites alike). */
export function formatPositioned(e: {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: string;
  readonly code: string;
  readonly message: string;
  readonly sourceLine: string | null;
}): string {
  const head = `${e.file}:${e.line}:${e.col}: ${e.severity} ${e.code}: ${e.message}`;
  if (e.sourceLine === null) return head;
  // Keep tabs in the pointer's indent so the caret lines up however the terminal renders them.
  const indent = e.sourceLine.slice(0, Math.max(0, e.col - 1)).replace(/[^\t]/g, ' ');
  return `${head}\n  ${e.sourceLine}\n  ${indent}^`;
}
