// Checks the schema cannot express: route key syntax, routes defined twice (within and across
// files), path parameters that requirements name, claim values that are not JSON. They read the
// data defensively, so they also run on files with schema errors and every problem shows in one run.
import type { PolicyError } from './errors.js';
import { formatPath } from './paths.js';
import { parseRouteKey, routeShape, type ParsedRouteKey } from './route-key.js';
import { keysInOrder, positionOf, offsetOf, problemAtPath, type DataPath, type SourceFile } from './source.js';

type Dict = Readonly<Record<string, unknown>>;
const isDict = (x: unknown): x is Dict => typeof x === 'object' && x !== null && !Array.isArray(x);
const own = (d: Dict, k: string): unknown => (Object.hasOwn(d, k) ? d[k] : undefined);

interface SeenRoute {
  readonly file: SourceFile;
  readonly key: string;
}

interface ParamUse {
  readonly name: string;
  /** Path of the `equalsPathParam` value. */
  readonly path: DataPath;
}

/** `entry` first, then included files in load order. */
export function semanticProblems(entry: SourceFile, rules: readonly SourceFile[]): PolicyError[] {
  const problems: PolicyError[] = [];
  const byKey = new Map<string, SeenRoute>();
  const byShape = new Map<string, SeenRoute>();
  const protectedRoutes: ParsedRouteKey[] = [];

  for (const file of [entry, ...rules]) {
    const routes = isDict(file.data) ? own(file.data, 'routes') : undefined;
    if (!isDict(routes)) continue;
    for (const key of keysInOrder(file, ['routes'])) {
      const keyPath = ['routes', key];
      const route = own(routes, key);
      const parsed = parseRouteKey(key);
      if (!parsed.ok) {
        for (const p of parsed.problems) problems.push(problemAtPath(file, keyPath, p.code, p.message, 'key'));
      }
      // Repeats inside one file are YAML duplicate keys (duplicates.ts); here only across files.
      const first = byKey.get(key);
      if (first === undefined) byKey.set(key, { file, key });
      else if (first.file !== file) {
        problems.push(problemAtPath(file, keyPath, 'ROUTE_DUPLICATE', `route "${key}" is already defined at ${where(first)}`, 'key'));
      }
      if (parsed.ok) {
        const shape = routeShape(parsed.route);
        const same = byShape.get(shape);
        if (same === undefined) byShape.set(shape, { file, key });
        else if (same.key !== key) {
          problems.push(
            problemAtPath(
              file,
              keyPath,
              'ROUTE_DUPLICATE',
              `route "${key}" matches the same requests as "${same.key}" (${where(same)}); parameter names do not tell routes apart`,
              'key',
            ),
          );
        }
      }
      if (!isDict(route) || own(route, 'public') === true) continue;
      if (parsed.ok) protectedRoutes.push(parsed.route);
      const require = own(route, 'require');
      const uses = requirementProblems(file, require, [...keyPath, 'require'], problems);
      if (!parsed.ok) continue;
      for (const use of uses) {
        if (parsed.route.params.includes(use.name)) continue;
        problems.push(
          problemAtPath(file, use.path, 'PARAM_UNKNOWN', `route "${key}" uses equalsPathParam "${use.name}" but ${noParam(parsed.route, use.name)}`),
        );
      }
    }
  }

  const defaults = isDict(entry.data) ? own(entry.data, 'defaults') : undefined;
  const defaultRequire = isDict(defaults) ? own(defaults, 'require') : undefined;
  for (const use of requirementProblems(entry, defaultRequire, ['defaults', 'require'], problems)) {
    const lacking = protectedRoutes.filter((r) => !r.params.includes(use.name)).map((r) => `"${r.key}"`);
    if (lacking.length === 0) continue;
    const shown = lacking.length > 3 ? `${lacking.slice(0, 3).join(', ')} and ${lacking.length - 3} more` : lacking.join(', ');
    problems.push(
      problemAtPath(
        entry,
        use.path,
        'PARAM_UNKNOWN',
        `${formatPath(use.path)} is "${use.name}", applied to every protected route, but ${lacking.length === 1 ? 'route' : 'routes'} ${shown} ${lacking.length === 1 ? 'has' : 'have'} no {${use.name}} parameter`,
      ),
    );
  }

  if (isDict(entry.data) && own(entry.data, 'audience') === undefined) {
    problems.push(
      problemAtPath(
        entry,
        // Stryker disable next-line ArrayDeclaration: a path the file does not have falls back to the file itself, the same place.
        [],
        'AUDIENCE_MISSING',
        'no "audience": tokens minted for any other audience will be accepted; set it to the JWT authorizer\'s audience',
        // Stryker disable next-line StringLiteral: any part but 'key' is the value (and the file itself has no key).
        'value',
        'warning',
      ),
    );
  }
  return problems;
}

function where(seen: SeenRoute): string {
  const { line, col } = positionOf(seen.file, offsetOf(seen.file, ['routes', seen.key], 'key'));
  return `${seen.file.name}:${line}:${col}`;
}

function noParam(route: ParsedRouteKey, name: string): string {
  if (route.segments === null) return `the $default route has no path parameters`;
  return `the route has no {${name}} parameter`;
}

/**
 * Walks one requirement map (and its nested anyOf branches): reports claim values that are not
 * JSON and contradictory lists, and returns every equalsPathParam it names.
 */
function requirementProblems(file: SourceFile, map: unknown, path: DataPath, problems: PolicyError[]): ParamUse[] {
  if (!isDict(map)) return [];
  const uses: ParamUse[] = [];
  for (const kind of ['tenant', 'subject'] as const) {
    const req = own(map, kind);
    const name = isDict(req) ? own(req, 'equalsPathParam') : undefined;
    if (typeof name === 'string' && name !== '') uses.push({ name, path: [...path, kind, 'equalsPathParam'] });
  }
  for (const kind of ['roles', 'permissions'] as const) {
    const req = own(map, kind);
    if (isDict(req)) contradictions(file, req, [...path, kind], problems);
  }
  const claims = own(map, 'claims');
  if (isDict(claims)) {
    for (const name of Object.keys(claims)) {
      if (Object.hasOwn(RESERVED_CLAIMS, name)) {
        problems.push(problemAtPath(file, [...path, 'claims', name], 'CLAIM_RESERVED', `"${name}" cannot be checked under claims: ${RESERVED_CLAIMS[name]}`, 'key'));
      }
      const bad = nonJson(own(claims, name), [...path, 'claims', name]);
      if (bad !== null) {
        problems.push(problemAtPath(file, bad, 'VALUE_INVALID', `${formatPath(bad)} is not a JSON value (NaN and infinities cannot be compared)`));
      }
    }
  }
  const anyOf = own(map, 'anyOf');
  if (Array.isArray(anyOf)) {
    anyOf.forEach((branch, i) => uses.push(...requirementProblems(file, branch, [...path, 'anyOf', i], problems)));
  }
  return uses;
}

/**
 * Token claims with a dedicated requirement, or that SuperTokens and the JWT authorizer own:
 * under `claims:` they would be compared as plain JSON (an `st-role` object never equals a role
 * name), so a check there passes or fails for the wrong reason.
 */
export const RESERVED_CLAIMS: Readonly<Record<string, string>> = {
  'st-ev': 'SuperTokens\' email-verification claim; use emailVerified: true (or { maxAgeSeconds })',
  'st-role': 'SuperTokens\' roles claim; use roles: { anyOf | allOf | noneOf }',
  'st-perm': 'SuperTokens\' permissions claim; use permissions: { anyOf | allOf | noneOf }',
  'st-mfa': 'SuperTokens\' MFA claim; use mfa: true (or { factors, maxAgeSeconds })',
  aud: 'the token audience; use audience: x (or the top-level audience:)',
  iss: 'the token issuer; use the top-level issuer:',
  sub: 'the user id; use subject: { equalsPathParam }',
  tId: 'the tenant id; use tenant: { anyOf | equalsPathParam }',
  exp: 'a JWT time the API Gateway JWT authorizer already checks',
  iat: 'a JWT time the API Gateway JWT authorizer already checks',
  nbf: 'a JWT time the API Gateway JWT authorizer already checks',
  rsub: 'SuperTokens\' session bookkeeping, not an authorization fact',
  sessionHandle: 'SuperTokens\' session bookkeeping, not an authorization fact',
  refreshTokenHash1: 'SuperTokens\' session bookkeeping, not an authorization fact',
  parentRefreshTokenHash1: 'SuperTokens\' session bookkeeping, not an authorization fact',
  antiCsrfToken: 'SuperTokens\' session bookkeeping, not an authorization fact',
};

function nonJson(value: unknown, path: DataPath): DataPath | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const bad = nonJson(item, [...path, i]);
      if (bad !== null) return bad;
    }
  } else if (isDict(value)) {
    for (const k of Object.keys(value)) {
      const bad = nonJson(own(value, k), [...path, k]);
      if (bad !== null) return bad;
    }
  }
  return null;
}

/** A roles/permissions requirement no token can pass: a warning, since it is legal but surely a slip. */
function contradictions(file: SourceFile, req: Dict, path: DataPath, problems: PolicyError[]): void {
  const list = (k: string): string[] => {
    const v = own(req, k);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  };
  const none = new Set(list('noneOf'));
  // Stryker disable next-line ConditionalExpression: with nothing forbidden, the tests below find no clash either.
  if (none.size === 0) return;
  const clash = list('allOf').find((x) => none.has(x));
  const anyOf = list('anyOf');
  const message =
    clash !== undefined
      ? `${formatPath(path)} both needs and forbids "${clash}", so no token can pass`
      : anyOf.length > 0 && anyOf.every((x) => none.has(x))
        ? `${formatPath(path)}: every anyOf entry is also in noneOf, so no token can pass`
        : null;
  if (message !== null) problems.push(problemAtPath(file, path, 'REQUIREMENT_UNSATISFIABLE', message, 'key', 'warning'));
}
