// Test suites: the document as written (schemas/policy-tests.schema.json) and the resolved cases
// the runner executes. Hand-written to match the schema; test/testing/suite-schema.test.ts keeps
// the two honest with examples.
import type { SourceLocation } from '../policy/ir.js';
import type { ReasonCode } from '../decision/types.js';

export type Claims = { readonly [claim: string]: unknown };

export interface PrincipalDocument {
  readonly description?: string;
  readonly extends?: string;
  readonly claims?: Claims;
  readonly unset?: readonly string[];
}

export type RequestDocument =
  | string
  | {
      readonly method: string;
      readonly path: string;
      readonly routeKey?: string | null;
      readonly pathParameters?: { readonly [name: string]: string } | null;
    };

export interface ReasonDocument {
  readonly id?: string;
  readonly code: string;
}

export type ExpectationDocument =
  | 'allow'
  | 'deny'
  | {
      readonly decision?: 'allow' | 'deny';
      readonly status?: 200 | 401 | 403;
      readonly route?: string | null;
      readonly reasons?: readonly ReasonDocument[];
    };

export type CellDocument = ExpectationDocument | 401 | 403 | string | readonly string[];

export interface CaseDocument {
  readonly name: string;
  readonly request: RequestDocument;
  readonly principal?: string;
  readonly token?: Claims | null;
  readonly claims?: Claims;
  readonly unset?: readonly string[];
  readonly now?: number | string;
  readonly expect: ExpectationDocument;
}

export interface MatrixDocument {
  readonly name?: string;
  readonly now?: number | string;
  readonly principals: readonly string[];
  readonly rows: { readonly [requestLine: string]: readonly CellDocument[] };
}

export interface SuiteDocument {
  readonly version: 1;
  readonly name?: string;
  readonly now?: number | string;
  readonly principals?: { readonly [name: string]: PrincipalDocument };
  readonly cases?: readonly CaseDocument[];
  readonly matrix?: readonly MatrixDocument[];
}

/** The principal name that means "no token". */
export const ANONYMOUS = 'anonymous';

/** What a case checks. `undefined` fields are not checked. */
export interface Expectation {
  readonly allow: boolean;
  readonly status?: 200 | 401 | 403;
  readonly route?: string | null;
  /** Exact, order-insensitive; an entry without `id` matches any id. */
  readonly reasons?: readonly { readonly id?: string; readonly code: ReasonCode | string }[];
}

export interface TestRequest {
  readonly method: string;
  readonly path: string;
  /** Present only when the case pins it (object form); otherwise the runner derives it. */
  readonly routeKey?: string | null;
  readonly pathParameters?: { readonly [name: string]: string } | null;
}

export interface TestCase {
  /** Unique within its suite. Matrix cells are named `<matrix>: <request> as <principal>`. */
  readonly name: string;
  readonly suite: string;
  readonly at: SourceLocation;
  readonly request: TestRequest;
  /** `DELETE /orders/42`, for reports. */
  readonly requestLine: string;
  /** Principal name, `anonymous`, or `inline token`. */
  readonly principal: string;
  readonly token: Claims | null;
  readonly now: number;
  readonly expect: Expectation;
}

export interface TestSuite {
  /** The file, as errors name it. */
  readonly file: string;
  readonly name: string;
  readonly now: number;
  readonly cases: readonly TestCase[];
}
