// The policy as API Gateway sees it: which route keys exist, which carry the authorizer (exactly
// the protected ones), and that authorizer's settings: API Gateway's JWT authorizer (issuer,
// audience, identity source), or claimguard/authorizer as a Lambda authorizer (identity sources,
// response format, the longest safe cache TTL). The OpenAPI export, the CDK construct and the
// drift check all start from this one plan, so they cannot disagree about what "protected" means.
import { SAFE_IDENTITY_SOURCES } from '../authorizer/identity-sources.js';
import type { HttpMethod, IRRoute, PolicyIR, Segment, SourceLocation } from '../policy/ir.js';
import { parseRouteKey, routeShape } from '../policy/route-key.js';
import { authorizerCaching } from './authorizer-cache.js';
import { DeployError } from './errors.js';

/** Where API Gateway finds the bearer token; also where claimguard/lambda reads it. */
export const IDENTITY_SOURCE = '$request.header.Authorization';

/** SuperTokens' default `apiBasePath`. */
export const DEFAULT_AUTH_BASE_PATH = '/auth';

export interface JwtAuthorizerPlan {
  /** SuperTokens: `{apiDomain}{apiGatewayPath}{apiBasePath}`. */
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly identitySource: typeof IDENTITY_SOURCE;
}

/** claimguard/authorizer on an HTTP API (docs/authorizer.md). */
export interface LambdaAuthorizerPlan {
  /** The route and the caller: a cached answer is never served for another (SAFE_IDENTITY_SOURCES.httpApi). */
  readonly identitySource: readonly string[];
  /** The longest safe `AuthorizerResultTtlInSeconds` for this policy (authorizerCaching). */
  readonly resultTtlSeconds: number;
  /** Payload 2.0 events, answered with simple responses. */
  readonly payloadFormatVersion: '2.0';
  readonly simpleResponses: true;
}

/** Which authorizer protected routes carry: API Gateway's JWT authorizer, or claimguard/authorizer. */
export type AuthorizerKind = 'jwt' | 'lambda';

export interface PlannedRoute {
  /** The API Gateway route key: `GET /orders/{orderId}`, `ANY /admin/{proxy+}` or `$default`. */
  readonly key: string;
  /** null for `$default`. */
  readonly method: HttpMethod | null;
  /** `/orders/{orderId}`; null for `$default`. */
  readonly path: string | null;
  /** Path parameter names in order, as API Gateway names them (`proxy+` for a greedy one). */
  readonly params: readonly string[];
  /** True iff the JWT authorizer must be attached: the policy route is protected. */
  readonly authorizer: boolean;
  /** `policy` routes come from policies.yaml; `auth` routes serve SuperTokens without authorizer. */
  readonly origin: 'policy' | 'auth';
  /** False for routes a deployment may leave out (the explicit OPTIONS auth route: ANY covers it). */
  readonly required: boolean;
  /** Where the policy names the route; null for auth routes. */
  readonly at: SourceLocation | null;
}

export interface DeployPlan {
  /** The JWT authorizer; null when no route is protected (then none is created) or with a Lambda authorizer. */
  readonly jwt: JwtAuthorizerPlan | null;
  /** claimguard/authorizer; null unless planned with `authorizer: 'lambda'` and a route is protected. */
  readonly lambda: LambdaAuthorizerPlan | null;
  readonly routes: readonly PlannedRoute[];
}

export interface PlanOptions {
  /** The entry policy file as named in problems: where a missing `issuer`/`audience` is reported. */
  readonly entryFile?: string;
  /**
   * Mount SuperTokens' routes without authorizer under this base path (`ANY {base}/{proxy+}`,
   * and `OPTIONS {base}/{proxy+}` for CORS preflights). Off when undefined.
   */
  readonly authBasePath?: string;
  /**
   * The authorizer's issuer when the policy pins none (SuperTokens' issuer depends on the domain
   * the API is served from). When the policy pins one, this must equal it.
   */
  readonly issuer?: string;
  /** Default `jwt`. With `lambda` the token is verified by the authorizer function (no issuer or audience needed here). */
  readonly authorizer?: AuthorizerKind;
}

export function planDeployment(ir: PolicyIR, options: PlanOptions = {}): DeployPlan {
  const routes = ir.routes.map(policyRoute);
  const anyProtected = routes.some((r) => r.authorizer);
  const lambdaMode = options.authorizer === 'lambda';
  const jwt = anyProtected && !lambdaMode ? jwtPlan(ir, options.entryFile ?? null, options.issuer ?? null) : null;
  const lambda = anyProtected && lambdaMode ? lambdaPlan(ir) : null;
  if (options.authBasePath === undefined) return { jwt, lambda, routes };
  return { jwt, lambda, routes: [...routes, ...authRoutes(ir, options.authBasePath)] };
}

function lambdaPlan(ir: PolicyIR): LambdaAuthorizerPlan {
  return {
    identitySource: [...SAFE_IDENTITY_SOURCES.httpApi],
    resultTtlSeconds: authorizerCaching(ir).httpApi.seconds,
    payloadFormatVersion: '2.0',
    simpleResponses: true,
  };
}

function policyRoute(route: IRRoute): PlannedRoute {
  const params = route.segments === null ? [] : route.segments.filter((s) => s.kind !== 'literal').map(paramName);
  return {
    key: route.key,
    method: route.method,
    path: route.segments === null ? null : pathOf(route.segments),
    params,
    authorizer: !route.public,
    origin: 'policy',
    required: true,
    at: route.at,
  };
}

export function pathOf(segments: readonly Segment[]): string {
  if (segments.length === 0) return '/';
  return segments.map((s) => (s.kind === 'literal' ? `/${s.value}` : `/{${paramName(s)}}`)).join('');
}

function paramName(s: Exclude<Segment, { kind: 'literal' }>): string {
  return s.kind === 'greedy' ? `${s.name}+` : s.name;
}

function jwtPlan(ir: PolicyIR, entryFile: string | null, given: string | null): JwtAuthorizerPlan {
  const entry: SourceLocation | null = entryFile === null ? null : { file: entryFile, line: 1, col: 1 };
  if (ir.audience === null) {
    throw new DeployError(
      'AUDIENCE_MISSING',
      'the policy sets no `audience`, but its protected routes need the API Gateway JWT authorizer, which requires one: add `audience:` (the value the auth function stamps into `aud`)',
      { at: entry },
    );
  }
  const globalAt = (path: 'audience' | 'issuer'): SourceLocation | null =>
    ir.routes.flatMap((r) => r.checks).find((c) => c.kind === path && c.path === path)?.at ?? null;
  if (ir.issuer !== null && given !== null && given !== ir.issuer) {
    throw new DeployError(
      'ISSUER_CONFLICT',
      `the policy pins issuer "${ir.issuer}" but the deployment is given "${given}": the Lambda would refuse every token the authorizer accepts`,
      { at: globalAt('issuer') ?? entry },
    );
  }
  const issuer = ir.issuer ?? given;
  if (issuer === null) {
    // `issuer:` belongs beside `audience:`, so point there.
    throw new DeployError(
      'ISSUER_MISSING',
      'the policy sets no `issuer`, but its protected routes need the API Gateway JWT authorizer, which requires one: add `issuer:` to the policy, or give the deployment one (--issuer, or the construct\'s `issuer`); SuperTokens issues tokens as {apiDomain}{apiGatewayPath}{apiBasePath}, e.g. https://api.example.com/auth',
      { at: globalAt('audience') ?? entry },
    );
  }
  return { issuer, audience: [ir.audience], identitySource: IDENTITY_SOURCE };
}

/** SuperTokens' own routes: sign-in, refresh, JWKS and the OpenID configuration API Gateway reads. */
function authRoutes(ir: PolicyIR, basePath: string): PlannedRoute[] {
  const base = basePath.replace(/\/+$/, '');
  const planned: PlannedRoute[] = [];
  for (const method of ['ANY', 'OPTIONS'] as const) {
    const parsed = parseRouteKey(`${method} ${base}/{proxy+}`);
    if (!parsed.ok || base === '') {
      throw new DeployError('AUTH_BASE_PATH_INVALID', `auth base path "${basePath}" must look like "/auth": ${parsed.ok ? 'it is empty' : parsed.problems.map((p) => p.message).join('; ')}`);
    }
    const { route } = parsed;
    // The policy may name the auth routes itself; a public one is the same route, a protected one
    // would lock everyone out of signing in.
    const same = ir.routes.find((r) => r.segments !== null && routeShape({ ...r, params: [] }) === routeShape(route));
    if (same !== undefined) {
      if (!same.public) {
        throw new DeployError(
          'AUTH_ROUTE_CONFLICT',
          `the policy protects "${same.key}", which the auth routes mount without authorizer (SuperTokens' sign-in and JWKS routes must be reachable without a token)`,
          { at: same.at },
        );
      }
      continue;
    }
    planned.push({
      key: route.key,
      method: route.method,
      path: pathOf(route.segments ?? []),
      params: ['proxy+'],
      authorizer: false,
      origin: 'auth',
      required: method === 'ANY',
      at: null,
    });
  }
  return planned;
}
