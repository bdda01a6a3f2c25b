// The one place the construct chooses how protected routes are authorized. Today: API Gateway's
// JWT authorizer from the plan's issuer, audience and identity source. Another mode (a Lambda
// authorizer on the same bundle) is a new member of AuthorizerMode and a new branch here; routes
// only ever receive the IHttpRouteAuthorizer this returns.
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { DeployPlan } from '../plan.js';

export type AuthorizerMode = { readonly kind: 'jwt'; readonly authorizerName?: string };

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
  }
}
