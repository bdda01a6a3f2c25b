// The path API Gateway matched, read back from an event: the path the policy is evaluated on.
// API Gateway hands over the path as the client sent it, sometimes with the stage or a custom
// domain's mapping key in front; what it matched is found by trying those readings against the
// route it dispatched. What each event field holds, with sources: docs/lambda-events.md.
import { splitPath } from '../decision/path.js';
import type { Segment } from '../policy/ir.js';

/** A route template, or null for `$default` (and for a key that is not `METHOD /path`). */
export type Template = readonly Segment[] | null;

const templates = new Map<string, Template>();

/**
 * The template of a route key as API Gateway writes it (`GET /orders/{orderId}`,
 * `ANY /admin/{proxy+}`): literal segments, `{param}` and a final greedy `{name+}`. Only the shape
 * is read (the policy's own grammar is the compiler's business, and stays out of the Lambda
 * bundle); anything else has no template. Parsed once per distinct key.
 */
export function templateOf(routeKey: string): Template {
  let t = templates.get(routeKey);
  if (t === undefined) {
    t = parseTemplate(routeKey);
    // An API has a fixed set of routes; the bound only guards against a flood of forged keys.
    if (templates.size < 10_000) templates.set(routeKey, t);
  }
  return t;
}

function parseTemplate(routeKey: string): Template {
  const space = routeKey.indexOf(' ');
  if (space <= 0) return null;
  const path = routeKey.slice(space + 1);
  if (!path.startsWith('/')) return null;
  if (path === '/') return [];
  const parts = path.slice(1).split('/');
  const segments: Segment[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '') return null;
    if (part.length > 2 && part.startsWith('{') && part.endsWith('}')) {
      const name = part.slice(1, -1);
      if (!name.endsWith('+')) segments.push({ kind: 'param', name });
      else if (i === parts.length - 1 && name.length > 1) segments.push({ kind: 'greedy', name: name.slice(0, -1) });
      else return null;
    } else if (part.includes('{') || part.includes('}')) return null;
    else segments.push({ kind: 'literal', value: part });
  }
  return segments;
}

/**
 * Whether a template matches a path the way API Gateway matches routes: literal segments equal,
 * a `{param}` one non-empty segment, a final greedy `{p+}` one or more characters. Walks the path
 * in place (this runs on every request).
 */
export function templateMatchesPath(template: readonly Segment[], path: string): boolean {
  if (path === '/') return template.length === 0;
  let pos = 1; // start of the current segment, just after its '/'
  for (const t of template) {
    // `>=` would answer the same: pos === path.length only after a trailing '/', where every kind
    // fails anyway (a param sees end === pos, a literal is never empty, a greedy needs pos < length).
    // Stryker disable next-line EqualityOperator: equivalent, see above
    if (pos > path.length) return false; // the path has no more segments
    if (t.kind === 'greedy') return pos < path.length;
    let end = path.indexOf('/', pos);
    if (end === -1) end = path.length;
    if (t.kind === 'literal' ? end - pos !== t.value.length || !path.startsWith(t.value, pos) : end === pos) return false;
    pos = end + 1;
  }
  return pos === path.length + 1;
}

/**
 * API Gateway (HTTP and REST APIs) dispatches `/x/` to the route `/x` and hands the path over
 * with the slash: one trailing slash is not part of what it matched.
 */
export function dropTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * `path` without a leading `/{name}` (a stage `prod`, or a mapping key `v1/orders` given as
 * `/v1/orders` with `slash`) that covers whole segments; null when it does not start with it.
 */
function withoutPrefix(path: string, prefix: string, leadingSlash: boolean): string | null {
  const start = leadingSlash ? 0 : 1;
  if ((!leadingSlash && path.charCodeAt(0) !== 0x2f) || !path.startsWith(prefix, start)) return null;
  const end = start + prefix.length;
  if (end === path.length) return '/';
  return path.charCodeAt(end) === 0x2f ? path.slice(end) : null;
}

/**
 * A custom domain's API mapping key as an option gives it (`v1`, `/orders/v1`, `orders/v1/`), as
 * the path prefix it becomes (`/v1`, `/orders/v1`); `''` for none. Throws a TypeError for a value
 * no mapping could have, so a wiring mistake fails the cold start.
 */
export function normaliseBasePath(basePath: string | undefined): string {
  if (basePath === undefined) return '';
  if (typeof basePath !== 'string') throw new TypeError('basePath must be a string such as "v1" or "orders/v1"');
  const trimmed = basePath.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  if (splitPath(`/${trimmed}`) === null) {
    throw new TypeError(`basePath ${JSON.stringify(basePath)} is not a path prefix (empty, ".", ".." segments, "%", "\\" or control characters)`);
  }
  return `/${trimmed}`;
}

/**
 * The path API Gateway matched, from a path that may carry `/{stage}` (a named stage) and the
 * mapping key `basePath` in front. The readings, in order of preference: stage removed, then the
 * mapping key removed, then the path as it is. The dispatched route's template picks the first
 * reading it matches; without a template (`$default`), or when it matches none, the first reading
 * stands (and the policy then refuses a dispatched route that cannot match it).
 */
export function matchedPath(raw: string, stage: string | null, basePath: string, template: Template): string {
  const unstaged = stage === null ? null : withoutPrefix(raw, stage, false);
  if (basePath === '') {
    // The common cases, without allocating: one reading, or the stage removed or not.
    if (unstaged === null) return dropTrailingSlash(raw);
    const first = dropTrailingSlash(unstaged);
    if (template === null || templateMatchesPath(template, first)) return first;
    const second = dropTrailingSlash(raw);
    return templateMatchesPath(template, second) ? second : first;
  }
  const readings = [unstaged, unstaged === null ? null : withoutPrefix(unstaged, basePath, true), withoutPrefix(raw, basePath, true), raw]
    .filter((p): p is string => p !== null)
    .map(dropTrailingSlash);
  if (template !== null) for (const path of readings) if (templateMatchesPath(template, path)) return path;
  return readings[0]!;
}

export type FilledPath = { readonly path: string } | { readonly missing: string } | { readonly inconsistent: string };

/**
 * Payload 1.0: the path rebuilt from the resource template and `pathParameters`
 * (`/orders/{orderId}` + `{ orderId: "42" }` → `/orders/42`). `path` would carry a custom
 * domain's mapping key or an HTTP API's stage; the resource is what API Gateway matched. A
 * `{param}` value holding `/` (a client's `%2F`, decoded) or an empty one is a value API Gateway's
 * match could not have produced for that segment, and rebuilding would move the request to
 * another path: inconsistent. A greedy `{p+}` value may hold `/`.
 */
export function fillTemplate(template: readonly Segment[], params: Readonly<Record<string, string | undefined>> | null): FilledPath {
  let path = '';
  for (const seg of template) {
    if (seg.kind === 'literal') {
      path += `/${seg.value}`;
      continue;
    }
    const v = params === null || !Object.hasOwn(params, seg.name) ? undefined : params[seg.name];
    if (typeof v !== 'string') return { missing: seg.name };
    // Only a greedy value can end the path with a slash; that one is not part of the match.
    const value = seg.kind === 'greedy' && v.endsWith('/') ? v.slice(0, -1) : v;
    if (value === '' || (seg.kind === 'param' && value.includes('/'))) {
      return { inconsistent: `path parameter {${seg.name}} is ${JSON.stringify(v)}: no request API Gateway matches to this resource gives that` };
    }
    path += `/${value}`;
  }
  return { path: path === '' ? '/' : path };
}
