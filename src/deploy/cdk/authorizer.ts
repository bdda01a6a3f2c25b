// The one place the construct chooses how protected routes are authorized: API Gateway's JWT
// authorizer from the plan's issuer, audience and identity source, or claimguard/authorizer as a
// Lambda authorizer from the plan's identity sources, response format and longest safe cache TTL
// (docs/authorizer.md, "CDK"). Routes only ever receive the IHttpRouteAuthorizer this returns.
import { Duration } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { DeployError } from '../errors.js';
import type { DeployPlan } from '../plan.js';

export type AuthorizerMode =
  | { readonly kind: 'jwt'; readonly authorizerName?: string }
  | {
      readonly kind: 'lambda';
      /** The function whose handler is `createAuthorizer(…)` from claimguard/authorizer. */
      readonly handler: IFunction;
      /** Default: the plan's longest safe TTL; a longer one is refused. */
      readonly resultsCacheTtl?: Duration;
      readonly authorizerName?: string;
    };

/** undefined when the plan protects no route (then no authorizer is created). */
export function protectedRouteAuthorizer(plan: DeployPlan, mode: AuthorizerMode): IHttpRouteAuthorizer | undefined {
  switch (mode.kind) {
    case 'jwt': {
      if (plan.jwt === null) return undefined;
      return new HttpJwtAuthorizer('ClaimguardJwt', plan.jwt.issuer, {
        jwtAudience: [...plan.jwt.audience],
        identitySource: [plan.jwt.identitySource],
        authorizerName: mode.authorizerName ?? 'claimguard-jwt',
      });
    }
    case 'lambda': {
      if (plan.lambda === null) return undefined;
      const safe = plan.lambda.resultTtlSeconds;
      const ttl = mode.resultsCacheTtl ?? Duration.seconds(safe);
      if (ttl.toSeconds() > safe) {
        throw new DeployError(
          'CACHE_TTL_UNSAFE',
          `lambdaAuthorizer.resultsCacheTtl is ${ttl.toSeconds()} s, but the longest safe result TTL for this policy is ${safe} s (\`claimguard build\` prints why): a cached answer could serve a request it does not fit`,
        );
      }
      return new HttpLambdaAuthorizer('ClaimguardLambda', mode.handler, {
        authorizerName: mode.authorizerName ?? 'claimguard-lambda',
        identitySource: [...plan.lambda.identitySource],
        // Payload 2.0 with simple responses: `{ isAuthorized, context }`.
        responseTypes: [HttpLambdaResponseType.SIMPLE],
        resultsCacheTtl: ttl,
      });
    }
  }
}
