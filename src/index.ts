// The `claimguard` entry point: load and check policies, compile them, and decide through the
// compiled bundle. Named exports only; everything not listed here is internal.
export { ClaimguardError } from './errors.js';
export { loadPolicy, type LoadOptions, type LoadResult } from './policy/load.js';
export { PolicyError, type PolicyErrorCode, type Severity } from './policy/errors.js';
export type { PolicyIR, IRRoute, Check, Segment, SourceLocation } from './policy/ir.js';
export {
  compilePolicy,
  buildBundle,
  CompileError,
  type CompileErrorCode,
  type BuildBundleOptions,
  type CompiledPolicy,
  type BuiltBundle,
  type CompileStats,
} from './compile/compile.js';
export { LinkError, type LinkErrorCode } from './compile/link.js';
export { PolicyEncodeError, type PolicyEncodeErrorCode } from './compile/encode/index.js';
export { BundleError, type BundleErrorCode } from './bundle/errors.js';
export type { SigningOptions, BundleSignature } from './bundle/signatures/sign.js';
export type { KeyMaterial, SigningAlgorithm } from './bundle/signatures/keys.js';
export { loadBundle, type Authorizer, type LoadBundleOptions } from './runtime/load-bundle.js';
export { RuntimeError, type RuntimeErrorCode } from './runtime/errors.js';
export { decide as decideReference, evaluate as evaluateReference, type Evaluation } from './decision/evaluate.js';
export type { Decision, DecisionInput, Reason, ReasonCode, ReasonDetail } from './decision/types.js';
export { planDeployment, IDENTITY_SOURCE, type DeployPlan, type PlannedRoute, type PlanOptions, type JwtAuthorizerPlan, type LambdaAuthorizerPlan, type AuthorizerKind } from './deploy/plan.js';
export { authorizerCaching, MAX_RESULT_TTL_SECONDS, SAFE_IDENTITY_SOURCES, type AuthorizerCaching, type ResultTtl } from './deploy/authorizer-cache.js';
export { openApiDocument, serializeOpenApi, type OpenApiOptions } from './deploy/openapi.js';
export { readDeployedApi, type DeployedApi, type DeployedRoute } from './deploy/deployed.js';
export { diffRoutes, DRIFT_SEVERITY, type DriftCode, type DriftFinding, type DriftReport } from './deploy/drift.js';
export { DeployError, type DeployErrorCode } from './deploy/errors.js';
