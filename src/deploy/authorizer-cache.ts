// How long API Gateway may cache claimguard/authorizer's results for a policy. API Gateway keys its
// cache on the identity sources' values and reuses a result for every request with the same key
// until the TTL ends. A TTL is safe when a reused result is never wrong for a request it answers:
// - HTTP API (key: Authorization + route key; simple responses cover any request): no protected
//   route may decide on what the key cannot see, its path parameters (`equalsPathParam`);
// - REST API (key: Authorization + method + resource path; the IAM policy names one method ARN,
//   which contains the path's values): a cached policy never covers another path, so a protected
//   route with a path parameter would see its other values refused (403) until the TTL ends;
// - both: a freshness requirement (`maxAgeSeconds`) bounds the TTL (a cached allow outlives the
//   check by up to the TTL), and so does claimguard's ceiling of 300 s, API Gateway's default (a
//   cached allow outlives the token's `exp` and any revocation by up to the TTL).
// Assumes the deployment has one route per policy route (what ClaimguardHttpApi creates and
// `claimguard routes diff` checks). See docs/authorizer.md, "Caching".
import type { Check, IRRoute, PolicyIR, SourceLocation } from '../policy/ir.js';

export { SAFE_IDENTITY_SOURCES } from '../authorizer/identity-sources.js';

/** claimguard's ceiling for any authorizer result TTL (API Gateway's own default). */
export const MAX_RESULT_TTL_SECONDS = 300;

export interface ResultTtl {
  /** The longest safe `resultsCacheTtl` / `AuthorizerResultTtlInSeconds`, 0 … 300. */
  readonly seconds: number;
  /** What set it, in words (a route and what in it, or the ceiling). */
  readonly limitedBy: string;
  /** Where the policy says it, when a requirement or route set it. */
  readonly at: SourceLocation | null;
}

export interface AuthorizerCaching {
  readonly rest: ResultTtl;
  readonly httpApi: ResultTtl;
}

const where = (at: SourceLocation): string => `${at.file}:${at.line}`;

function* leaves(checks: readonly Check[]): Generator<Exclude<Check, { kind: 'anyOf' }>> {
  for (const c of checks) {
    if (c.kind === 'anyOf') for (const b of c.branches) yield* leaves(b);
    else yield c;
  }
}

const maxAgeOf = (c: Exclude<Check, { kind: 'anyOf' }>): number | null =>
  c.kind === 'emailVerified' || c.kind === 'roles' || c.kind === 'permissions' || c.kind === 'mfa' ? c.maxAgeSeconds : null;

const pathParamOf = (c: Exclude<Check, { kind: 'anyOf' }>): string | null =>
  c.kind === 'subject' ? c.equalsPathParam : c.kind === 'tenant' ? c.equalsPathParam : null;

/** The freshness bound shared by both kinds: the ceiling, or the smallest `maxAgeSeconds` of a protected route. */
function freshness(routes: readonly IRRoute[]): ResultTtl {
  let best: ResultTtl = {
    seconds: MAX_RESULT_TTL_SECONDS,
    limitedBy: `claimguard's ceiling (API Gateway's default): a cached allow outlives the token's exp by up to the TTL`,
    at: null,
  };
  for (const r of routes) {
    for (const c of leaves(r.checks)) {
      const age = maxAgeOf(c);
      if (age !== null && age < best.seconds) best = { seconds: age, limitedBy: `${c.path} has maxAgeSeconds ${age} (${where(c.at)})`, at: c.at };
    }
  }
  return best;
}

export function authorizerCaching(ir: PolicyIR): AuthorizerCaching {
  const protectedRoutes = ir.routes.filter((r) => !r.public);
  const fresh = freshness(protectedRoutes);
  let httpApi = fresh;
  let rest = fresh;
  for (const r of protectedRoutes) {
    if (httpApi.seconds > 0) {
      for (const c of leaves(r.checks)) {
        const param = pathParamOf(c);
        if (param === null) continue;
        httpApi = {
          seconds: 0,
          limitedBy: `"${r.key}" decides on its path parameter ${param} (${c.path}, ${where(c.at)}), which $context.routeKey does not tell apart: a cached result would answer for another ${param}`,
          at: c.at,
        };
        break;
      }
    }
    if (rest.seconds > 0 && r.segments !== null && r.segments.some((s) => s.kind !== 'literal')) {
      rest = {
        seconds: 0,
        limitedBy: `"${r.key}" has path parameters (${where(r.at)}): a cached IAM policy names one method ARN, so API Gateway would refuse (403) the route's other values until the TTL ends`,
        at: r.at,
      };
    }
  }
  return { rest, httpApi };
}
