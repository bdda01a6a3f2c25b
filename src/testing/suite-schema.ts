// Validates a parsed suite file against schemas/policy-tests.schema.json and turns ajv's errors
// into positioned SuiteErrors. The validator is compiled once per process.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { dataPath, formatPath } from '../policy/paths.js';
import { didYouMean } from '../policy/suggest.js';
import type { DataPath, SourceFile } from '../policy/source.js';
import { suiteErrorAt, type SuiteError } from './errors.js';
import type { SuiteDocument } from './suite.js';

/** Same place from src/testing and lib/testing. */
export const SUITE_SCHEMA_URL = new URL('../../schemas/policy-tests.schema.json', import.meta.url);

interface Compiled {
  readonly validate: ValidateFunction<SuiteDocument>;
  /** Schema object → its name (`request`, `case.token`…): ajv's schemaPath restarts at every $ref. */
  readonly names: Map<unknown, string>;
}

let compiled: Compiled | undefined;

function validator(): Compiled {
  if (compiled !== undefined) return compiled;
  const schema = JSON.parse(readFileSync(SUITE_SCHEMA_URL, 'utf8')) as { $defs: Record<string, { properties?: Record<string, unknown> }> };
  // strictRequired off: `case` says "principal xor token" with required-only subschemas.
  // verbose: errors carry their parentSchema, which names the choice that failed.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
  const names = new Map<unknown, string>(Object.entries(schema.$defs).map(([name, def]) => [def, name]));
  names.set(schema.$defs['case']?.properties?.['token'], 'case.token');
  compiled = { validate: ajv.compile<SuiteDocument>(schema), names };
  return compiled;
}

export type SuiteSchemaResult = { readonly ok: true; readonly value: SuiteDocument } | { readonly ok: false; readonly errors: SuiteError[] };

export function validateSuite(file: SourceFile): SuiteSchemaResult {
  const { validate, names } = validator();
  if (validate(file.data)) return { ok: true, value: file.data };
  const seen = new Set<string>();
  const errors: SuiteError[] = [];
  for (const e of relevant(validate.errors ?? [], names)) {
    const err = translate(e, file, names);
    const id = `${err.line}:${err.col}:${err.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      errors.push(err);
    }
  }
  return { ok: false, errors };
}

/** What each `oneOf` in the schema accepts, said once instead of every branch's complaint. */
const CHOICES: Record<string, string> = {
  request: 'must be a request line like "DELETE /orders/42" or { method, path, routeKey?, pathParameters? }',
  expectation: 'must be allow, deny, or { decision?, status?, route?, reasons? }',
  cell: 'must be allow, deny, 401, 403, a reason code (MFA_REQUIRED), a list of codes, or { decision?, status?, route?, reasons? }',
  case: 'needs exactly one of "principal" (optionally with "claims"/"unset") or "token" (a payload, or null for none)',
  absoluteTime: 'must be epoch milliseconds or an ISO-8601 date-time with zone (2025-01-01T00:00:00Z)',
  caseTime: 'must be epoch milliseconds, an ISO-8601 date-time with zone, or now±N (now+10m; units ms, s, m, h, d)',
  'case.token': 'must be a map of claims, or null for no token',
};

const depth = (pointer: string): number => (pointer === '' ? 0 : pointer.split('/').length);

const choiceOf = (e: ErrorObject, names: Map<unknown, string>): string | undefined => names.get(e.parentSchema);

const within = (e: ErrorObject, c: ErrorObject): boolean => e.instancePath === c.instancePath || e.instancePath.startsWith(`${c.instancePath}/`);

/**
 * Keeps the errors that say something. Inside a `oneOf`, branch errors deeper than the choice
 * itself (an unknown key in the request map) are kept; otherwise the choice gets one message,
 * and of choices nested through $ref at one place only the outermost (ajv reports it last).
 */
function relevant(errors: readonly ErrorObject[], names: Map<unknown, string>): ErrorObject[] {
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const inBranch = (e: ErrorObject, c: ErrorObject): boolean => e !== c && e.schemaPath.startsWith(`${c.schemaPath}/`) && within(e, c);
  const informative = (e: ErrorObject, c: ErrorObject): boolean =>
    depth(e.instancePath) > depth(c.instancePath) ||
    (e.instancePath === c.instancePath && (e.keyword === 'additionalProperties' || e.keyword === 'required' || e.keyword === 'minProperties'));
  const dropped = new Set<ErrorObject>();
  for (const c of combinators) {
    const branch = errors.filter((e) => inBranch(e, c));
    const useful = choiceOf(c, names) === 'case' ? [] : branch.filter((e) => informative(e, c));
    for (const e of branch) if (!useful.includes(e)) dropped.add(e);
    if (useful.length > 0) dropped.add(c);
  }
  const kept = errors.filter((e) => !dropped.has(e));
  return kept.filter(
    (e, i) => !(e.keyword === 'oneOf' || e.keyword === 'anyOf') || !kept.slice(i + 1).some((later) => (later.keyword === 'oneOf' || later.keyword === 'anyOf') && later.instancePath === e.instancePath),
  );
}


const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

function translate(error: ErrorObject, file: SourceFile, names: Map<unknown, string>): SuiteError {
  const path: DataPath = dataPath(error.instancePath, file.data);
  const where = formatPath(path);
  const params = error.params as Record<string, unknown>;
  const at = (message: string, part: 'key' | 'value' = 'value', p: DataPath = path): SuiteError =>
    suiteErrorAt(file, p, 'SCHEMA_INVALID', message, part);
  switch (error.keyword) {
    case 'oneOf':
    case 'anyOf': {
      const choice = choiceOf(error, names);
      return at(`${where} ${(choice !== undefined && CHOICES[choice]) || 'matches none of the allowed forms'}`, choice === 'case' ? 'key' : 'value');
    }
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
      return at(`unknown key "${key}" in ${where}${didYouMean(key, Object.keys(parent?.properties ?? {}))}`, 'key', [...path, key]);
    }
    case 'required':
      return path.length === 0 && params['missingProperty'] === 'version'
        ? at('missing "version: 1"')
        : at(`${where} needs "${String(params['missingProperty'])}"`, 'key');
    case 'const':
      return path.length === 1 && path[0] === 'version'
        ? at(`unsupported test-suite version ${show(error.data)}: this claimguard reads version 1`)
        : at(`${where} must be ${show(params['allowedValue'])}`);
    case 'propertyNames': {
      const name = String(params['propertyName']);
      const what =
        path.length === 1 && path[0] === 'principals'
          ? name === 'anonymous'
            ? '"anonymous" is reserved (no token); pick another principal name'
            : `principal name "${name}" must be letters, digits, "_", "." or "-"`
          : `"${name}" is not a request line like "GET /orders/42"`;
      return at(what, 'key', [...path, name]);
    }
    case 'pattern':
    case 'not':
      return at(`${where} is not valid here (got ${show(error.data)})`);
    case 'uniqueItems':
      return at(`${where} lists an entry twice`);
    case 'minItems':
    case 'minProperties':
      return at(`${where} must not be empty`);
    default:
      return at(`${where} ${error.message ?? 'is invalid'}`);
  }
}
