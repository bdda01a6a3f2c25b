// Route selection (docs/decision.md): routeKey hit, API Gateway ranking of method + path, `$default`,
// canonical-path refusal, input validation order, token presence.
import { describe, expect, it } from 'vitest';
import { decide, evaluate } from '../../src/decision/evaluate.js';
import type { Reason } from '../../src/decision/types.js';
import { chk, input, policy, publicRoute, route } from '../support/ir-builders.js';

const NOW = 1712345680000;

describe('route ranking (method + path)', () => {
  // Every route public: the decision's `route` shows which one was picked.
  const p = policy([
    publicRoute('ANY /{proxy+}'),
    publicRoute('GET /orders/{orderId}'),
    publicRoute('ANY /orders/{orderId}'),
    publicRoute('GET /orders/mine'),
    publicRoute('GET /files/{path+}'),
    publicRoute('GET /files/{dir}/meta'),
    publicRoute('GET /{b}/m/z'),
    publicRoute('GET /l/{a}/z'),
    publicRoute('GET /pets/{id}'),
    publicRoute('ANY /pets/dog'),
    publicRoute('GET /'),
    publicRoute('$default'),
  ]);
  it.each([
    { name: 'literal beats {param}', method: 'GET', path: '/orders/mine', route: 'GET /orders/mine', params: {} },
    { name: '{param} captures', method: 'GET', path: '/orders/42', route: 'GET /orders/{orderId}', params: { orderId: '42' } },
    { name: 'exact method beats ANY on the same template', method: 'GET', path: '/orders/7', route: 'GET /orders/{orderId}', params: { orderId: '7' } },
    { name: 'ANY when no exact method', method: 'POST', path: '/orders/42', route: 'ANY /orders/{orderId}', params: { orderId: '42' } },
    { name: 'a literal route of another method does not match', method: 'DELETE', path: '/orders/mine', route: 'ANY /orders/{orderId}', params: { orderId: 'mine' } },
    { name: 'path ranking before method: ANY literal beats GET {param}', method: 'GET', path: '/pets/dog', route: 'ANY /pets/dog', params: {} },
    { name: '{param} beats {greedy+}', method: 'GET', path: '/files/a/meta', route: 'GET /files/{dir}/meta', params: { dir: 'a' } },
    { name: 'greedy takes one segment', method: 'GET', path: '/files/a', route: 'GET /files/{path+}', params: { path: 'a' } },
    { name: 'greedy joins segments with /', method: 'GET', path: '/files/a/b/c', route: 'GET /files/{path+}', params: { path: 'a/b/c' } },
    { name: 'greedy needs ≥1 segment: /files falls to the catch-all', method: 'GET', path: '/files', route: 'ANY /{proxy+}', params: { proxy: 'files' } },
    { name: 'leftmost difference decides (literal at 0 beats literal at 1)', method: 'GET', path: '/l/m/z', route: 'GET /l/{a}/z', params: { a: 'm' } },
    { name: 'the other one where only it matches', method: 'GET', path: '/k/m/z', route: 'GET /{b}/m/z', params: { b: 'k' } },
    { name: 'root path', method: 'GET', path: '/', route: 'GET /', params: {} },
    { name: 'root with another method: greedy needs a segment, so $default', method: 'POST', path: '/', route: '$default', params: {} },
    { name: 'catch-all', method: 'PATCH', path: '/x/y', route: 'ANY /{proxy+}', params: { proxy: 'x/y' } },
    { name: 'paths are case-sensitive', method: 'GET', path: '/Orders/mine', route: 'ANY /{proxy+}', params: { proxy: 'Orders/mine' } },
    { name: 'methods are case-sensitive (ANY still matches)', method: 'get', path: '/orders/mine', route: 'ANY /orders/{orderId}', params: { orderId: 'mine' } },
    { name: 'unicode, quotes and spaces are ordinary segment text', method: 'GET', path: '/orders/ü "😀\' x', route: 'GET /orders/{orderId}', params: { orderId: 'ü "😀\' x' } },
    { name: 'three dots is an ordinary segment', method: 'GET', path: '/orders/...', route: 'GET /orders/{orderId}', params: { orderId: '...' } },
  ])('$name: $method $path → $route', ({ method, path, route: expected, params }) => {
    const e = evaluate(p, input(method, path, { now: NOW }));
    expect(e.decision).toEqual({ allow: true, status: 200, route: expected, reasons: [] });
    expect({ ...e.match?.params }).toEqual(params);
  });

  it('route order in the policy does not change the ranking', () => {
    const reversed = policy([...p.routes].reverse());
    for (const [m, path] of [['GET', '/orders/mine'], ['GET', '/files/a/meta'], ['GET', '/l/m/z'], ['GET', '/pets/dog'], ['POST', '/']]) {
      expect(decide(reversed, input(m!, path!, { now: NOW }))).toEqual(decide(p, input(m!, path!, { now: NOW })));
    }
  });
});

describe('routeKey', () => {
  const p = policy([
    publicRoute('GET /orders/{orderId}'),
    publicRoute('GET /orders/mine'),
    publicRoute('ANY /{proxy+}'),
  ]);
  it.each([
    { name: 'a policy key is used when no finer policy route matches the path', routeKey: 'GET /orders/{orderId}', method: 'GET', path: '/orders/9', route: 'GET /orders/{orderId}', finer: undefined, params: { orderId: '7' } },
    { name: 'a finer policy route applies beside the routeKey hit', routeKey: 'GET /orders/{orderId}', method: 'GET', path: '/orders/mine', route: 'GET /orders/{orderId}', finer: ['GET /orders/mine'], params: { orderId: '7' } },
    { name: '$default matches by path', routeKey: '$default', method: 'GET', path: '/orders/mine', route: 'GET /orders/mine', finer: undefined, params: {} },
    { name: 'a key the policy lacks (finer policy) matches by path', routeKey: 'GET /orders/{id}', method: 'GET', path: '/orders/mine', route: 'GET /orders/mine', finer: undefined, params: {} },
    { name: 'null routeKey matches by path', routeKey: null, method: 'GET', path: '/orders/9', route: 'GET /orders/{orderId}', finer: undefined, params: { orderId: '9' } },
    // An API deployed with only `ANY /{proxy+}` in front of a finer policy: the catch-all must not
    // bypass the specific routes, so the more specific policy route applies too.
    { name: 'ANY /{proxy+} that is also a policy key: a finer route matching the path applies too', routeKey: 'ANY /{proxy+}', method: 'GET', path: '/orders/mine', route: 'ANY /{proxy+}', finer: ['GET /orders/mine', 'GET /orders/{orderId}'], params: { orderId: '7' } },
    { name: 'ANY /{proxy+} that is also a policy key is used alone when nothing finer matches', routeKey: 'ANY /{proxy+}', method: 'GET', path: '/other/x', route: 'ANY /{proxy+}', finer: undefined, params: { orderId: '7' } },
  ])('$name', ({ routeKey, method, path, route: expected, finer, params }) => {
    const e = evaluate(p, input(method, path, { routeKey, pathParameters: { orderId: '7' }, now: NOW }));
    expect(e.decision.route).toBe(expected);
    expect(e.decision.finerRoutes).toEqual(finer);
    expect(e.finer.map((f) => f.match.route.key)).toEqual(finer ?? []);
    expect({ ...e.match?.params }).toEqual(params);
  });

  const mismatch = { allow: false, status: 403, route: null, reasons: [{ id: 'request', code: 'ROUTE_MISMATCH', reason: { message: 'the request does not match the route API Gateway dispatched' } }] };
  it.each([
    { name: 'a prefix the template does not have (an unstripped mapping)', routeKey: 'GET /orders/{orderId}', method: 'GET', path: '/v1/orders/9' },
    { name: 'another method', routeKey: 'GET /orders/{orderId}', method: 'DELETE', path: '/orders/9' },
    { name: 'a greedy route and a path outside it', routeKey: 'ANY /admin/{proxy+}', method: 'GET', path: '/health' },
    { name: 'a greedy route and exactly its prefix (greedy needs a segment)', routeKey: 'ANY /admin/{proxy+}', method: 'GET', path: '/admin' },
    { name: 'a parameter value holding a slash (rebuilt 1.0 path)', routeKey: 'GET /orders/{orderId}', method: 'GET', path: '/orders/mine/x' },
  ])('a routeKey whose template cannot match: ROUTE_MISMATCH, never a fallback ($name)', ({ routeKey, method, path }) => {
    const q = policy([...p.routes, publicRoute('ANY /admin/{proxy+}'), publicRoute('GET /health'), publicRoute('$default')]);
    expect(decide(q, input(method, path, { routeKey, now: NOW }))).toEqual(mismatch);
  });

  it('the path is still checked on a routeKey hit', () => {
    expect(decide(p, input('GET', '/orders/../admin', { routeKey: 'GET /orders/{orderId}', now: NOW })).reasons[0]?.code).toBe('PATH_REJECTED');
  });
});

describe('the dispatched route always decides (issue reproductions, evaluator level)', () => {
  const admin = { 'st-role': { v: ['admin'], t: NOW }, 'st-perm': { v: ['read:invoices'], t: NOW } };
  const customer = { 'st-role': { v: ['customer'], t: NOW } };
  const p = policy([
    publicRoute('GET /health'),
    route('ANY /admin/{proxy+}', [chk.roles({ anyOf: ['admin'] })]),
    route('GET /docs/{docId}', [chk.roles({ anyOf: ['staff'] })]),
    publicRoute('GET /docs/public/{rest+}'),
    route('GET /invoices/{invoiceId}', [chk.permissions({ anyOf: ['read:invoices'] })]),
    route('GET /invoices/summary', [chk.roles({ anyOf: ['customer', 'admin'] })]),
    route('ANY /{proxy+}', [chk.roles({ anyOf: ['customer', 'admin'] })]),
  ]);
  it('A: the admin proxy with a path outside it is a mismatch, not the public health route', () => {
    expect(decide(p, input('GET', '/health', { routeKey: 'ANY /admin/{proxy+}', token: customer, now: NOW })).reasons[0]?.code).toBe('ROUTE_MISMATCH');
  });
  it('A: the admin proxy with its own path needs admin', () => {
    const d = decide(p, input('GET', '/admin/health', { routeKey: 'ANY /admin/{proxy+}', pathParameters: { proxy: 'health' }, token: customer, now: NOW }));
    expect(d).toMatchObject({ allow: false, status: 403, route: 'ANY /admin/{proxy+}' });
    expect(d.reasons.map((r) => r.code)).toEqual(['ROLES_MISSING']);
  });
  it('C: a docId holding a slash cannot reach the public docs route', () => {
    const d = decide(p, input('GET', '/docs/public/x', { routeKey: 'GET /docs/{docId}', pathParameters: { docId: 'public/x' }, token: null, now: NOW }));
    expect(d.reasons[0]?.code).toBe('ROUTE_MISMATCH');
  });
  it('D: a laxer literal route does not replace the dispatched {invoiceId} route: both apply', () => {
    const d = decide(p, input('GET', '/invoices/summary', { routeKey: 'GET /invoices/{invoiceId}', pathParameters: { invoiceId: 'summary' }, token: customer, now: NOW }));
    expect(d).toMatchObject({ allow: false, status: 403, route: 'GET /invoices/{invoiceId}', finerRoutes: ['GET /invoices/summary'] });
    expect(d.reasons.map((r) => r.code)).toEqual(['PERMISSIONS_MISSING']);
    const ok = decide(p, input('GET', '/invoices/summary', { routeKey: 'GET /invoices/{invoiceId}', pathParameters: { invoiceId: 'summary' }, token: admin, now: NOW }));
    expect(ok).toEqual({ allow: true, status: 200, route: 'GET /invoices/{invoiceId}', finerRoutes: ['GET /invoices/summary'], reasons: [] });
  });
  it('a catch-all integration cannot bypass a finer protected route, and a finer public route cannot loosen it', () => {
    const viaProxy = decide(p, input('GET', '/docs/42', { routeKey: 'ANY /{proxy+}', pathParameters: { proxy: 'docs/42' }, token: customer, now: NOW }));
    expect(viaProxy).toMatchObject({ allow: false, route: 'ANY /{proxy+}', finerRoutes: ['GET /docs/{docId}'] });
    expect(viaProxy.reasons.map((r) => r.code)).toEqual(['ROLES_MISSING']);
    const publicFiner = decide(p, input('GET', '/docs/public/a', { routeKey: 'ANY /{proxy+}', pathParameters: { proxy: 'docs/public/a' }, token: null, now: NOW }));
    expect(publicFiner).toMatchObject({ allow: false, status: 401, route: 'ANY /{proxy+}', finerRoutes: ['GET /docs/public/{rest+}'] });
  });
  it('a reason both routes report is listed once', () => {
    const q = policy([route('ANY /{proxy+}', [chk.roles({ anyOf: ['admin'] })]), route('GET /a', [chk.roles({ anyOf: ['admin'] }), chk.mfa()])]);
    const d = decide(q, input('GET', '/a', { routeKey: 'ANY /{proxy+}', token: customer, now: NOW }));
    expect(d.reasons.map((r) => `${r.id}:${r.code}`)).toEqual(['st-role:ROLES_MISSING', 'st-mfa:MFA_REQUIRED']);
  });
});

describe('no route', () => {
  const notInPolicy = { allow: false, status: 403, route: null, reasons: [{ id: 'request', code: 'ROUTE_NOT_IN_POLICY', reason: { message: 'no policy route matches the request' } }] };
  const p = policy([publicRoute('GET /health'), route('GET /orders/{id}', [chk.roles({ anyOf: ['admin'] })])]);
  it.each([
    { name: 'unknown path', method: 'GET', path: '/nope' },
    { name: 'known path, other method', method: 'POST', path: '/health' },
    { name: 'too many segments', method: 'GET', path: '/orders/1/2' },
    { name: 'too few segments', method: 'GET', path: '/orders' },
    { name: 'root', method: 'GET', path: '/' },
    { name: 'routeKey $default with an unknown path', method: 'GET', path: '/nope', routeKey: '$default' },
  ])('$name → ROUTE_NOT_IN_POLICY', ({ method, path, routeKey }) => {
    expect(decide(p, input(method, path, { routeKey: routeKey ?? null, token: {}, now: NOW }))).toEqual(notInPolicy);
  });

  it('a $default policy route is the fallback', () => {
    const withDefault = policy([...p.routes, route('$default', [chk.claimExists('x')])]);
    expect(decide(withDefault, input('GET', '/nope', { token: { x: 1 }, now: NOW }))).toEqual({ allow: true, status: 200, route: '$default', reasons: [] });
    expect(decide(withDefault, input('GET', '/nope', { routeKey: '$default', token: {}, now: NOW }))).toEqual({
      allow: false,
      status: 403,
      route: '$default',
      reasons: [{ id: 'x', code: 'CLAIM_MISMATCH', reason: { message: 'value does not exist' } }],
    });
    // ...but never beats a route that matches.
    expect(decide(withDefault, input('GET', '/health', { now: NOW })).route).toBe('GET /health');
  });
});

describe('refused paths → PATH_REJECTED', () => {
  const p = policy([publicRoute('ANY /{proxy+}'), publicRoute('GET /'), publicRoute('$default')]);
  const rejected = { allow: false, status: 403, route: null, reasons: [{ id: 'request.path', code: 'PATH_REJECTED', reason: { message: 'path is not in canonical form' } }] };
  it.each([
    ['double slash at start', '//'],
    ['empty segment', '/a//b'],
    ['dot-dot segment', '/a/../b'],
    ['dot segment', '/a/./b'],
    ['trailing dot segment', '/a/.'],
    ['trailing dot-dot segment', '/a/..'],
    ['only a dot', '/.'],
    ['only a dot-dot', '/..'],
    ['percent-encoded dot', '/a/%2e%2e/b'],
    ['percent-encoded slash', '/a%2Fb'],
    ['a lone percent', '/100%'],
    ['backslash', '/a\\b'],
    ['backslash dot-dot', '/a/..\\b'],
    ['trailing slash', '/a/'],
    ['NUL', '/a\u0000b'],
    ['newline', '/a\nb'],
    ['tab', '/a\tb'],
    ['unit separator U+001F', '/a\u001f'],
    ['DEL U+007F', '/a\u007f'],
    ['NEL U+0085 (C1)', '/a\u0085b'],
    ['U+009F (C1)', '/a\u009f'],
    ['empty path', ''],
    ['no leading slash', 'a/b'],
    ['leading space', ' /a'],
  ])('%s: %j', (_name, path) => {
    expect(decide(p, input('GET', path, { now: NOW }))).toEqual(rejected);
  });

  it.each([
    ['NBSP U+00A0 is not a control character', '/a\u00a0b'],
    ['dots inside a segment', '/a.b/..c/c..'],
    ['astral characters', '/😀'],
  ])('accepted: %s', (_name, path) => {
    expect(decide(p, input('GET', path, { now: NOW })).allow).toBe(true);
  });
});

describe('input validation → INPUT_INVALID (first problem only, fixed order)', () => {
  const p = policy([publicRoute('ANY /{proxy+}')]);
  const req = { method: 'GET', path: '/a' };
  const reason = (message: string): Reason => ({ id: 'input', code: 'INPUT_INVALID', reason: { message } });
  it.each<[string, unknown, string]>([
    ['input null', null, 'input must be an object'],
    ['input a string', '{}', 'input must be an object'],
    ['input an array', [], 'input must be an object'],
    ['input a number', 1, 'input must be an object'],
    ['input undefined', undefined, 'input must be an object'],
    ['request absent', { now: NOW }, 'input.request must be an object'],
    ['request null', { request: null, now: NOW }, 'input.request must be an object'],
    ['request an array', { request: [], now: NOW }, 'input.request must be an object'],
    ['method absent', { request: { path: '/a' }, now: NOW }, 'input.request.method must be a string'],
    ['method a number', { request: { method: 1, path: '/a' }, now: NOW }, 'input.request.method must be a string'],
    ['path absent', { request: { method: 'GET' }, now: NOW }, 'input.request.path must be a string'],
    ['path null', { request: { method: 'GET', path: null }, now: NOW }, 'input.request.path must be a string'],
    ['path an array of segments', { request: { method: 'GET', path: ['a'] }, now: NOW }, 'input.request.path must be a string'],
    ['routeKey a number', { request: { ...req, routeKey: 1 }, now: NOW }, 'input.request.routeKey must be a string'],
    ['routeKey an object', { request: { ...req, routeKey: {} }, now: NOW }, 'input.request.routeKey must be a string'],
    ['pathParameters an array', { request: { ...req, pathParameters: [] }, now: NOW }, 'input.request.pathParameters must be an object'],
    ['pathParameters a string', { request: { ...req, pathParameters: 'a=b' }, now: NOW }, 'input.request.pathParameters must be an object'],
    ['token a JWT string', { request: req, token: 'eyJ.x.y', now: NOW }, 'input.token must be an object or null'],
    ['token an array', { request: req, token: [], now: NOW }, 'input.token must be an object or null'],
    ['token false', { request: req, token: false, now: NOW }, 'input.token must be an object or null'],
    ['now absent', { request: req }, 'input.now must be a finite number'],
    ['now null', { request: req, now: null }, 'input.now must be a finite number'],
    ['now a string', { request: req, now: String(NOW) }, 'input.now must be a finite number'],
    ['several problems: method before now', { request: { method: 1, path: '/a' }, now: 'x' }, 'input.request.method must be a string'],
    ['several problems: path before token', { request: { method: 'GET' }, token: 1 }, 'input.request.path must be a string'],
    ['several problems: routeKey before pathParameters', { request: { ...req, routeKey: 1, pathParameters: 1 } }, 'input.request.routeKey must be a string'],
    ['several problems: token before now', { request: req, token: 1 }, 'input.token must be an object or null'],
    ['invalid input before refused path', { request: { method: 'GET', path: '//' }, now: 'x' }, 'input.now must be a finite number'],
  ])('%s', (_name, doc, message) => {
    expect(decide(p, doc)).toEqual({ allow: false, status: 403, route: null, reasons: [reason(message)] });
  });

  it.each<[string, unknown]>([
    ['routeKey null', { request: { ...req, routeKey: null }, now: NOW }],
    ['pathParameters null', { request: { ...req, pathParameters: null }, now: NOW }],
    ['token null', { request: req, token: null, now: NOW }],
    ['token absent', { request: req, now: NOW }],
    ['extra fields ignored', { request: { ...req, headers: {} }, now: NOW, extra: true }],
  ])('valid: %s', (_name, doc) => {
    expect(decide(p, doc).allow).toBe(true);
  });
});

describe('token presence', () => {
  const p = policy([
    publicRoute('GET /health'),
    route('GET /orders/{id}', [chk.audience('jwtAuthorizers')]),
    route('GET /open-but-protected'),
  ]);
  const missing = { allow: false, status: 401, route: 'GET /orders/{id}', reasons: [{ id: 'token', code: 'TOKEN_MISSING', reason: { message: 'token missing' } }] };
  it.each([
    { name: 'public, no token', path: '/health', token: undefined, expected: { allow: true, status: 200, route: 'GET /health', reasons: [] } },
    { name: 'public, null token', path: '/health', token: null, expected: { allow: true, status: 200, route: 'GET /health', reasons: [] } },
    { name: 'public, junk claims are not looked at', path: '/health', token: { aud: 1, 'st-ev': 'x' }, expected: { allow: true, status: 200, route: 'GET /health', reasons: [] } },
    { name: 'protected, token absent → 401', path: '/orders/1', token: undefined, expected: missing },
    { name: 'protected, token null → 401', path: '/orders/1', token: null, expected: missing },
    {
      name: 'protected, empty token object → 403, not 401',
      path: '/orders/1',
      token: {},
      expected: { allow: false, status: 403, route: 'GET /orders/{id}', reasons: [{ id: 'aud', code: 'AUDIENCE_MISMATCH', reason: { message: 'value does not exist', expectedToIncludeAtLeastOneOf: ['jwtAuthorizers'] } }] },
    },
    { name: 'protected with no checks still needs a token', path: '/open-but-protected', token: null, expected: { ...missing, route: 'GET /open-but-protected' } },
    { name: 'protected with no checks, any token', path: '/open-but-protected', token: {}, expected: { allow: true, status: 200, route: 'GET /open-but-protected', reasons: [] } },
  ])('$name', ({ path, token, expected }) => {
    expect(decide(p, input('GET', path, token === undefined ? { now: NOW } : { token, now: NOW }))).toEqual(expected);
  });
});

describe('__proto__ keys are data', () => {
  it('a JSON "__proto__" key in the token grants nothing and pollutes nothing', () => {
    const p = policy([route('GET /a', [chk.emailVerified(), chk.roles({ anyOf: ['admin'] })])]);
    const doc = JSON.parse(
      `{"request":{"method":"GET","path":"/a","pathParameters":{"__proto__":{"x":1}}},"now":${NOW},` +
        `"token":{"__proto__":{"st-ev":{"v":true},"st-role":{"v":["admin"],"t":${NOW}}}}}`,
    ) as unknown;
    const d = decide(p, doc);
    expect(d.allow).toBe(false);
    expect(d.reasons.map((r) => r.code)).toEqual(['EMAIL_NOT_VERIFIED', 'ROLES_MISSING']);
    expect(({} as Record<string, unknown>)['st-ev']).toBeUndefined();
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('claims inherited through a real prototype are not claims', () => {
    const p = policy([route('GET /a', [chk.emailVerified()])]);
    const token = Object.create({ 'st-ev': { v: true } }) as Record<string, unknown>;
    expect(decide(p, input('GET', '/a', { token, now: NOW })).allow).toBe(false);
  });

  it.each([
    { name: '{__proto__} param captured from the path', key: 'GET /u/{__proto__}' },
    { name: '{__proto__+} greedy captured from the path', key: 'GET /u/{__proto__+}' },
  ])('$name is usable by equalsPathParam', ({ key }) => {
    const p = policy([route(key, [chk.subject('__proto__')])]);
    expect(decide(p, input('GET', '/u/bob', { token: { sub: 'bob' }, now: NOW }))).toEqual({ allow: true, status: 200, route: key, reasons: [] });
    expect(decide(p, input('GET', '/u/bob', { token: { sub: 'eve' }, now: NOW })).reasons).toEqual([
      { id: 'sub', code: 'SUBJECT_MISMATCH', reason: { message: 'wrong value', expectedValue: 'bob', actualValue: 'eve' } },
    ]);
  });

  it('{__proto__} param given in pathParameters on a routeKey hit', () => {
    const p = policy([route('GET /u/{__proto__}', [chk.subject('__proto__')])]);
    const doc = JSON.parse(
      `{"request":{"method":"GET","path":"/u/bob","routeKey":"GET /u/{__proto__}","pathParameters":{"__proto__":"bob"}},"token":{"sub":"bob"},"now":0}`,
    ) as unknown;
    expect(decide(p, doc).allow).toBe(true);
  });
});
