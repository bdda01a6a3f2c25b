// Support for the differential test (differential.property.test.ts) and `npm run fuzz:long`:
// one comparison of the shipped artifact (bundle → loadBundle → SDK) against the reference
// evaluator, and hostile renderings of an input document as raw JSON text that JSON.parse reads
// exactly like the plain document (escaped keys and strings, decoy duplicate keys before the real
// one, equivalent number spellings, odd whitespace) or deliberately differently (a later duplicate
// that JSON.parse lets win), plus heavy payloads (huge strings, deep nesting, many keys).
// The reference always sees JSON.parse of the very text the module receives.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { PolicyIR } from '../../src/policy/ir.js';
import type { Decision } from '../../src/decision/types.js';
import { AUDIENCES, BASE_NOW, FACTORS, PERMISSIONS, ROLES } from '../arbitraries/vocab.js';

/** What a differential check needs from the loaded artifact (an Authorizer from loadBundle). */
export interface DecidesLikeBundle {
  decide(input: unknown): Decision;
  allow(input: unknown): boolean;
}

/** The reference decision as the SDK hands decisions back: JSON round trip. */
export type Reference = (ir: PolicyIR, input: unknown) => Decision;

export interface Mismatch {
  readonly what: 'decision' | 'decision-key-order' | 'allow' | 'threw';
  readonly expected: unknown;
  readonly actual: unknown;
}

/** `input` is a document (sent through JSON.stringify by the SDK) or raw JSON text (sent as bytes). */
export type Sent = { readonly doc: unknown } | { readonly text: string };

const bytesOf = (text: string): ArrayBuffer => {
  const b = new TextEncoder().encode(text);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

/** The document the module receives: what the SDK's JSON.stringify makes of it, or JSON.parse of the text. */
export function received(sent: Sent): unknown {
  if ('text' in sent) return JSON.parse(sent.text);
  // The SDK sends a falsy input as no input at all (undefined).
  return sent.doc ? JSON.parse(JSON.stringify(sent.doc)) : undefined;
}

/** Compares one input; null when the module and the reference agree on decision and allow. */
export function compareOne(auth: DecidesLikeBundle, ir: PolicyIR, sent: Sent, reference: Reference): Mismatch | null {
  const want = JSON.parse(JSON.stringify(reference(ir, received(sent)))) as Decision;
  const arg = 'text' in sent ? bytesOf(sent.text) : sent.doc;
  let got: unknown;
  let allow: unknown;
  try {
    got = auth.decide(arg);
    // The SDK reads an ArrayBuffer in place: hand each call its own copy.
    allow = auth.allow('text' in sent ? bytesOf(sent.text) : arg);
  } catch (err) {
    return { what: 'threw', expected: want, actual: String(err) + ((err as { cause?: unknown }).cause ? ` (cause: ${String((err as { cause?: unknown }).cause)})` : '') };
  }
  if (!isDeepStrictEqual(got, want)) return { what: 'decision', expected: want, actual: got };
  if (JSON.stringify(got) !== JSON.stringify(want)) return { what: 'decision-key-order', expected: JSON.stringify(want), actual: JSON.stringify(got) };
  if (allow !== want.allow) return { what: 'allow', expected: want.allow, actual: allow };
  return null;
}

/** Short, readable failure text (huge strings elided). */
export function describeMismatch(ir: PolicyIR, sent: Sent, m: Mismatch): string {
  const clip = (s: string): string => (s.length > 4000 ? `${s.slice(0, 4000)}… (${s.length} chars)` : s);
  return [
    `wasm ≠ reference (${m.what})`,
    `  input:    ${clip('text' in sent ? `(raw text) ${sent.text}` : JSON.stringify(sent.doc))}`,
    `  expected: ${clip(JSON.stringify(m.expected))}`,
    `  actual:   ${clip(JSON.stringify(m.actual))}`,
    `  routes:   ${ir.routes.map((r) => r.key).join(' | ')}`,
  ].join('\n');
}

// ---- hostile raw text ----------------------------------------------------------------------------

type G = fc.GeneratorValue;
const intBelow = new Map<number, fc.Arbitrary<number>>();
function below(g: G, n: number): number {
  if (n <= 1) return 0;
  let a = intBelow.get(n);
  if (!a) intBelow.set(n, (a = fc.noBias(fc.integer({ min: 0, max: n - 1 }))));
  const arb = a;
  return g(() => arb);
}
const percent = (g: G, p: number): boolean => p > 0 && below(g, 100) < p;
const pick = <T>(g: G, xs: readonly T[]): T => xs[below(g, xs.length)]!;

export interface HostileOptions {
  /** Percent of object keys written with \u escapes (default 20). */
  readonly escapeKeys?: number;
  /** Percent of strings written with \u escapes (default 10). */
  readonly escapeStrings?: number;
  /** Percent of token / top-level / request entries preceded by a decoy duplicate (default 15). */
  readonly decoys?: number;
  /** Percent of token entries followed by a later duplicate that JSON.parse lets win (default 5). */
  readonly overrides?: number;
  /** Percent of numbers written in another exact spelling (default 20). */
  readonly respellNumbers?: number;
  /** Heavy payloads in the token: huge strings, deep nesting, many keys (default false). */
  readonly heavy?: boolean;
  /** Longest huge string (default 300,000 code units). */
  readonly maxHugeString?: number;
}

function escapeUnit(g: G, u: number): string {
  const h = u.toString(16).padStart(4, '0');
  // Random hex case per digit: JSON allows both.
  return '\\u' + [...h].map((c) => (/[a-f]/.test(c) && percent(g, 50) ? c.toUpperCase() : c)).join('');
}

/** A JSON string literal for s, each code point escaped with probability p (pairs escaped as pairs). */
function stringLiteral(g: G, s: string, p: number): string {
  if (p <= 0 || s.length > 10_000) return JSON.stringify(s);
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const lone = cp >= 0xd800 && cp <= 0xdfff;
    if (lone || percent(g, p)) {
      for (let i = 0; i < ch.length; i++) out += escapeUnit(g, ch.charCodeAt(i));
    } else if (ch === '/' && percent(g, 50)) {
      out += '\\/';
    } else {
      out += JSON.stringify(ch).slice(1, -1);
    }
  }
  return out + '"';
}

const WS = [' ', '\t', '\n', '\r', '  ', ' \n '];
const ws = (g: G): string => (percent(g, 15) ? pick(g, WS) : '');

/** Another spelling of a finite number that JSON.parse reads as exactly the same double. */
function numberLiteral(g: G, x: number, p: number): string {
  const plain = JSON.stringify(x);
  if (!percent(g, p)) return plain;
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(plain);
  if (!m) return plain;
  const [, sign, int, frac = '', exp = '0'] = m;
  // No leading zeros: JSON forbids them before the point (0.5 → 5 × 10^-1).
  const digits = (int! + frac).replace(/^0+(?=\d)/, '');
  const e = Number(exp) - frac.length; // x = sign digits × 10^e
  switch (below(g, 5)) {
    case 0:
      return `${sign}${digits}${pick(g, ['e', 'E'])}${e >= 0 ? pick(g, ['', '+']) : ''}${e}`;
    case 1: {
      // trailing zeros after a decimal point (only when there is no exponent)
      return plain.includes('e') ? plain : `${plain}${plain.includes('.') ? '' : '.'}${'0'.repeat(1 + below(g, 25))}`;
    }
    case 2: {
      // d.ddd E n
      const e2 = e + digits.length - 1;
      return `${sign}${digits[0]}${digits.length > 1 ? '.' + digits.slice(1) : ''}e${e2}`;
    }
    case 3: {
      // leading zeros in the fraction: 0.000ddd e n
      const z = 1 + below(g, 30);
      return `${sign}0.${'0'.repeat(z)}${digits}e${e + digits.length + z}`;
    }
    default: {
      // the mantissa padded with zeros, the exponent compensating
      const k = 1 + below(g, 20);
      return digits === '0' ? `${sign}0e${pick(g, ['', '-', '+'])}${k}` : `${sign}${digits}${'0'.repeat(k)}e${e - k}`;
    }
  }
}

/** Claim values that would let a request through if a parser kept the first of two duplicates. */
function powerful(key: string, now: number): unknown {
  const ms = Math.floor(now);
  switch (key) {
    case 'st-ev':
      return { v: true, t: ms };
    case 'st-role':
      return { v: [...ROLES], t: ms };
    case 'st-perm':
      return { v: [...PERMISSIONS], t: ms };
    case 'st-mfa':
      return { v: true, c: Object.fromEntries(FACTORS.map((f) => [f, Math.floor(ms / 1000)])) };
    case 'aud':
      return [...AUDIENCES];
    case 'token':
      return { sub: 'u1', aud: [...AUDIENCES], 'st-ev': powerful('st-ev', now), 'st-role': powerful('st-role', now), 'st-mfa': powerful('st-mfa', now) };
    case 'now':
      return BASE_NOW;
    default:
      return null;
  }
}

function deepValue(g: G, depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = percent(g, 50) ? [v] : { [pick(g, ['v', 'a', 't', 'c', ''])]: v };
  return v;
}

function hugeString(g: G, max: number): string {
  const unit = pick(g, ['x', 'ü', '😀', 'admin', '\\"', '\u0000', 'ab\ncd', '\u2028']);
  const n = Math.max(1, Math.floor((1000 + below(g, Math.max(1, max - 1000))) / unit.length));
  return unit.repeat(n);
}

/** Adds heavy content to a token (a fresh object; keys stay own data properties). */
function heavyToken(g: G, token: Record<string, unknown>, max: number): Record<string, unknown> {
  const entries: [string, unknown][] = Object.keys(token).map((k) => [k, token[k]]);
  const add = (k: string, v: unknown, replace = false): void => {
    const i = entries.findIndex(([x]) => x === k);
    if (i >= 0 && replace) entries[i] = [k, v];
    else if (i < 0) entries.push([k, v]);
  };
  const n = 1 + below(g, 3);
  for (let i = 0; i < n; i++) {
    switch (below(g, 9)) {
      case 0:
        add(`big${i}`, hugeString(g, max));
        break;
      case 1:
        add(pick(g, ['sub', 'tId', 'iss', 'aud', 'plan']), hugeString(g, max), true);
        break;
      case 2: {
        const role = hugeString(g, Math.min(max, 50_000));
        add('st-role', { v: [role, ...ROLES.filter(() => percent(g, 30))], t: BASE_NOW }, percent(g, 50));
        break;
      }
      case 3:
        add(hugeString(g, Math.min(max, 50_000)), pick(g, [true, 1, 'x', null]));
        break;
      case 4:
        add(`deep${i}`, deepValue(g, 40 + below(g, 21), pick(g, [1, 'x', null, true, []])));
        break;
      case 5: {
        const target = pick(g, ['st-ev', 'st-role', 'st-perm', 'st-mfa', 'aud', 'sub', 'tId', 'plan', 'org', 'flags']);
        add(target, deepValue(g, 40 + below(g, 21), pick(g, ['admin', true, 1])), true);
        break;
      }
      case 6: {
        const c: Record<string, unknown> = {};
        const m = 200 + below(g, 3000);
        for (let j = 0; j < m; j++) c[`f${j}`] = Math.floor(BASE_NOW / 1000) - j;
        for (const f of FACTORS) if (percent(g, 40)) c[f] = Math.floor(BASE_NOW / 1000) - below(g, 400);
        add('st-mfa', { v: true, c }, percent(g, 50));
        break;
      }
      case 7: {
        const m = 500 + below(g, 4000);
        for (let j = 0; j < m; j++) add(`k${j}${pick(g, ['', '-', 'ü', '"'])}`, j % 7 === 0 ? { v: j } : j);
        break;
      }
      default: {
        const roles = Array.from({ length: 1000 + below(g, 5000) }, (_, j) => `r${j}`);
        if (percent(g, 50)) roles.splice(below(g, roles.length), 0, pick(g, ROLES));
        add(pick(g, ['st-role', 'st-perm']), { v: roles, t: BASE_NOW }, true);
        break;
      }
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Writes `doc` as JSON text with hostile spellings. `level` names where a value sits, so decoys
 * and overrides go where they matter (top level, request, token, token claims).
 */
function render(g: G, v: unknown, o: Required<HostileOptions>, level: 'top' | 'request' | 'token' | 'inner', now: number): string {
  if (v === null || typeof v === 'boolean') return JSON.stringify(v);
  if (typeof v === 'number') return numberLiteral(g, v, o.respellNumbers);
  if (typeof v === 'string') return stringLiteral(g, v, o.escapeStrings);
  if (Array.isArray(v)) return `[${ws(g)}${v.map((x) => render(g, x, o, 'inner', now)).join(`${ws(g)},${ws(g)}`)}${ws(g)}]`;
  const obj = v as Record<string, unknown>;
  const parts: string[] = [];
  const key = (k: string): string => stringLiteral(g, k, o.escapeKeys > 0 && percent(g, o.escapeKeys) ? 30 + below(g, 71) : 0);
  const entry = (k: string, val: string): string => `${ws(g)}${key(k)}${ws(g)}:${ws(g)}${val}${ws(g)}`;
  const dupable = level !== 'inner';
  for (const k of Object.keys(obj)) {
    const childLevel = level === 'top' ? (k === 'request' ? 'request' : k === 'token' ? 'token' : 'inner') : 'inner';
    if (dupable && percent(g, o.decoys)) {
      // A decoy before the real entry: JSON.parse keeps the later one.
      const decoy = percent(g, 60) ? powerful(k, now) : pick(g, [null, 0, '', [], {}, 'admin', true]);
      parts.push(entry(k, render(g, decoy, o, 'inner', now)));
    }
    parts.push(entry(k, render(g, obj[k], o, childLevel, now)));
  }
  if (level === 'token' && percent(g, o.overrides)) {
    // A later duplicate: changes the document, JSON.parse (and so the reference) reads this one.
    const k = pick(g, [...Object.keys(obj), 'st-ev', 'st-role', 'st-mfa', 'aud']);
    parts.push(entry(k, render(g, percent(g, 50) ? powerful(k, now) : pick(g, [null, 1, 'x', { v: false }]), o, 'inner', now)));
  }
  if (level === 'top' && percent(g, o.decoys) && !Object.hasOwn(obj, 'token')) {
    // No token in the document: a powerful decoy token, then `"token": null`, which JSON.parse keeps.
    parts.unshift(entry('token', render(g, powerful('token', now), o, 'inner', now)));
    parts.push(entry('token', 'null'));
  }
  return `{${parts.join(',')}}`;
}

/** Raw text for `doc` (see the module comment). */
export function genHostileText(g: G, doc: unknown, options: HostileOptions = {}): string {
  const o: Required<HostileOptions> = {
    escapeKeys: 20,
    escapeStrings: 10,
    decoys: 15,
    overrides: 5,
    respellNumbers: 20,
    heavy: false,
    maxHugeString: 300_000,
    ...options,
  };
  let d = doc;
  const now = isPlainObject(doc) && typeof doc['now'] === 'number' ? doc['now'] : BASE_NOW;
  if (o.heavy && isPlainObject(doc)) {
    const t = Object.hasOwn(doc, 'token') ? doc['token'] : undefined;
    const token = isPlainObject(t) ? t : {};
    const copy: Record<string, unknown> = {};
    for (const k of Object.keys(doc)) Object.defineProperty(copy, k, { value: doc[k], enumerable: true, writable: true, configurable: true });
    Object.defineProperty(copy, 'token', { value: heavyToken(g, token, o.maxHugeString), enumerable: true, writable: true, configurable: true });
    d = copy;
  }
  return `${ws(g)}${render(g, d, o, 'top', now)}${ws(g)}`;
}

/** An input aimed at `ir` written as hostile text. */
export function arbHostileText(input: fc.Arbitrary<unknown>, options: HostileOptions = {}): fc.Arbitrary<{ readonly text: string }> {
  return fc.tuple(input, fc.gen()).map(([doc, g]) => ({ text: genHostileText(g, doc, options) }));
}

// ---- minimization ----------------------------------------------------------------------------------
// fast-check's own shrinking of a policy × 100 inputs batch keeps a large shrink tree alive (and
// recompiles the policy at every step), so a failing batch is reduced here instead: greedy deletion
// over the concrete policy and input, keeping any change after which the module still disagrees.

/** True when the module compiled from `ir` disagrees with the reference on `sent`. */
export type StillFails = (ir: PolicyIR, sent: Sent) => Promise<boolean>;

export interface Minimized {
  readonly ir: PolicyIR;
  readonly sent: Sent;
  /** Accepted reductions. */
  readonly steps: number;
  /** Candidates tried. */
  readonly tries: number;
}

type Checks = PolicyIR['routes'][number]['checks'];

/** Smaller variants of a check list: one check dropped, an anyOf flattened to one branch or missing one branch. */
function* smallerChecks(checks: Checks): Generator<Checks> {
  for (let i = checks.length - 1; i >= 0; i--) yield [...checks.slice(0, i), ...checks.slice(i + 1)];
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i]!;
    if (c.kind !== 'anyOf') continue;
    for (const b of c.branches) yield [...checks.slice(0, i), ...b, ...checks.slice(i + 1)];
    if (c.branches.length > 1) {
      for (let j = 0; j < c.branches.length; j++) {
        yield [...checks.slice(0, i), { ...c, branches: c.branches.filter((_, k) => k !== j) }, ...checks.slice(i + 1)];
      }
    }
    for (let j = 0; j < c.branches.length; j++) {
      for (const b of smallerChecks(c.branches[j]!)) {
        if (b.length === 0) continue;
        yield [...checks.slice(0, i), { ...c, branches: c.branches.map((x, k) => (k === j ? b : x)) }, ...checks.slice(i + 1)];
      }
    }
  }
}

function* smallerIRs(ir: PolicyIR): Generator<PolicyIR> {
  const routes = ir.routes;
  if (routes.length > 1) for (let i = routes.length - 1; i >= 0; i--) yield { ...ir, routes: routes.filter((_, k) => k !== i) };
  for (let i = 0; i < routes.length; i++) {
    for (const checks of smallerChecks(routes[i]!.checks)) yield { ...ir, routes: routes.map((r, k) => (k === i ? { ...r, checks } : r)) };
  }
}

const ownCopy = (entries: [string, unknown][]): Record<string, unknown> => {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
};

/** Smaller variants of a JSON value: members dropped, values replaced by simpler ones, strings cut. */
function* smallerJson(v: unknown): Generator<unknown> {
  if (Array.isArray(v)) {
    for (let i = v.length - 1; i >= 0; i--) yield [...v.slice(0, i), ...v.slice(i + 1)];
    for (let i = 0; i < v.length; i++) for (const x of smallerJson(v[i])) yield v.map((y, k) => (k === i ? x : y));
  } else if (isPlainObject(v)) {
    const entries = Object.keys(v).map((k): [string, unknown] => [k, v[k]]);
    for (let i = entries.length - 1; i >= 0; i--) yield ownCopy(entries.filter((_, k) => k !== i));
    for (let i = 0; i < entries.length; i++) {
      for (const x of smallerJson(entries[i]![1])) yield ownCopy(entries.map((e, k): [string, unknown] => (k === i ? [e[0], x] : e)));
    }
  } else if (typeof v === 'string' && v.length > 0) {
    if (v.length > 8) yield v.slice(0, v.length >> 1);
    if (v.length > 1) yield v.slice(0, -1);
  }
}

/** Greedy reduction of a failing (ir, input) pair within `budgetMs`. */
export async function minimize(ir: PolicyIR, sent: Sent, stillFails: StillFails, budgetMs = 60_000): Promise<Minimized> {
  const end = performance.now() + budgetMs;
  let steps = 0;
  let tries = 0;
  const attempt = async (i: PolicyIR, s: Sent): Promise<boolean> => {
    tries++;
    try {
      return await stillFails(i, s);
    } catch {
      return false; // an invalid candidate (does not compile, not parseable): not a reduction
    }
  };
  // Raw text that fails as the plain document it parses to is reported as that document.
  if ('text' in sent) {
    const doc = JSON.parse(sent.text) as unknown;
    if (await attempt(ir, { doc })) {
      sent = { doc };
      steps++;
    }
  }
  for (let changed = true; changed && performance.now() < end; ) {
    changed = false;
    for (const candidate of smallerIRs(ir)) {
      if (performance.now() >= end) break;
      if (await attempt(candidate, sent)) {
        ir = candidate;
        steps++;
        changed = true;
        break;
      }
    }
    if (changed || !('doc' in sent)) continue;
    for (const doc of smallerJson(sent.doc)) {
      if (performance.now() >= end) break;
      if (await attempt(ir, { doc })) {
        sent = { doc };
        steps++;
        changed = true;
        break;
      }
    }
  }
  return { ir, sent, steps, tries };
}

/** A StillFails over the shipped artifact, compiling each distinct policy once. */
export function stillFailsWith(
  load: (ir: PolicyIR) => Promise<DecidesLikeBundle>,
  reference: Reference,
): StillFails {
  let lastKey = '';
  let last: Promise<DecidesLikeBundle> | null = null;
  return async (ir, sent) => {
    const key = JSON.stringify(ir);
    if (key !== lastKey || last === null) {
      lastKey = key;
      last = load(ir);
    }
    return compareOne(await last, ir, sent, reference) !== null;
  };
}

/** The report of a minimized failure: readable text plus a JSON reproduction. */
export function reproOf(ir: PolicyIR, sent: Sent, m: Mismatch | null): Record<string, unknown> {
  return {
    mismatch: m,
    ir,
    ...('text' in sent ? { inputText: sent.text } : { input: sent.doc }),
  };
}
