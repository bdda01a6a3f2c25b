// readEvent, one fact at a time: which headers are the Authorization header (any casing, exactly
// that name, own properties only), payload 1.0 with and without its `"version": "1.0"`, its
// `$default` route, a rawPath that is exactly the stage, Function URL domains, and every event it
// refuses, with the reason it gives. Found by mutation testing (CONTRIBUTING.md, "Mutation
// testing"). The events are cut down from the real-shaped samples of examples/orders-api/events.
import { describe, expect, it, vi } from 'vitest';
import { readEvent, type RequestFacts } from '../../src/lambda/event.js';
import { withAuthorization } from '../../src/lambda/index.js';
import { CONTEXT, logSink, NOW, referenceAuthorizer, v1Event, v2Event } from './fixtures.js';

type Obj = Record<string, unknown>;

/** A payload 2.0 event as an HTTP API sends it: stage `prod`, JWT authorizer claims. */
const v2 = (over: Obj = {}, rc: Obj = {}): Obj => ({
  version: '2.0',
  routeKey: 'GET /orders/{orderId}',
  rawPath: '/prod/orders/42',
  headers: { authorization: 'Bearer t' },
  pathParameters: { orderId: '42' },
  ...over,
  requestContext: {
    domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
    stage: 'prod',
    http: { method: 'GET', path: '/prod/orders/42' },
    authorizer: { jwt: { claims: { sub: 'u1' }, scopes: null } },
    ...rc,
  },
});

/** A payload 1.0 event as a REST API sends it (no `version` field). */
const v1 = (over: Obj = {}, rc: Obj = {}): Obj => ({
  resource: '/orders/{orderId}',
  path: '/v1/orders/42',
  httpMethod: 'GET',
  headers: { Authorization: 'Bearer t' },
  multiValueHeaders: { Authorization: ['Bearer t'] },
  pathParameters: { orderId: '42' },
  ...over,
  requestContext: { stage: 'prod', authorizer: { claims: { sub: 'u1' } }, ...rc },
});

const facts = (event: unknown): RequestFacts => {
  const f = readEvent(event);
  if ('unsupported' in f) throw new Error(f.unsupported);
  return f;
};

describe('the Authorization header', () => {
  const auth = (headers: unknown) => facts(v2({ headers })).authorization;

  it('any casing of exactly that name', () => {
    expect(auth({ authorization: 'a' })).toEqual(['a']);
    expect(auth({ Authorization: 'a' })).toEqual(['a']);
    expect(auth({ AUTHORIZATION: 'a', aUtHoRiZaTiOn: 'b' })).toEqual(['a', 'b']);
  });

  it('never another 13-character header, nor a longer or shorter name', () => {
    expect(auth({ 'Cache-Control': 'no-cache', 'content-length': '0', authorizatioX: 'x' })).toEqual([]);
    expect(auth({ 'x-authorization': 'a', authorizatio: 'b', 'authorization ': 'c', 'proxy-authorization': 'd' })).toEqual([]);
  });

  it('multi-value lists are read item by item; values that are not strings are skipped', () => {
    expect(auth({ authorization: ['a', 7, 'b', null] })).toEqual(['a', 'b']);
    expect(auth({ authorization: 7, Authorization: { v: 'a' } })).toEqual([]);
  });

  it('only own properties: a header inherited from a prototype is not the request\'s', () => {
    const headers = Object.create({ authorization: 'inherited' }) as Obj;
    headers['accept'] = '*/*';
    expect(auth(headers)).toEqual([]);
  });

  it('headers that are not a map hold none', () => {
    expect(auth(null)).toEqual([]);
    expect(auth(['authorization'])).toEqual([]);
    expect(auth('authorization: a')).toEqual([]);
    // A list is not a header map even when it carries a property of that name.
    expect(auth(Object.assign(['x'], { authorization: 'Bearer t' }))).toEqual([]);
  });

  it('payload 1.0: the multi-value map is the truth; a single-value entry it lacks is one more header', () => {
    const read = (headers: unknown, multiValueHeaders: unknown) => facts(v1({ headers, multiValueHeaders })).authorization;
    expect(read({ Authorization: 'b' }, { Authorization: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(read({ authorization: 'c' }, { Authorization: ['a'] })).toEqual(['a', 'c']);
    expect(read({ Authorization: 'a' }, undefined)).toEqual(['a']);
    expect(read(undefined, { 'Cache-Control': ['no-cache'] })).toEqual([]);
  });
});

describe('payload 2.0', () => {
  it('an HTTP API event: stage removed from the path, the JWT authorizer\'s claims', () => {
    expect(facts(v2())).toEqual({
      payload: '2.0',
      source: 'api-gateway',
      method: 'GET',
      routeKey: 'GET /orders/{orderId}',
      path: '/orders/42',
      pathParameters: { orderId: '42' },
      authorization: ['Bearer t'],
      claims: { sub: 'u1' },
      inconsistent: null,
      anyRouteKey: null,
    });
  });

  it('a rawPath that is exactly /{stage} is the root', () => {
    const f = facts(v2({ routeKey: 'GET /', rawPath: '/prod', pathParameters: undefined }));
    expect([f.path, f.pathParameters]).toEqual(['/', null]);
    expect(facts(v2({ routeKey: '$default', rawPath: '/prod/' })).path).toBe('/');
    expect(facts(v2({ routeKey: '$default', rawPath: '/production' })).path).toBe('/production');
  });

  it.each([['$default'], [''], [undefined], [7]])('stage %j is no prefix', (stage) => {
    expect(facts(v2({ routeKey: '$default', rawPath: '/prod/x' }, { stage })).path).toBe('/prod/x');
  });

  it.each<[unknown, string]>([
    ['$default', '/$default/orders/42'],
    ['', '//orders/42'],
    [7, '/7/orders/42'],
    [['p'], '/p/orders/42'], // a list that prints as a stage name is still no stage
  ])('stage %j is no prefix even where the path starts with its text (%s is kept as it came)', (stage, rawPath) => {
    expect(facts(v2({ routeKey: '$default', rawPath }, { stage })).path).toBe(rawPath);
  });

  it('no domainName (a hand-built or test event), or one that is not a string: routed by API Gateway, not a Function URL', () => {
    expect(facts(v2({}, { domainName: undefined }))).toMatchObject({ source: 'api-gateway', routeKey: 'GET /orders/{orderId}', path: '/orders/42' });
    // A list that prints as a lambda-url domain is not one.
    expect(facts(v2({}, { domainName: ['abcdefghij.lambda-url.eu-west-1.on.aws'] }))).toMatchObject({ source: 'api-gateway', routeKey: 'GET /orders/{orderId}' });
  });

  it('no JWT authorizer: claims null', () => {
    expect(facts(v2({}, { authorizer: undefined })).claims).toBeNull();
    expect(facts(v2({}, { authorizer: { jwt: 'x' } })).claims).toBeNull();
    expect(facts(v2({}, { authorizer: { jwt: { claims: null } } })).claims).toBeNull();
    expect(facts(v2({}, { authorizer: { lambda: { sub: 'u1' } } })).claims).toBeNull();
  });

  it('pathParameters: absent and null are none, a map of strings is kept, anything else is refused', () => {
    expect(facts(v2({ pathParameters: undefined })).pathParameters).toBeNull();
    expect(facts(v2({ pathParameters: null })).pathParameters).toBeNull();
    expect(facts(v2({ pathParameters: { a: 'x', b: undefined } })).pathParameters).toEqual({ a: 'x', b: undefined });
    for (const pathParameters of [{ orderId: 42 }, ['42'], '42', { a: null }]) {
      expect(readEvent(v2({ pathParameters }))).toEqual({ unsupported: 'pathParameters is not a map of strings' });
    }
  });

  describe('Function URL requests: nothing routed them, the path is the client\'s', () => {
    const functionUrl = (over: Obj = {}, rc: Obj = {}) => v2({ routeKey: undefined, rawPath: '/prod/orders/42', ...over }, { stage: '$default', ...rc });

    it('no routeKey', () => {
      expect(facts(functionUrl())).toMatchObject({ source: 'function-url', routeKey: null, path: '/prod/orders/42', payload: '2.0', anyRouteKey: null, inconsistent: null });
    });

    it('a lambda-url domain even with a routeKey ($default), the path kept as it came', () => {
      const f = facts(v2({ routeKey: '$default', rawPath: '/prod/x/' }, { domainName: 'abcdefghij.lambda-url.eu-west-1.on.aws', stage: 'prod' }));
      expect([f.source, f.routeKey, f.path]).toEqual(['function-url', null, '/prod/x/']);
    });

    it.each(['abc.on.aws', 'abc.lambda-url.eu-west-1.on.aws.example.com', 'abc.lambda-url..on.aws', 'abc.lambda-url.EU.on.aws'])('not for the domain %s', (domainName) => {
      expect(facts(v2({}, { domainName })).source).toBe('api-gateway');
    });
  });

  it.each<[string, Obj, Obj, string]>([
    ['no method', {}, { http: { path: '/x' } }, 'payload 2.0 event without requestContext.http.method or rawPath'],
    ['no rawPath', { rawPath: undefined }, {}, 'payload 2.0 event without requestContext.http.method or rawPath'],
    ['a rawPath that is not a string', { rawPath: ['/x'] }, {}, 'payload 2.0 event without requestContext.http.method or rawPath'],
    ['a routeKey that is not a string', { routeKey: 7 }, {}, 'payload 2.0 routeKey is not a string'],
    ['no requestContext.http', {}, { http: 'GET' }, 'payload 2.0 event without requestContext.http'],
  ])('refuses %s', (_name, over, rc, unsupported) => {
    expect(readEvent(v2(over, rc))).toEqual({ unsupported });
  });
});

describe('payload 1.0', () => {
  const expected = {
    payload: '1.0',
    source: 'api-gateway',
    method: 'GET',
    routeKey: 'GET /orders/{orderId}',
    path: '/orders/42',
    pathParameters: { orderId: '42' },
    authorization: ['Bearer t'],
    claims: { sub: 'u1' },
    inconsistent: null,
    anyRouteKey: 'ANY /orders/{orderId}',
  };

  it('without a version field (REST API), and with "version": "1.0" (HTTP API): the same facts', () => {
    expect(facts(v1())).toEqual(expected);
    expect(facts({ ...v1(), version: '1.0' })).toEqual(expected);
  });

  it('the path is rebuilt from the resource; ANY routes have no other ANY key', () => {
    expect(facts(v1({ httpMethod: 'ANY' })).anyRouteKey).toBeNull();
    expect(facts(v1({ resource: '/', path: '/v1/', pathParameters: null }))).toMatchObject({ path: '/', routeKey: 'GET /', anyRouteKey: 'ANY /' });
  });

  it('the $default route: no template, the client\'s path without the stage', () => {
    const event = v1({ resource: '$default', path: '/prod/anything/here', pathParameters: null });
    expect(facts(event)).toEqual({
      ...expected,
      routeKey: '$default',
      path: '/anything/here',
      pathParameters: null,
      anyRouteKey: null,
    });
    expect(facts(v1({ resource: '$default', path: '/prod' })).path).toBe('/');
    expect(readEvent(v1({ resource: '$default', path: undefined }))).toEqual({ unsupported: 'payload 1.0 event on the $default route without path' });
  });

  it('a parameter value API Gateway\'s match could not give: inconsistent, and the path is the resource', () => {
    const f = facts(v1({ pathParameters: { orderId: '4/2' } }));
    expect([f.path, f.inconsistent]).toEqual([
      '/orders/{orderId}',
      'path parameter {orderId} is "4/2": no request API Gateway matches to this resource gives that',
    ]);
  });

  it('claims: the authorizer\'s claims map, or null', () => {
    expect(facts(v1({}, { authorizer: null })).claims).toBeNull();
    expect(facts(v1({}, { authorizer: { claims: 'x' } })).claims).toBeNull();
    expect(facts(v1({}, { authorizer: { principalId: 'u1' } })).claims).toBeNull();
  });

  it.each<[string, Obj, string]>([
    ['an httpMethod that is not a string', { httpMethod: 7 }, 'not an API Gateway proxy event (version undefined)'],
    ['no resource', { resource: undefined }, 'payload 1.0 event without httpMethod or resource'],
    ['a resource that is not a template', { resource: 'orders/{orderId}' }, 'payload 1.0 resource "orders/{orderId}" is not a route template'],
    ['a parameter the resource names but pathParameters lacks', { pathParameters: { id: '42' } }, 'payload 1.0 resource "/orders/{orderId}" names {orderId}, which pathParameters lacks'],
    ['pathParameters of another type', { pathParameters: [] }, 'pathParameters is not a map of strings'],
  ])('refuses %s', (_name, over, unsupported) => {
    expect(readEvent(v1(over))).toEqual({ unsupported });
  });
});

describe('events that are not API Gateway or Function URL events', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'event is not an object'],
    ['a list', [v2()], 'event is not an object'],
    ['no requestContext', { version: '2.0', rawPath: '/' }, 'event has no requestContext'],
    ['a requestContext that is not a map', { version: '2.0', requestContext: 'x' }, 'event has no requestContext'],
    ['version 3.0', { ...v2(), version: '3.0' }, 'not an API Gateway proxy event (version "3.0")'],
    ['version 1.0 without httpMethod', { version: '1.0', requestContext: {} }, 'not an API Gateway proxy event (version "1.0")'],
    ['version 2 as a number', { ...v2(), version: 2 }, 'not an API Gateway proxy event (version 2)'],
    ['a payload 1.0 event labelled 3.0', { ...v1(), version: '3.0' }, 'not an API Gateway proxy event (version "3.0")'],
    ['an SQS record', { Records: [{ eventSource: 'aws:sqs' }], requestContext: {} }, 'not an API Gateway proxy event (version undefined)'],
    ['a v2 event mislabelled 1.0', { ...v2(), version: '1.0' }, 'not an API Gateway proxy event (version "1.0")'],
  ])('%s', (_name, event, unsupported) => {
    expect(readEvent(event)).toEqual({ unsupported });
  });
});

describe('through withAuthorization', () => {
  it('a payload 1.0 event that says "version": "1.0" is authorized like one that does not', async () => {
    for (const version of [undefined, '1.0']) {
      const log = logSink();
      const authorizer = referenceAuthorizer();
      const handler = vi.fn(async () => ({ statusCode: 200, body: 'order 42' }));
      const wrapped = withAuthorization(handler, { authorizer, clock: () => NOW, log: { sink: log.sink } });
      const event = { ...v1Event('v1-get-order.json'), ...(version === undefined ? {} : { version }) };
      expect(await wrapped(event as never, CONTEXT)).toEqual({ statusCode: 200, body: 'order 42' });
      expect(handler).toHaveBeenCalledTimes(1);
      expect(log.lines).toMatchObject([{ status: 200, route: 'GET /orders/{orderId}', reasons: [] }]);
      expect(authorizer.inputs).toMatchObject([{ request: { method: 'GET', path: '/orders/42', routeKey: 'GET /orders/{orderId}' } }]);
    }
  });

  it('a Cache-Control header is not a token: a protected route without Authorization is a 401', async () => {
    const log = logSink();
    const handler = vi.fn(async () => ({ statusCode: 200 }));
    const wrapped = withAuthorization(handler, { authorizer: referenceAuthorizer(), clock: () => NOW, log: { sink: log.sink } });
    const event = v2Event('v2-get-order.json');
    const token = event.headers.authorization!;
    delete event.headers.authorization;
    event.headers['cache-control'] = token;
    const response = await wrapped(event, CONTEXT);
    expect(response).toMatchObject({ statusCode: 401 });
    expect(log.lines).toMatchObject([{ status: 401, reasons: ['TOKEN_MISSING'] }]);
    expect(handler).not.toHaveBeenCalled();
  });
});
