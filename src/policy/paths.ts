// Stable, readable names for places in a policy: `routes["GET /a"].require.anyOf[1].subject`.
// Used in messages and as IR check paths (coverage and explain key on them), so never change the form.
import type { DataPath } from './source.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function formatPath(path: DataPath): string {
  let out = '';
  for (const step of path) {
    // Stryker disable next-line ConditionalExpression,StringLiteral: an index is never an identifier and JSON.stringify writes it as its digits, so the last branch would also give [n]; this one says so.
    if (typeof step === 'number') out += `[${step}]`;
    else if (IDENTIFIER.test(step)) out += out === '' ? step : `.${step}`;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out === '' ? '(file)' : out;
}

/** An ajv instancePath (JSON Pointer) as path steps; array indexes become numbers. */
export function dataPath(pointer: string, data: unknown): (string | number)[] {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const step = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(node) ? Number(step) : null;
    path.push(index ?? step);
    node = index !== null ? (node as unknown[])[index] : (node as Record<string, unknown> | null)?.[step];
  }
  return path;
}
