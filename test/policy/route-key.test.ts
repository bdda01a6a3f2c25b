import { describe, expect, it } from 'vitest';
import { parseRouteKey, routeShape } from '../../src/policy/route-key.js';

describe('parseRouteKey', () => {
  it.each([
    ['$default', null, null],
    ['GET /', 'GET', []],
    ['ANY /admin/{proxy+}', 'ANY', [{ kind: 'literal', value: 'admin' }, { kind: 'greedy', name: 'proxy' }]],
    ['DELETE /orders/{orderId}', 'DELETE', [{ kind: 'literal', value: 'orders' }, { kind: 'param', name: 'orderId' }]],
    ['GET /v1.0/a_b~c/{x.y-z}', 'GET', [{ kind: 'literal', value: 'v1.0' }, { kind: 'literal', value: 'a_b~c' }, { kind: 'param', name: 'x.y-z' }]],
    ['GET /café', 'GET', [{ kind: 'literal', value: 'café' }]],
  ])('parses %s', (key, method, segments) => {
    const r = parseRouteKey(key);
    expect(r.ok && { method: r.route.method, segments: r.route.segments }).toEqual({ method, segments });
  });

  it.each([
    ['no path', 'GET'],
    ['unknown method', 'FETCH /a'],
    ['lower-case method', 'get /a'],
    ['two spaces', 'GET  /a'],
    ['no leading slash', 'GET a'],
    ['trailing slash', 'GET /a/'],
    ['empty segment', 'GET /a//b'],
    ['dot segment', 'GET /a/./b'],
    ['dot-dot segment', 'GET /a/..'],
    ['percent', 'GET /a%20b'],
    ['backslash', 'GET /a\\b'],
    ['space in path', 'GET /a b'],
    ['query string', 'GET /a?b'],
    ['control character', 'GET /a\u0007'],
    ['partial parameter', 'GET /a{b}'],
    ['empty parameter', 'GET /{}'],
    ['bad parameter name', 'GET /{a b}'],
    ['greedy not last', 'GET /{a+}/b'],
    ['trailing space', 'GET /a '],
    ['$default with a path', '$default /a'],
  ])('refuses %s (%s)', (_name, key) => {
    const r = parseRouteKey(key);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0]?.code).toBe('ROUTE_KEY_INVALID');
  });

  it('reports a repeated parameter name', () => {
    const r = parseRouteKey('GET /a/{id}/b/{id+}');
    expect(!r.ok && r.problems.map((p) => p.code)).toEqual(['PARAM_DUPLICATE']);
  });

  it('gives routes that differ only in parameter names the same shape', () => {
    const shape = (k: string): string => {
      const r = parseRouteKey(k);
      if (!r.ok) throw new Error(k);
      return routeShape(r.route);
    };
    expect(shape('GET /a/{x}/{y+}')).toBe(shape('GET /a/{id}/{rest+}'));
    expect(shape('GET /a/{x}')).not.toBe(shape('GET /a/{x+}'));
    expect(shape('GET /a/{x}')).not.toBe(shape('ANY /a/{x}'));
  });
});
