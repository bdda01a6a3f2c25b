// The path API Gateway matched, read back from an event (src/lambda/path.ts): stage and mapping-key
// readings chosen by the dispatched route's template, one trailing slash ignored, payload 1.0 paths
// rebuilt from the resource without letting a parameter's `/` move the request.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitPath } from '../../src/decision/path.js';
import type { Segment } from '../../src/policy/ir.js';
import { parseRouteKey } from '../../src/policy/route-key.js';
import { dropTrailingSlash, fillTemplate, matchedPath, normaliseBasePath, templateMatchesPath, templateOf } from '../../src/lambda/path.js';

const t = (key: string) => templateOf(key);

/** The oracle: a template against the segments of a canonical path (as the reference evaluator matches). */
function templateMatches(template: readonly Segment[], segments: readonly string[]): boolean {
  for (let i = 0; i < template.length; i++) {
    const s = template[i]!;
    if (s.kind === 'greedy') return i < segments.length;
    const seg = segments[i];
    if (seg === undefined || (s.kind === 'literal' && s.value !== seg)) return false;
  }
  return template.length === segments.length;
}

describe('matchedPath: which reading of the path API Gateway matched', () => {
  it.each<[string, string, string | null, string, string | null, string]>([
    // name, raw path, stage, basePath, route key, expected
    ['$default stage: the path as it is', '/orders/42', null, '', 'GET /orders/{orderId}', '/orders/42'],
    ['named stage in front (execute-api endpoint)', '/prod/orders/42', 'prod', '', 'GET /orders/{orderId}', '/orders/42'],
    ['named stage, the stage root', '/prod', 'prod', '', 'GET /', '/'],
    ['named stage not in front (a custom domain that kept it out): the path stays', '/orders/42', 'prod', '', 'GET /orders/{orderId}', '/orders/42'],
    ['a stage name that only starts the first segment is not a prefix', '/production/x', 'prod', '', 'GET /production/{id}', '/production/x'],
    // Reproduction A: the stage is also the first segment of the dispatched route.
    ['stage "admin", route ANY /admin/{proxy+}: the template picks the unstripped reading', '/admin/health', 'admin', '', 'ANY /admin/{proxy+}', '/admin/health'],
    ['stage "admin" in front of an admin path: the stripped reading matches first', '/admin/admin/health', 'admin', '', 'ANY /admin/{proxy+}', '/admin/health'],
    ['$default route key: no template, the stripped reading stands', '/prod/orders/42', 'prod', '', '$default', '/orders/42'],
    ['no reading matches the dispatched route: the first stands (the policy refuses it)', '/health', null, '', 'ANY /admin/{proxy+}', '/health'],
    ['mapping key configured and in front', '/v1/orders/42', null, '/v1', 'GET /orders/{orderId}', '/orders/42'],
    ['mapping key configured, absent from the path (HTTP API 2.0 as AWS documents it)', '/orders/42', null, '/v1', 'GET /orders/{orderId}', '/orders/42'],
    ['mapping key that is also the route prefix: the template decides', '/orders/42', null, '/orders', 'GET /orders/{orderId}', '/orders/42'],
    ['stage and mapping key both in front', '/prod/v1/orders/42', 'prod', '/v1', 'GET /orders/{orderId}', '/orders/42'],
    ['multi-level mapping key', '/orders/v2/items/7', null, '/orders/v2', 'GET /items/{id}', '/items/7'],
    ['one trailing slash is not part of the match', '/prod/orders/42/', 'prod', '', 'GET /orders/{orderId}', '/orders/42'],
    ['two trailing slashes: one goes, the empty segment stays (refused later)', '/orders/42//', null, '', 'GET /orders/{orderId}', '/orders/42/'],
    ['the root keeps its slash', '/', null, '', 'GET /', '/'],
  ])('%s', (_name, raw, stage, basePath, routeKey, expected) => {
    expect(matchedPath(raw, stage, basePath, routeKey === null ? null : t(routeKey))).toBe(expected);
  });

  it('whenever the dispatched template matches some reading, the chosen path is one it matches', async () => {
    const seg = fc.constantFrom('prod', 'v1', 'admin', 'orders', 'health', '42', 'x');
    const path = fc.array(seg, { maxLength: 5 }).map((s) => `/${s.join('/')}`);
    const template = fc
      .array(fc.oneof(seg.map((v): Segment => ({ kind: 'literal', value: v })), fc.constant<Segment>({ kind: 'param', name: 'p' })), { maxLength: 4 })
      .chain((lits) => fc.boolean().map((greedy) => (greedy ? [...lits, { kind: 'greedy', name: 'g' } as Segment] : lits)));
    const stage = fc.option(fc.constantFrom('prod', 'admin'), { nil: null });
    const base = fc.constantFrom('', '/v1', '/orders');
    fc.assert(
      fc.property(path, stage, base, template, (raw, st, b, tpl) => {
        const chosen = matchedPath(raw, st, b, tpl);
        const readings = [raw, st === null ? raw : raw.replace(new RegExp(`^/${st}(?=/|$)`), '') || '/'];
        const anyMatch = readings.some((r) => {
          const s = splitPath(r);
          return s !== null && templateMatches(tpl, s);
        });
        if (anyMatch) expect(templateMatchesPath(tpl, chosen)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('templates', () => {
  it.each<[string, string, boolean]>([
    ['GET /orders/{orderId}', '/orders/42', true],
    ['GET /orders/{orderId}', '/orders', false],
    ['GET /orders/{orderId}', '/orders/42/items', false],
    ['ANY /admin/{proxy+}', '/admin', false],
    ['ANY /admin/{proxy+}', '/admin/a/b/c', true],
    ['GET /', '/', true],
    ['GET /', '/x', false],
    ['GET /orders/{orderId}', '/orders/', false],
    ['GET /orders/{orderId}', '/orders//', false],
    ['ANY /admin/{proxy+}', '/admin/', false],
    ['GET /a/b', '/a/bc', false],
    ['GET /a/bc', '/a/b', false],
  ])('%s matches %s: %s', (key, path, expected) => {
    expect(templateMatchesPath(t(key)!, path)).toBe(expected);
  });

  it('on canonical paths, matching in place agrees with matching split segments', () => {
    const seg = fc.constantFrom('a', 'b', 'ab', 'orders', '42');
    const template = fc.array(
      fc.oneof(seg.map((v): Segment => ({ kind: 'literal', value: v })), fc.constant<Segment>({ kind: 'param', name: 'p' }), fc.constant<Segment>({ kind: 'greedy', name: 'g' })),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(template, fc.array(seg, { maxLength: 5 }), (tpl, segments) => {
        const path = `/${segments.join('/')}`;
        // a greedy segment only ever ends a template
        const cut = tpl.findIndex((s) => s.kind === 'greedy');
        const tp = cut === -1 ? tpl : tpl.slice(0, cut + 1);
        expect(templateMatchesPath(tp, path)).toBe(templateMatches(tp, splitPath(path)!));
      }),
      { numRuns: 1000 },
    );
  });

  it('$default and keys that are not METHOD /path templates have none', () => {
    for (const key of ['$default', 'GET x', 'GET', ' /x', 'GET /a//b', 'GET /a/', 'GET /{p+}/x', 'GET /a{b}', 'GET /{+}']) expect(t(key), key).toBeNull();
  });

  it('reads every route key the policy grammar accepts exactly as the policy loader does', () => {
    const segment = fc.oneof(
      fc.stringMatching(/^[a-z0-9._~-]{1,6}$/),
      fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,5}$/).map((n) => `{${n}}`),
    );
    const key = fc
      .tuple(fc.constantFrom('GET', 'POST', 'ANY', 'DELETE'), fc.array(segment, { maxLength: 4 }), fc.option(fc.stringMatching(/^[a-z]{1,5}$/), { nil: undefined }))
      .map(([m, segs, greedy]) => `${m} /${[...segs, ...(greedy === undefined ? [] : [`{${greedy}+}`])].join('/')}`);
    fc.assert(
      fc.property(key, (k) => {
        const parsed = parseRouteKey(k);
        if (parsed.ok) expect(templateOf(k)).toEqual(parsed.route.segments);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('dropTrailingSlash', () => {
  it.each([
    ['/x/', '/x'],
    ['/x', '/x'],
    ['/', '/'],
    ['/x//', '/x/'],
  ])('%s → %s', (input, expected) => expect(dropTrailingSlash(input)).toBe(expected));
});

describe('fillTemplate: payload 1.0 paths rebuilt from resource + pathParameters', () => {
  const docs = t('ANY /docs/{docId}')!;
  const proxy = t('ANY /admin/{proxy+}')!;

  it('literal and parameter segments', () => {
    expect(fillTemplate(t('ANY /users/{userId}/profile')!, { userId: 'u1' })).toEqual({ path: '/users/u1/profile' });
    expect(fillTemplate(t('ANY /')!, null)).toEqual({ path: '/' });
  });

  it('reproduction C: a `/` (a decoded %2F) in a {param} value is inconsistent, never a longer path', () => {
    const filled = fillTemplate(docs, { docId: 'public/x' });
    expect(filled).toEqual({ inconsistent: expect.stringContaining('{docId}') });
  });

  it('an empty {param} value is inconsistent (API Gateway never matches an empty segment)', () => {
    expect(fillTemplate(docs, { docId: '' })).toMatchObject({ inconsistent: expect.any(String) });
    expect(fillTemplate(proxy, { proxy: '' })).toMatchObject({ inconsistent: expect.any(String) });
  });

  it('a greedy {p+} value legitimately holds `/`; one trailing slash is dropped', () => {
    expect(fillTemplate(proxy, { proxy: 'users/7/disable' })).toEqual({ path: '/admin/users/7/disable' });
    expect(fillTemplate(proxy, { proxy: 'users/7/' })).toEqual({ path: '/admin/users/7' });
  });

  it('a parameter the template names but the map lacks (or holds as a prototype key) is missing', () => {
    expect(fillTemplate(docs, null)).toEqual({ missing: 'docId' });
    expect(fillTemplate(docs, {})).toEqual({ missing: 'docId' });
    expect(fillTemplate(t('ANY /x/{toString}')!, {})).toEqual({ missing: 'toString' });
  });

  it('any filled path is matched by its own template (a value never moves the request)', () => {
    const value = fc.string({ minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant('lit'), fc.constant('param')), { maxLength: 4 }), fc.boolean(), value, (kinds, greedy, v) => {
        const template: Segment[] = kinds.map((k, i) => (k === 'lit' ? { kind: 'literal', value: `l${i}` } : { kind: 'param', name: `p${i}` }));
        if (greedy) template.push({ kind: 'greedy', name: 'g' });
        const params: Record<string, string> = {};
        for (const s of template) if (s.kind !== 'literal') params[s.name] = v;
        const filled = fillTemplate(template, params);
        if (!('path' in filled)) {
          expect(v.includes('/') || v === '').toBe(true);
          return;
        }
        const segments = splitPath(filled.path);
        // A value with `.`, `%`, `\` or control characters is refused as a path; otherwise it matches.
        if (segments !== null) expect(templateMatches(template, segments)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('normaliseBasePath', () => {
  it.each<[string | undefined, string]>([
    [undefined, ''],
    ['', ''],
    ['/', ''],
    ['v1', '/v1'],
    ['/v1/', '/v1'],
    ['orders/v1', '/orders/v1'],
  ])('%j → %j', (input, expected) => expect(normaliseBasePath(input)).toBe(expected));

  it.each(['a//b', '../x', 'v%201', 'a\\b'])('refuses %j at cold start', (input) => {
    expect(() => normaliseBasePath(input)).toThrow(TypeError);
  });
});
