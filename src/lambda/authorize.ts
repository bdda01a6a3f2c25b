// The HTTP front of the pipeline, shared by `withAuthorization` and the Middy middleware: the
// verdict as the answer a Lambda behind API Gateway (or a Function URL) sends itself — shaped for
// SuperTokens' frontend SDKs (response.ts) — or the decision its handler runs with.
import type { CoreOptions } from './cold-start.js';
import { startColdStart } from './cold-start.js';
import { readEvent } from './event.js';
import { authorizeRequest, type AuthorizedDecision, type Verdict } from './pipeline.js';
import { denyResponse, forbidden, internalError, unauthorised, type ClaimguardResponse } from './response.js';

export { DEFAULT_BUNDLE, bundlePath } from './cold-start.js';
export type { AuthorizedDecision } from './pipeline.js';

export type AuthorizationOptions = CoreOptions;

export type AuthorizationOutcome =
  | { readonly allow: true; readonly decision: AuthorizedDecision }
  | { readonly allow: false; readonly response: ClaimguardResponse };

/** Synchronous once the bundle is loaded (unless `verify` checks a token); a promise otherwise. Never throws or rejects. */
export type Authorize = (event: unknown) => AuthorizationOutcome | Promise<AuthorizationOutcome>;

function outcomeOf(v: Verdict): AuthorizationOutcome {
  switch (v.kind) {
    case 'allow':
      return { allow: true, decision: v.decision };
    case 'deny':
      return { allow: false, response: denyResponse(v.decision) };
    case 'refuse':
      return { allow: false, response: v.status === 401 ? unauthorised() : forbidden() };
    case 'fault':
      return { allow: false, response: internalError() };
  }
}

/** Throws at cold start on options that can never work (malformed `verify` or `basePath`). */
export function createAuthorize(options: AuthorizationOptions = {}): Authorize {
  const cold = startColdStart(options);
  return (event) => {
    const verdict = authorizeRequest(cold, event, readEvent);
    return verdict instanceof Promise ? verdict.then(outcomeOf) : outcomeOf(verdict);
  };
}
