// Schema validation with ajv, and the translation of ajv's errors into positioned PolicyErrors
// with stable codes and messages that name the thing. The validator is compiled once per process.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { EntryDocument, RuleDocument } from './document.js';
import { ENTRY_KEYS, REQUIREMENT_KEYS } from './document.js';
import type { PolicyError, PolicyErrorCode } from './errors.js';
import { dataPath, formatPath } from './paths.js';
import { problemAtPath, type DataPath, type SourceFile } from './source.js';
import { didYouMean } from './suggest.js';

/** Same place from src/policy and lib/policy: both sit two levels below the package root. */
export const SCHEMA_URL = new URL('../../schemas/policies.schema.json', import.meta.url);

interface Validators {
  readonly entry: ValidateFunction<EntryDocument>;
  readonly rule: ValidateFunction<RuleDocument>;
}

let compiled: Validators | undefined;

function validators(): Validators {
  // Stryker disable next-line ConditionalExpression: a cache; compiling again gives the same validators.
  if (compiled !== undefined) return compiled;
  const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as { $id: string };
  // verbose: errors carry their parentSchema, which lists the allowed keys for "did you mean".
  // strict includes strictNumbers: a maxAgeSeconds of .inf is not a whole number.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addSchema(schema);
  const get = <T>(def: string): ValidateFunction<T> => {
    const v = ajv.getSchema<T>(`${schema.$id}#/$defs/${def}`);
    // Stryker disable next-line ConditionalExpression,StringLiteral: the schema shipped with the package has both definitions.
    if (v === undefined) throw new Error(`policies.schema.json has no $defs/${def}`);
    return v;
  };
  compiled = { entry: get<EntryDocument>('entryFile'), rule: get<RuleDocument>('ruleFile') };
  return compiled;
}

export type SchemaResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: PolicyError[] };

export function validateEntry(file: SourceFile): SchemaResult<EntryDocument> {
  return run(validators().entry, file, null);
}

/** `entryName` is the entry file's name, which a KEY_ENTRY_ONLY message points the author to. */
export function validateRule(file: SourceFile, entryName: string): SchemaResult<RuleDocument> {
  return run(validators().rule, file, entryName);
}

/** `entryName` is null while validating the entry file itself (no key there belongs elsewhere). */
function run<T>(validate: ValidateFunction<T>, file: SourceFile, entryName: string | null): SchemaResult<T> {
  if (validate(file.data)) return { ok: true, value: file.data };
  // Stryker disable next-line ArrayDeclaration: ajv sets errors whenever validation fails.
  const errors = validate.errors ?? [];
  const problems = new Map<string, PolicyError>();
  for (const error of relevant(errors)) {
    const p = translate(error, file, entryName);
    const id = `${p.line}:${p.col}:${p.code}:${p.message}`;
    // Stryker disable next-line ConditionalExpression: a repeat has the same id, so setting it again stores an equal problem in the same place.
    if (!problems.has(id)) problems.set(id, p);
  }
  return { ok: false, problems: [...problems.values()] };
}

/**
 * Drops ajv's bookkeeping: `if` summaries, the per-branch errors of an `anyOf`/`oneOf` and the
 * inner errors of `propertyNames` (the combinator error itself gets one clear message), and
 * route-key patterns (checked more precisely by parseRouteKey). ajv restarts `schemaPath` at each
 * `$ref`, so a branch is recognised by sharing its combinator's instance and schema path.
 */
function relevant(errors: readonly ErrorObject[]): ErrorObject[] {
  // Only a combinator's own branches report errors at its instance under its schema path (ajv restarts the
  // schema path at each $ref, and an if/not reports none of its subschema's), so taking every error as a
  // combinator would drop nothing more.
  // Stryker disable next-line ConditionalExpression: see above.
  const isCombinator = (e: ErrorObject): boolean => e.keyword === 'anyOf' || e.keyword === 'oneOf';
  // Stryker disable next-line MethodExpression: see above.
  const combinators = errors.filter(isCombinator).map((e) => ({ instancePath: e.instancePath, schemaPath: `${e.schemaPath}/` }));
  return errors.filter(
    (e) =>
      e.keyword !== 'if' &&
      !('propertyName' in e) &&
      !(e.keyword === 'propertyNames' && e.instancePath === '/routes') &&
      // Stryker disable next-line ConditionalExpression: a branch error exists only where its combinator failed, so one under another instance's combinator path has its own combinator.
      !combinators.some((c) => e.instancePath === c.instancePath && e.schemaPath.startsWith(c.schemaPath)),
  );
}


const TYPE_NAMES: Record<string, string> = {
  object: 'a map',
  array: 'a list',
  string: 'a string',
  // Stryker disable next-line StringLiteral: the only integer is maxAgeSeconds, reported as MAX_AGE_INVALID before types are named.
  integer: 'a whole number',
  // Stryker disable next-line StringLiteral: the schema has no number type.
  number: 'a number',
  boolean: 'true',
  // Stryker disable next-line StringLiteral: the schema has no null type (only `not: null`).
  null: 'null',
};

/** A value as the author wrote it: JSON, except that YAML's .inf, -.inf and .nan (which JSON would print as null) keep their YAML spelling. */
const show = (v: unknown): string => {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? '.nan' : v === Infinity ? '.inf' : '-.inf';
  return JSON.stringify(v) ?? String(v);
};

function schemaKeys(schema: unknown): string[] {
  // Stryker disable next-line OptionalChaining: verbose errors always carry their parent schema.
  const props = (schema as { properties?: Record<string, unknown> } | null)?.properties;
  // Stryker disable next-line ConditionalExpression,ArrayDeclaration: every parent schema whose keys are listed (unknown keys, exactly-one choices) has properties.
  return props === undefined ? [] : Object.keys(props);
}

interface Translated {
  readonly code: PolicyErrorCode;
  readonly message: string;
  readonly path: DataPath;
  readonly part: 'key' | 'value';
}

function translate(error: ErrorObject, file: SourceFile, entryName: string | null): PolicyError {
  const path = dataPath(error.instancePath, file.data);
  const t = describe(error, path, entryName);
  return problemAtPath(file, t.path, t.code, t.message, t.part);
}

function describe(error: ErrorObject, path: DataPath, entryName: string | null): Translated {
  const where = formatPath(path);
  const last = path[path.length - 1];
  const params = error.params as Record<string, unknown>;
  // Stryker disable next-line StringLiteral: any part but 'key' is the value.
  const at = (code: PolicyErrorCode, message: string, part: 'key' | 'value' = 'value', p: DataPath = path): Translated => ({
    code,
    message,
    path: p,
    part,
  });

  if (last === 'maxAgeSeconds') {
    return at('MAX_AGE_INVALID', `${where} must be a whole number of seconds greater than 0 (got ${show(error.data)})`);
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const keyPath = [...path, key];
      // Stryker disable next-line ConditionalExpression: the entry schema allows every ENTRY_KEY, so in the entry file (null) the rest is false anyway.
      if (entryName !== null && path.length === 0 && (ENTRY_KEYS as readonly string[]).includes(key)) {
        return at('KEY_ENTRY_ONLY', `"${key}" belongs in the entry file (${entryName}); an included file holds only routes`, 'key', keyPath);
      }
      const isRoute =
        path.length === 2 &&
        // Stryker disable next-line ConditionalExpression: the only other map two levels down is defaults.require, where every requirement is a known key.
        path[0] === 'routes';
      if (isRoute && (REQUIREMENT_KEYS as readonly string[]).includes(key)) {
        return at('KEY_UNKNOWN', `"${key}" is a requirement: put it under ${where}.require`, 'key', keyPath);
      }
      const hint = didYouMean(key, schemaKeys(error.parentSchema));
      return at('KEY_UNKNOWN', `unknown key "${key}" in ${where}${hint}`, 'key', keyPath);
    }
    case 'required': {
      const missing = String(params['missingProperty']);
      // Stryker disable next-line ConditionalExpression: only the top level requires a key named version.
      if (path.length === 0 && missing === 'version') return at('KEY_MISSING', 'missing "version: 1"');
      return at('KEY_MISSING', `${where} needs "${missing}"`, 'key');
    }
    case 'type': {
      if (path.length === 0) {
        return at('TYPE_MISMATCH', `a policy file must be a YAML map of settings (version:, routes:, …), not ${error.data === null ? 'empty' : show(error.data)}`);
      }
      const types = String(params['type'])
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(' or ');
      return at('TYPE_MISMATCH', `${where} must be ${types} (got ${show(error.data)})`);
    }
    case 'const': {
      // Stryker disable next-line ConditionalExpression,LogicalOperator: version is the only const at the top level, and the only const key named version.
      if (path.length === 1 && last === 'version') {
        return at('VERSION_UNSUPPORTED', `unsupported policy version ${show(error.data)}: this claimguard reads version 1`);
      }
      if (last === 'public') return at('VALUE_INVALID', `${where} must be true; leave it out for a protected route`);
      if (last === 'emailVerified') {
        return at('VALUE_INVALID', `${where} must be true or { maxAgeSeconds: N }; to not require it, leave it out`);
      }
      if (last === 'mfa') {
        return at('VALUE_INVALID', `${where} must be true or { factors: … }; to not require it, leave it out`);
      }
      return at('VALUE_INVALID', `${where} must be ${show(params['allowedValue'])} (got ${show(error.data)})`);
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map((v) => String(v)).join(', ');
      return at('VALUE_INVALID', `${where}: ${show(error.data)} is not one of ${allowed}`);
    }
    case 'minItems':
      return at('LIST_EMPTY', `${where} must not be an empty list`);
    case 'uniqueItems': {
      const j = Number(params['j']);
      const dup = Array.isArray(error.data) ? error.data[j] : undefined;
      // Stryker disable next-line StringLiteral: any part but 'key' is the value.
      return at('LIST_DUPLICATE', `${where} lists ${show(dup)} twice`, 'value', [...path, j]);
    }
    case 'minLength':
      return at('VALUE_INVALID', `${where} must not be an empty string`);
    case 'minProperties':
    case 'maxProperties': {
      if (typeof last === 'number') {
        return at('REQUIREMENT_EMPTY', `${where} is an empty requirement map, so this anyOf would always pass`);
      }
      if (last === 'claims') return at('REQUIREMENT_EMPTY', `${where} must name at least one claim`);
      const choices = schemaKeys(error.parentSchema).join(', ');
      return at('CHOICE_INVALID', `${where} needs exactly one of ${choices}`);
    }
    case 'anyOf':
      return at('CHOICE_INVALID', `${where} needs at least one of anyOf, allOf, noneOf`, 'key');
    case 'oneOf': {
      // Stryker disable next-line ConditionalExpression: the only oneOf is a route's, named by its key; this narrows the type.
      const route = typeof last === 'string' ? `route "${last}"` : where;
      if (params['passingSchemas'] === null) {
        return at('KEY_MISSING', `${route} needs either "public: true" or "require:"`, 'key');
      }
      return at('PUBLIC_WITH_REQUIRE', `${route} is public but also has "require:"; a public route checks nothing, so remove one`, 'key', [
        ...path,
        'require',
      ]);
    }
    case 'propertyNames':
      return at('VALUE_INVALID', `${where} has an empty claim name`, 'key', [...path, String(params['propertyName'])]);
    case 'not':
      // The only `not` in the schema: claim values may not be null.
      return at('VALUE_INVALID', `${where} must not be null: a null claim counts as missing, so this could never pass`);
    case 'format':
      return at('VALUE_INVALID', `${where} must be a URI like https://api.example.com/auth (got ${show(error.data)})`);
    // Stryker disable next-line ConditionalExpression: every keyword the schema uses has its case above (patterns are only route keys', dropped in relevant()).
    default:
      // Stryker disable next-line StringLiteral,LogicalOperator: unreachable (above).
      return at('VALUE_INVALID', `${where} ${error.message ?? 'is invalid'}`);
  }
}
