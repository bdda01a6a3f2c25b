// The drift check: a deployed (or planned) HTTP API against the policy's DeployPlan. Every finding
// has a stable code; each code has one severity, so `routes diff` exits the same way for the same
// kind of drift every time.
import type { SourceLocation } from '../policy/ir.js';
import { parseRouteKey, routeShape } from '../policy/route-key.js';
import { isUnresolved, type DeployedApi, type DeployedAuthorizer, type DeployedRoute, type Value } from './deployed.js';
import { MAX_RESULT_TTL_SECONDS } from './authorizer-cache.js';
import { IDENTITY_SOURCE, type DeployPlan, type LambdaAuthorizerPlan, type PlannedRoute } from './plan.js';

/**
 * Errors can let a request through unchecked or lock users out; warnings cannot.
 * Never rename a code, only add.
 */
export const DRIFT_SEVERITY = {
  /** A deployed route the policy does not name: whatever serves it was not reviewed. */
  ROUTE_NOT_IN_POLICY: 'error',
  /** A policy route (or a required auth route) with no deployed route: its users are locked out. */
  ROUTE_NOT_DEPLOYED: 'error',
  /** A protected route deployed without the planned authorizer (none, IAM, another kind). */
  PROTECTED_ROUTE_WITHOUT_AUTHORIZER: 'error',
  /** A public route (or an auth route) deployed with an authorizer: callers without a token are refused. */
  PUBLIC_ROUTE_WITH_AUTHORIZER: 'error',
  AUTHORIZER_ISSUER_MISMATCH: 'error',
  AUTHORIZER_AUDIENCE_MISMATCH: 'error',
  /**
   * JWT: the authorizer reads the token from elsewhere than the Authorization header claimguard
   * decodes. Lambda (claimguard/authorizer): the identity sources lack the route or the
   * Authorization header, so a cached answer could serve another route or caller.
   */
  AUTHORIZER_IDENTITY_SOURCE_MISMATCH: 'error',
  /** Same route, other parameter names: decisions still follow the policy's template (by path). */
  ROUTE_PARAM_NAMES_DIFFER: 'warning',
  /** A Lambda authorizer caching its answers longer than the policy's longest safe TTL. */
  AUTHORIZER_CACHE_UNSAFE: 'error',
  /** A Lambda authorizer not on payload 2.0 with simple responses: API Gateway cannot read claimguard/authorizer's answers (500). */
  AUTHORIZER_RESPONSE_FORMAT_MISMATCH: 'error',
} as const;

export type DriftCode = keyof typeof DRIFT_SEVERITY;
export type DriftSeverity = (typeof DRIFT_SEVERITY)[DriftCode];
export const DRIFT_CODES = Object.keys(DRIFT_SEVERITY) as DriftCode[];

export interface DriftFinding {
  readonly code: DriftCode;
  readonly severity: DriftSeverity;
  /** The route concerned (policy key, else the deployed key); null for authorizer findings. */
  readonly route: string | null;
  /** The deployed authorizer concerned, when there is one. */
  readonly authorizer: string | null;
  readonly message: string;
  /** Where the policy names the route; null when the policy does not. */
  readonly policy: SourceLocation | null;
  /** Where the deployed description has it (JSON pointer or `Resources.<logicalId>`). */
  readonly deployed: string | null;
}

export interface DriftReport {
  readonly findings: readonly DriftFinding[];
  /** Routes present on both sides. */
  readonly matched: number;
  readonly deployedRoutes: number;
  readonly plannedRoutes: number;
}

const show = (v: Value<unknown> | null): string => (v === null ? 'nothing' : isUnresolved(v) ? `the CloudFormation expression ${v.expression}` : JSON.stringify(v));

export function diffRoutes(plan: DeployPlan, api: DeployedApi): DriftReport {
  const findings: DriftFinding[] = [];
  const add = (code: DriftCode, f: Omit<DriftFinding, 'code' | 'severity'>): void => {
    findings.push({ code, severity: DRIFT_SEVERITY[code], ...f });
  };
  const byKey = new Map(plan.routes.map((r) => [r.key, r]));
  const byShape = new Map<string, PlannedRoute>();
  for (const r of plan.routes) {
    const parsed = parseRouteKey(r.key);
    if (parsed.ok) byShape.set(routeShape(parsed.route), r);
  }

  const seen = new Set<PlannedRoute>();
  const users = new Map<DeployedAuthorizer, string[]>();
  let matched = 0;
  for (const deployed of api.routes) {
    const planned = match(deployed.key, byKey, byShape);
    if (planned === null) {
      const what = isUnresolved(deployed.key) ? `a route whose key is ${show(deployed.key)}` : `route "${deployed.key}"`;
      add('ROUTE_NOT_IN_POLICY', {
        route: isUnresolved(deployed.key) ? null : deployed.key,
        authorizer: null,
        message: `${what} is deployed but the policy does not name it: requests to it reach an integration no reviewed requirement covers`,
        policy: null,
        deployed: deployed.where,
      });
      continue;
    }
    matched++;
    seen.add(planned);
    if (deployed.key !== planned.key) {
      add('ROUTE_PARAM_NAMES_DIFFER', {
        route: planned.key,
        authorizer: null,
        message: `deployed as "${String(deployed.key)}", named "${planned.key}" in the policy: same route, other path parameter names`,
        policy: planned.at,
        deployed: deployed.where,
      });
    }
    checkRouteAuth(planned, deployed, add, users, plan.lambda === null ? 'JWT' : 'REQUEST');
  }

  for (const planned of plan.routes) {
    if (seen.has(planned) || !planned.required) continue;
    add('ROUTE_NOT_DEPLOYED', {
      route: planned.key,
      authorizer: null,
      message:
        planned.origin === 'auth'
          ? `SuperTokens' route "${planned.key}" is not deployed: nobody can sign in, and API Gateway cannot fetch the issuer's JWKS`
          : `"${planned.key}" is in the policy but not deployed: its callers get 404 or whatever route catches them`,
      policy: planned.at,
      deployed: null,
    });
  }

  if (plan.jwt !== null) {
    for (const [authorizer, routes] of users) checkAuthorizer(plan.jwt, authorizer, routes, add);
  }
  if (plan.lambda !== null) {
    for (const [authorizer, routes] of users) checkLambdaAuthorizer(plan.lambda, authorizer, routes, add);
  }
  return { findings, matched, deployedRoutes: api.routes.length, plannedRoutes: plan.routes.length };
}

function match(key: Value<string>, byKey: ReadonlyMap<string, PlannedRoute>, byShape: ReadonlyMap<string, PlannedRoute>): PlannedRoute | null {
  if (isUnresolved(key)) return null;
  const exact = byKey.get(key);
  if (exact !== undefined) return exact;
  const parsed = parseRouteKey(key);
  return parsed.ok ? (byShape.get(routeShape(parsed.route)) ?? null) : null;
}

type Add = (code: DriftCode, f: Omit<DriftFinding, 'code' | 'severity'>) => void;

function checkRouteAuth(planned: PlannedRoute, deployed: DeployedRoute, add: Add, users: Map<DeployedAuthorizer, string[]>, expected: 'JWT' | 'REQUEST'): void {
  const { auth } = deployed;
  const base = { route: planned.key, policy: planned.at, deployed: deployed.where };
  if (planned.authorizer) {
    if (auth.kind === 'authorizer' && auth.authorizer.type === expected) {
      users.set(auth.authorizer, [...(users.get(auth.authorizer) ?? []), planned.key]);
      return;
    }
    const wanted = expected === 'JWT' ? 'the JWT authorizer' : "claimguard's Lambda authorizer (REQUEST)";
    const has =
      auth.kind === 'none'
        ? 'no authorizer: anyone on the internet reaches the integration'
        : auth.kind === 'other'
          ? `${auth.detail}, not ${wanted}`
          : expected === 'JWT'
            ? `a ${auth.authorizer.type} authorizer ("${auth.authorizer.name}"), not the JWT authorizer whose verified claims claimguard cross-checks`
            : `a ${auth.authorizer.type} authorizer ("${auth.authorizer.name}"), not ${wanted}, which enforces the policy at the gateway`;
    add('PROTECTED_ROUTE_WITHOUT_AUTHORIZER', { ...base, authorizer: auth.kind === 'authorizer' ? auth.authorizer.name : null, message: `"${planned.key}" is protected in the policy but deployed with ${has}` });
    return;
  }
  if (auth.kind === 'none') return;
  const what = planned.origin === 'auth' ? "SuperTokens' auth route" : 'public in the policy';
  const has = auth.kind === 'authorizer' ? `the ${auth.authorizer.type} authorizer "${auth.authorizer.name}"` : auth.detail;
  add('PUBLIC_ROUTE_WITH_AUTHORIZER', {
    ...base,
    authorizer: auth.kind === 'authorizer' ? auth.authorizer.name : null,
    message: `"${planned.key}" is ${what} but deployed with ${has}: callers without a token are refused`,
  });
}

function checkAuthorizer(jwt: NonNullable<DeployPlan['jwt']>, authorizer: DeployedAuthorizer, routes: readonly string[], add: Add): void {
  const base = { route: null, authorizer: authorizer.name, policy: null, deployed: authorizer.name };
  const on = `(on ${routes.length === 1 ? `"${routes[0]}"` : `${routes.length} protected routes`})`;
  if (authorizer.issuer !== jwt.issuer) {
    add('AUTHORIZER_ISSUER_MISMATCH', {
      ...base,
      message: `JWT authorizer "${authorizer.name}" ${on} accepts issuer ${show(authorizer.issuer)}, the policy's issuer is "${jwt.issuer}": tokens of one of them are refused or accepted wrongly`,
    });
  }
  const audience = authorizer.audience;
  const sameAudience =
    audience !== null && !isUnresolved(audience) && audience.every((a) => typeof a === 'string') && sameSet(audience as readonly string[], jwt.audience);
  if (!sameAudience) {
    add('AUTHORIZER_AUDIENCE_MISMATCH', {
      ...base,
      message: `JWT authorizer "${authorizer.name}" ${on} accepts audience ${show(audience)}, the policy's audience is ${JSON.stringify(jwt.audience)}`,
    });
  }
  // API Gateway's default identity source for JWT authorizers is the Authorization header.
  const identity = authorizer.identitySource ?? [IDENTITY_SOURCE];
  const sameIdentity = !isUnresolved(identity) && identity.length === 1 && typeof identity[0] === 'string' && identity[0].toLowerCase() === IDENTITY_SOURCE.toLowerCase();
  if (!sameIdentity) {
    add('AUTHORIZER_IDENTITY_SOURCE_MISMATCH', {
      ...base,
      message: `JWT authorizer "${authorizer.name}" ${on} reads the token from ${show(identity)}; claimguard's Lambda decodes ${IDENTITY_SOURCE} and cross-checks it with the authorizer's claims, so the two disagree and requests are refused`,
    });
  }
}

function checkLambdaAuthorizer(lambda: LambdaAuthorizerPlan, authorizer: DeployedAuthorizer, routes: readonly string[], add: Add): void {
  const base = { route: null, authorizer: authorizer.name, policy: null, deployed: authorizer.name };
  const on = `(on ${routes.length === 1 ? `"${routes[0]}"` : `${routes.length} protected routes`})`;
  const identity = authorizer.identitySource ?? [];
  const given = isUnresolved(identity) ? [] : identity.filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase());
  const missing = lambda.identitySource.filter((x) => !given.includes(x.toLowerCase()));
  if (isUnresolved(identity) || missing.length > 0) {
    add('AUTHORIZER_IDENTITY_SOURCE_MISMATCH', {
      ...base,
      message: `Lambda authorizer "${authorizer.name}" ${on} has the identity sources ${show(identity)}, without ${missing.join(' and ') || 'a readable list'}: API Gateway could serve one route's or one caller's cached answer for another (claimguard/authorizer then refuses every request: 500)`,
    });
  }
  // Not given: API Gateway's default, taken to be its console default of 300 s.
  const ttl = authorizer.resultTtlSeconds ?? MAX_RESULT_TTL_SECONDS;
  if (isUnresolved(ttl) || ttl > lambda.resultTtlSeconds) {
    add('AUTHORIZER_CACHE_UNSAFE', {
      ...base,
      message: `Lambda authorizer "${authorizer.name}" ${on} caches results for ${isUnresolved(ttl) ? show(ttl) : `${ttl} s${authorizer.resultTtlSeconds === null ? " (not set: API Gateway's default)" : ''}`}; the longest safe TTL for this policy is ${lambda.resultTtlSeconds} s (claimguard build prints why)`,
    });
  }
  if (authorizer.payloadFormatVersion !== lambda.payloadFormatVersion || authorizer.simpleResponses !== lambda.simpleResponses) {
    add('AUTHORIZER_RESPONSE_FORMAT_MISMATCH', {
      ...base,
      message: `Lambda authorizer "${authorizer.name}" ${on} uses payload ${authorizer.payloadFormatVersion ?? '(not set)'} with simple responses ${authorizer.simpleResponses === true ? 'on' : 'off'}; claimguard/authorizer answers payload 2.0 events with simple responses, which API Gateway reads only with both set (otherwise every request is a 500)`,
    });
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}
