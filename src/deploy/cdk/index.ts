// claimguard/cdk: deploy a policy as an API Gateway HTTP API, and package functions with the bundle
// compiled from it. aws-cdk-lib v2 and constructs are peer dependencies.
export { ClaimguardHttpApi, type ClaimguardHttpApiProps, type ClaimguardAuthRoutes, type ClaimguardLambdaAuthorizer } from './http-api.js';
export { ClaimguardFunction, DEFAULT_BUNDLE_PATH, type ClaimguardFunctionProps } from './function.js';
export { preloadPolicy } from './prepared.js';
export { DeployError, type DeployErrorCode } from '../errors.js';
export { IDENTITY_SOURCE, type DeployPlan, type PlannedRoute, type JwtAuthorizerPlan, type LambdaAuthorizerPlan } from '../plan.js';
export { authorizerCaching, MAX_RESULT_TTL_SECONDS, SAFE_IDENTITY_SOURCES, type AuthorizerCaching, type ResultTtl } from '../authorizer-cache.js';
