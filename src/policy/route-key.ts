// Route keys in API Gateway HTTP API syntax: `METHOD /literal/{param}/{greedy+}` or `$default`.
// Anything a request path could never match, or that API Gateway would read differently, is refused
// here, so the evaluator and the compiler only ever see well-formed templates.
import { HTTP_METHODS, type HttpMethod, type Segment } from './ir.js';

export { HTTP_METHODS };

export const DEFAULT_ROUTE_KEY = '$default';

export interface ParsedRouteKey {
  readonly key: string;
  /** null for `$default`. */
  readonly method: HttpMethod | null;
  /** null for `$default`; `[]` for `/`. */
  readonly segments: readonly Segment[] | null;
  /** Parameter names in order (including the greedy one). */
  readonly params: readonly string[];
}

export interface RouteKeyProblem {
  readonly code: 'ROUTE_KEY_INVALID' | 'PARAM_DUPLICATE';
  readonly message: string;
}

export type RouteKeyResult =
  | { readonly ok: true; readonly route: ParsedRouteKey }
  | { readonly ok: false; readonly problems: readonly RouteKeyProblem[] };

const PARAM_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * Characters a literal segment may hold: RFC 3986 `pchar` without percent-encoding (request paths
 * with `%` are refused at decision time), plus non-ASCII text that is not a control character.
 */
const LITERAL = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|[^\u0000-\u009f])+$/u;

const isMethod = (m: string): m is HttpMethod => (HTTP_METHODS as readonly string[]).includes(m);

export function parseRouteKey(key: string): RouteKeyResult {
  if (key === DEFAULT_ROUTE_KEY) return { ok: true, route: { key, method: null, segments: null, params: [] } };
  const bad = (message: string): RouteKeyResult => ({ ok: false, problems: [{ code: 'ROUTE_KEY_INVALID', message }] });
  const space = key.indexOf(' ');
  if (space === -1) return bad(`route key "${key}" must be "METHOD /path" or "$default"`);
  const method = key.slice(0, space);
  const path = key.slice(space + 1);
  if (!isMethod(method)) {
    const upper = method.toUpperCase();
    return bad(
      isMethod(upper)
        ? `route key "${key}": method must be upper case ("${upper}")`
        : `route key "${key}": unknown method "${method}" (use one of ${HTTP_METHODS.join(', ')})`,
    );
  }
  if (!path.startsWith('/')) return bad(`route key "${key}": path must start with "/" after a single space`);
  if (path === '/') return { ok: true, route: { key, method, segments: [], params: [] } };
  if (path.endsWith('/')) return bad(`route key "${key}": path must not end with "/"`);

  const problems: RouteKeyProblem[] = [];
  const segments: Segment[] = [];
  const params: string[] = [];
  const raw = path.slice(1).split('/');
  raw.forEach((text, i) => {
    const last = i === raw.length - 1;
    const segment = parseSegment(key, text, last);
    if ('message' in segment) {
      problems.push(segment);
      return;
    }
    if (segment.kind !== 'literal') {
      if (params.includes(segment.name)) {
        problems.push({ code: 'PARAM_DUPLICATE', message: `route key "${key}" names path parameter {${segment.name}} twice` });
      }
      params.push(segment.name);
    }
    segments.push(segment);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, route: { key, method, segments, params } };
}

function parseSegment(key: string, text: string, last: boolean): Segment | RouteKeyProblem {
  const bad = (message: string): RouteKeyProblem => ({ code: 'ROUTE_KEY_INVALID', message: `route key "${key}": ${message}` });
  if (text === '') return bad('path has an empty segment ("//")');
  if (text.startsWith('{') && text.endsWith('}')) {
    const inner = text.slice(1, -1);
    const greedy = inner.endsWith('+');
    const name = greedy ? inner.slice(0, -1) : inner;
    if (!PARAM_NAME.test(name)) {
      return bad(`path parameter "${text}" must be {name} or {name+} with a name of letters, digits, ".", "_" or "-"`);
    }
    if (greedy && !last) return bad(`greedy parameter "${text}" must be the last segment`);
    return greedy ? { kind: 'greedy', name } : { kind: 'param', name };
  }
  if (text.includes('{') || text.includes('}')) return bad(`"${text}": a path parameter must be a whole segment`);
  if (text === '.' || text === '..') return bad(`"${text}" segments are never matched (paths are not normalised)`);
  if (!LITERAL.test(text)) {
    return bad(`segment "${text}" has a character a request path cannot match (space, %, \\, ?, #, control character…)`);
  }
  return { kind: 'literal', value: text };
}

/**
 * What a route matches, ignoring parameter names: `GET /a/{x}` and `GET /a/{y}` are the same
 * route to API Gateway, so a policy holding both would be ambiguous.
 */
export function routeShape(route: ParsedRouteKey): string {
  if (route.segments === null) return DEFAULT_ROUTE_KEY;
  const path = route.segments
    .map((s) => (s.kind === 'literal' ? `/${s.value}` : s.kind === 'param' ? '/{}' : '/{+}'))
    .join('');
  // Stryker disable next-line StringLiteral: only $default has no method, and it returned above; `?? ''` narrows the type.
  return `${route.method ?? ''} ${path === '' ? '/' : path}`;
}
