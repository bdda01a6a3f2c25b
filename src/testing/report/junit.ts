// JUnit XML as CI systems read it (Jenkins/GitLab/GitHub reporters): testsuites › testsuite (one
// per suite file) › testcase, with <failure> for a wrong decision and <error> for an internal one.
// With a coverage minimum, a `coverage` testsuite holds one case that fails below it.
import type { TestRunResult } from '../run.js';
import type { CaseResult } from '../run.js';
import { describeDecision, describeExpectation } from '../expect.js';
import { coverageLines, coverageOk, percent } from './pretty.js';

/** Characters XML 1.0 cannot carry at all are replaced; the five specials are escaped. */
export function escapeXml(s: string, attribute = true): string {
  // eslint-disable-next-line no-control-regex
  let out = s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
  out = out.replace(/[\uD800-\uDFFF]/g, (c, i: number, all: string) => {
    const code = c.charCodeAt(0);
    const pair = code < 0xdc00 ? /[\uDC00-\uDFFF]/.test(all[i + 1] ?? '') : /[\uD800-\uDBFF]/.test(all[i - 1] ?? '');
    return pair ? c : '\uFFFD';
  });
  out = out.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  if (attribute) out = out.replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
  return out;
}

const attrs = (a: Record<string, string | number>): string =>
  Object.entries(a)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');

const seconds = (ms: number): string => (ms / 1000).toFixed(6);

function testcase(c: CaseResult): string {
  const open = `    <testcase${attrs({ name: c.case.name, classname: c.case.suite, file: c.case.at.file, line: c.case.at.line, time: seconds(c.durationMs) })}`;
  if (c.status === 'passed') return `${open}/>`;
  const body: string[] = [`${c.case.requestLine} as ${c.case.principal}`, `expected: ${describeExpectation(c.case.expect)}`];
  for (const run of c.inputs) {
    if (run.error !== null) body.push(`[${run.mode}] ${run.error}`);
    else if (run.decision !== null && run.failures.length > 0) {
      body.push(`[${run.mode}] actual: ${describeDecision(run.decision)}`, ...run.failures.map((f) => `  - ${f}`));
      body.push(...run.decision.reasons.map((r) => `  ${r.id} ${r.code}: ${JSON.stringify(r.reason)}`));
    }
  }
  const firstProblem = c.inputs.find((i) => i.error !== null)?.error?.split('\n')[0] ?? [...new Set(c.inputs.flatMap((i) => i.failures))].join('; ');
  const tag = c.status === 'error' ? 'error' : 'failure';
  const type = c.status === 'error' ? 'InternalError' : 'DecisionMismatch';
  return `${open}>\n      <${tag}${attrs({ message: firstProblem, type })}>${escapeXml(body.join('\n'), false)}</${tag}>\n    </testcase>`;
}

export function junitReport(result: TestRunResult, minCoverage?: number): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const suites: string[] = [];
  let totalTime = 0;
  for (const s of result.suites) {
    const failures = s.cases.filter((c) => c.status === 'failed').length;
    const errors = s.cases.filter((c) => c.status === 'error').length;
    const time = s.cases.reduce((t, c) => t + c.durationMs, 0);
    totalTime += time;
    suites.push(
      `  <testsuite${attrs({ name: s.suite.name, file: s.suite.file, tests: s.cases.length, failures, errors, skipped: 0, time: seconds(time) })}>`,
      ...s.cases.map(testcase),
      '  </testsuite>',
    );
  }
  let gate = 0;
  if (minCoverage !== undefined) {
    const ok = coverageOk(result.coverage, minCoverage);
    gate = ok ? 0 : 1;
    const open = `    <testcase${attrs({ name: `coverage >= ${minCoverage}%`, classname: 'coverage', time: seconds(0) })}`;
    const message = `coverage ${percent(result.coverage.percent)} is below the minimum ${minCoverage}%`;
    const detail = escapeXml(coverageLines(result.coverage, minCoverage).join('\n'), false);
    suites.push(
      `  <testsuite${attrs({ name: 'coverage', tests: 1, failures: gate, errors: 0, skipped: 0, time: seconds(0) })}>`,
      ...(ok ? [`${open}/>`] : [`${open}>`, `      <failure${attrs({ message, type: 'CoverageBelowMinimum' })}>${detail}</failure>`, '    </testcase>']),
      '  </testsuite>',
    );
  }
  const tests = result.passed + result.failed + result.errors + (minCoverage === undefined ? 0 : 1);
  out.push(`<testsuites${attrs({ name: 'claimguard test', tests, failures: result.failed + gate, errors: result.errors, skipped: 0, time: seconds(totalTime) })}>`);
  out.push(...suites, '</testsuites>');
  return `${out.join('\n')}\n`;
}
