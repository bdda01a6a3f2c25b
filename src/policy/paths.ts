// Stable, readable names for places in a policy: `routes["GET /a"].require.anyOf[1].subject`.
// Used in messages and as IR check paths (coverage and explain key on them), so never change the form.
import type { DataPath } from './source.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function formatPath(path: DataPath): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (IDENTIFIER.test(step)) out += out === '' ? step : `.${step}`;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out === '' ? '(file)' : out;
}
