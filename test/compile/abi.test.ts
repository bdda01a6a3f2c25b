// The runtime against the OPA Wasm ABI (docs/runtime.md) and the official JS SDK,
// loaded exactly like a host loads it. Uses the stub policy (entrypoint 0: {"stub":true,"input":…},
// entrypoint 1: the input itself), so these tests pin the runtime, not the policy.
import { beforeAll, describe, expect, it } from 'vitest';

import { linkPolicyModule } from '../../src/compile/link.js';
import { AbortError, Raw, opa, stubRuntime } from './runtime-harness.js';

let wasm: Uint8Array;
beforeAll(() => {
  // What ships: runtime + (here, an empty) table, linked.
  wasm = linkPolicyModule(stubRuntime(), new Uint8Array(0));
});

// --- a minimal reader for types, imports and exports -------------------------------------------
interface Shape {
  imports: { module: string; name: string; kind: number; desc: string }[];
  exports: Map<string, string>;
}
function shape(bin: Uint8Array): Shape {
  let p = 8;
  const u32 = (): number => {
    let r = 0, s = 0, b;
    do { b = bin[p++] as number; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80);
    return r;
  };
  const name = (): string => { const n = u32(); const s = new TextDecoder().decode(bin.subarray(p, p + n)); p += n; return s; };
  const limits = (): string => { const f = u32(); const min = u32(); return f & 1 ? `${min}..${u32()}` : `${min}..`; };
  const vt = (b: number): string => ({ 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64' })[b] ?? `0x${b.toString(16)}`;
  const types: string[] = [], funcTypes: number[] = [], globals: string[] = [];
  const imports: Shape['imports'] = [];
  const exports = new Map<string, string>();
  let importedFuncs = 0, importedGlobals = 0;
  while (p < bin.length) {
    const id = bin[p++] as number; const size = u32(); const end = p + size;
    if (id === 1) for (let n = u32(); n > 0; n--) {
      p++; const params = Array.from({ length: u32() }, () => vt(bin[p++] as number)); const results = Array.from({ length: u32() }, () => vt(bin[p++] as number));
      types.push(`(${params.join(',')})->(${results.join(',')})`);
    }
    else if (id === 2) for (let n = u32(); n > 0; n--) {
      const module = name(), nm = name(), kind = bin[p++] as number;
      let desc = '';
      if (kind === 0) { desc = types[u32()] ?? '?'; funcTypes.push(-1); importedFuncs++; }
      else if (kind === 2) desc = limits();
      else if (kind === 3) { desc = `${vt(bin[p++] as number)} ${bin[p++] ? 'mut' : 'const'}`; importedGlobals++; }
      else desc = limits();
      imports.push({ module, name: nm, kind, desc });
    }
    else if (id === 3) for (let n = u32(); n > 0; n--) funcTypes.push(u32());
    else if (id === 6) { for (let n = u32(); n > 0; n--) { globals.push(`${vt(bin[p++] as number)} ${bin[p++] ? 'mut' : 'const'}`); let op; do { op = bin[p++]; if (op === 0x41) u32(); } while (op !== 0x0b); } }
    else if (id === 7) for (let n = u32(); n > 0; n--) {
      const nm = name(), kind = bin[p++] as number, idx = u32();
      exports.set(nm, kind === 0 ? `func ${types[funcTypes[idx] as number]}` : kind === 3 ? `global ${globals[idx - importedGlobals]}` : kind === 2 ? 'memory' : `kind ${kind}`);
    }
    p = end;
  }
  void importedFuncs;
  return { imports, exports };
}

const I = (n: number): string => `(${Array(n).fill('i32').join(',')})`;
const ABI_EXPORTS: [string, string][] = [
  ['eval', `func ${I(1)}->(i32)`], ['builtins', 'func ()->(i32)'], ['entrypoints', 'func ()->(i32)'],
  ['opa_eval_ctx_new', 'func ()->(i32)'], ['opa_eval_ctx_set_input', `func ${I(2)}->()`],
  ['opa_eval_ctx_set_data', `func ${I(2)}->()`], ['opa_eval_ctx_set_entrypoint', `func ${I(2)}->()`],
  ['opa_eval_ctx_get_result', `func ${I(1)}->(i32)`], ['opa_malloc', `func ${I(1)}->(i32)`], ['opa_free', `func ${I(1)}->()`],
  ['opa_json_parse', `func ${I(2)}->(i32)`], ['opa_value_parse', `func ${I(2)}->(i32)`],
  ['opa_json_dump', `func ${I(1)}->(i32)`], ['opa_value_dump', `func ${I(1)}->(i32)`],
  ['opa_heap_ptr_get', 'func ()->(i32)'], ['opa_heap_ptr_set', `func ${I(1)}->()`],
  ['opa_value_add_path', `func ${I(3)}->(i32)`], ['opa_value_remove_path', `func ${I(2)}->(i32)`],
  ['opa_value_free', `func ${I(1)}->()`], ['opa_heap_blocks_stash', 'func ()->()'], ['opa_heap_blocks_restore', 'func ()->()'],
  ['opa_heap_stash_clear', 'func ()->()'], ['opa_eval', `func ${I(7)}->(i32)`],
  ['opa_wasm_abi_version', 'global i32 const'], ['opa_wasm_abi_minor_version', 'global i32 const'], ['memory', 'memory'],
];

describe('module shape', () => {
  it('imports exactly env.opa_abort (i32)->() and env.memory with min <= 2 pages and no maximum', () => {
    const { imports } = shape(wasm);
    expect(imports).toEqual([
      { module: 'env', name: 'opa_abort', kind: 0, desc: '(i32)->()' },
      { module: 'env', name: 'memory', kind: 2, desc: '2..' },
    ]);
  });

  it('exports exactly the ABI 1.3 surface with exact i32 signatures', () => {
    const { exports } = shape(wasm);
    expect(Object.fromEntries(exports)).toEqual(Object.fromEntries(ABI_EXPORTS));
  });

  it('ABI version globals are 1.3', () => {
    const m = new Raw(wasm);
    const g = (n: string): number => (m.x[n] as unknown as WebAssembly.Global).value as number;
    expect([g('opa_wasm_abi_version'), g('opa_wasm_abi_minor_version')]).toEqual([1, 3]);
  });

  it('builtins() is {} and entrypoints() names both entrypoints', () => {
    const m = new Raw(wasm);
    expect(m.jsonDump(m.fn('builtins')())).toBe('{}');
    expect(JSON.parse(m.jsonDump(m.fn('entrypoints')()))).toEqual({ 'claimguard/decision': 0, 'claimguard/allow': 1 });
  });
});

describe('through the JS SDK', () => {
  it('loadPolicySync and loadPolicy both load and evaluate, by id and by name', async () => {
    for (const policy of [opa.loadPolicySync(wasm), await opa.loadPolicy(wasm)]) {
      expect(policy.entrypoints).toEqual({ 'claimguard/decision': 0, 'claimguard/allow': 1 });
      expect(policy.evaluate({ a: [1, 'x'] })).toEqual([{ result: { stub: true, input: { a: [1, 'x'] } } }]);
      expect(policy.evaluate({ a: 1 }, 'claimguard/allow')).toEqual([{ result: { a: 1 } }]);
      expect(policy.evaluate({ a: 1 }, 1)).toEqual([{ result: { a: 1 } }]);
      // SDK quirk: falsy input is sent as no input → undefined input
      expect(policy.evaluate(0, 1)).toEqual([{ result: null }]);
    }
  });

  it('heap starts in [64 KiB, 128 KiB) after the SDK loads {}', () => {
    const policy = opa.loadPolicySync(wasm, { initial: 2 });
    expect(policy.baseHeapPtr).toBeGreaterThanOrEqual(65536);
    expect(policy.baseHeapPtr).toBeLessThan(131070);
  });

  it('setData works and keeps evaluations flat', () => {
    const policy = opa.loadPolicySync(wasm);
    policy.setData({ big: 'x'.repeat(10_000), n: [1, 2, 3] });
    const dataHeap = policy.dataHeapPtr;
    expect(dataHeap).toBeGreaterThan(policy.baseHeapPtr + 10_000);
    expect(policy.evaluate({ q: 1 }, 1)).toEqual([{ result: { q: 1 } }]);
    policy.setData({});
    expect(policy.dataHeapPtr).toBeLessThan(dataHeap);
    expect(policy.evaluate({ q: 2 }, 1)).toEqual([{ result: { q: 2 } }]);
  });

  describe('memory scenarios of the SDK test suite (131,074-byte string input)', () => {
    const input = 'a'.repeat(131072);
    it('{initial:2, maximum:3}: the host cannot grow memory for the input', () => {
      const policy = opa.loadPolicySync(wasm, { initial: 2, maximum: 3 });
      expect(() => policy.evaluate(input)).toThrow(RangeError);
    });
    it('{initial:3, maximum:4}: the guest runs out of memory copying the string', () => {
      const policy = opa.loadPolicySync(wasm, { initial: 3, maximum: 4 });
      expect(() => policy.evaluate(input)).toThrow('opa_malloc: failed');
    });
    it('{initial:2, maximum:8}: 16 evaluations succeed', () => {
      const policy = opa.loadPolicySync(wasm, { initial: 2, maximum: 8 });
      for (let i = 0; i < 16; i++) expect(policy.evaluate(input, 1)).toEqual([{ result: input }]);
    });
  });

  it('heap and memory stay flat over 100,000 evaluations', () => {
    const policy = opa.loadPolicySync(wasm);
    const input = { request: { method: 'GET', path: '/orders/42', routeKey: 'GET /orders/{id}' }, token: { sub: 'u1', roles: ['a', 'b'] }, now: 1712345680000 };
    policy.evaluate(input);
    const size = policy.mem.buffer.byteLength;
    const heap = policy.dataHeapPtr;
    let last: unknown;
    for (let i = 0; i < 100_000; i++) last = policy.evaluate(input);
    expect(last).toEqual([{ result: { stub: true, input } }]);
    expect(policy.mem.buffer.byteLength).toBe(size);
    expect(policy.dataHeapPtr).toBe(heap);
  });
});

describe('opa_eval called directly', () => {
  function evalRaw(m: Raw, input: Uint8Array | string, opts: { ep?: number; format?: number; reserved?: number } = {}): string {
    const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
    const heap = m.fn('opa_heap_ptr_get')();
    const need = heap + bytes.length + 64 * 1024;
    if (need > m.memory.buffer.byteLength) m.memory.grow(Math.ceil((need - m.memory.buffer.byteLength) / 65536));
    m.bytes.set(bytes, heap);
    const out = m.fn('opa_eval')(opts.reserved ?? 0, opts.ep ?? 1, 0, heap, bytes.length, heap + bytes.length, opts.format ?? 0);
    const text = m.cstring(out);
    m.fn('opa_heap_ptr_set')(heap);
    return text;
  }

  it('format 0 gives a JSON result set, format 1 a Rego set', () => {
    const m = new Raw(wasm);
    expect(evalRaw(m, '{"a":[1,{"b":null}]}', { ep: 1, format: 0 })).toBe('[{"result":{"a":[1,{"b":null}]}}]');
    expect(evalRaw(m, '{"a":[1,{"b":null}]}', { ep: 1, format: 1 })).toBe('{{"result":{"a":[1,{"b":null}]}}}');
    expect(evalRaw(m, '', { ep: 0, format: 1 })).toBe('{{"result":{"stub":true,"input":null}}}');
  });

  it('accepts Rego input (sets) and keeps number literals', () => {
    const m = new Raw(wasm);
    expect(evalRaw(m, '{"s":{1,"a",1}, "n":[1.50,1e3,-0]}')).toBe('[{"result":{"s":[1,"a"],"n":[1.50,1e3,-0]}}]');
  });

  it('aborts on an unknown entrypoint and a non-zero reserved argument', () => {
    const m = new Raw(wasm);
    expect(() => evalRaw(m, '{}', { ep: 2 })).toThrow(new AbortError('internal: illegal entrypoint id'));
    expect(() => evalRaw(m, '{}', { ep: -1 })).toThrow(new AbortError('internal: illegal entrypoint id'));
    expect(() => evalRaw(m, '{}', { reserved: 1 })).toThrow(new AbortError('invalid reserved argument'));
  });

  const hostile: [string, Uint8Array | string, string][] = [
    ['invalid JSON', '{"a":', 'null'],
    ['truncated string', '"abc', 'null'],
    ['truncated escape', '"\\u12', 'null'],
    ['invalid UTF-8', new Uint8Array([0x22, 0xc3, 0x28, 0x22]), 'null'],
    ['UTF-8 surrogate bytes', new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22]), 'null'],
    ['1e400', '1e400', '1e400'],
    ['-0', '-0', '-0'],
    ['lone surrogates', '["\\ud800","\\udfff\\ud800x"]', '["\\ud800","\\udfff\\ud800x"]'],
    ['duplicate keys', '{"a":1,"a":2}', '{"a":1,"a":2}'],
    ['100,000-deep arrays', '['.repeat(100_000) + ']'.repeat(100_000), 'null'],
    ['100,000-deep objects', '{"a":'.repeat(100_000), 'null'],
    ['100,000-deep sets', '{'.repeat(100_000), 'null'],
    ['trailing garbage', '[1] ]]]', '[1]'],
    ['NUL bytes', new Uint8Array([0x5b, 0x31, 0x00, 0x5d]), 'null'],
    ['control char in string', '"a\tb"', 'null'],
    ['empty', '', 'null'],
  ];
  it.each(hostile)('hostile input: %s → input undefined or parsed, never a trap', (_n, input, result) => {
    const m = new Raw(wasm);
    expect(evalRaw(m, input)).toBe(`[{"result":${result}}]`);
  });

  it('a 10 MB string input is copied and echoed', () => {
    const m = new Raw(wasm);
    const s = 'x'.repeat(10 * 1024 * 1024);
    expect(evalRaw(m, JSON.stringify(s))).toBe(`[{"result":${JSON.stringify(s)}}]`);
  });

  it('random bytes never trap', () => {
    const m = new Raw(wasm);
    const alphabet = '{}[]",:0123456789.eE+-tfnulsaet()\\u \n\x00\xff';
    let seed = 42;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    for (let i = 0; i < 5000; i++) {
      const text = Array.from({ length: rnd(40) }, () => alphabet[rnd(alphabet.length)]).join('');
      const out = evalRaw(m, text);
      expect(out.startsWith('[{"result":')).toBe(true);
      if (out !== '[{"result":null}]') {
        // whatever parsed must be the JSON of some value
        expect(() => JSON.parse(out)).not.toThrow();
      }
    }
  });
});

describe('context-based evaluation (ABI < 1.2 hosts)', () => {
  it('eval + get_result yields a result set value', () => {
    const m = new Raw(wasm);
    const input = m.parseJson('{"x":[true]}');
    const ctx = m.fn('opa_eval_ctx_new')();
    m.fn('opa_eval_ctx_set_input')(ctx, input);
    m.fn('opa_eval_ctx_set_data')(ctx, m.parseJson('{}'));
    m.fn('opa_eval_ctx_set_entrypoint')(ctx, 1);
    expect(m.fn('eval')(ctx)).toBe(0);
    const result = m.fn('opa_eval_ctx_get_result')(ctx);
    expect(m.jsonDump(result)).toBe('[{"result":{"x":[true]}}]');
    expect(m.valueDump(result)).toBe('{{"result":{"x":[true]}}}');
    m.fn('opa_eval_ctx_set_entrypoint')(ctx, 7);
    expect(() => m.fn('eval')(ctx)).toThrow(new AbortError('internal: illegal entrypoint id'));
  });
});

describe('heap and data patching', () => {
  it('opa_malloc is 8-aligned, accepts 0, and opa_free recycles', () => {
    const m = new Raw(wasm);
    const a = m.fn('opa_malloc')(0);
    const b = m.fn('opa_malloc')(13);
    expect(a % 8).toBe(0);
    expect(b % 8).toBe(0);
    expect(b).toBeGreaterThan(a);
    const c = m.fn('opa_malloc')(100);
    m.fn('opa_malloc')(1);
    m.fn('opa_free')(c);
    expect(m.fn('opa_malloc')(97)).toBe(c);
  });

  it('opa_malloc aborts with "opa_malloc: failed" when memory cannot grow', () => {
    const m = new Raw(wasm, new WebAssembly.Memory({ initial: 2, maximum: 3 }));
    expect(() => m.fn('opa_malloc')(200_000)).toThrow(new AbortError('opa_malloc: failed'));
  });

  it('opa_heap_ptr_set resets the heap and discards free lists', () => {
    const m = new Raw(wasm);
    const hp = m.fn('opa_heap_ptr_get')();
    const a = m.fn('opa_malloc')(64);
    m.fn('opa_malloc')(8);
    m.fn('opa_free')(a);
    m.fn('opa_heap_ptr_set')(hp);
    expect(m.fn('opa_heap_ptr_get')()).toBe(hp);
    const b = m.fn('opa_malloc')(64);
    expect(b).toBe(a); // from the bump pointer, not the (discarded) free list
    // the start function's allocations (route table, entrypoints) cannot be reset into or freed
    m.fn('opa_heap_ptr_set')(0);
    expect(m.fn('opa_heap_ptr_get')()).toBe(hp); // hp: right after instantiation = the floor
    m.fn('opa_value_free')(m.fn('entrypoints')());
    expect(JSON.parse(m.jsonDump(m.fn('entrypoints')()))).toEqual({ 'claimguard/decision': 0, 'claimguard/allow': 1 });
    m.fn('opa_heap_blocks_stash')();
    m.fn('opa_heap_blocks_restore')();
    m.fn('opa_heap_stash_clear')();
  });

  it('opa_value_add_path / remove_path / free follow OPA', () => {
    const m = new Raw(wasm);
    const data = m.parseJson('{"a":{"b":1},"s":"x"}');
    const path = (p: string): number => m.parseJson(p);
    expect(m.fn('opa_value_add_path')(data, path('["a","c"]'), m.parseJson('[2]'))).toBe(0);
    expect(m.fn('opa_value_add_path')(data, path('["x","y","z"]'), m.parseJson('true'))).toBe(0);
    expect(m.fn('opa_value_add_path')(data, path('["a","b"]'), m.parseJson('"new"'))).toBe(0);
    expect(m.jsonDump(data)).toBe('{"a":{"b":"new","c":[2]},"s":"x","x":{"y":{"z":true}}}');
    expect(m.fn('opa_value_add_path')(data, path('["s","t"]'), m.parseJson('1'))).toBe(2);
    expect(m.fn('opa_value_add_path')(data, path('[]'), m.parseJson('1'))).toBe(3);
    expect(m.fn('opa_value_add_path')(data, path('[1]'), m.parseJson('1'))).toBe(3);
    expect(m.fn('opa_value_remove_path')(data, path('["a","b"]'))).toBe(0);
    expect(m.fn('opa_value_remove_path')(data, path('["nope","b"]'))).toBe(0);
    expect(m.fn('opa_value_remove_path')(data, path('["x"]'))).toBe(0);
    expect(m.jsonDump(data)).toBe('{"a":{"c":[2]},"s":"x"}');
    for (let i = 0; i < 100; i++) expect(m.fn('opa_value_add_path')(data, path(`["k${i}"]`), m.parseJson(`${i}`))).toBe(0);
    expect(Object.keys(JSON.parse(m.jsonDump(data)))).toHaveLength(102);
    m.fn('opa_value_free')(data);
  });
});
