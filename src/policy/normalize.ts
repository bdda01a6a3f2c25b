// Validated policy files → PolicyIR: defaults merged into every protected route, the global
// audience and issuer made explicit checks, duplicates dropped, every check tagged with a stable
// path and its source position. Runs only on files that passed the schema and semantic checks.
import type { ClaimRequirement, EntryDocument, ListRequirement, RequirementMap, RuleDocument, Routes } from './document.js';
import type { Check, IRRoute, PolicyIR, SourceLocation } from './ir.js';
import { formatPath } from './paths.js';
import { parseRouteKey } from './route-key.js';
import { keysInOrder, offsetOf, positionOf, type DataPath, type SourceFile } from './source.js';

export interface NormalizeInput {
  readonly entry: { readonly file: SourceFile; readonly doc: EntryDocument };
  /** Included files in sorted path order. */
  readonly rules: readonly { readonly file: SourceFile; readonly doc: RuleDocument }[];
}

export function normalize(input: NormalizeInput): PolicyIR {
  const { entry } = input;
  const globals: Check[] = [];
  if (entry.doc.audience !== undefined) {
    globals.push({ kind: 'audience', id: 'aud', anyOf: [entry.doc.audience], path: 'audience', at: locate(entry.file, ['audience']) });
  }
  if (entry.doc.issuer !== undefined) {
    globals.push({ kind: 'issuer', id: 'iss', equals: entry.doc.issuer, path: 'issuer', at: locate(entry.file, ['issuer']) });
  }
  const defaults = entry.doc.defaults?.require;
  // Stryker disable next-line ConditionalExpression: without defaults.require, requirementChecks finds no keys to walk.
  if (defaults !== undefined) globals.push(...requirementChecks(entry.file, defaults, ['defaults', 'require']));

  const routes: IRRoute[] = [];
  for (const { file, doc } of [entry, ...input.rules]) {
    // Stryker disable next-line ConditionalExpression: without routes, fileRoutes finds no keys to walk.
    if (doc.routes !== undefined) routes.push(...fileRoutes(file, doc.routes, globals));
  }
  return { version: 1, audience: entry.doc.audience ?? null, issuer: entry.doc.issuer ?? null, routes };
}

function fileRoutes(file: SourceFile, routes: Routes, globals: readonly Check[]): IRRoute[] {
  return keysInOrder(file, ['routes']).map((key) => {
    const def = Object.hasOwn(routes, key) ? routes[key] : undefined;
    const parsed = parseRouteKey(key);
    // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: loadPolicy normalizes only files whose routes passed the schema and route-key checks.
    if (def === undefined || !parsed.ok) throw new Error(`normalize: route "${key}" was not validated`);
    const isPublic = def.public === true;
    // Stryker disable next-line ConditionalExpression,ArrayDeclaration: only a public route has no require (the schema's oneOf), and a public route's checks are [] whatever this holds.
    const own = def.require === undefined ? [] : requirementChecks(file, def.require, ['routes', key, 'require']);
    return {
      key,
      method: parsed.route.method,
      segments: parsed.route.segments,
      public: isPublic,
      checks: isPublic ? [] : dedupe([...globals, ...own]),
      at: locate(file, ['routes', key]),
    };
  });
}

/** Where a requirement was written: the position of its key. */
function locate(file: SourceFile, path: DataPath): SourceLocation {
  const { line, col } = positionOf(file, offsetOf(file, path, 'key'));
  return { file: file.name, line, col };
}

/**
 * The value of a requirement key that keysInOrder listed: present by construction (the key walk
 * yields only keys the map has). A missing one would be a bug here, so it throws rather than
 * skipping a requirement.
 */
function listed<K extends keyof RequirementMap>(map: RequirementMap, key: K, at: DataPath): NonNullable<RequirementMap[K]> {
  const v = map[key];
  // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable (above).
  if (v === undefined) throw new Error(`normalize: requirement listed at ${formatPath(at)} is absent`);
  return v as NonNullable<RequirementMap[K]>;
}

/** One requirement map's checks, in written order. */
function requirementChecks(file: SourceFile, map: RequirementMap, path: DataPath): Check[] {
  const checks: Check[] = [];
  for (const key of keysInOrder(file, path)) {
    const at = [...path, key];
    const base = { path: formatPath(at), at: locate(file, at) };
    switch (key) {
      case 'emailVerified': {
        const v = listed(map, 'emailVerified', at);
        checks.push({ kind: 'emailVerified', id: 'st-ev', maxAgeSeconds: v === true ? null : v.maxAgeSeconds, ...base });
        break;
      }
      case 'roles':
      case 'permissions': {
        const v: ListRequirement = listed(map, key, at);
        checks.push({
          kind: key,
          id: key === 'roles' ? 'st-role' : 'st-perm',
          anyOf: v.anyOf ?? null,
          allOf: v.allOf ?? null,
          noneOf: v.noneOf ?? null,
          maxAgeSeconds: v.maxAgeSeconds ?? null,
          ...base,
        });
        break;
      }
      case 'mfa': {
        const v = listed(map, 'mfa', at);
        checks.push(
          v === true
            ? { kind: 'mfa', id: 'st-mfa', factors: null, maxAgeSeconds: null, ...base }
            : {
                kind: 'mfa',
                id: 'st-mfa',
                factors: { anyOf: v.factors.anyOf ?? null, allOf: v.factors.allOf ?? null },
                maxAgeSeconds: v.maxAgeSeconds ?? null,
                ...base,
              },
        );
        break;
      }
      case 'tenant': {
        const v = listed(map, 'tenant', at);
        checks.push({ kind: 'tenant', id: 'tId', anyOf: v.anyOf ?? null, equalsPathParam: v.equalsPathParam ?? null, ...base });
        break;
      }
      case 'subject': {
        const v = listed(map, 'subject', at);
        checks.push({ kind: 'subject', id: 'sub', equalsPathParam: v.equalsPathParam, ...base });
        break;
      }
      case 'audience': {
        const v = listed(map, 'audience', at);
        checks.push({ kind: 'audience', id: 'aud', anyOf: typeof v === 'string' ? [v] : v, ...base });
        break;
      }
      case 'claims': {
        const claims = listed(map, 'claims', at);
        for (const name of keysInOrder(file, at)) {
          const c = Object.hasOwn(claims, name) ? claims[name] : undefined;
          // Stryker disable next-line ConditionalExpression: keysInOrder yields only keys the map has; this narrows the type.
          if (c !== undefined) checks.push(claimCheck(file, name, c, [...at, name]));
        }
        break;
      }
      case 'anyOf': {
        const branches = listed(map, 'anyOf', at);
        checks.push({
          kind: 'anyOf',
          ...base,
          branches: branches.map((b, i) => dedupe(requirementChecks(file, b, [...at, i]))),
        });
        break;
      }
      // Stryker disable next-line ConditionalExpression: unreachable after schema validation, which rejects unknown keys.
      default:
        // Unreachable after schema validation, which rejects unknown keys.
        // Stryker disable next-line StringLiteral: unreachable (above).
        throw new Error(`normalize: unknown requirement "${key}" at ${formatPath(at)}`);
    }
  }
  return checks;
}

function claimCheck(file: SourceFile, name: string, c: ClaimRequirement, path: DataPath): Check {
  const base = { kind: 'claim', id: name, path: formatPath(path), at: locate(file, path) } as const;
  if (c.exists === true) return { ...base, op: 'exists' };
  if (c.anyOf !== undefined) return { ...base, op: 'anyOf', values: c.anyOf };
  return { ...base, op: 'equals', value: c.equals ?? null };
}

/** Drops checks identical to an earlier one (ignoring where they were written), keeping the first. */
export function dedupe(checks: readonly Check[]): Check[] {
  const seen = new Set<string>();
  return checks.filter((c) => {
    const id = canonical(c);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * A check as sorted-key JSON without its own `path`/`at` (and its branches' ones). Claim values
 * are kept whole: a claim value may itself hold keys named "path" or "at".
 */
function canonical(check: Check): string {
  const { path: _path, at: _at, ...rest } = check;
  const body = check.kind === 'anyOf' ? { ...rest, branches: check.branches.map((b) => b.map(canonical)) } : rest;
  return sortedJson(body);
}

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`);
    // Stryker disable next-line StringLiteral: each key is a quoted JSON string, so where one entry ends is clear without the comma.
    return `{${entries.join(',')}}`;
  }
  // Stryker disable next-line StringLiteral: a check holds only JSON values, none undefined.
  return JSON.stringify(value) ?? 'null';
}
