// The human report: failing cases grouped by suite file (every case with `verbose`), each failure
// with expected vs actual decision and the reasons, then coverage, then the summary line
// `N passed, M failed` on a line of its own (never coloured: CI systems read it).
import type { Decision } from '../../decision/types.js';
import type { CoverageReport } from '../coverage.js';
import { describeDecision, describeExpectation, reasonLabel } from '../expect.js';
import type { CaseResult, InputRun, TestRunResult } from '../run.js';

export interface ReportOptions {
  /** Show the coverage section (always shown when a minimum is set). */
  readonly coverage: boolean;
  readonly minCoverage?: number | undefined;
  /** Every case, not only the failing ones. */
  readonly verbose?: boolean | undefined;
  readonly paint?: Paint | undefined;
}

/** Styling hooks; the CLI passes colours when the terminal wants them. */
export interface Paint {
  readonly pass: (s: string) => string;
  readonly fail: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly heading: (s: string) => string;
}

const plain = (s: string): string => s;
export const NO_PAINT: Paint = { pass: plain, fail: plain, dim: plain, heading: plain };

export const percent = (p: number): string => `${(Math.floor(p * 10) / 10).toFixed(1)}%`;

export function coverageOk(report: CoverageReport, min: number | undefined): boolean {
  return min === undefined || report.percent >= min;
}

function reasonLines(d: Decision, indent: string): string[] {
  return d.reasons.map((r) => {
    const { message, ...detail } = r.reason;
    const extra = Object.keys(detail).length > 0 ? ` ${JSON.stringify(detail)}` : '';
    return `${indent}${reasonLabel(r)}: ${message}${extra}`;
  });
}

function inputLines(c: CaseResult, run: InputRun, label: boolean): string[] {
  const pad = '      ';
  const out: string[] = [];
  if (label) out.push(`${pad}[${run.mode}]`);
  if (run.error !== null) {
    out.push(...run.error.split('\n').map((l) => `${pad}‼ ${l}`));
    return out;
  }
  if (run.decision === null) return out;
  out.push(`${pad}expected: ${describeExpectation(c.case.expect)}`);
  out.push(`${pad}actual:   ${describeDecision(run.decision)}`);
  out.push(...reasonLines(run.decision, `${pad}  `));
  out.push(...run.failures.map((f) => `${pad}- ${f}`));
  return out;
}

function caseLines(c: CaseResult, paint: Paint): string[] {
  if (c.status === 'passed') return [`  ${paint.pass('✔')} ${c.case.name}`];
  const { at } = c.case;
  const lines = [`  ${paint.fail(c.status === 'failed' ? '✖' : '‼')} ${paint.fail(c.case.name)}  ${paint.dim(`(${at.file}:${at.line}:${at.col})`)}`];
  lines.push(`      ${c.case.requestLine} as ${c.case.principal}, now ${new Date(c.case.now).toISOString()}`);
  const bad = c.inputs.filter((i) => i.error !== null || i.failures.length > 0);
  // The same wrong decision on every input is said once; different ones each under their mode.
  const first = bad[0];
  const same = first !== undefined && bad.every((i) => i.error === first.error && JSON.stringify(i.decision) === JSON.stringify(first.decision));
  if (same) lines.push(...inputLines(c, first, c.inputs.length > 1 && bad.length < c.inputs.length));
  else for (const run of bad) lines.push(...inputLines(c, run, true));
  return lines;
}

export function coverageLines(report: CoverageReport, min: number | undefined): string[] {
  const scope = report.scope === 'reached' ? ` over the ${report.routes} route${report.routes === 1 ? '' : 's'} the filtered cases reach` : '';
  const lines = [`Coverage${scope}: ${report.covered}/${report.total} requirement outcomes (${percent(report.percent)})${min === undefined ? '' : `, minimum ${min}%`}`];
  if (report.uncovered.length > 0) {
    lines.push('  not covered:');
    for (const u of report.uncovered) {
      const what = u.missing === 'reached' ? 'no case reaches this public route' : u.missing === 'pass' ? 'no case makes it pass' : 'no case makes it fail';
      lines.push(`    ${u.at.file}:${u.at.line}:${u.at.col}  ${u.route}  ${u.requirement}: ${what}`);
    }
  }
  if (!coverageOk(report, min)) lines.push(`✖ coverage ${percent(report.percent)} is below the minimum ${min}%`);
  return lines;
}

export function prettyReport(result: TestRunResult, options: ReportOptions): string {
  const paint = options.paint ?? NO_PAINT;
  const lines: string[] = [paint.dim(`claimguard test: ${result.engine}`), ''];
  for (const s of result.suites) {
    const shown = options.verbose === true ? s.cases : s.cases.filter((c) => c.status !== 'passed');
    if (shown.length === 0) continue;
    lines.push(paint.heading(s.suite.name === s.suite.file ? s.suite.file : `${s.suite.file} (${s.suite.name})`));
    for (const c of shown) lines.push(...caseLines(c, paint));
    lines.push('');
  }
  if (options.coverage || options.minCoverage !== undefined) lines.push(...coverageLines(result.coverage, options.minCoverage), '');
  if (result.errors > 0) {
    lines.push(`‼ ${result.errors} case${result.errors === 1 ? '' : 's'} hit an internal error: the bundle failed or disagreed with the reference evaluator`);
  }
  if (result.skipped > 0) lines.push(`(${result.skipped} filtered out)`);
  if (options.verbose !== true && result.failed + result.errors === 0) lines.push(paint.pass(`✔ all ${result.passed} cases pass (-v lists them)`));
  lines.push(`${result.passed} passed, ${result.failed + result.errors} failed`);
  return `${lines.join('\n')}\n`;
}
