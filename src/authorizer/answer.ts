// The pipeline's verdict as API Gateway's authorizer protocol wants it: an IAM policy on exactly
// the request's method ARN (REST, payload 1.0) or a simple response (HTTP API, payload 2.0), with
// the same context on both; `Unauthorized` where a refreshed token can cure the request; a thrown
// AuthorizerError (API Gateway: 500) when nothing was decided. Statuses: docs/authorizer.md.
import type { APIGatewayAuthorizerWithContextResult, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import type { Decision } from '../decision/types.js';
import type { Verdict } from '../lambda/pipeline.js';
import { denyResponse } from '../lambda/response.js';
import { AuthorizerError } from './errors.js';

/**
 * What every answer carries (`$context.authorizer.*` at the gateway, `requestContext.authorizer`
 * in the integration). Values are strings: authorizer context values must be scalars.
 * `message` and `claimValidationErrors` are the body of the 403 API Gateway sends if it refuses the
 * request with this result (the ACCESS_DENIED template renders them); on an allow they describe
 * the refusal a cached copy of it would give a request it does not cover.
 */
// A type alias, not an interface: aws-lambda's result types need its implicit index signature.
export type AuthorizerContext = {
  /** The decision-log line of this decision. */
  readonly decisionId: string;
  /** The bundle's revision; `''` when the bundle had not loaded. */
  readonly revision: string;
  /** The policy route that decided; `''` when none did (no route, refused path, inconsistent event). */
  readonly route: string;
  /** `invalid claim` when every reason is a failed claim (SuperTokens' 403), else `forbidden`. */
  readonly message: 'invalid claim' | 'forbidden';
  /** JSON text: SuperTokens' `claimValidationErrors` array for `invalid claim`, else `null`. */
  readonly claimValidationErrors: string;
};

export type PolicyResult = APIGatewayAuthorizerWithContextResult<AuthorizerContext>;
export type SimpleResult = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>;

/** The principal when no verified token names one (a public route reached without a token). */
export const ANONYMOUS = 'anonymous';

/** The one error message API Gateway turns into 401 (any other error is a 500). */
const UNAUTHORIZED = 'Unauthorized';

interface Refusal {
  readonly message: AuthorizerContext['message'];
  readonly claimValidationErrors: string;
}

const FORBIDDEN: Refusal = { message: 'forbidden', claimValidationErrors: 'null' };

/** The 403 body parts, read from the answer withAuthorization sends, so the two cannot drift apart. */
function refusalOf(decision: Decision): Refusal {
  const body = JSON.parse(denyResponse(decision).body) as { message: string; claimValidationErrors?: unknown };
  if (body.message !== 'invalid claim') return FORBIDDEN;
  return { message: 'invalid claim', claimValidationErrors: JSON.stringify(body.claimValidationErrors) };
}

const principalOf = (token: Readonly<Record<string, unknown>> | null): string =>
  token !== null && typeof token.sub === 'string' && token.sub !== '' ? token.sub : ANONYMOUS;

interface Answer {
  readonly allow: boolean;
  readonly principalId: string;
  readonly context: AuthorizerContext;
}

/** The verdict as an allow or a 403 with its context; throws for a 401 and for a fault. */
function answerOf(verdict: Verdict): Answer {
  switch (verdict.kind) {
    case 'allow': {
      const d = verdict.decision;
      return {
        allow: true,
        principalId: principalOf(d.token),
        // Spelled out: V8 (Node 20) takes a slow path for spreads into literals.
        context: { decisionId: d.decisionId, revision: d.revision, route: d.route ?? '', message: FORBIDDEN.message, claimValidationErrors: FORBIDDEN.claimValidationErrors },
      };
    }
    case 'deny': {
      const d = verdict.decision;
      // No token on a protected route: 401, so the SuperTokens frontend refreshes the session.
      if (d.status === 401) throw new Error(UNAUTHORIZED);
      const r = refusalOf(d);
      return {
        allow: false,
        principalId: principalOf(verdict.token),
        context: { decisionId: verdict.decisionId, revision: verdict.revision, route: d.route ?? '', message: r.message, claimValidationErrors: r.claimValidationErrors },
      };
    }
    case 'refuse':
      // Missing, malformed, expired or unverifiable token: 401. An inconsistent event: 403 forbidden.
      if (verdict.status === 401) throw new Error(UNAUTHORIZED);
      return {
        allow: false,
        principalId: ANONYMOUS,
        context: { decisionId: verdict.decisionId, revision: verdict.revision ?? '', route: '', message: FORBIDDEN.message, claimValidationErrors: FORBIDDEN.claimValidationErrors },
      };
    case 'fault':
      throw new AuthorizerError('NO_DECISION', `claimguard/authorizer made no decision (${verdict.code}); the decision log line ${verdict.decisionId} says why`);
  }
}

/** REST API (and payload 1.0): one statement, allowing or denying exactly the request's method ARN. */
export function policyResult(verdict: Verdict, methodArn: string): PolicyResult {
  const a = answerOf(verdict);
  return {
    principalId: a.principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: a.allow ? 'Allow' : 'Deny', Resource: methodArn }],
    },
    context: a.context,
  };
}

/** HTTP API payload 2.0 with simple responses. */
export function simpleResult(verdict: Verdict): SimpleResult {
  const a = answerOf(verdict);
  return { isAuthorized: a.allow, context: a.context };
}
