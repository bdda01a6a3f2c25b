// parseRouteKey's refusals pinned whole (code and the exact message an author reads), and the
// edges of what it accepts. Found by mutation testing (CONTRIBUTING.md, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { HTTP_METHODS, parseRouteKey, routeShape, type RouteKeyProblem } from '../../src/policy/route-key.js';

const problems = (key: string): readonly RouteKeyProblem[] => {
  const r = parseRouteKey(key);
  return r.ok ? [] : r.problems;
};
const invalid = (message: string): RouteKeyProblem => ({ code: 'ROUTE_KEY_INVALID', message });

describe('parseRouteKey refusals', () => {
  it.each([
    ['GET', 'route key "GET" must be "METHOD /path" or "$default"'],
    ['', 'route key "" must be "METHOD /path" or "$default"'],
    ['get /a', 'route key "get /a": method must be upper case ("GET")'],
    ['Any /a', 'route key "Any /a": method must be upper case ("ANY")'],
    ['FETCH /a', 'route key "FETCH /a": unknown method "FETCH" (use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY)'],
    ['$default /a', 'route key "$default /a": unknown method "$default" (use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY)'],
    ['GET  /a', 'route key "GET  /a": path must start with "/" after a single space'],
    ['GET a', 'route key "GET a": path must start with "/" after a single space'],
    ['GET /a/', 'route key "GET /a/": path must not end with "/"'],
    ['GET //', 'route key "GET //": path must not end with "/"'],
    ['GET /a//b', 'route key "GET /a//b": path has an empty segment ("//")'],
    ['GET /{}', 'route key "GET /{}": path parameter "{}" must be {name} or {name+} with a name of letters, digits, ".", "_" or "-"'],
    ['GET /{+}', 'route key "GET /{+}": path parameter "{+}" must be {name} or {name+} with a name of letters, digits, ".", "_" or "-"'],
    ['GET /{a b}', 'route key "GET /{a b}": path parameter "{a b}" must be {name} or {name+} with a name of letters, digits, ".", "_" or "-"'],
    ['GET /{.a}', 'route key "GET /{.a}": path parameter "{.a}" must be {name} or {name+} with a name of letters, digits, ".", "_" or "-"'],
    ['GET /{a}x', 'route key "GET /{a}x": "{a}x": a path parameter must be a whole segment'],
    ['GET /x{a}', 'route key "GET /x{a}": "x{a}": a path parameter must be a whole segment'],
    ['GET /a}', 'route key "GET /a}": "a}": a path parameter must be a whole segment'],
    ['GET /{a', 'route key "GET /{a": "{a": a path parameter must be a whole segment'],
    ['GET /.', 'route key "GET /.": "." segments are never matched (paths are not normalised)'],
    ['GET /a/..', 'route key "GET /a/..": ".." segments are never matched (paths are not normalised)'],
    ['GET /a b', 'route key "GET /a b": segment "a b" has a character a request path cannot match (space, %, \\, ?, #, control character…)'],
    ['GET /a%20', 'route key "GET /a%20": segment "a%20" has a character a request path cannot match (space, %, \\, ?, #, control character…)'],
    ['GET /\u0085', 'route key "GET /\u0085": segment "\u0085" has a character a request path cannot match (space, %, \\, ?, #, control character…)'],
  ])('%j', (key, message) => {
    expect(problems(key)).toEqual([invalid(message)]);
  });

  it('a greedy parameter before the last segment, and every bad segment of one key', () => {
    expect(problems('GET /{p+}/a b/{q}/{q}')).toEqual([
      invalid('route key "GET /{p+}/a b/{q}/{q}": greedy parameter "{p+}" must be the last segment'),
      invalid('route key "GET /{p+}/a b/{q}/{q}": segment "a b" has a character a request path cannot match (space, %, \\, ?, #, control character…)'),
      { code: 'PARAM_DUPLICATE', message: 'route key "GET /{p+}/a b/{q}/{q}" names path parameter {q} twice' },
    ]);
  });

  it('a greedy parameter named like an earlier one', () => {
    expect(problems('GET /{id}/{id+}')).toEqual([{ code: 'PARAM_DUPLICATE', message: 'route key "GET /{id}/{id+}" names path parameter {id} twice' }]);
  });
});

describe('parseRouteKey accepts', () => {
  it('every method, with $default as the one key without a path', () => {
    for (const m of HTTP_METHODS) expect(parseRouteKey(`${m} /x`).ok).toBe(true);
    expect(HTTP_METHODS).toEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY']);
    expect(parseRouteKey('$default')).toEqual({ ok: true, route: { key: '$default', method: null, segments: null, params: [] } });
  });

  it('the root, and a greedy parameter that is the only segment', () => {
    expect(parseRouteKey('GET /')).toEqual({ ok: true, route: { key: 'GET /', method: 'GET', segments: [], params: [] } });
    expect(parseRouteKey('ANY /{proxy+}')).toEqual({
      ok: true,
      route: { key: 'ANY /{proxy+}', method: 'ANY', segments: [{ kind: 'greedy', name: 'proxy' }], params: ['proxy'] },
    });
  });

  it('parameter names of letters, digits, "_" first, then ".", "_" and "-" too', () => {
    expect(parseRouteKey('GET /{_a.b-c9}/{9}')).toEqual({
      ok: true,
      route: {
        key: 'GET /{_a.b-c9}/{9}',
        method: 'GET',
        segments: [
          { kind: 'param', name: '_a.b-c9' },
          { kind: 'param', name: '9' },
        ],
        params: ['_a.b-c9', '9'],
      },
    });
  });

  it("literal segments of RFC 3986 pchar and non-ASCII text, dots inside a segment included", () => {
    const literal = "a-._~!$&'()*+,;=:@Zz09";
    for (const text of [literal, '...', '.a', 'a..', 'ü', '日本', '\u00a0']) {
      expect(parseRouteKey(`GET /${text}`)).toEqual({
        ok: true,
        route: { key: `GET /${text}`, method: 'GET', segments: [{ kind: 'literal', value: text }], params: [] },
      });
    }
  });

  it.each(['"', '<', '>', '[', ']', '^', '`', '|', '\\', '?', '#', '%', '\u007f', '\u0000', '\u009f', '\t'])('refuses %j inside a literal', (c) => {
    expect(problems(`GET /a${c}b`).map((p) => p.code)).toEqual(['ROUTE_KEY_INVALID']);
  });
});

describe('routeShape', () => {
  const shape = (key: string): string => {
    const r = parseRouteKey(key);
    if (!r.ok) throw new Error(key);
    return routeShape(r.route);
  };

  it('writes literals as they are, parameters as {} and greedy ones as {+}', () => {
    expect(shape('GET /a/{x}/b/{y+}')).toBe('GET /a/{}/b/{+}');
    expect(shape('POST /')).toBe('POST /');
    expect(shape('$default')).toBe('$default');
  });
});
