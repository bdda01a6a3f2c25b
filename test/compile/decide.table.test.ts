// The wasm module against the reference evaluator on hand-picked tricky inputs: input refusal,
// path canonical form, route ranking and parameters, and every check kind over claim values of
// every JSON type. Each row must decide exactly as src/decision does (after the SDK's JSON trip),
// in the shipped runtime and in the debug build (whose invariant assertions abort on a violation).
import { describe, expect, it } from 'vitest';
import { breathe } from '../support/breathe.js';
import { input } from '../support/ir-builders.js';
import { NOW, checkRoutes, checksPolicy, finer, routing, values } from './decide-fixtures.js';
import { asSent, compileIR, referenceDecision } from './policy-wasm.js';

const BUILDS = [
  ['shipped', false],
  ['debug', true],
] as const;

// ---------------------------------------------------------------------------------------------
// Routing

const tok = { sub: '42', aud: 'api', 'st-role': { v: ['admin'], t: NOW - 1000 }, 'st-mfa': { v: true, c: { totp: NOW / 1000 - 10 } } };

const routingRows: [string, unknown][] = [
  ['no input', undefined],
  ['input is an array', []],
  ['input is a string', 'x'],
  ['input is a number', 12],
  ['request missing', { now: NOW }],
  ['request null', { request: null, now: NOW }],
  ['request array', { request: [], now: NOW }],
  ['method missing', { request: { path: '/' }, now: NOW }],
  ['method number', { request: { method: 1, path: '/' }, now: NOW }],
  ['path missing', { request: { method: 'GET' }, now: NOW }],
  ['path null', { request: { method: 'GET', path: null }, now: NOW }],
  ['routeKey number', { request: { method: 'GET', path: '/', routeKey: 5 }, now: NOW }],
  ['routeKey null ok', { request: { method: 'GET', path: '/', routeKey: null }, now: NOW }],
  ['pathParameters array', { request: { method: 'GET', path: '/', pathParameters: [] }, now: NOW }],
  ['pathParameters string', { request: { method: 'GET', path: '/', pathParameters: 'a' }, now: NOW }],
  ['pathParameters null ok', { request: { method: 'GET', path: '/', pathParameters: null }, now: NOW }],
  ['token array', { request: { method: 'GET', path: '/' }, token: [], now: NOW }],
  ['token string', { request: { method: 'GET', path: '/' }, token: 's', now: NOW }],
  ['token false', { request: { method: 'GET', path: '/' }, token: false, now: NOW }],
  ['now missing', { request: { method: 'GET', path: '/' } }],
  ['now string', { request: { method: 'GET', path: '/' }, now: '1' }],
  ['now null', { request: { method: 'GET', path: '/' }, now: null }],
  ['now huge but finite', { request: { method: 'GET', path: '/' }, now: 1.7e308 }],
  ['order: method before token', { request: { path: '/' }, token: 1, now: 'x' }],
  ['order: token before now', { request: { method: 'GET', path: '/' }, token: 1 }],
  ['order: input checks before path', { request: { method: 'GET', path: 'no-slash' } }],
  ['empty path', input('GET', '', { now: NOW })],
  ['relative path', input('GET', 'health', { now: NOW })],
  ['double slash', input('GET', '//', { now: NOW })],
  ['trailing slash', input('GET', '/health/', { now: NOW })],
  ['empty segment', input('GET', '/orders//1', { now: NOW })],
  ['dot segment', input('GET', '/orders/.', { now: NOW })],
  ['dotdot segment', input('GET', '/orders/../health', { now: NOW })],
  ['dot prefix ok', input('GET', '/orders/.x', { now: NOW, token: tok })],
  ['three dots ok', input('GET', '/orders/...', { now: NOW, token: tok })],
  ['backslash', input('GET', '/orders\\1', { now: NOW })],
  ['percent', input('GET', '/orders/%41', { now: NOW })],
  ['NUL', input('GET', '/orders/\u0000', { now: NOW })],
  ['unit separator', input('GET', '/a\u001f', { now: NOW })],
  ['DEL', input('GET', '/a\u007f', { now: NOW })],
  ['C1 first', input('GET', '/a\u0080', { now: NOW })],
  ['C1 last', input('GET', '/a\u009f', { now: NOW })],
  ['U+00A0 ok', input('GET', '/a\u00a0', { now: NOW, token: tok })],
  ['U+00C2 ok', input('GET', '/a\u00c2', { now: NOW, token: tok })],
  ['U+0100 ok', input('GET', '/a\u0100/b', { now: NOW, token: tok })],
  ['U+2028 ok', input('GET', '/a\u2028/b', { now: NOW, token: tok })],
  ['emoji ok', input('GET', '/😀/b', { now: NOW, token: { ...tok, sub: 'b' } })],
  ['lone surrogate captured', input('GET', '/x/\ud800', { now: NOW, token: { ...tok, sub: 'y' } })],
  ['lone surrogate equal', input('GET', '/x/\udc00', { now: NOW, token: { ...tok, sub: '\udc00' } })],
  ['root public', input('GET', '/', { now: NOW })],
  ['root other method → default', input('POST', '/', { now: NOW })],
  ['health', input('GET', '/health', { now: NOW })],
  ['health HEAD → default', input('HEAD', '/health', { now: NOW, token: tok })],
  ['lowercase method → ANY/default', input('get', '/orders/1', { now: NOW, token: tok })],
  ['method ANY literal', input('ANY', '/orders/1', { now: NOW, token: tok })],
  ['method unknown', input('BREW', '/orders/1', { now: NOW, token: tok })],
  ['literal beats param', input('GET', '/orders/special', { now: NOW })],
  ['exact method beats ANY', input('GET', '/orders/1', { now: NOW, token: tok })],
  ['ANY when no exact', input('PUT', '/orders/1', { now: NOW, token: tok })],
  ['DELETE exact', input('DELETE', '/orders/1', { now: NOW, token: { ...tok, 'st-mfa': { v: false } } })],
  ['greedy one segment', input('GET', '/admin/x', { now: NOW, token: tok })],
  ['greedy many segments', input('PATCH', '/admin/x/y/z', { now: NOW, token: tok })],
  ['greedy needs a segment', input('GET', '/admin', { now: NOW, token: tok })],
  ['files greedy capture', input('GET', '/files/a/b/c', { now: NOW, token: { ...tok, sub: 'a/b/c' } })],
  ['files greedy mismatch', input('GET', '/files/a/b/c', { now: NOW, token: { ...tok, sub: 'a/b' } })],
  ['two params vs greedy', input('GET', '/files/a', { now: NOW, token: { ...tok, sub: 'a' } })],
  ['param then literal beats literal then greedy? (leftmost)', input('GET', '/x/lit/lit', { now: NOW, token: { ...tok, sub: 'lit' } })],
  ['x/p/lit', input('GET', '/x/zz/lit', { now: NOW, token: { ...tok, sub: 'zz' } })],
  ['x/lit greedy', input('GET', '/x/lit/a/b', { now: NOW, token: { ...tok, sub: 'a/b' } })],
  ['users profile: subject branch', input('GET', '/users/42/profile', { now: NOW, token: { ...tok, 'st-role': { v: [] } } })],
  ['users profile: both fail', input('GET', '/users/7/profile', { now: NOW, token: { ...tok, 'st-role': { v: [] } } })],
  ['users profile: admin', input('GET', '/users/7/profile', { now: NOW, token: tok })],
  ['tenant param', input('GET', '/t/acme/x', { now: NOW, token: { ...tok, tId: 'acme' } })],
  ['tenant param mismatch', input('GET', '/t/acme/x', { now: NOW, token: { ...tok, tId: 'other' } })],
  ['duplicate param: last wins', input('GET', '/dup/1/2', { now: NOW, token: { ...tok, sub: '1' } })],
  ['duplicate param: last wins 2', input('GET', '/dup/1/2', { now: NOW, token: { ...tok, sub: '2' } })],
  ['param and greedy same name', input('GET', '/mix/1/2/3', { now: NOW, token: { ...tok, sub: '1' } })],
  ['__proto__ param', input('GET', '/proto/v', { now: NOW, token: { ...tok, sub: 'v' } })],
  ['constructor param', input('GET', '/proto2/v', { now: NOW, token: { ...tok, sub: 'w' } })],
  ['unicode literal', input('GET', '/café/ü', { now: NOW, token: tok })],
  ['unicode literal NFD differs', input('GET', '/cafe\u0301/u\u0308', { now: NOW, token: tok })],
  ['param route by path', input('GET', '/tie/v', { now: NOW, token: { ...tok, sub: 'v' } })],
  ['ANY vs GET with more literal… any/p', input('GET', '/any/1', { now: NOW, token: { ...tok, sub: '1' } })],
  ['any/p/q', input('GET', '/any/1/2', { now: NOW, token: { ...tok, sub: '2' } })],
  ['no route → first $default', input('GET', '/a/b/c/d', { now: NOW, token: { ...tok, 'st-ev': { v: true } } })],
  ['no token on default', input('GET', '/a/b/c/d', { now: NOW })],
  ['routeKey hit', input('GET', '/whatever/x', { routeKey: 'GET /orders/{orderId}', now: NOW, token: tok })],
  ['routeKey hit with params', input('GET', '/users/1/profile', { routeKey: 'GET /users/{userId}/profile', pathParameters: { userId: '42' }, now: NOW, token: { sub: '42', aud: 'api' } })],
  ['routeKey hit, params missing', input('GET', '/users/1/profile', { routeKey: 'GET /users/{userId}/profile', now: NOW, token: { sub: '42', aud: 'api' } })],
  ['routeKey hit, param not string', input('GET', '/users/1/profile', { routeKey: 'GET /users/{userId}/profile', pathParameters: { userId: 42 }, now: NOW, token: { sub: '42', aud: 'api' } })],
  ['routeKey hit, param null', input('GET', '/users/1/profile', { routeKey: 'GET /users/{userId}/profile', pathParameters: { userId: null }, now: NOW, token: { sub: '42', aud: 'api' } })],
  ['routeKey hit, __proto__ given', input('GET', '/proto/1', { routeKey: 'GET /proto/{__proto__}', pathParameters: JSON.parse('{"__proto__":"1"}'), now: NOW, token: { sub: '1', aud: 'api' } })],
  ['routeKey hit still needs canonical path', input('GET', '/a/../b', { routeKey: 'GET /health', now: NOW })],
  ['routeKey $default: path match', input('GET', '/health', { routeKey: '$default', now: NOW })],
  ['routeKey unknown: path match', input('GET', '/health', { routeKey: 'GET /nope', now: NOW })],
  ['routeKey ANY /{proxy+}', input('GET', '/orders/1', { routeKey: 'ANY /{proxy+}', now: NOW, token: tok })],
  ['routeKey case differs', input('GET', '/health', { routeKey: 'get /health', now: NOW })],
  ['routeKey empty string', input('GET', '/health', { routeKey: '', now: NOW })],
  ['public route ignores bad-shaped claims', input('GET', '/health', { now: NOW, token: { aud: 1 } })],
  ['null token on protected', input('GET', '/orders/1', { now: NOW, token: null })],
  ['missing token on protected', input('GET', '/orders/1', { now: NOW })],
  ['long path', input('GET', '/' + Array.from({ length: 2000 }, (_, i) => `s${i}`).join('/'), { now: NOW, token: tok })],
];

describe.each(BUILDS)('routing and input refusal: wasm = reference (%s build)', (_build, debug) => {
  const wasm = compileIR(routing, { debug });
  it.each(routingRows)('%s', (_name, doc) => {
    const sent = asSent(doc);
    expect(wasm.decide(doc)).toEqual(referenceDecision(routing, sent));
    expect(wasm.allow(doc)).toBe((referenceDecision(routing, sent) as { allow: boolean }).allow);
  });

  it('raw JSON text: duplicate keys take the last, as JSON.parse does', () => {
    const texts = [
      '{"request":{"method":"GET","path":"/health"},"request":{"method":"GET","path":"/orders/1"},"now":1}',
      '{"request":{"method":"GET","path":"/orders/1","path":"/health"},"now":1}',
      '{"request":{"method":"GET","path":"/a\\u0000"},"now":1}',
      '{"request":{"method":"GET","path":"/a\\u0085"},"now":1}',
      '{"request":{"method":"GET","path":"/x/\\ud800"},"token":{"sub":"\\ud800","aud":"api"},"now":1}',
      '{"request":{"method":"GET","path":"/x/\\ud83d\\ude00"},"token":{"sub":"😀","aud":"api"},"now":1}',
      '{"request":{"method":"GET","path":"/x/y"},"token":{"sub":1e2,"aud":"api"},"now":1}',
      '{"request":{"method":"GET","path":"/x/y"},"token":{"sub":-0.0,"aud":"api"},"now":1}',
      '{"request":{"method":"GET","path":"/x/y"},"token":{"sub":"y","sub":null,"aud":"api"},"now":1}',
      '{"request":{"method":"GET","path":"/health"},"now":1e400}',
      '{"request":{"method":"GET","path":"/health"},"now":-1e400}',
    ];
    // Compared after a JSON trip: `-0.0` is echoed as written, which parses to -0 where the reference has 0.
    const norm = (x: unknown): unknown => JSON.parse(JSON.stringify(x));
    for (const text of texts) {
      expect(norm(wasm.decideText(text)), text).toEqual(referenceDecision(routing, JSON.parse(text)));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// routeKey against the best path match: the API's route is trusted unless a finer policy route wins

const t = { sub: '1', tId: '1' };
const finerRows: [string, unknown][] = [
  ['catch-all routeKey, specific path route wins', input('GET', '/orders/1', { routeKey: 'ANY /{proxy+}', now: NOW, token: { sub: '2' } })],
  ['catch-all routeKey, nothing finer', input('GET', '/zzz/1/2', { routeKey: 'ANY /{proxy+}', now: NOW })],
  ['hit is the best: given parameters', input('GET', '/orders/1', { routeKey: 'GET /orders/{id}', pathParameters: { id: '9' }, now: NOW, token: t })],
  ['ANY hit, exact-method best wins', input('GET', '/orders/1', { routeKey: 'ANY /orders/{id}', pathParameters: { id: '1' }, now: NOW, token: { sub: '2', tId: '1' } })],
  ['ANY hit, same-shape ANY best: hit', input('PUT', '/orders/1', { routeKey: 'ANY /orders/{id}', pathParameters: { id: '7' }, now: NOW, token: t })],
  ['literal hit beats param best', input('GET', '/a/b', { routeKey: 'GET /a', now: NOW, token: t })],
  ['longer best, equal prefix: hit', input('GET', '/orders/1/items/2', { routeKey: 'GET /orders/{id}', pathParameters: { id: '1' }, now: NOW, token: t })],
  ['hit whose template does not match the path', input('GET', '/nope/1/2/3', { routeKey: 'GET /orders/{id}', now: NOW, token: t })],
  ['param hit below a finer param route and ANY proxy', input('GET', '/shape/1', { routeKey: 'GET /{x}/{y}', pathParameters: { x: 'shape', y: '1' }, now: NOW, token: t })],
  ['proxy hit: every finer route applies, most specific first', input('GET', '/shape/1', { routeKey: 'ANY /{proxy+}', pathParameters: { proxy: 'shape/1' }, now: NOW, token: t })],
  ['hit with a method its template does not take', input('POST', '/shape/1', { routeKey: 'GET /shape/{one}', now: NOW, token: t })],
  ['by path: the best', input('GET', '/shape/1', { now: NOW, token: t })],
  ['$default key is no hit', input('GET', '/orders/1', { routeKey: '$default', now: NOW, token: t })],
  ['$default routeKey, no path match: fallback', input('POST', '/x', { routeKey: '$default', now: NOW, token: t })],
];

describe.each(BUILDS)('routeKey against the best path match: wasm = reference (%s build)', (_build, debug) => {
  const wasm = compileIR(finer, { debug });
  it.each(finerRows)('%s', (_name, doc) => {
    expect(JSON.stringify(wasm.decide(doc))).toBe(JSON.stringify(referenceDecision(finer, asSent(doc))));
  });
});

// ---------------------------------------------------------------------------------------------
// Every check kind against claim values of every shape

const tokensFor = (claim: string): Record<string, unknown>[] => [
  {},
  ...values.map((v) => ({ [claim]: v })),
];

const CLAIMS = ['aud', 'iss', 'st-ev', 'st-role', 'st-perm', 'st-mfa', 'tId', 'sub', 'x'];

describe.each(BUILDS)('checks: wasm = reference for every claim shape (%s build)', (_build, debug) => {
  const wasm = compileIR(checksPolicy, { debug });
  it.each(checkRoutes.map(([name]) => name))('%s', (name) => {
    let n = 0;
    for (const claim of CLAIMS) {
      for (const token of tokensFor(claim)) {
        for (const [path, extra] of [
          [`/c/${name}/p`, {}],
          [`/c/${name}/acme`, {}],
          [`/c/${name}/a%2F`, {}],
        ] as const) {
          const doc = input('GET', path, { token: { ...token, ...extra }, now: NOW });
          const got = wasm.decide(doc);
          const want = referenceDecision(checksPolicy, asSent(doc));
          if (JSON.stringify(got) !== JSON.stringify(want)) expect({ doc, got }).toEqual({ doc, got: want });
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(100);
  });

  it('now edge values', async () => {
    for (const now of [0, -1, 1.5, 1e300, -1e300, Number.MAX_SAFE_INTEGER, 5e-324]) {
      for (const [name] of checkRoutes) {
        await breathe();
        for (const claim of ['st-ev', 'st-role', 'st-perm', 'st-mfa']) {
          for (const v of values) {
            const doc = input('GET', `/c/${name}/p`, { token: { [claim]: v }, now });
            const want = referenceDecision(checksPolicy, asSent(doc));
            const got = wasm.decide(doc);
            if (JSON.stringify(got) !== JSON.stringify(want)) expect({ doc, got }).toEqual({ doc, got: want });
          }
        }
      }
    }
  });
});
