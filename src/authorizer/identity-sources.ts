// The identity sources under which API Gateway may cache claimguard/authorizer's results without
// serving one route's or one caller's answer for another (docs/authorizer.md, "Caching"). API
// Gateway keys its authorizer cache on these values and refuses (401) a request missing one.
export const SAFE_IDENTITY_SOURCES = {
  /** REST REQUEST authorizers: the token, the method and the resource template. */
  rest: ['method.request.header.Authorization', 'context.httpMethod', 'context.resourcePath'],
  /** HTTP API Lambda authorizers: the token and the route key. */
  httpApi: ['$request.header.Authorization', '$context.routeKey'],
} as const;
