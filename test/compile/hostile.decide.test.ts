// Hostile raw input through the real policy, calling the module's `opa_eval` directly with raw
// bytes, as an OPA host does (the SDK passes an ArrayBuffer through unchanged). Two policies: a
// hand-built IR shaped like the sample (every requirement kind, stable), and policies.yaml itself.
//
// Rules, for every input text:
// - never a trap or an abort; the result is one decision of the contract's shape, and the allow
//   entrypoint agrees with it;
// - text that JSON.parse reads (after strict UTF-8 decoding): the decision deep-equals the reference
//   decision on what JSON.parse read (duplicate keys: the last one wins) — except past the module's
//   documented parser limits (nesting deeper than 1000), where it must be the "no input" deny;
// - anything else: never `allow: true`.
// And memory: the instance's memory size and heap pointer stay flat across 100,000 evaluations
// of a mixed hostile set once it has been seen once.
import { beforeAll, describe, expect, it } from 'vitest';
import { compilePolicy } from '../../src/compile/compile.js';
import { decide } from '../../src/decision/evaluate.js';
import type { Decision } from '../../src/decision/types.js';
import type { Check, PolicyIR } from '../../src/policy/ir.js';
import { loadPolicy } from '../../src/policy/load.js';
import { breathe } from '../support/breathe.js';
import { chk, policy, publicRoute, route } from '../support/ir-builders.js';

const NOW = 1712345680000;
const NOW_S = NOW / 1000;

class Trap extends Error {
  override readonly name = 'Trap';
}

/** One instance, driven like the JS SDK drives it (ABI 1.2 fast path): data `{}` parsed once, input at its heap mark. */
class Module {
  readonly memory = new WebAssembly.Memory({ initial: 2 });
  private readonly x: Record<string, (...a: number[]) => number>;
  private readonly data: number;
  readonly base: number;
  constructor(wasm: Uint8Array) {
    const env = {
      memory: this.memory,
      opa_abort: (addr: number): never => {
        throw new Trap(`opa_abort: ${this.cstring(addr)}`);
      },
    };
    this.x = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env }).exports as unknown as Record<string, (...a: number[]) => number>;
    const d = new TextEncoder().encode('{}');
    const p = this.x['opa_malloc']!(d.length);
    new Uint8Array(this.memory.buffer).set(d, p);
    this.data = this.x['opa_json_parse']!(p, d.length);
    this.base = this.heap();
  }
  heap(): number {
    return this.x['opa_heap_ptr_get']!();
  }
  cstring(addr: number): string {
    const b = new Uint8Array(this.memory.buffer);
    let end = addr;
    while (b[end] !== 0) end++;
    return new TextDecoder().decode(b.subarray(addr, end));
  }
  /** opa_eval on raw bytes; returns the result-set text. */
  evalRaw(bytes: Uint8Array, entrypoint: number): string {
    const need = this.base + bytes.length - this.memory.buffer.byteLength;
    if (need > 0) this.memory.grow(Math.ceil(need / 65536));
    new Uint8Array(this.memory.buffer).set(bytes, this.base);
    try {
      return this.cstring(this.x['opa_eval']!(0, entrypoint, this.data, this.base, bytes.length, this.base + bytes.length, 0));
    } catch (err) {
      if (err instanceof Trap) throw err;
      throw new Trap(`trap: ${String(err)}`);
    }
  }
  /** Decision and allow entrypoints on the same bytes. */
  decide(input: Uint8Array | string): { decision: Decision; allow: unknown } {
    const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
    const one = (text: string): unknown => {
      const rs = JSON.parse(text) as { result: unknown }[];
      expect(rs).toHaveLength(1);
      return rs[0]!.result;
    };
    const decision = one(this.evalRaw(bytes, 0)) as Decision;
    const allow = one(this.evalRaw(bytes, 1));
    return { decision, allow };
  }
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** JSON.parse of the bytes after strict UTF-8 decoding, or `unparseable`. */
function parse(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    return { ok: false };
  }
}

/** The reference decision as JSON would carry it, or null when the reference itself cannot (stack). */
function reference(ir: PolicyIR, value: unknown): Decision | null {
  try {
    return JSON.parse(JSON.stringify(decide(ir, value))) as Decision;
  } catch {
    return null;
  }
}

const shaped = (d: Decision): void => {
  expect(typeof d.allow).toBe('boolean');
  expect([200, 401, 403]).toContain(d.status);
  expect(d.allow).toBe(d.status === 200);
  expect(d.allow).toBe(d.reasons.length === 0);
};

type Kind = 'exact' | 'limits' | 'invalid';

/** Checks one hostile input against the rules in the header; returns the module's decision. */
function expectSafe(m: Module, ir: PolicyIR, input: Uint8Array | string, kind: Kind | 'auto' = 'auto'): Decision {
  const bytes = typeof input === 'string' ? utf8(input) : input;
  const { decision, allow } = m.decide(bytes);
  shaped(decision);
  expect(allow).toBe(decision.allow);
  const parsed = parse(bytes);
  const k: Kind = kind === 'auto' ? (parsed.ok ? 'exact' : 'invalid') : kind;
  const noInput = reference(ir, undefined)!;
  if (k === 'invalid') {
    expect(parsed.ok).toBe(false);
    expect(decision.allow).toBe(false);
    expect(decision).toEqual(noInput);
  } else {
    expect(parsed.ok).toBe(true);
    const want = parsed.ok ? reference(ir, parsed.value) : null;
    if (k === 'exact') expect(decision).toEqual(want);
    else {
      expect(decision).toEqual(noInput);
      if (decision.allow) expect(want?.allow).toBe(true);
    }
  }
  return decision;
}

// ---- the policies ----------------------------------------------------------------------------------
const aud = chk.audience('jwtAuthorizers');
const notSuspended = chk.roles({ noneOf: ['suspended'] });
const protect = (key: string, ...checks: Check[]) => route(key, [aud, notSuspended, ...checks]);
/** Sample-like: every requirement kind, the global audience and the defaults copied into each protected route. */
const SAMPLE: PolicyIR = policy(
  [
    publicRoute('GET /health'),
    publicRoute('GET /products/{sku}'),
    protect('GET /orders/{orderId}', chk.roles({ anyOf: ['customer', 'admin'] })),
    protect('POST /orders', chk.emailVerified(2_592_000), chk.roles({ anyOf: ['customer'], noneOf: ['frozen'] }), chk.claimAnyOf('plan', ['free', 'pro'])),
    protect('DELETE /orders/{orderId}', chk.roles({ allOf: ['admin'] }), chk.mfa()),
    protect('GET /users/{userId}/profile', chk.anyOf([chk.roles({ anyOf: ['admin'] })], [chk.subject('userId')])),
    protect(
      'PUT /users/{userId}/profile',
      chk.emailVerified(),
      chk.anyOf([chk.subject('userId')], [chk.roles({ anyOf: ['support'] }), chk.mfa({ anyOf: ['totp', 'otp-phone'] }, 600)]),
    ),
    protect('GET /tenants/{tenantId}/members', chk.tenantParam('tenantId'), chk.permissions({ anyOf: ['members:read'], maxAgeSeconds: 3600 })),
    protect('ANY /admin/{proxy+}', chk.roles({ anyOf: ['admin'] }), chk.mfa({ allOf: ['totp'] }, 300), chk.claimExists('org')),
    protect('$default', chk.tenantAnyOf('acme')),
  ],
  { audience: 'jwtAuthorizers' },
);

/** A token that passes every route of SAMPLE (and most of policies.yaml). */
const ADMIN = {
  sub: 'u1',
  aud: 'jwtAuthorizers',
  iss: 'https://api.example.com/auth',
  tId: 'acme',
  plan: 'pro',
  org: 'o1',
  'st-ev': { v: true, t: NOW - 1000 },
  'st-role': { v: ['admin', 'customer', 'support'], t: NOW - 1000 },
  'st-perm': { v: ['members:read', 'members:write', 'billing:read', 'billing:write'], t: NOW - 1000 },
  'st-mfa': { v: true, c: { totp: NOW_S - 10, 'otp-phone': NOW_S - 10, emailpassword: NOW_S - 100 } },
};

const doc = (method: string, path: string, token: unknown = ADMIN, now: unknown = NOW): string =>
  JSON.stringify({ request: { method, path }, token, now });

/** A protected request of `ir` that the reference allows with ADMIN. */
function allowedRequest(ir: PolicyIR): { method: string; path: string } {
  for (const r of ir.routes) {
    if (r.public || r.segments === null) continue;
    const method = r.method === 'ANY' || r.method === null ? 'GET' : r.method;
    const path = '/' + r.segments.map((s) => (s.kind === 'literal' ? s.value : s.name.endsWith('Id') || s.name === 'userId' ? 'u1' : 'acme')).join('/');
    if (decide(ir, JSON.parse(doc(method, path))).allow) return { method, path };
  }
  throw new Error('no protected route of the policy allows the ADMIN token');
}

// ---- hostile inputs --------------------------------------------------------------------------------
function hostileSet(ir: PolicyIR): { name: string; bytes: Uint8Array; kind: Kind | 'auto' }[] {
  const { method, path } = allowedRequest(ir);
  const good = doc(method, path);
  const req = JSON.stringify({ method, path });
  const withToken = (token: string, now = String(NOW)): string => `{"request":${req},"token":${token},"now":${now}}`;
  const adminWith = (claims: Record<string, unknown>): string => JSON.stringify({ ...ADMIN, ...claims });
  const deep = (n: number, open: string, close: string, leaf = '1'): string => open.repeat(n) + leaf + close.repeat(n);
  const list: { name: string; text: string | Uint8Array; kind?: Kind }[] = [
    { name: 'the allowed document itself', text: good },
    // invalid and truncated JSON
    { name: 'empty', text: '' },
    { name: 'whitespace only', text: ' \n\t ' },
    { name: 'invalid JSON', text: '{"request":' },
    { name: 'single quotes', text: good.replaceAll('"', "'") },
    { name: 'unquoted keys', text: good.replace('"request"', 'request') },
    { name: 'trailing comma in object', text: good.replace(/}$/, ',}') },
    { name: 'trailing comma in token', text: withToken(adminWith({}).replace(/}$/, ',}')) },
    { name: 'NaN now', text: withToken(adminWith({}), 'NaN') },
    { name: 'Infinity now', text: withToken(adminWith({}), 'Infinity') },
    { name: 'hex number now', text: withToken(adminWith({}), '0x18EB') },
    { name: 'leading zero now', text: withToken(adminWith({}), '01712345680000') },
    { name: 'plus sign now', text: withToken(adminWith({}), '+1712345680000') },
    { name: 'unterminated string', text: good.slice(0, good.indexOf('u1') + 1) },
    { name: 'bad escape', text: withToken(adminWith({ sub: 'X' }).replace('"X"', '"\\x41"')) },
    { name: 'truncated \\u escape', text: withToken(adminWith({ sub: 'X' }).replace('"X"', '"\\u00"')) },
    { name: 'raw control character in a claim', text: withToken(adminWith({ sub: 'X' }).replace('"X"', '"a\tb"')) },
    { name: 'raw NUL in a claim', text: withToken(adminWith({ sub: 'X' }).replace('"X"', '"a\u0000b"')) },
    // invalid UTF-8 inside an otherwise allowed document
    ...([
      ['lone continuation byte', [0x80]],
      ['truncated 2-byte sequence', [0xc3]],
      ['invalid 2-byte sequence', [0xc3, 0x28]],
      ['overlong "/"', [0xc0, 0xaf]],
      ['overlong NUL', [0xe0, 0x80, 0x80]],
      ['UTF-8 encoded surrogate', [0xed, 0xa0, 0x80]],
      ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
      ['0xFF byte', [0xff]],
      ['0xFE byte', [0xfe]],
    ] as const).map(([name, seq]) => {
      const text = withToken(adminWith({ sub: 'u1', plan: 'pro' }));
      const at = text.indexOf('"pro"') + 2;
      const b = utf8(text);
      return { name: `invalid UTF-8 in a claim: ${name}`, text: new Uint8Array([...b.subarray(0, at), ...seq, ...b.subarray(at)]) };
    }),
    // numbers
    { name: '1e400 as now', text: withToken(adminWith({}), '1e400') },
    { name: '-1e400 as now', text: withToken(adminWith({}), '-1e400') },
    { name: '1e-400 as now (0)', text: withToken(adminWith({}), '1e-400') },
    { name: '-0 as now', text: withToken(adminWith({}), '-0') },
    { name: '-0.0e0 as now', text: withToken(adminWith({}), '-0.0e0') },
    { name: 'now with 800 digits', text: withToken(adminWith({}), '1712345680000' + '0'.repeat(787) + 'e-787') },
    { name: 'now 2^53+1', text: withToken(adminWith({}), '9007199254740993') },
    ...['1e400', '-1e400', '-0', '1e-400', '1.7976931348623157e308', '-1.7976931348623157e308', '5e-324', '1712345679000.0000000000000001']
      .flatMap((t) => [
        { name: `${t} as st-ev t`, text: withToken(adminWith({ 'st-ev': 'X' }).replace('"X"', `{"v":true,"t":${t}}`)) },
        { name: `${t} as st-role t`, text: withToken(adminWith({ 'st-role': 'X' }).replace('"X"', `{"v":["admin","customer","support"],"t":${t}}`)) },
        { name: `${t} as st-perm t`, text: withToken(adminWith({ 'st-perm': 'X' }).replace('"X"', `{"v":["members:read"],"t":${t}}`)) },
        { name: `${t} as an MFA factor time`, text: withToken(adminWith({ 'st-mfa': 'X' }).replace('"X"', `{"v":true,"c":{"totp":${t},"otp-phone":${t}}}`)) },
        { name: `${t} as a custom claim`, text: withToken(adminWith({ plan: 'X', org: 'X' }).replaceAll('"X"', t)) },
      ]),
    // lone surrogates
    { name: 'lone high surrogate as sub', text: withToken(adminWith({ sub: '\ud800' })) },
    { name: 'lone low surrogate as tId', text: withToken(adminWith({ tId: '\udc00' })) },
    { name: 'reversed pair in a role', text: withToken(adminWith({ 'st-role': { v: ['\udc00\ud800admin', 'admin'], t: NOW } })) },
    { name: 'lone surrogate in the path', text: doc(method, `${path}/\ud800`) },
    { name: 'lone surrogate in a path parameter', text: doc(method, path.replace('u1', '\udfff')) },
    { name: 'lone surrogate key in the token', text: withToken(adminWith({ '\ud800': 1, 'st-ev\ud800': { v: false } })) },
    { name: 'lone surrogate in the method', text: doc(`${method}\ud800`, path) },
    // nesting
    { name: '100,000-deep arrays as input', text: deep(100_000, '[', ']'), kind: 'limits' },
    { name: '100,000-deep objects as input', text: deep(100_000, '{"a":', '}'), kind: 'limits' },
    { name: '100,000-deep request', text: `{"request":${deep(100_000, '{"method":', '}')},"now":${NOW}}`, kind: 'limits' },
    { name: '100,000-deep arrays as a claim', text: withToken(adminWith({ x: 'X' }).replace('"X"', deep(100_000, '[', ']'))), kind: 'limits' },
    { name: '100,000-deep objects as a claim', text: withToken(adminWith({ x: 'X' }).replace('"X"', deep(100_000, '{"v":', '}'))), kind: 'limits' },
    { name: '100,000 unclosed arrays in a claim', text: withToken(adminWith({ x: 'X' }).replace('"X"', '['.repeat(100_000))) },
    { name: '999-deep claim (legal)', text: withToken(adminWith({ x: 'X' }).replace('"X"', deep(990, '[', ']'))) },
    { name: '1,001-deep claim', text: withToken(adminWith({ x: 'X' }).replace('"X"', deep(1001, '[', ']'))), kind: 'limits' },
    { name: '50-deep roles', text: withToken(adminWith({ 'st-role': 'X' }).replace('"X"', deep(50, '{"v":', '}', '["admin"]'))) },
    // big
    { name: '10 MB string claim', text: withToken(adminWith({ big: 'x'.repeat(10 * 1024 * 1024) })) },
    { name: '10 MB sub (actualValue echoed)', text: withToken(adminWith({ sub: 'ü'.repeat(5 * 1024 * 1024) })) },
    { name: '10 MB of escapes in a claim', text: withToken(adminWith({ big: '\n"\\'.repeat(1024 * 1024) })) },
    { name: '100,000 keys in the token', text: withToken(adminWith(Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])))) },
    // duplicate keys: the last one wins, as JSON.parse reads it
    { name: 'admin token then "token": null → 401', text: `{"request":${req},"token":${adminWith({})},"token":null,"now":${NOW}}` },
    { name: 'null token then admin token → allow', text: `{"request":${req},"token":null,"token":${adminWith({})},"now":${NOW}}` },
    { name: 'escaped duplicate "t\\u006fken": null', text: `{"request":${req},"token":${adminWith({})},"t\\u006fken":null,"now":${NOW}}` },
    { name: 'escaped duplicate st\\u002dev false after true', text: withToken(adminWith({}).replace(/}$/, ',"st\\u002dev":{"v":false,"t":1}}')) },
    { name: 'escaped duplicate st\\u002drole without admin', text: withToken(adminWith({}).replace(/}$/, ',"st\\u002drole":{"v":["user"],"t":1}}')) },
    { name: 'escaped duplicate aud elsewhere', text: withToken(adminWith({}).replace(/}$/, ',"\\u0061ud":"other"}')) },
    { name: 'duplicate now: valid then invalid', text: `{"request":${req},"token":${adminWith({})},"now":${NOW},"now":"x"}` },
    { name: 'duplicate request: allowed path then unknown path', text: `{"request":${req},"token":${adminWith({})},"request":{"method":"GET","path":"/nope/x/y/z"},"now":${NOW}}` },
    { name: 'duplicate keys inside st-role', text: withToken(adminWith({ 'st-role': 'X' }).replace('"X"', '{"v":["admin","customer","support"],"t":1,"v":["suspended"]}')) },
    { name: '1,000 duplicates of the token', text: `{"request":${req},${`"token":${adminWith({})},`.repeat(1000)}"token":{"sub":"u1"},"now":${NOW}}` },
    // input not an object
    ...['null', 'true', '0', '-0', '"x"', '[]', `[${good}]`, '"{\\"request\\":{}}"', '1e400'].map((t) => ({ name: `input ${t.slice(0, 30)}`, text: t })),
    // fields of the wrong type
    { name: 'token is an array', text: withToken(`[${adminWith({})}]`) },
    { name: 'token is a string', text: withToken(JSON.stringify(adminWith({}))) },
    { name: 'request is a string', text: `{"request":${JSON.stringify(req)},"token":${adminWith({})},"now":${NOW}}` },
    { name: 'pathParameters is an array', text: `{"request":{"method":"GET","path":"/orders/1","pathParameters":["1"]},"token":${adminWith({})},"now":${NOW}}` },
  ];
  return list.map(({ name, text, kind }) => ({ name, bytes: typeof text === 'string' ? utf8(text) : text, kind: kind ?? 'auto' }));
}

/** Every prefix and every single-byte deletion of `text`: truncated or damaged JSON. */
function damaged(text: string): Uint8Array[] {
  const b = utf8(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length; i++) out.push(b.slice(0, i));
  for (let i = 0; i < b.length; i++) out.push(new Uint8Array([...b.subarray(0, i), ...b.subarray(i + 1)]));
  return out;
}

describe.each([
  ['sample-like IR', async (): Promise<PolicyIR> => SAMPLE],
  [
    'policies.yaml',
    async (): Promise<PolicyIR> => {
      const loaded = await loadPolicy(new URL('../../policies.yaml', import.meta.url).pathname);
      if (!loaded.ok) throw new Error(`policies.yaml does not load: ${JSON.stringify(loaded.errors)}`);
      return loaded.ir;
    },
  ],
])('hostile raw input through opa_eval: %s', (_name, load) => {
  let ir: PolicyIR;
  let wasm: Uint8Array;
  let set: ReturnType<typeof hostileSet>;
  beforeAll(async () => {
    ir = await load();
    wasm = compilePolicy(ir).wasm;
    set = hostileSet(ir);
  });

  it('the ADMIN token is allowed on a protected route (the hostile set is aimed at an allow)', () => {
    const { method, path } = allowedRequest(ir);
    expect(expectSafe(new Module(wasm), ir, doc(method, path)).allow).toBe(true);
  });

  it('each hostile input: no trap, the contract shape, reference decision when JSON.parse reads it, never a stray allow', () => {
    const m = new Module(wasm);
    const failures: string[] = [];
    for (const h of set) {
      try {
        expectSafe(m, ir, h.bytes, h.kind);
      } catch (err) {
        failures.push(`${h.name}: ${String(err).slice(0, 600)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('duplicate keys: {"token":<admin>,"token":null} is read as JSON.parse reads it (last wins → 401)', () => {
    const m = new Module(wasm);
    const { method, path } = allowedRequest(ir);
    const text = `{"request":${JSON.stringify({ method, path })},"token":${JSON.stringify(ADMIN)},"token":null,"now":${NOW}}`;
    const d = expectSafe(m, ir, text);
    expect(d.status).toBe(401);
    expect(d.reasons.map((r) => r.code)).toEqual(['TOKEN_MISSING']);
  });

  it('every truncation and every single-byte deletion of an allowed document', () => {
    const m = new Module(wasm);
    const { method, path } = allowedRequest(ir);
    const failures: string[] = [];
    let parseable = 0;
    const inputs = damaged(doc(method, path));
    for (const bytes of inputs) {
      try {
        if (parse(bytes).ok) parseable++;
        expectSafe(m, ir, bytes);
      } catch (err) {
        failures.push(`${JSON.stringify(new TextDecoder().decode(bytes))}: ${String(err).slice(0, 300)}`);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(parseable).toBeGreaterThan(10); // deletions inside strings keep the document parseable
    expect(inputs.length - parseable).toBeGreaterThan(100);
  }, 120_000);

  it('memory and heap stay flat across 100,000 evaluations of a mixed hostile set', async () => {
    const m = new Module(wasm);
    // The mixed set without the multi-megabyte inputs, which join every 10,000th evaluation.
    const small = set.filter((h) => h.bytes.length < 1_000_000).map((h) => h.bytes);
    const big = set.filter((h) => h.bytes.length >= 1_000_000).map((h) => h.bytes);
    const { method, path } = allowedRequest(ir);
    small.push(...damaged(doc(method, path)).filter((_, i) => i % 7 === 0));
    // Warm-up: every input once through each entrypoint, recording the heap mark each leaves.
    const all = [...small, ...big];
    const mark = (b: Uint8Array, ep: number): string => `${all.indexOf(b)}:${ep}`;
    const marks = new Map<string, number>();
    for (const b of all) {
      for (const ep of [0, 1]) {
        m.evalRaw(b, ep);
        marks.set(mark(b, ep), m.heap());
      }
    }
    const size = m.memory.buffer.byteLength;
    let drift = 0;
    for (let i = 0; i < 100_000; i++) {
      if (i % 1000 === 0) await breathe();
      const b = i % 10_000 === 9_999 && big.length > 0 ? big[Math.floor(i / 10_000) % big.length]! : small[i % small.length]!;
      const ep = (i >> 3) & 1;
      m.evalRaw(b, ep);
      if (m.heap() !== marks.get(mark(b, ep))) drift++;
    }
    expect(drift).toBe(0);
    expect(m.memory.buffer.byteLength).toBe(size);
    // And the decisions are still right afterwards.
    expect(expectSafe(m, ir, doc(method, path)).allow).toBe(true);
  }, 180_000);

  // FINDING (reported, not fixed here: src/ belongs to the runtime work). opa_eval parses its input
  // with the OPA value parser, which reads Rego syntax (sets) and stops after the first complete
  // value, so text that JSON.parse refuses can still be decided — and allowed. The SDK never sends
  // such text (it JSON.stringifies objects), but a host passing raw bytes would. The rule "never
  // allow unless JSON.parse of the same text is allowed by the reference" fails on these; `it.fails`
  // keeps CI green and turns red the day the module refuses them (then make it a plain `it`).
  const superset = (method: string, path: string): [string, string][] => {
    const good = doc(method, path);
    return [
      ['trailing garbage', `${good} x`],
      ['trailing brackets', `${good}]]]`],
      ['a second document', `${good}{"token":null}`],
      ['trailing NUL', `${good}\u0000`],
      ['a Rego set in an unread field', `${good.slice(0, -1)},"x":{1,2}}`],
      ['an empty Rego set()', `${good.slice(0, -1)},"y":set()}`],
    ];
  };
  const SUPERSET = ['trailing garbage', 'trailing brackets', 'a second document', 'trailing NUL', 'a Rego set in an unread field', 'an empty Rego set()'];
  it.fails.each(SUPERSET)('KNOWN ISSUE: text JSON.parse refuses is never allowed: %s', (name) => {
    const m = new Module(wasm);
    const { method, path } = allowedRequest(ir);
    const [, text] = superset(method, path).find(([n]) => n === name)!;
    expectSafe(m, ir, text);
  });
});
