// Runs every case through the engine (the bundle) and, for each input, through the reference
// evaluator too: the reference gives coverage and explanations, and the two decisions must be
// deep-equal. A disagreement is not a test failure but a broken artifact: reported loudly.
import { isDeepStrictEqual } from 'node:util';
import { evaluate, type Evaluation } from '../decision/evaluate.js';
import type { Decision, DecisionInput } from '../decision/types.js';
import type { PolicyIR } from '../policy/ir.js';
import { CoverageRecorder, type CoverageReport } from './coverage.js';
import type { DecisionEngine } from './engine.js';
import { mismatches } from './expect.js';
import { inputsFor, type InputMode } from './request.js';
import type { TestCase, TestSuite } from './suite.js';

export interface InputRun {
  readonly mode: InputMode;
  readonly input: DecisionInput;
  /** The engine's decision; null when it failed to decide (see `error`). */
  readonly decision: Decision | null;
  readonly reference: Evaluation;
  /** Expectation mismatches of this input's decision. */
  readonly failures: readonly string[];
  /** Internal: the engine threw, or disagreed with the reference evaluator. */
  readonly error: string | null;
}

export type CaseStatus = 'passed' | 'failed' | 'error';

export interface CaseResult {
  readonly case: TestCase;
  readonly status: CaseStatus;
  readonly inputs: readonly InputRun[];
  readonly durationMs: number;
}

export interface SuiteResult {
  readonly suite: TestSuite;
  readonly cases: readonly CaseResult[];
}

export interface TestRunResult {
  readonly engine: string;
  readonly suites: readonly SuiteResult[];
  readonly passed: number;
  readonly failed: number;
  /** Cases where the bundle failed or disagreed with the reference: the artifact is broken. */
  readonly errors: number;
  /** Cases left out by --filter. */
  readonly skipped: number;
  readonly coverage: CoverageReport;
}

export interface RunOptions {
  /**
   * Case-insensitive substring of `<suite file> › <case name>`; `/re/` for a regular expression.
   * Coverage then counts only the routes the selected cases reach.
   */
  readonly filter?: string | undefined;
}

export function caseMatcher(filter: string | undefined): (fullName: string) => boolean {
  if (filter === undefined || filter === '') return () => true;
  const re = /^\/(.+)\/([a-z]*)$/.exec(filter);
  if (re) {
    const r = new RegExp(re[1]!, re[2]);
    return (name) => r.test(name);
  }
  const needle = filter.toLowerCase();
  return (name) => name.toLowerCase().includes(needle);
}

export const fullName = (c: TestCase): string => `${c.suite} › ${c.name}`;

export function runSuites(ir: PolicyIR, suites: readonly TestSuite[], engine: DecisionEngine, options: RunOptions = {}): TestRunResult {
  const matches = caseMatcher(options.filter);
  const coverage = new CoverageRecorder(ir);
  let passed = 0;
  let failed = 0;
  let errors = 0;
  let skipped = 0;
  const results: SuiteResult[] = [];
  for (const suite of suites) {
    const cases: CaseResult[] = [];
    for (const c of suite.cases) {
      if (!matches(fullName(c))) {
        skipped++;
        continue;
      }
      const r = runCase(ir, c, engine, coverage);
      if (r.status === 'passed') passed++;
      else if (r.status === 'failed') failed++;
      else errors++;
      cases.push(r);
    }
    if (cases.length > 0) results.push({ suite, cases });
  }
  const scope = options.filter === undefined || options.filter === '' ? 'all' : 'reached';
  return { engine: engine.description, suites: results, passed, failed, errors, skipped, coverage: coverage.report(scope) };
}

function runCase(ir: PolicyIR, c: TestCase, engine: DecisionEngine, coverage: CoverageRecorder): CaseResult {
  const started = performance.now();
  const inputs = inputsFor(ir, c).map(({ mode, input }): InputRun => {
    const reference = evaluate(ir, input);
    coverage.record(reference);
    let decision: Decision | null = null;
    let error: string | null = null;
    try {
      decision = engine.decide(input);
    } catch (cause) {
      error = `the bundle did not decide: ${cause instanceof Error ? cause.message : String(cause)}`;
    }
    if (decision !== null && !isDeepStrictEqual(decision, reference.decision)) {
      error =
        'INTERNAL ERROR: the bundle and the reference evaluator disagree on this input; the compiled artifact is wrong ' +
        `(or --bundle was not built from this policy).\n  bundle:    ${JSON.stringify(decision)}\n  reference: ${JSON.stringify(reference.decision)}`;
    }
    return { mode, input, decision, reference, failures: decision === null ? [] : mismatches(c.expect, decision), error };
  });
  const status: CaseStatus = inputs.some((i) => i.error !== null) ? 'error' : inputs.some((i) => i.failures.length > 0) ? 'failed' : 'passed';
  return { case: c, status, inputs, durationMs: performance.now() - started };
}
