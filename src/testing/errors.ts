// Test-suite problems: same shape and printing as PolicyError (`file:line:col: error CODE: message`,
// the source line, a `^`), with the suite's own closed union of codes. Positions come from the
// policy loader's YAML source helpers (src/policy/source.ts), so both point the same way.
import { ClaimguardError } from '../errors.js';
import { formatPositioned, type PolicyError } from '../policy/errors.js';
import { positionOf, sourceLineAt, offsetOf, type DataPath, type SourceFile } from '../policy/source.js';

export type SuiteErrorCode =
  // Reading and parsing (same meaning as the policy codes of the same name)
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'FILE_NOT_UTF8'
  | 'YAML_SYNTAX'
  | 'KEY_DUPLICATE'
  | 'TESTS_NO_MATCH'
  // Schema (schemas/policy-tests.schema.json)
  | 'SCHEMA_INVALID'
  // Semantics the schema cannot express
  | 'PRINCIPAL_DUPLICATE'
  | 'PRINCIPAL_UNKNOWN'
  | 'PRINCIPAL_CYCLE'
  | 'CLAIM_SHAPE'
  | 'UNSET_INVALID'
  | 'TIME_INVALID'
  | 'TIME_UNIT_AMBIGUOUS'
  | 'CASE_DUPLICATE'
  | 'EXPECT_INVALID'
  | 'MATRIX_ROW_LENGTH'
  | 'METHOD_UNKNOWN'
  | 'ROUTE_NOT_IN_POLICY'
  | 'ROUTE_KEY_UNKNOWN'
  | 'NO_TESTS';

export interface SuiteErrorInit {
  readonly code: SuiteErrorCode;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly sourceLine?: string | null;
  readonly cause?: unknown;
}

export class SuiteError extends ClaimguardError<SuiteErrorCode> {
  override readonly name = 'SuiteError';
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity = 'error' as const;
  readonly sourceLine: string | null;

  constructor(init: SuiteErrorInit) {
    super(init.code, init.message, init);
    this.file = init.file;
    this.line = init.line;
    this.col = init.col;
    this.sourceLine = init.sourceLine ?? null;
  }

  /** The same layout as PolicyError.format(). */
  format(): string {
    return formatPositioned(this);
  }

  toJSON(): { code: SuiteErrorCode; file: string; line: number; col: number; message: string; severity: 'error' } {
    return { code: this.code, file: this.file, line: this.line, col: this.col, message: this.message, severity: 'error' };
  }

  /** A reading or YAML problem found by the policy loader's helpers, re-coded for suites. */
  static fromPolicyError(e: PolicyError): SuiteError {
    const code: SuiteErrorCode =
      e.code === 'FILE_NOT_FOUND' || e.code === 'FILE_UNREADABLE' || e.code === 'FILE_NOT_UTF8' || e.code === 'KEY_DUPLICATE'
        ? e.code
        : 'YAML_SYNTAX';
    return new SuiteError({ code, message: e.message, file: e.file, line: e.line, col: e.col, sourceLine: e.sourceLine, cause: e });
  }
}

/** A problem at a data path of a parsed suite file (its key with `part: 'key'`). */
export function suiteErrorAt(
  file: SourceFile,
  path: DataPath,
  code: SuiteErrorCode,
  message: string,
  part: 'key' | 'value' = 'value',
): SuiteError {
  const { line, col } = positionOf(file, offsetOf(file, path, part));
  return new SuiteError({ code, message, file: file.name, line, col, sourceLine: sourceLineAt(file, line) });
}

/** Report order: by file, then line, then column. */
export function sortSuiteErrors(errors: readonly SuiteError[]): SuiteError[] {
  return [...errors].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
}

/** Every error with its source line, then `✖ N errors in M test files`. */
export function formatSuiteErrors(errors: readonly SuiteError[]): string {
  const files = new Set(errors.map((e) => e.file)).size;
  const n = errors.length;
  return `${errors.map((e) => `${e.format()}\n`).join('\n')}\n✖ ${n} error${n === 1 ? '' : 's'} in ${files} test file${files === 1 ? '' : 's'}\n`;
}
