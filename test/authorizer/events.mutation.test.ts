// Reading authorizer events, edge by edge (src/authorizer/events.ts): exactly what a REST REQUEST
// and an HTTP API payload 2.0 event decide on (method, route key, path, parameters, the token, never
// the event's own claims), and, for every event claimguard cannot decide for, the problem's code
// and the whole message (the handler rethrows it, the decision log carries it). The last test
// reads with a second instance of events.ts, evaluated inside it, so that the module's constants
// (the methodArn pattern, the TOKEN message) are built in a test. Found by mutation testing
// (CONTRIBUTING.md, "Mutation testing"): authorizer.test.ts pins the answers, not these edges.
import { describe, expect, it } from 'vitest';
import { readAuthorizerEvent, readAuthorizerFacts } from '../../src/authorizer/events.js';
import type { HttpApiAuthorizerEvent, RestAuthorizerEvent } from '../../src/authorizer/index.js';
import { fixture, httpApiEvent, restEvent } from './fixtures.js';

type Obj = Record<string, unknown>;

const OPTIONS = { basePath: '' };
const TOKEN = 'Bearer t0k3n';
const ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders/42';

const unsupported = (message: string) => ({ problem: { code: 'EVENT_UNSUPPORTED', message } });

/** The facts of GET /orders/42 (route GET /orders/{orderId}) as an authorizer's, for this payload. */
const orderFacts = (payload: '1.0' | '2.0', authorization: readonly string[]) => ({
  payload,
  source: 'authorizer',
  method: 'GET',
  routeKey: 'GET /orders/{orderId}',
  path: '/orders/42',
  pathParameters: { orderId: '42' },
  authorization,
  claims: null,
  inconsistent: null,
  anyRouteKey: payload === '1.0' ? 'ANY /orders/{orderId}' : null,
});

const NOT_OBJECTS: [string, unknown][] = [
  ['null', null],
  ['undefined', undefined],
  ['a number', 42],
  ['a string', 'GET /orders/42'],
  ['an empty array', []],
  ['an array holding a REST event', [{ type: 'REQUEST', methodArn: ARN }]],
];

const TOKEN_PROBLEM = {
  problem: {
    code: 'TOKEN_AUTHORIZER',
    message:
      'a TOKEN authorizer event: it carries the token and the method ARN only, never the route, so no policy decision can be made for it. ' +
      "Configure a REQUEST authorizer with the identity sources method.request.header.Authorization, context.httpMethod, context.resourcePath (see claimguard's docs/authorizer.md)",
  },
};

// The policy's one statement names the methodArn: anything but a string in API Gateway's form is refused.
const REFUSED_ARNS: [string, unknown][] = [
  ['missing', undefined],
  ['a number', 42],
  ['a one-element array (its string form is a valid ARN)', [ARN]],
  ['a wildcard', '*'],
  ['an ARN of another service', 'arn:aws:lambda:eu-west-1:123456789012:function:orders-api'],
  ['text before the ARN', `x${ARN}`],
  ['a partition that is not lower-case letters', ARN.replace('arn:aws:', 'arn:AWS:')],
  ['an empty partition', ARN.replace('arn:aws:', 'arn::')],
  ['a region holding a slash', ARN.replace('eu-west-1', 'eu/west')],
  ['an account holding a slash', ARN.replace('123456789012', '1234/5678')],
  ['no method (api-id and stage only)', 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod'],
  ['an empty stage', 'arn:aws:execute-api:eu-west-1:123456789012:abc123//GET/orders/42'],
  ['an empty api id', 'arn:aws:execute-api:eu-west-1:123456789012:/prod/GET/orders/42'],
  ['an empty method', 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod//orders/42'],
  // IAM reads * and ? in a Resource as wildcards: an Allow on these would cover other requests.
  ['a wildcard method', 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*/orders/42'],
  ['a method ending in a wildcard', 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/G*/orders/42'],
  ['a one-character wildcard in the method', 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GE?/orders/42'],
  ['a wildcard stage', 'arn:aws:execute-api:eu-west-1:123456789012:abc123/*/GET/orders/42'],
  ['a wildcard api id', 'arn:aws:execute-api:eu-west-1:123456789012:*/prod/GET/orders/42'],
  ['a wildcard account', 'arn:aws:execute-api:eu-west-1:*:abc123/prod/GET/orders/42'],
  ['a wildcard region', 'arn:aws:execute-api:eu-*:123456789012:abc123/prod/GET/orders/42'],
];
const NO_ARN = 'a REQUEST authorizer event without an execute-api methodArn';

const ACCEPTED_ARNS: [string, string][] = [
  ['the aws partition', ARN],
  ['aws-cn', 'arn:aws-cn:execute-api:cn-north-1:123456789012:abc123/prod/GET/orders/42'],
  ['aws-us-gov', 'arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc123/prod/GET/orders/42'],
  ['the root resource', 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/'],
  ['a one-character api id, stage and method', 'arn:aws:execute-api:eu-west-1:123456789012:a/b/G'],
  ['an empty region and account', 'arn:aws:execute-api:::abc123/prod/GET/orders/42'],
  ['a path holding * and ? (a request path may)', 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders/4*2?'],
];

/** The REST fixture with this methodArn (undefined: none). */
function withArn(methodArn: unknown): Obj {
  const event = restEvent(TOKEN) as unknown as Obj;
  if (methodArn === undefined) delete event.methodArn;
  else event.methodArn = methodArn;
  return event;
}

describe('what an event decides on', () => {
  it('REST REQUEST: httpMethod, METHOD resource, the path rebuilt from resource and pathParameters, the Authorization header', async () => {
    expect(readAuthorizerEvent(restEvent(TOKEN), OPTIONS)).toEqual({ kind: 'rest', facts: orderFacts('1.0', [TOKEN]) });
    expect(readAuthorizerFacts(restEvent(TOKEN), OPTIONS)).toEqual(orderFacts('1.0', [TOKEN]));
  });

  it('HTTP API payload 2.0: the routeKey, rawPath without the stage, pathParameters, headers.authorization', async () => {
    expect(readAuthorizerEvent(httpApiEvent(TOKEN), OPTIONS)).toEqual({ kind: 'http-api', facts: orderFacts('2.0', [TOKEN]) });
    expect(readAuthorizerFacts(httpApiEvent(TOKEN), OPTIONS)).toEqual(orderFacts('2.0', [TOKEN]));
  });

  it('HTTP API payload 1.0 (version "1.0", a methodArn) is read as REST', async () => {
    const event = fixture<Obj>('http-api-v1-get-order.json');
    (event.headers as Obj).authorization = TOKEN;
    expect(readAuthorizerEvent(event, OPTIONS)).toEqual({ kind: 'rest', facts: orderFacts('1.0', [TOKEN]) });
  });

  it("an authorizer event's own claims (REST and HTTP API) are never read: claims stay null, whatever requestContext.authorizer says", async () => {
    const claims = { sub: 'admin', 'st-role': 'map[v:[admin]]' };
    const rest = restEvent(TOKEN, (e) => ((e.requestContext as unknown as Obj).authorizer = { claims }));
    const http = httpApiEvent(TOKEN, (e) => ((e.requestContext as unknown as Obj).authorizer = { jwt: { claims, scopes: null } }));
    expect(readAuthorizerEvent(rest, OPTIONS)).toEqual({ kind: 'rest', facts: orderFacts('1.0', [TOKEN]) });
    expect(readAuthorizerEvent(http, OPTIONS)).toEqual({ kind: 'http-api', facts: orderFacts('2.0', [TOKEN]) });
  });

  it('the pipeline reader gives the problem message as `unsupported`', async () => {
    expect(readAuthorizerFacts(null, OPTIONS)).toEqual({ unsupported: 'the event is not an object' });
  });
});

describe('events that are not authorizer events', () => {
  it.each(NOT_OBJECTS)('%s: "the event is not an object"', async (_name, event) => {
    expect(readAuthorizerEvent(event, OPTIONS)).toEqual(unsupported('the event is not an object'));
  });

  it('a TOKEN authorizer: TOKEN_AUTHORIZER, naming the REQUEST authorizer and identity sources that fix it', async () => {
    expect(readAuthorizerEvent(fixture('rest-token.json'), OPTIONS)).toEqual(TOKEN_PROBLEM);
  });

  it.each<[string, unknown, string]>([
    ['an unknown type', 'WEBSOCKET', '"WEBSOCKET"'],
    ['no type (a proxy event)', undefined, 'undefined'],
    ['a lower-case type', 'request', '"request"'],
  ])('%s: EVENT_UNSUPPORTED naming the type', async (_name, type, shown) => {
    const event = restEvent(TOKEN) as unknown as Obj;
    if (type === undefined) delete event.type;
    else event.type = type;
    expect(readAuthorizerEvent(event, OPTIONS)).toEqual(
      unsupported(`not an API Gateway Lambda authorizer event (type ${shown}): claimguard/authorizer decides REST REQUEST and HTTP API payload 2.0 authorizer events`),
    );
  });
});

describe('REST REQUEST events claimguard cannot decide for', () => {
  it.each<[string, unknown, string]>([
    ['3.0', '3.0', '"3.0"'],
    ['a number', 1, '1'],
    ['null', null, 'null'],
  ])('a payload version other than 1.0 and 2.0 (%s)', async (_name, version, shown) => {
    const event = restEvent(TOKEN, (e) => ((e as unknown as Obj).version = version));
    expect(readAuthorizerEvent(event, OPTIONS)).toEqual(
      unsupported(`authorizer payload version ${shown}: claimguard/authorizer reads REST REQUEST events, payload 1.0 and 2.0`),
    );
  });

  it.each(REFUSED_ARNS)('a methodArn that is %s', async (_name, methodArn) => {
    expect(readAuthorizerEvent(withArn(methodArn), OPTIONS)).toEqual(unsupported(NO_ARN));
  });

  it.each(ACCEPTED_ARNS)('a methodArn of %s is read (the facts come from the event, never from the ARN)', async (_name, methodArn) => {
    expect(readAuthorizerEvent(withArn(methodArn), OPTIONS)).toEqual({ kind: 'rest', facts: orderFacts('1.0', [TOKEN]) });
  });

  it.each<[string, (e: RestAuthorizerEvent) => void, string]>([
    ['path parameters that are not strings', (e) => ((e as unknown as Obj).pathParameters = { orderId: 42 }), 'pathParameters is not a map of strings'],
    ['no resource', (e) => delete (e as unknown as Obj).resource, 'payload 1.0 event without httpMethod or resource'],
    ['a resource naming a parameter the event lacks', (e) => (e.pathParameters = {}), 'payload 1.0 resource "/orders/{orderId}" names {orderId}, which pathParameters lacks'],
  ])('an event the proxy reader refuses (%s): the reason, prefixed', async (_name, edit, reason) => {
    expect(readAuthorizerEvent(restEvent(TOKEN, edit), OPTIONS)).toEqual(unsupported(`REST REQUEST authorizer event: ${reason}`));
  });
});

describe('HTTP API payload 2.0 events claimguard cannot decide for', () => {
  it.each<[string, unknown]>([
    ['missing', undefined],
    ['not a string', 42],
  ])('a routeKey %s: "without a routeKey"', async (_name, routeKey) => {
    const event = httpApiEvent(TOKEN) as unknown as Obj;
    if (routeKey === undefined) delete event.routeKey;
    else event.routeKey = routeKey;
    expect(readAuthorizerEvent(event, OPTIONS)).toEqual(unsupported('HTTP API authorizer event without a routeKey'));
  });

  it.each<[string, (e: HttpApiAuthorizerEvent) => void, string]>([
    ['no requestContext.http', (e) => delete (e.requestContext as unknown as Obj).http, 'payload 2.0 event without requestContext.http'],
    ['no rawPath', (e) => delete (e as unknown as Obj).rawPath, 'payload 2.0 event without requestContext.http.method or rawPath'],
    ['path parameters that are not strings', (e) => ((e as unknown as Obj).pathParameters = { orderId: ['42'] }), 'pathParameters is not a map of strings'],
  ])('an event the proxy reader refuses (%s): the reason, prefixed', async (_name, edit, reason) => {
    expect(readAuthorizerEvent(httpApiEvent(TOKEN, edit), OPTIONS)).toEqual(unsupported(`HTTP API authorizer event: ${reason}`));
  });

  it.each<[string, (e: HttpApiAuthorizerEvent) => void]>([
    ['with the recommended identity sources', () => {}],
    // Were the route key null allowed through, an identity source list holding null would pass the cache check.
    ['even when its identity sources hold a null route key', (e) => (e.identitySource = [TOKEN, null as unknown as string])],
  ])('a Function URL domain (nothing routed the request, so no route could decide): refused %s', async (_name, edit) => {
    const event = httpApiEvent(TOKEN, (e) => (e.requestContext.domainName = 'abcdefgh.lambda-url.eu-west-1.on.aws'));
    edit(event);
    expect(readAuthorizerEvent(event, OPTIONS)).toEqual(unsupported('HTTP API authorizer event that API Gateway did not route'));
  });

  const ROUTE_UNSAFE = (n: number) =>
    `the authorizer's identity sources do not include $context.routeKey (values: ${n}), so API Gateway may serve one route's cached answer for another; set them to $request.header.Authorization, $context.routeKey`;
  const CALLER_UNSAFE =
    "the authorizer's identity sources do not include $request.header.Authorization, so API Gateway may serve one caller's cached answer to another; set them to $request.header.Authorization, $context.routeKey";

  it.each<[string, unknown, string]>([
    ['missing', undefined, ROUTE_UNSAFE(0)],
    // Payload 1.0 spells them as one comma-joined string: its characters are no list of values.
    ['one comma-joined string holding both', `${TOKEN},GET /orders/{orderId}`, ROUTE_UNSAFE(0)],
    ["another route's key", [TOKEN, 'GET /orders'], ROUTE_UNSAFE(2)],
    ['the token only', [TOKEN], ROUTE_UNSAFE(1)],
    ['the route key only', ['GET /orders/{orderId}'], CALLER_UNSAFE],
    ["another caller's token", ['Bearer other', 'GET /orders/{orderId}'], CALLER_UNSAFE],
  ])('identity source values that are %s: IDENTITY_SOURCE_UNSAFE', async (_name, identitySource, message) => {
    const event = httpApiEvent(TOKEN) as unknown as Obj;
    if (identitySource === undefined) delete event.identitySource;
    else event.identitySource = identitySource;
    expect(readAuthorizerEvent(event, OPTIONS)).toEqual({ problem: { code: 'IDENTITY_SOURCE_UNSAFE', message } });
  });

  it('without an Authorization header, the route key alone is required (there is no caller to key on)', async () => {
    expect(readAuthorizerEvent(httpApiEvent(null), OPTIONS)).toEqual({ kind: 'http-api', facts: orderFacts('2.0', []) });
  });
});

describe("the module's constants, built inside a test", () => {
  it('a second instance of events.ts, evaluated here, refuses and reads the same events (TOKEN message, methodArn pattern, non-objects)', async () => {
    // The query makes a second instance of events.ts alone; its imports are the instances already loaded.
    const fresh = (await import('../../src/authorizer/events.js?constants' as string)) as { readAuthorizerEvent: typeof readAuthorizerEvent };
    expect(fresh.readAuthorizerEvent).not.toBe(readAuthorizerEvent);
    expect(fresh.readAuthorizerEvent(fixture('rest-token.json'), OPTIONS)).toEqual(TOKEN_PROBLEM);
    for (const [, event] of NOT_OBJECTS) expect(fresh.readAuthorizerEvent(event, OPTIONS)).toEqual(unsupported('the event is not an object'));
    for (const [, arn] of REFUSED_ARNS) expect(fresh.readAuthorizerEvent(withArn(arn), OPTIONS), String(arn)).toEqual(unsupported(NO_ARN));
    for (const [, arn] of ACCEPTED_ARNS) expect(fresh.readAuthorizerEvent(withArn(arn), OPTIONS), arn).toEqual({ kind: 'rest', facts: orderFacts('1.0', [TOKEN]) });
    expect(fresh.readAuthorizerEvent(httpApiEvent(TOKEN), OPTIONS)).toEqual({ kind: 'http-api', facts: orderFacts('2.0', [TOKEN]) });
  });
});
