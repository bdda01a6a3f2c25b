// arbInputFor(ir): decision input documents aimed at a policy. Requests hit its routes (by routeKey,
// `$default` included, and by method + path from its templates), miss them, or are refused; tokens are
// built from the checks of the route aimed at, then damaged claim by claim, so that checks pass about
// half the time. Every document is plain JSON (no undefined, -0, NaN or Infinity anywhere).
import fc from 'fast-check';
import { checkInput } from '../../src/decision/input.js';
import { splitPath } from '../../src/decision/path.js';
import { MISMATCH, selectRoute } from '../../src/decision/route-select.js';
import type { Check, IRRoute, PolicyIR, Segment } from '../../src/policy/ir.js';
import { arbJsonValue, jsonObject, reorderKeys } from './json.js';
import {
  AUDIENCES,
  BASE_NOW,
  CLAIM_NAMES,
  FACTORS,
  ISSUERS,
  JSON_NUMBERS,
  JSON_STRINGS,
  LITERALS,
  PARAM_VALUES_OK,
  PARAM_VALUES_REFUSED,
  PERMISSIONS,
  REQUEST_METHODS,
  ROLES,
  SUBJECTS,
  TENANTS,
} from './vocab.js';

export interface InputOptions {
  /** Percent of documents with one malformed field (INPUT_INVALID); default 4. */
  readonly malformedPercent?: number;
  /** Percent of path parameter values that get the path refused (PATH_REJECTED); default 4. */
  readonly refusedPercent?: number;
  /** Percent of documents without a token (null or absent); default 10. */
  readonly noTokenPercent?: number;
  /** Every request names a policy route with a template in routeKey, as API Gateway dispatches; default false. */
  readonly dispatched?: boolean;
}

type G = fc.GeneratorValue;
type Obj = Record<string, unknown>;

// ---- random helpers over fc.gen(): unbiased, so weights mean what they say ----
const uniform = new Map<number, fc.Arbitrary<number>>();
/** Uniform integer in [0, n). */
function below(g: G, n: number): number {
  if (n <= 1) return 0;
  let a = uniform.get(n);
  if (!a) uniform.set(n, (a = fc.noBias(fc.integer({ min: 0, max: n - 1 }))));
  const arb = a;
  return g(() => arb);
}
const pick = <T>(g: G, xs: readonly T[]): T => xs[below(g, xs.length)]!;
const percent = (g: G, p: number): boolean => below(g, 100) < p;
function weighted<T extends string>(g: G, weights: Readonly<Record<T, number>>): T {
  const entries = Object.entries(weights) as [T, number][];
  let r = below(g, entries.reduce((s, [, w]) => s + w, 0));
  for (const [k, w] of entries) if ((r -= w) < 0) return k;
  return entries[0]![0];
}
const json = (g: G, depth = 1): unknown => g(() => arbJsonValue(depth));
const someOf = (g: G, xs: readonly string[]): string[] => xs.filter(() => percent(g, 35));

// ---- now ----
/** Epoch ms: whole seconds mostly (so MFA boundaries are exact), sometimes ±1 ms, odd ms or fractional. */
export function genNow(g: G): number {
  const base = BASE_NOW + (below(g, 7) - 3) * 1000;
  switch (weighted(g, { whole: 70, plus1: 8, minus1: 7, odd: 8, frac: 7 })) {
    case 'whole':
      return base;
    case 'plus1':
      return base + 1;
    case 'minus1':
      return base - 1;
    case 'odd':
      return base + below(g, 1000);
    case 'frac':
      return base + pick(g, [0.5, 0.25, 0.999, 1.5, 999.5]);
  }
}

// ---- request ----
const paramValue = (g: G, refusedPercent: number): string => {
  if (percent(g, refusedPercent)) return pick(g, PARAM_VALUES_REFUSED);
  if (percent(g, 5)) return g(() => fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 })).replaceAll('/', '_').replace(/^\.{1,2}$/, 'x') || 'x';
  return pick(g, [...PARAM_VALUES_OK, ...SUBJECTS, ...TENANTS, ...LITERALS]);
};

/** A concrete path for a template, and the parameters API Gateway would extract. */
export function genPathFor(g: G, segments: readonly Segment[], refusedPercent = 6): { path: string; params: Obj } {
  const params: Obj = {};
  const parts = segments.map((s) => {
    if (s.kind === 'literal') return s.value;
    const v =
      s.kind === 'param'
        ? paramValue(g, refusedPercent)
        : Array.from({ length: 1 + below(g, 3) }, () => paramValue(g, refusedPercent / 2)).join('/');
    Object.defineProperty(params, s.name, { value: v, enumerable: true, writable: true, configurable: true });
    return v;
  });
  return { path: '/' + parts.join('/'), params };
}

const RAW_REFUSED = ['//', '/a/', '', 'a', 'a/b', '/a/./b', '/a/../b', '/a/%2e%2e', '/a\\b', '/.', '/..', '/a/.', '/a\u0085', '/\u0000', '/a//'];

interface Aim {
  readonly request: Obj;
  /** The route the request was built from (usually the one selected), for token building. */
  readonly route: IRRoute | null;
  readonly params: Obj;
}

function genRequest(g: G, ir: PolicyIR, o: Required<InputOptions>): Aim {
  const templated = ir.routes.filter((r) => r.segments !== null);
  const method = (r: IRRoute | null): string =>
    r === null || r.method === null || r.method === 'ANY' || percent(g, 10) ? pick(g, REQUEST_METHODS) : r.method;
  const randomPath = (): { path: string; params: Obj } => {
    const n = below(g, 4);
    return { path: '/' + Array.from({ length: n }, () => (percent(g, 50) ? pick(g, LITERALS) : paramValue(g, o.refusedPercent))).join('/'), params: {} };
  };
  const mode = o.dispatched && templated.length > 0 ? 'routeKey' : weighted(g, { routeKey: 30, path: templated.length > 0 ? 50 : 0, random: 15, raw: 5 });
  if (mode === 'routeKey') {
    const r = pick(g, o.dispatched ? templated : ir.routes);
    const { path, params } = r.segments === null ? randomPath() : genPathFor(g, r.segments, o.refusedPercent);
    const request: Obj = { method: method(r), path, routeKey: r.key };
    switch (weighted(g, { exact: 70, absent: 10, nul: 5, partial: 8, wrong: 7 })) {
      case 'exact':
        request['pathParameters'] = params;
        break;
      case 'absent':
        break;
      case 'nul':
        request['pathParameters'] = null;
        break;
      case 'partial': {
        const keys = Object.keys(params);
        request['pathParameters'] = jsonObject(keys.filter(() => percent(g, 50)).map((k) => [k, params[k]]));
        break;
      }
      case 'wrong': {
        const keys = Object.keys(params);
        request['pathParameters'] = jsonObject(keys.map((k) => [k, percent(g, 50) ? pick(g, [7, null, ['x'], ...SUBJECTS, ...TENANTS]) : params[k]]));
        break;
      }
    }
    return { request, route: r, params: (request['pathParameters'] as Obj | null | undefined) ?? {} };
  }
  if (mode === 'path') {
    const r = pick(g, templated);
    const { path, params } = genPathFor(g, r.segments!, o.refusedPercent);
    const request: Obj = { method: method(r), path };
    const routeKey = weighted(g, { absent: 40, nul: 15, dflt: 25, proxy: 10, other: 10 });
    if (routeKey !== 'absent') request['routeKey'] = { nul: null, dflt: '$default', proxy: 'ANY /{proxy+}', other: 'GET /not/in/policy' }[routeKey];
    if (percent(g, 20)) request['pathParameters'] = percent(g, 50) ? params : {};
    return { request, route: r, params };
  }
  const { path } = mode === 'raw' ? { path: pick(g, RAW_REFUSED) } : randomPath();
  const request: Obj = { method: method(null), path };
  if (percent(g, 50)) request['routeKey'] = pick(g, ['$default', null, 'ANY /{proxy+}']);
  const fallback = ir.routes.find((r) => r.segments === null) ?? null;
  return { request, route: fallback ?? (ir.routes.length > 0 ? pick(g, ir.routes) : null), params: {} };
}

// ---- token ----
interface Wants {
  aud: string[];
  iss: string | null;
  ev: { maxAge: number | null } | null;
  lists: Record<'st-role' | 'st-perm', { include: Set<string>; exclude: Set<string>; maxAge: number | null } | null>;
  mfa: { factors: Set<string>; maxAge: number | null } | null;
  tId: string | null;
  sub: string | null;
  custom: Map<string, { value: unknown } | 'exists'>;
}

const minAge = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));

/** What a token needs to pass `checks` (one random branch of each anyOf). */
function collectWants(g: G, checks: readonly Check[], params: Obj, w: Wants): void {
  const param = (name: string): string | null => {
    const v = Object.hasOwn(params, name) ? params[name] : undefined;
    return typeof v === 'string' ? v : null;
  };
  for (const c of checks) {
    switch (c.kind) {
      case 'anyOf':
        collectWants(g, pick(g, c.branches), params, w);
        break;
      case 'audience':
        w.aud.push(pick(g, c.anyOf));
        break;
      case 'issuer':
        w.iss = c.equals;
        break;
      case 'emailVerified':
        w.ev = { maxAge: minAge(w.ev?.maxAge ?? null, c.maxAgeSeconds) };
        break;
      case 'roles':
      case 'permissions': {
        const l = (w.lists[c.id] ??= { include: new Set(), exclude: new Set(), maxAge: null });
        if (c.anyOf) l.include.add(pick(g, c.anyOf));
        for (const x of c.allOf ?? []) l.include.add(x);
        for (const x of c.noneOf ?? []) l.exclude.add(x);
        l.maxAge = minAge(l.maxAge, c.maxAgeSeconds);
        break;
      }
      case 'mfa': {
        const m = (w.mfa ??= { factors: new Set(), maxAge: null });
        if (c.factors?.allOf) for (const f of c.factors.allOf) m.factors.add(f);
        if (c.factors?.anyOf) m.factors.add(pick(g, c.factors.anyOf));
        m.maxAge = minAge(m.maxAge, c.maxAgeSeconds);
        break;
      }
      case 'tenant':
        w.tId = c.anyOf ? pick(g, c.anyOf) : (param(c.equalsPathParam!) ?? pick(g, TENANTS));
        break;
      case 'subject':
        w.sub = param(c.equalsPathParam) ?? pick(g, SUBJECTS);
        break;
      case 'claim':
        if (!w.custom.has(c.id)) {
          w.custom.set(c.id, c.op === 'exists' ? 'exists' : { value: c.op === 'equals' ? c.value : pick(g, c.values) });
        }
        break;
    }
  }
}

/** Age in ms for a `{ v, t }` claim with max age N s: fresh, on the boundary, 1 ms past it, future, long expired. */
function ageMs(g: G, maxAge: number | null): number {
  if (maxAge === null) return below(g, 100_000_000);
  const n = maxAge * 1000;
  switch (weighted(g, { fresh: 40, exact: 15, over1: 12, under1: 8, future: 8, expired: 17 })) {
    case 'fresh':
      return below(g, n + 1);
    case 'exact':
      return n;
    case 'over1':
      return n + 1;
    case 'under1':
      return n - 1;
    case 'future':
      return -1 - below(g, 10_000);
    case 'expired':
      return n + 2 + below(g, 10_000_000);
  }
}

/** Age in whole seconds for an MFA factor (`c` values are seconds). */
function ageS(g: G, maxAge: number | null): number {
  if (maxAge === null) return below(g, 1_000_000);
  switch (weighted(g, { fresh: 45, exact: 15, over1: 12, future: 8, expired: 20 })) {
    case 'fresh':
      return below(g, maxAge + 1);
    case 'exact':
      return maxAge;
    case 'over1':
      return maxAge + 1;
    case 'future':
      return -1 - below(g, 100);
    case 'expired':
      return maxAge + 2 + below(g, 100_000);
  }
}

const WRONG_TYPE: Record<string, readonly unknown[]> = {
  'st-ev': ['map[t:1712345678901 v:true]', true, [true], { v: 'true' }, { v: 1 }, { v: true, t: '1712345678901' }],
  'st-role': ['map[t:1 v:[admin]]', ['admin'], { v: 'admin', t: 1 }, { v: ['admin', 1] }, { v: ['admin', null] }, { v: { 0: 'admin' } }, { v: ['admin'], t: 'x' }],
  'st-perm': [['read:orders'], { v: 'read:orders' }, { v: ['read:orders', 2] }, { v: ['read:orders'], t: null }],
  'st-mfa': ['map[c:map[] v:true]', [], { v: 'true' }, { v: true, c: ['totp'] }, { v: true, c: { totp: '1712345680' } }, { v: true, c: 'x' }],
  aud: [1, ['api', 1], { api: true }, [['api']], true],
  iss: [1, ['https://api.example.com/auth'], { iss: 'x' }],
  tId: [1, ['acme'], { v: 'acme' }, false],
  sub: [1, ['u1'], { id: 'u1' }, 0],
};

/** Builds a token aimed at `route`, then damages some claims (missing, null, wrong type, wrong value, expired). */
export function genToken(g: G, route: IRRoute | null, params: Obj, now: number): Obj {
  const w: Wants = { aud: [], iss: null, ev: null, lists: { 'st-role': null, 'st-perm': null }, mfa: null, tId: null, sub: null, custom: new Map() };
  if (route !== null) collectWants(g, route.checks, params, w);
  const nowMs = Math.floor(now);
  const claims = new Map<string, unknown>();
  // The always-present SuperTokens claims, sometimes.
  if (percent(g, 60)) {
    claims.set('sub', w.sub ?? pick(g, SUBJECTS));
    claims.set('iat', Math.floor(now / 1000) - 60);
    claims.set('exp', Math.floor(now / 1000) + 3540);
    claims.set('tId', w.tId ?? 'public');
    claims.set('sessionHandle', '3f8e6c1a-2b7d-4e1f-9a0c-5d4b3a2e1f00');
    claims.set('antiCsrfToken', null);
  }
  if (w.sub !== null) claims.set('sub', w.sub);
  if (w.tId !== null) claims.set('tId', w.tId);
  if (w.aud.length > 0 || percent(g, 30)) {
    const auds = [...new Set(w.aud.length > 0 ? w.aud : [pick(g, AUDIENCES)])];
    claims.set('aud', auds.length === 1 && percent(g, 50) ? auds[0] : [...auds, ...someOf(g, ['other'])]);
  }
  if (w.iss !== null || percent(g, 20)) claims.set('iss', w.iss ?? pick(g, ISSUERS));
  if (w.ev !== null || percent(g, 30)) claims.set('st-ev', { v: true, t: nowMs - ageMs(g, w.ev?.maxAge ?? null) });
  for (const id of ['st-role', 'st-perm'] as const) {
    const l = w.lists[id];
    if (l === null && !percent(g, 20)) continue;
    const vocab = id === 'st-role' ? ROLES : PERMISSIONS;
    const v = new Set([...(l?.include ?? []), ...someOf(g, vocab).filter((x) => !l?.exclude.has(x))]);
    claims.set(id, { v: [...v], t: nowMs - ageMs(g, l?.maxAge ?? null) });
  }
  if (w.mfa !== null || percent(g, 25)) {
    const c: Obj = {};
    const nowS = Math.floor(now / 1000);
    for (const f of [...(w.mfa?.factors ?? []), ...someOf(g, FACTORS)]) c[f] = nowS - ageS(g, w.mfa?.maxAge ?? null);
    claims.set('st-mfa', percent(g, 5) ? { v: true } : { c, v: true });
  }
  for (const [id, want] of w.custom) {
    const exists = (): unknown => {
      const v = json(g);
      return v === null ? 0 : v;
    };
    if (want === 'exists') claims.set(id, exists());
    // An object or list wanted: sometimes a value of another type that looks like it (lookAlike).
    else if (typeof want.value === 'object' && want.value !== null && percent(g, 15)) claims.set(id, lookAlike(g, want.value));
    else claims.set(id, reorderKeys(want.value, below(g, 1000)));
  }

  // Damage: a per-token rate, so some tokens are pristine and some are wrecked.
  const rate = pick(g, [0, 0, 5, 10, 20, 40]);
  for (const id of [...claims.keys()]) {
    if (!percent(g, rate)) continue;
    switch (weighted(g, { missing: 3, nul: 2, wrongType: 3, wrongValue: 4 })) {
      case 'missing':
        claims.delete(id);
        break;
      case 'nul':
        claims.set(id, null);
        break;
      case 'wrongType':
        claims.set(id, Object.hasOwn(WRONG_TYPE, id) ? pick(g, WRONG_TYPE[id]!) : json(g));
        break;
      case 'wrongValue':
        claims.set(id, wrongValue(g, id, claims.get(id)));
        break;
    }
  }
  // Extra claims: unknown names, unicode and escapes, large numbers, an own `__proto__`.
  if (percent(g, 30)) claims.set(pick(g, ['x-extra', 'ü "q" \\ n', 'scope', 'nbf']), percent(g, 50) ? pick(g, JSON_STRINGS) : pick(g, JSON_NUMBERS));
  if (percent(g, 10)) claims.set(pick(g, CLAIM_NAMES), json(g, 2));
  if (percent(g, 5) && !claims.has('__proto__')) claims.set('__proto__', { 'st-ev': { v: true }, 'st-role': { v: [...ROLES], t: nowMs } });
  return jsonObject([...claims]);
}

function wrongValue(g: G, id: string, v: unknown): unknown {
  const o = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
  switch (id) {
    case 'st-ev':
      return { ...o, v: false };
    case 'st-role':
    case 'st-perm': {
      const vocab = id === 'st-role' ? ROLES : PERMISSIONS;
      // Swap the list for another random one, or give `t` a huge value (1e21, 2^53).
      return percent(g, 80) ? { ...o, v: someOf(g, vocab) } : { ...o, t: pick(g, [1e21, 2 ** 53, 0, -1]) };
    }
    case 'st-mfa':
      return percent(g, 50) ? { ...o, v: false } : { ...o, c: {} };
    case 'aud':
      return pick(g, ['other', [], ['other', 'x']]);
    case 'iss':
      return pick(g, ['https://evil.example.com', 'https://api.example.com/auth/']);
    case 'tId':
      return pick(g, TENANTS);
    case 'sub':
      return pick(g, SUBJECTS);
    default:
      return json(g, 2);
  }
}

/**
 * A value of another JSON type that a loose comparison could take for `v`: a scalar with as many
 * `Object.keys` as an object (none for a number, boolean or "", one per character for a string),
 * the object form of a list, the list of an object's values.
 */
function lookAlike(g: G, v: unknown): unknown {
  if (Array.isArray(v)) return jsonObject(v.map((x, i) => [String(i), x]));
  if (typeof v === 'object' && v !== null) {
    const keys = Object.keys(v);
    if (keys.length === 0) return pick(g, [0, 7, true, false, '', -1]);
    const values = Object.values(v);
    return percent(g, 50) ? values : values.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('');
  }
  return pick(g, [{}, [], [v], jsonObject([['0', v]])]);
}

// ---- whole documents ----
function malform(g: G, doc: Obj): unknown {
  const request = doc['request'] as Obj;
  const withRequest = (patch: Obj): Obj => ({ ...doc, request: { ...request, ...patch } });
  switch (below(g, 12)) {
    case 0:
      return pick(g, [null, [], 'input', 1, true]);
    case 1:
      return { ...doc, request: pick(g, [null, [], 'GET /a', 1]) };
    case 2:
      return withRequest({ method: pick(g, [1, null, ['GET'], {}]) });
    case 3:
      return withRequest({ path: pick(g, [null, 1, ['a'], {}]) });
    case 4:
      return withRequest({ routeKey: pick(g, [1, {}, [], true]) });
    case 5:
      return withRequest({ pathParameters: pick(g, [[], 'a=b', 1, true]) });
    case 6:
      return { ...doc, token: pick(g, ['eyJhbGciOi.x.y', [], 1, false]) };
    case 7:
      return { ...doc, now: pick(g, [String(doc['now']), null, [1], {}]) };
    case 8: {
      const { now: _now, ...rest } = doc;
      return rest;
    }
    case 9: {
      const { request: _request, ...rest } = doc;
      return rest;
    }
    case 10: {
      const { method: _m, ...rest } = request;
      return { ...doc, request: rest };
    }
    default: {
      const { path: _p, ...rest } = request;
      return { ...doc, request: rest, now: 'x' };
    }
  }
}

/**
 * Aims the token at the route the request actually selects (more specific routes often win over the one
 * the request was built from). This only shapes tokens; it never decides what a test expects.
 */
function reaim(ir: PolicyIR, aim: Aim): Aim {
  const checked = checkInput({ request: aim.request, now: 0 });
  if ('code' in checked) return aim;
  const segments = splitPath(checked.path);
  const selected = segments === null ? null : selectRoute(ir, checked, segments);
  if (selected === null || selected === MISMATCH) return aim;
  return { ...aim, route: selected.match.route, params: selected.match.params };
}

/** Builds one input document for `ir` from a fast-check generator. */
export function genInputFor(g: G, ir: PolicyIR, options: InputOptions = {}): unknown {
  const o: Required<InputOptions> = { malformedPercent: 4, refusedPercent: 4, noTokenPercent: 10, dispatched: false, ...options };
  const now = genNow(g);
  const aim = reaim(ir, genRequest(g, ir, o));
  const doc: Obj = { request: aim.request };
  if (percent(g, o.noTokenPercent)) {
    if (percent(g, 70)) doc['token'] = null;
  } else {
    doc['token'] = genToken(g, aim.route, aim.params, now);
  }
  doc['now'] = now;
  return percent(g, o.malformedPercent) ? malform(g, doc) : doc;
}

/** Input documents aimed at `ir` (see the module comment). */
export function arbInputFor(ir: PolicyIR, options: InputOptions = {}): fc.Arbitrary<unknown> {
  // fc.gen() draws from a copy of the random source and leaves the source itself where it was, so
  // an array of gen-built inputs would repeat one input: drawing a number first moves it on.
  return fc.tuple(fc.integer(), fc.gen()).map(([, g]) => genInputFor(g, ir, options));
}
