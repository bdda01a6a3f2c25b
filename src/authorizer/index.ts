// claimguard/authorizer: the same bundle, decision and reasons as `withAuthorization`, enforced at
// the gateway by an API Gateway Lambda authorizer (REST REQUEST, HTTP API payload 2.0).
//
//   export const handler = createAuthorizer({
//     bundle: 'dist/bundle.tar.gz',
//     verify: { jwksUrl: 'https://api.example.com/auth/jwt/jwks.json', issuer: 'https://api.example.com/auth', audience: 'jwtAuthorizers' },
//   });
//
// A second front over the Lambda core: the cold start (bundle, verifier, clock, log) and the
// per-request pipeline are claimguard/lambda's; this file reads authorizer events and answers the
// verdict in API Gateway's authorizer protocol. See docs/authorizer.md.
import { startColdStart, type CoreOptions } from '../lambda/cold-start.js';
import { authorizeRequest } from '../lambda/pipeline.js';
import type { VerifyOptions } from '../lambda/verify.js';
import { policyResult, simpleResult, type PolicyResult, type SimpleResult } from './answer.js';
import { AuthorizerError } from './errors.js';
import { readAuthorizerEvent, readAuthorizerFacts, type HttpApiAuthorizerEvent, type RestAuthorizerEvent } from './events.js';

export { ANONYMOUS, type AuthorizerContext, type PolicyResult, type SimpleResult } from './answer.js';
export { AuthorizerError, type AuthorizerErrorCode } from './errors.js';
export type { HttpApiAuthorizerEvent, RestAuthorizerEvent } from './events.js';
export { SAFE_IDENTITY_SOURCES } from './identity-sources.js';
export {
  ACCESS_DENIED_TEMPLATE,
  INTERNAL_ERROR_TEMPLATE,
  UNAUTHORIZED_TEMPLATE,
  restGatewayResponses,
  type GatewayResponse,
  type GatewayResponseOptions,
  type GatewayResponseType,
} from './gateway-responses.js';
export { KeySetError, type KeySetErrorCode, type VerifyOptions } from '../lambda/verify.js';
export type { DecisionLogEntry, DecisionLogOptions, WrapperCode } from '../lambda/log.js';
export { RuntimeError, type RuntimeErrorCode } from '../runtime/errors.js';
export { loadBundle, type Authorizer, type LoadBundleOptions } from '../runtime/load-bundle.js';
export { ClaimguardError } from '../errors.js';

/** claimguard/lambda's options, with `verify` required: no JWT authorizer checked the token before this one. */
export interface AuthorizerOptions extends CoreOptions {
  readonly verify: VerifyOptions;
}

/**
 * The Lambda handler. REST REQUEST events (and HTTP API payload 1.0) get an IAM policy on exactly
 * their `methodArn`; HTTP API payload 2.0 events a simple response. Rejects with `Unauthorized`
 * (API Gateway: 401) for a missing, malformed, expired or unverifiable token, and with an
 * AuthorizerError (API Gateway: 500) when nothing was decided or the event cannot be decided on
 * (a TOKEN authorizer). Never resolves to an allow it did not decide.
 */
export interface ClaimguardAuthorizer {
  (event: RestAuthorizerEvent, context?: unknown): Promise<PolicyResult>;
  (event: HttpApiAuthorizerEvent, context?: unknown): Promise<SimpleResult>;
  (event: unknown, context?: unknown): Promise<PolicyResult | SimpleResult>;
}

/** Throws at cold start on options that can never work (no or malformed `verify`, a malformed `basePath`). */
export function createAuthorizer(options: AuthorizerOptions): ClaimguardAuthorizer {
  if (typeof options !== 'object' || options === null || options.verify === undefined) {
    throw new AuthorizerError(
      'VERIFY_REQUIRED',
      'createAuthorizer needs `verify` ({ jwksUrl | jwks, issuer, audience }): no JWT authorizer stands in front of a Lambda authorizer, so it checks the token itself',
    );
  }
  const cold = startColdStart(options);
  const handler = async (event: unknown): Promise<PolicyResult | SimpleResult> => {
    const verdict = await authorizeRequest(cold, event, readAuthorizerFacts);
    // Only a fault has the code EVENT_UNSUPPORTED (a refusal's are EVENT_INCONSISTENT and token
    // codes; an allow or a deny has none): the inner test alone decides, this one narrows the type.
    // Stryker disable next-line ConditionalExpression: `true` is equivalent (see above); `false` is the inner test's `false`, which stays mutated
    if (verdict.kind === 'fault') {
      if (verdict.code === 'EVENT_UNSUPPORTED') {
        // Said again with its own code (the decision log has the same words).
        const read = readAuthorizerEvent(event, cold.eventOptions);
        if ('problem' in read) throw new AuthorizerError(read.problem.code, `claimguard/authorizer: ${read.problem.message}`);
      }
    }
    // The reader accepted the event, so it is one of the two kinds.
    const e = event as { readonly version?: unknown; readonly methodArn?: unknown };
    return e.version === '2.0' ? simpleResult(verdict) : policyResult(verdict, e.methodArn as string);
  };
  return handler as ClaimguardAuthorizer;
}
