// GitHub Actions workflow commands (`::error file=…,line=…::message`): annotations that show on
// the pull request's changed lines. Values are escaped as the runner expects.

import type { Annotation } from '../testing/report/github.js';

export type { Annotation };

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function annotation(a: Annotation): string {
  const props: string[] = [];
  if (a.file !== undefined) props.push(`file=${escapeProperty(a.file)}`);
  if (a.line !== undefined) props.push(`line=${a.line}`);
  if (a.col !== undefined) props.push(`col=${a.col}`);
  if (a.title !== undefined) props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level}${props.length > 0 ? ` ${props.join(',')}` : ''}::${escapeData(a.message)}\n`;
}

/** A positioned problem (policy or suite error) as an annotation. */
export function problemAnnotation(p: { readonly file: string; readonly line: number; readonly col: number; readonly code: string; readonly message: string; readonly severity: string }): string {
  return annotation({ level: p.severity === 'warning' ? 'warning' : 'error', file: p.file, line: p.line, col: p.col, title: p.code, message: p.message });
}
