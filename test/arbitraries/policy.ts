// arbPolicyIR(): random valid IRs, as the loader would produce them (schema-valid parameters,
// unique route shapes, global and default checks copied into every protected route in report order).
import fc from 'fast-check';
import type {
  AnyOfCheck,
  Check,
  HttpMethod,
  IRRoute,
  PolicyIR,
  Segment,
  SourceLocation,
} from '../../src/policy/ir.js';
import { arbJsonValue } from './json.js';
import {
  AUDIENCES,
  CLAIM_NAMES,
  FACTORS,
  ISSUERS,
  LITERALS,
  MAX_AGES,
  PARAM_NAMES,
  PERMISSIONS,
  POLICY_METHODS,
  ROLES,
  TENANTS,
} from './vocab.js';

export interface PolicyIROptions {
  /** Non-`$default` routes: at least this many (default 1). */
  readonly minRoutes?: number;
  /** All routes, `$default` included (default 30). */
  readonly maxRoutes?: number;
  /** Path segments before an optional final greedy one (default 3). */
  readonly maxSegments?: number;
  /** Own checks per route (default 4). */
  readonly maxChecks?: number;
  /** anyOf nesting (default 3). */
  readonly maxAnyOfDepth?: number;
}

/** A route key's method and template, before checks. */
export interface RouteTemplate {
  readonly method: HttpMethod;
  readonly segments: readonly Segment[];
}

const DRAFT_AT: SourceLocation = { file: 'policies.yaml', line: 0, col: 0 };
const draft = { path: '', at: DRAFT_AT };

export function renderTemplate(segments: readonly Segment[]): string {
  return '/' + segments.map((s) => (s.kind === 'literal' ? s.value : s.kind === 'param' ? `{${s.name}}` : `{${s.name}+}`)).join('/');
}

/** What API Gateway (and the loader) treat as the same route: parameter names erased. */
export function templateShape(t: RouteTemplate): string {
  return `${t.method} ${t.segments.map((s) => (s.kind === 'literal' ? `/${s.value}` : s.kind === 'param' ? '/{}' : '/{+}')).join('')}`;
}

export const paramNamesOf = (segments: readonly Segment[] | null): string[] =>
  (segments ?? []).flatMap((s) => (s.kind === 'literal' ? [] : [s.name]));

/** Method + template: literals from a tiny alphabet, unique param names, maybe a final greedy. */
export function arbRouteTemplate(maxSegments = 3): fc.Arbitrary<RouteTemplate> {
  return fc
    .record({
      method: fc.constantFrom(...POLICY_METHODS),
      kinds: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...LITERALS) }, { weight: 2, arbitrary: fc.constant(null) }), {
        maxLength: maxSegments,
      }),
      greedy: fc.boolean(),
      names: fc.shuffledSubarray([...PARAM_NAMES], { minLength: PARAM_NAMES.length }),
    })
    .map(({ method, kinds, greedy, names }) => {
      let n = 0;
      const segments: Segment[] = kinds.map((lit) => (lit === null ? { kind: 'param', name: names[n++]! } : { kind: 'literal', value: lit }));
      if (greedy) segments.push({ kind: 'greedy', name: names[n++]! });
      return { method, segments };
    });
}

const nonNullJson = arbJsonValue(2).filter((v) => v !== null);
const nonEmptySub = (xs: readonly string[], max = 3) => fc.shuffledSubarray([...xs], { minLength: 1, maxLength: max });
const maybeAge = fc.option(fc.constantFrom(...MAX_AGES), { nil: null, freq: 2 });

/** One requirement-map entry that is not anyOf. `params`: the route's path parameter names. */
export function arbLeafCheck(params: readonly string[]): fc.Arbitrary<Check> {
  const list = (kind: 'roles' | 'permissions', vocab: readonly string[]) =>
    fc
      .record({
        anyOf: fc.option(nonEmptySub(vocab), { nil: null }),
        allOf: fc.option(nonEmptySub(vocab, 2), { nil: null }),
        noneOf: fc.option(nonEmptySub(vocab, 2), { nil: null }),
        fallback: nonEmptySub(vocab, 2),
        maxAgeSeconds: maybeAge,
      })
      .map(({ anyOf, allOf, noneOf, fallback, maxAgeSeconds }): Check => {
        // Mostly satisfiable: noneOf keeps clear of allOf and of at least one anyOf entry.
        const keep = (x: string) => !(allOf ?? []).includes(x) && x !== anyOf?.[0];
        const none = noneOf?.filter(keep) ?? [];
        const noneOfSet = none.length > 0 ? none : null;
        return {
          kind,
          id: kind === 'roles' ? 'st-role' : 'st-perm',
          // At least one list is set (schema).
          anyOf: anyOf === null && allOf === null && noneOfSet === null ? fallback : anyOf,
          allOf,
          noneOf: noneOfSet,
          maxAgeSeconds,
          ...draft,
        };
      });
  const kinds: fc.Arbitrary<Check>[] = [
    maybeAge.map((maxAgeSeconds): Check => ({ kind: 'emailVerified', id: 'st-ev', maxAgeSeconds, ...draft })),
    list('roles', ROLES),
    list('permissions', PERMISSIONS),
    fc.oneof(
      fc.constant<Check>({ kind: 'mfa', id: 'st-mfa', factors: null, maxAgeSeconds: null, ...draft }),
      fc
        .record({ all: fc.boolean(), factors: nonEmptySub(FACTORS), maxAgeSeconds: maybeAge })
        .map(({ all, factors, maxAgeSeconds }): Check => ({
          kind: 'mfa',
          id: 'st-mfa',
          factors: all ? { anyOf: null, allOf: factors } : { anyOf: factors, allOf: null },
          maxAgeSeconds,
          ...draft,
        })),
    ),
    nonEmptySub(TENANTS).map((anyOf): Check => ({ kind: 'tenant', id: 'tId', anyOf, equalsPathParam: null, ...draft })),
    nonEmptySub(AUDIENCES, 2).map((anyOf): Check => ({ kind: 'audience', id: 'aud', anyOf, ...draft })),
    // `equals: null` can never pass (null counts as missing); keep it rare.
    fc.record({ id: fc.constantFrom(...CLAIM_NAMES), value: fc.oneof({ weight: 19, arbitrary: nonNullJson }, { weight: 1, arbitrary: fc.constant(null) }) }).map(({ id, value }): Check => ({ kind: 'claim', id, op: 'equals', value, ...draft })),
    fc
      .record({ id: fc.constantFrom(...CLAIM_NAMES), values: fc.array(arbJsonValue(1), { minLength: 1, maxLength: 3 }) })
      .map(({ id, values }): Check => ({ kind: 'claim', id, op: 'anyOf', values, ...draft })),
    fc.constantFrom(...CLAIM_NAMES).map((id): Check => ({ kind: 'claim', id, op: 'exists', ...draft })),
  ];
  if (params.length > 0) {
    kinds.push(
      fc.constantFrom(...params).map((p): Check => ({ kind: 'tenant', id: 'tId', anyOf: null, equalsPathParam: p, ...draft })),
      fc.constantFrom(...params).map((p): Check => ({ kind: 'subject', id: 'sub', equalsPathParam: p, ...draft })),
    );
  }
  return fc.oneof(...kinds);
}

/** The YAML key a check was written under, unique within one requirement map. */
const mapKey = (c: Check): string => (c.kind === 'claim' ? `claims.${c.id}` : c.kind);

/** A requirement map: distinct keys, written order random; anyOf nested up to `depth` more levels. */
export function arbRequireMap(params: readonly string[], depth: number, minLength: number, maxLength: number): fc.Arbitrary<Check[]> {
  const entry: fc.Arbitrary<Check> =
    depth > 0
      ? fc.oneof({ weight: 6, arbitrary: arbLeafCheck(params) }, { weight: 1, arbitrary: arbAnyOf(params, depth) })
      : arbLeafCheck(params);
  return fc.uniqueArray(entry, { minLength, maxLength, selector: mapKey });
}

/** `anyOf: [map, …]` with 1–3 non-empty branches; `depth` counts this level. */
export function arbAnyOf(params: readonly string[], depth: number): fc.Arbitrary<Check> {
  return fc
    .array(arbRequireMap(params, depth - 1, 1, 3), { minLength: 1, maxLength: 3 })
    .map((branches): AnyOfCheck => ({ kind: 'anyOf', branches, ...draft }));
}

/** Assigns `path` and `at` as the loader would: stable paths, lines in report order. */
function place(checks: readonly Check[], prefix: string, line: { n: number }): Check[] {
  return checks.map((c): Check => {
    const at: SourceLocation = { file: 'policies.yaml', line: ++line.n, col: 5 };
    if (c.kind === 'anyOf') {
      const path = `${prefix}.anyOf`;
      return { ...c, path, at, branches: c.branches.map((b, i) => place(b, `${path}[${i}]`, line)) };
    }
    const key = c.kind === 'claim' ? `claims[${JSON.stringify(c.id)}]` : c.kind;
    return { ...c, path: `${prefix}.${key}`, at };
  });
}

/** Random valid PolicyIR: 1–30 routes (shapes unique), `$default` sometimes, public routes, global checks. */
export function arbPolicyIR(options: PolicyIROptions = {}): fc.Arbitrary<PolicyIR> {
  const maxRoutes = options.maxRoutes ?? 30;
  const minRoutes = Math.max(1, options.minRoutes ?? 1);
  const depth = options.maxAnyOfDepth ?? 3;
  const maxChecks = options.maxChecks ?? 4;
  const templates = fc.uniqueArray(arbRouteTemplate(options.maxSegments ?? 3), {
    minLength: minRoutes,
    maxLength: maxRoutes - 1,
    selector: templateShape,
    size: 'medium',
  });
  return fc
    .record({
      templates,
      withDefault: fc.boolean(),
      audience: fc.option(fc.constantFrom(...AUDIENCES), { nil: null, freq: 3 }),
      issuer: fc.option(fc.constantFrom(...ISSUERS), { nil: null }),
      defaults: arbRequireMap([], 0, 0, 2),
    })
    .chain(({ templates, withDefault, audience, issuer, defaults }) => {
      const shapes: { key: string; method: HttpMethod | null; segments: readonly Segment[] | null }[] = templates.map((t) => ({
        key: `${t.method} ${renderTemplate(t.segments)}`,
        method: t.method,
        segments: t.segments,
      }));
      if (withDefault) shapes.splice(Math.floor(shapes.length / 2), 0, { key: '$default', method: null, segments: null });
      const perRoute = shapes.map((s) => arbRequireMap(paramNamesOf(s.segments), depth, 0, maxChecks));
      return fc.tuple(...perRoute, fc.array(fc.nat({ max: 4 }), { minLength: shapes.length, maxLength: shapes.length })).map((all) => {
        const publicDice = all[all.length - 1] as number[];
        const line = { n: 0 };
        const globals: Check[] = [];
        if (audience !== null) globals.push({ kind: 'audience', id: 'aud', anyOf: [audience], path: 'audience', at: { file: 'policies.yaml', line: 2, col: 1 } });
        if (issuer !== null) globals.push({ kind: 'issuer', id: 'iss', equals: issuer, path: 'issuer', at: { file: 'policies.yaml', line: 3, col: 1 } });
        line.n = 4;
        const placedDefaults = place(defaults, 'defaults.require', line);
        const routes: IRRoute[] = shapes.map((s, i) => {
          const own = all[i] as Check[];
          const at: SourceLocation = { file: 'policies.yaml', line: ++line.n, col: 3 };
          // About one route in five is public.
          const isPublic = publicDice[i] === 0;
          const checks = isPublic ? [] : [...globals, ...placedDefaults, ...place(own, `routes[${JSON.stringify(s.key)}].require`, line)];
          return { key: s.key, method: s.method, segments: s.segments, public: isPublic, checks, at };
        });
        return { version: 1, audience, issuer, routes } satisfies PolicyIR;
      });
    });
}
