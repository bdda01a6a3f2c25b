// ClaimguardHttpApi: an API Gateway HTTP API made from policies.yaml. One route per policy route
// key, the authorizer attached to exactly the protected routes — API Gateway's JWT authorizer
// (issuer, audience, identity source from the policy), or claimguard/authorizer as a Lambda
// authorizer (`lambdaAuthorizer`) — and optionally SuperTokens' auth routes without authorizer.
// What it creates is what `claimguard routes diff` checks a template against.
import { Annotations, type Duration } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, HttpRoute, HttpRouteKey, PayloadFormatVersion, type HttpApiProps, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DeployError } from '../errors.js';
import { DEFAULT_AUTH_BASE_PATH, planDeployment, type DeployPlan, type PlannedRoute } from '../plan.js';
import { protectedRouteAuthorizer } from './authorizer.js';
import { preparePolicy } from './prepared.js';

export interface ClaimguardAuthRoutes {
  /** The SuperTokens auth function (`createAuthHandler` from claimguard/supertokens). */
  readonly handler: IFunction;
  /** SuperTokens' `apiBasePath`. Default `/auth`. */
  readonly basePath?: string;
}

/** claimguard/authorizer on the protected routes instead of API Gateway's JWT authorizer. */
export interface ClaimguardLambdaAuthorizer {
  /** The authorizer function: its handler is `createAuthorizer({ bundle, verify })` (a ClaimguardFunction ships the bundle). */
  readonly handler: IFunction;
  /** How long API Gateway caches an answer. Default: the longest safe TTL for the policy (`claimguard build` prints it); a longer one is refused. */
  readonly resultsCacheTtl?: Duration;
  /** Name of the authorizer in API Gateway. Default `claimguard-lambda`. */
  readonly authorizerName?: string;
}

export interface ClaimguardHttpApiProps {
  /** Path to policies.yaml, relative to the working directory of the CDK app. */
  readonly policies: string;
  /** Policy route key (exactly as in the policy) → the function serving it. */
  readonly handlers: Readonly<Record<string, IFunction>>;
  /** Serves every policy route `handlers` does not name. */
  readonly defaultHandler?: IFunction;
  /** Mounts `ANY {basePath}/{proxy+}` and `OPTIONS {basePath}/{proxy+}` without authorizer. */
  readonly auth?: ClaimguardAuthRoutes;
  /**
   * The JWT authorizer's issuer when the policy pins none (SuperTokens:
   * `{apiDomain}{apiGatewayPath}{apiBasePath}`). Must equal the policy's `issuer` when it has one.
   */
  readonly issuer?: string;
  /** Name of the JWT authorizer in API Gateway. Default `claimguard-jwt`. */
  readonly authorizerName?: string;
  /**
   * Enforce the policy at the gateway with claimguard/authorizer (payload 2.0, simple responses,
   * identity sources `$request.header.Authorization` and `$context.routeKey`) instead of the JWT
   * authorizer. `issuer` and `authorizerName` are the JWT authorizer's and cannot be combined with it.
   */
  readonly lambdaAuthorizer?: ClaimguardLambdaAuthorizer;
  /** Passed to the HttpApi (name, CORS, domain, stages…); authorization stays per route. */
  readonly apiProps?: Omit<HttpApiProps, 'defaultAuthorizer' | 'defaultAuthorizationScopes' | 'defaultIntegration'>;
}

export class ClaimguardHttpApi extends Construct {
  readonly httpApi: HttpApi;
  /** The authorizer on every protected route; undefined when the policy protects none. */
  readonly authorizer: IHttpRouteAuthorizer | undefined;
  /** What was deployed and why: the routes, which carry the authorizer, its settings. */
  readonly plan: DeployPlan;
  /** Every route created, by route key. */
  readonly routes: ReadonlyMap<string, HttpRoute>;

  constructor(scope: Construct, id: string, props: ClaimguardHttpApiProps) {
    super(scope, id);
    const prepared = preparePolicy(props.policies);
    for (const warning of prepared.warnings) Annotations.of(this).addWarningV2('claimguard:policy-warning', warning);
    const lambda = props.lambdaAuthorizer;
    if (lambda !== undefined && (props.issuer !== undefined || props.authorizerName !== undefined)) {
      throw new DeployError(
        'AUTHORIZER_OPTIONS_CONFLICT',
        '`issuer` and `authorizerName` configure the JWT authorizer; with `lambdaAuthorizer` the token is verified by the authorizer function (its `verify`), and its name is `lambdaAuthorizer.authorizerName`',
      );
    }
    this.plan = planDeployment(prepared.ir, {
      ...(lambda === undefined ? {} : { authorizer: 'lambda' as const }),
      entryFile: prepared.files[0] ?? props.policies,
      ...(props.auth === undefined ? {} : { authBasePath: props.auth.basePath ?? DEFAULT_AUTH_BASE_PATH }),
      ...(props.issuer === undefined ? {} : { issuer: props.issuer }),
    });
    const handlerFor = this.handlerResolver(props);

    this.httpApi = new HttpApi(this, 'HttpApi', { ...props.apiProps });
    this.authorizer = protectedRouteAuthorizer(
      this.plan,
      lambda === undefined
        ? { kind: 'jwt', ...(props.authorizerName === undefined ? {} : { authorizerName: props.authorizerName }) }
        : { kind: 'lambda', ...lambda },
    );
    const none = new HttpNoneAuthorizer();
    const integrations = new Map<IFunction, HttpLambdaIntegration>();
    const routes = new Map<string, HttpRoute>();
    for (const route of this.plan.routes) {
      const handler = handlerFor(route);
      let integration = integrations.get(handler);
      if (integration === undefined) {
        integration = new HttpLambdaIntegration(`Integration${integrations.size}`, handler, { payloadFormatVersion: PayloadFormatVersion.VERSION_2_0 });
        integrations.set(handler, integration);
      }
      // Fail closed: a protected route is never created without the authorizer.
      const authorizer = route.authorizer ? this.authorizer : none;
      if (authorizer === undefined) throw new Error(`ClaimguardHttpApi: protected route "${route.key}" has no authorizer`);
      routes.set(
        route.key,
        new HttpRoute(this, `Route ${route.key.replaceAll('/', '|')}`, { httpApi: this.httpApi, routeKey: routeKeyOf(route), integration, authorizer }),
      );
    }
    this.routes = routes;
  }

  /** Checks the handler map against the policy once, before anything is created. */
  private handlerResolver(props: ClaimguardHttpApiProps): (route: PlannedRoute) => IFunction {
    const policyKeys = new Set(this.plan.routes.filter((r) => r.origin === 'policy').map((r) => r.key));
    const unknown = Object.keys(props.handlers).filter((k) => !policyKeys.has(k));
    if (unknown.length > 0) {
      throw new DeployError(
        'HANDLER_ROUTE_UNKNOWN',
        `handlers names routes the policy does not: ${unknown.map((k) => `"${k}"`).join(', ')} (policy routes: ${[...policyKeys].join(', ')})`,
      );
    }
    const missing = [...policyKeys].filter((k) => !Object.hasOwn(props.handlers, k));
    if (missing.length > 0 && props.defaultHandler === undefined) {
      throw new DeployError('HANDLER_MISSING', `no handler for ${missing.map((k) => `"${k}"`).join(', ')}: add them to handlers, or give a defaultHandler`);
    }
    return (route) => {
      if (route.origin === 'auth') return props.auth!.handler;
      return (Object.hasOwn(props.handlers, route.key) ? props.handlers[route.key] : undefined) ?? props.defaultHandler!;
    };
  }
}

function routeKeyOf(route: PlannedRoute): HttpRouteKey {
  if (route.method === null || route.path === null) return HttpRouteKey.DEFAULT;
  return HttpRouteKey.with(route.path, HttpMethod[route.method]);
}
