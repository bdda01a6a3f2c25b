// Hand-built IR for tests: the YAML loader is tested on its own; decision tests construct the
// normalized form directly so they pin the evaluator, not the parser.
import type {
  AnyOfCheck,
  AudienceCheck,
  Check,
  ClaimCheck,
  EmailVerifiedCheck,
  HttpMethod,
  IRRoute,
  IssuerCheck,
  JsonValue,
  ListClaimCheck,
  MfaCheck,
  PolicyIR,
  Segment,
  SourceLocation,
  SubjectCheck,
  TenantCheck,
} from '../../src/policy/ir.js';

export const AT: SourceLocation = { file: 'policies.yaml', line: 1, col: 1 };

/** `/a/{b}/{c+}` → segments; `/` → []. */
export function segmentsOf(template: string): Segment[] {
  if (template === '/') return [];
  return template
    .slice(1)
    .split('/')
    .map((s): Segment => {
      if (s.startsWith('{') && s.endsWith('+}')) return { kind: 'greedy', name: s.slice(1, -2) };
      if (s.startsWith('{') && s.endsWith('}')) return { kind: 'param', name: s.slice(1, -1) };
      return { kind: 'literal', value: s };
    });
}

/** The route key's template text for segments (inverse of segmentsOf). */
export function templateOf(segments: readonly Segment[]): string {
  return (
    '/' +
    segments.map((s) => (s.kind === 'literal' ? s.value : s.kind === 'param' ? `{${s.name}}` : `{${s.name}+}`)).join('/')
  );
}

/** A route from its key (`GET /a/{b}` or `$default`). */
export function route(key: string, checks: readonly Check[] = [], opts: { public?: boolean } = {}): IRRoute {
  if (key === '$default') return { key, method: null, segments: null, public: opts.public ?? false, checks, at: AT };
  const space = key.indexOf(' ');
  const method = key.slice(0, space) as HttpMethod;
  return { key, method, segments: segmentsOf(key.slice(space + 1)), public: opts.public ?? false, checks, at: AT };
}

export const publicRoute = (key: string): IRRoute => route(key, [], { public: true });

export function policy(
  routes: readonly IRRoute[],
  opts: { audience?: string | null; issuer?: string | null } = {},
): PolicyIR {
  return { version: 1, audience: opts.audience ?? null, issuer: opts.issuer ?? null, routes };
}

const base = (path: string) => ({ path, at: AT });

export const chk = {
  audience: (...anyOf: string[]): AudienceCheck => ({ kind: 'audience', id: 'aud', anyOf, ...base('audience') }),
  issuer: (equals: string): IssuerCheck => ({ kind: 'issuer', id: 'iss', equals, ...base('issuer') }),
  emailVerified: (maxAgeSeconds: number | null = null): EmailVerifiedCheck => ({
    kind: 'emailVerified',
    id: 'st-ev',
    maxAgeSeconds,
    ...base('require.emailVerified'),
  }),
  list: (
    kind: 'roles' | 'permissions',
    o: { anyOf?: string[]; allOf?: string[]; noneOf?: string[]; maxAgeSeconds?: number },
  ): ListClaimCheck => ({
    kind,
    id: kind === 'roles' ? 'st-role' : 'st-perm',
    anyOf: o.anyOf ?? null,
    allOf: o.allOf ?? null,
    noneOf: o.noneOf ?? null,
    maxAgeSeconds: o.maxAgeSeconds ?? null,
    ...base(`require.${kind}`),
  }),
  roles: (o: { anyOf?: string[]; allOf?: string[]; noneOf?: string[]; maxAgeSeconds?: number }): ListClaimCheck =>
    chk.list('roles', o),
  permissions: (o: { anyOf?: string[]; allOf?: string[]; noneOf?: string[]; maxAgeSeconds?: number }): ListClaimCheck =>
    chk.list('permissions', o),
  mfa: (factors?: { anyOf?: string[]; allOf?: string[] }, maxAgeSeconds?: number): MfaCheck => ({
    kind: 'mfa',
    id: 'st-mfa',
    factors: factors ? { anyOf: factors.anyOf ?? null, allOf: factors.allOf ?? null } : null,
    maxAgeSeconds: maxAgeSeconds ?? null,
    ...base('require.mfa'),
  }),
  tenantAnyOf: (...anyOf: string[]): TenantCheck => ({
    kind: 'tenant',
    id: 'tId',
    anyOf,
    equalsPathParam: null,
    ...base('require.tenant'),
  }),
  tenantParam: (p: string): TenantCheck => ({
    kind: 'tenant',
    id: 'tId',
    anyOf: null,
    equalsPathParam: p,
    ...base('require.tenant'),
  }),
  subject: (p: string): SubjectCheck => ({ kind: 'subject', id: 'sub', equalsPathParam: p, ...base('require.subject') }),
  claimEquals: (id: string, value: JsonValue): ClaimCheck => ({
    kind: 'claim',
    id,
    op: 'equals',
    value,
    ...base(`require.claims.${id}`),
  }),
  claimAnyOf: (id: string, values: JsonValue[]): ClaimCheck => ({
    kind: 'claim',
    id,
    op: 'anyOf',
    values,
    ...base(`require.claims.${id}`),
  }),
  claimExists: (id: string): ClaimCheck => ({ kind: 'claim', id, op: 'exists', ...base(`require.claims.${id}`) }),
  anyOf: (...branches: Check[][]): AnyOfCheck => ({ kind: 'anyOf', branches, ...base('require.anyOf') }),
};

/** A decision input document; `token` undefined leaves the key out. */
export function input(
  method: string,
  path: string,
  opts: {
    routeKey?: string | null;
    pathParameters?: Record<string, unknown> | null;
    token?: Record<string, unknown> | null;
    now?: number;
  } = {},
): Record<string, unknown> {
  const request: Record<string, unknown> = { method, path };
  if (opts.routeKey !== undefined) request['routeKey'] = opts.routeKey;
  if (opts.pathParameters !== undefined) request['pathParameters'] = opts.pathParameters;
  const doc: Record<string, unknown> = { request, now: opts.now ?? 0 };
  if (opts.token !== undefined) doc['token'] = opts.token;
  return doc;
}
