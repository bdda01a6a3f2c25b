// Human-readable policy problems for every command that loads the policy: each problem with its
// source line, then one summary line. (The HTML access report is commands/report.ts.)
import type { PolicyError } from '../policy/errors.js';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatProblems(problems: readonly PolicyError[]): string {
  return problems.map((p) => `${p.format()}\n`).join('\n');
}

/** `✖ 3 errors, 1 warning in 2 files` */
export function failureSummary(errors: readonly PolicyError[], warnings: readonly PolicyError[]): string {
  const files = new Set([...errors, ...warnings].map((p) => p.file)).size;
  const counts = warnings.length > 0 ? `${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}` : plural(errors.length, 'error');
  return `✖ ${counts} in ${plural(files, 'file')}`;
}
