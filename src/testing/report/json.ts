// The machine report: every case with its inputs and decisions, coverage, and the verdict.
import type { TestRunResult } from '../run.js';
import { coverageOk } from './pretty.js';

export function jsonReport(result: TestRunResult, minCoverage?: number): string {
  const doc = {
    engine: result.engine,
    summary: {
      passed: result.passed,
      failed: result.failed,
      errors: result.errors,
      skipped: result.skipped,
      total: result.passed + result.failed + result.errors,
    },
    suites: result.suites.map((s) => ({
      file: s.suite.file,
      name: s.suite.name,
      cases: s.cases.map((c) => ({
        name: c.case.name,
        status: c.status,
        at: c.case.at,
        request: c.case.requestLine,
        principal: c.case.principal,
        now: c.case.now,
        expected: c.case.expect,
        inputs: c.inputs.map((i) => ({ mode: i.mode, input: i.input, decision: i.decision, failures: i.failures, error: i.error })),
      })),
    })),
    coverage: {
      covered: result.coverage.covered,
      total: result.coverage.total,
      percent: result.coverage.percent,
      minimum: minCoverage ?? null,
      ok: coverageOk(result.coverage, minCoverage),
      uncovered: result.coverage.uncovered,
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
