// claimguard/middy: the same enforcement as `withAuthorization`, as a @middy/core 6 middleware.
//
//   export const handler = middy()
//     .use(claimguardMiddleware({ log: { include: ['sub'] } }))
//     .handler(async (event, context) => ({ statusCode: 200, body: context.claimguard.token?.sub ?? '' }));
//
// `before` decides. On deny or fault it returns claimguard's answer, which middy sends as the early
// response (the handler and the `after` stack do not run). On allow the decision is put on
// `request.context.claimguard` (type `ClaimguardContext`): the context is the one object middy
// hands the handler, and it is fresh per invocation (middy's `request.internal` may be shared).
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { createAuthorize, type AuthorizationOptions, type AuthorizedDecision } from './authorize.js';
import type { ApiGatewayEvent } from './event.js';

export type { AuthorizationOptions, AuthorizedDecision } from './authorize.js';

/** The Lambda context as the handler sees it after the middleware allowed the request. */
export interface ClaimguardContext extends Context {
  claimguard: AuthorizedDecision;
}

export function claimguardMiddleware<E extends ApiGatewayEvent = ApiGatewayEvent>(
  options: AuthorizationOptions = {},
): MiddlewareObj<E, unknown, Error, Context> {
  const authorize = createAuthorize(options);
  return {
    name: 'claimguard',
    before: async (request) => {
      let outcome = authorize(request.event);
      // Stryker disable next-line ConditionalExpression: awaiting a value gives the same value; awaiting only a promise saves a microtask per request.
      if (outcome instanceof Promise) outcome = await outcome;
      if (!outcome.allow) return outcome.response;
      (request.context as ClaimguardContext).claimguard = outcome.decision;
      return undefined;
    },
  };
}
