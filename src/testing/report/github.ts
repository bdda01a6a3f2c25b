// What `claimguard test --format github` reports, as annotations on the suite lines that need
// attention: each failing case at its own `file:line`, every coverage gap at the requirement's
// line. src/cli/github.ts writes them as workflow commands.
import { describeDecision, describeExpectation } from '../expect.js';
import type { TestRunResult } from '../run.js';
import { coverageOk, percent } from './pretty.js';

export interface Annotation {
  readonly level: 'error' | 'warning' | 'notice';
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly title?: string;
}

const GAP: Record<string, string> = { reached: 'no case reaches this public route', pass: 'no case makes it pass', fail: 'no case makes it fail' };

export function githubAnnotations(result: TestRunResult, options: { readonly coverage: boolean; readonly minCoverage?: number | undefined }): Annotation[] {
  const out: Annotation[] = [];
  for (const s of result.suites) {
    for (const c of s.cases) {
      if (c.status === 'passed') continue;
      const { at } = c.case;
      const lines = [`${c.case.requestLine} as ${c.case.principal}`, `expected: ${describeExpectation(c.case.expect)}`];
      for (const run of c.inputs) {
        if (run.error !== null) lines.push(`[${run.mode}] ${run.error}`);
        else if (run.decision !== null && run.failures.length > 0) lines.push(`[${run.mode}] actual: ${describeDecision(run.decision)}`, ...run.failures.map((f) => `  - ${f}`));
      }
      out.push({ level: 'error', file: at.file, line: at.line, col: at.col, title: c.status === 'error' ? `internal error: ${c.case.name}` : c.case.name, message: lines.join('\n') });
    }
  }
  const below = !coverageOk(result.coverage, options.minCoverage);
  if (options.coverage || options.minCoverage !== undefined) {
    for (const u of result.coverage.uncovered) {
      out.push({ level: below ? 'error' : 'warning', file: u.at.file, line: u.at.line, col: u.at.col, title: `coverage: ${u.route}`, message: `${u.requirement}: ${GAP[u.missing] ?? u.missing}` });
    }
  }
  if (below) out.push({ level: 'error', title: 'coverage', message: `coverage ${percent(result.coverage.percent)} is below the minimum ${options.minCoverage}%` });
  return out;
}
