import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';

import { LinkError, linkPolicyModule, sleb32, uleb } from '../../src/compile/link.js';
import { Raw, opa, stubRuntime, testRuntime } from './runtime-harness.js';

let runtime: Uint8Array;
let testBuild: Uint8Array;
beforeAll(() => {
  runtime = stubRuntime();
  testBuild = testRuntime();
});

const exportNames = (wasm: Uint8Array): string[] => WebAssembly.Module.exports(new WebAssembly.Module(wasm)).map((e) => e.name);

describe('LEB128', () => {
  it.each([
    [0, [0]], [127, [127]], [128, [0x80, 1]], [624485, [0xe5, 0x8e, 0x26]], [2 ** 32 - 1, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ])('uleb(%i)', (n, bytes) => expect(uleb(n)).toEqual(bytes));
  it.each([
    [0, [0]], [63, [63]], [64, [0xc0, 0]], [-1, [0x7f]], [-64, [0x40]], [-65, [0xbf, 0x7f]], [2 ** 31 - 1, [0xff, 0xff, 0xff, 0xff, 0x07]],
  ])('sleb32(%i)', (n, bytes) => expect(sleb32(n)).toEqual(bytes));
});

describe('linkPolicyModule', () => {
  it.each([0, 1, 80, 4096, 65_537, 3_000_000])('splices a %i-byte table that the start function copies to the heap', (size) => {
    const table = randomBytes(size);
    const linked = linkPolicyModule(testBuild, table);
    expect(WebAssembly.validate(linked)).toBe(true);
    const names = exportNames(linked);
    expect(names).not.toContain('__claimguard_table_size');
    expect(names).not.toContain('__claimguard_table_copy');
    const m = new Raw(linked, new WebAssembly.Memory({ initial: 2 }));
    expect(m.fn('t_table_len')()).toBe(size);
    const p = m.fn('t_table_ptr')();
    if (size > 0) expect(Buffer.from(m.bytes.subarray(p, p + size)).equals(table)).toBe(true);
    // the table lives below the data heap pointer, i.e. it persists across evaluations
    expect(m.fn('opa_heap_ptr_get')()).toBeGreaterThanOrEqual(p + size);
  });

  it('keeps the imported memory minimum at 2 pages whatever the table size', () => {
    const linked = linkPolicyModule(runtime, randomBytes(3_000_000));
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(linked));
    expect(imports).toEqual([
      { module: 'env', name: 'opa_abort', kind: 'function' },
      { module: 'env', name: 'memory', kind: 'memory' },
    ]);
    // Loads with the SDK's 2-page test memory; the start function grows it for the table.
    const policy = opa.loadPolicySync(linked, { initial: 2 });
    expect(policy.evaluate({ a: 1 }, 'claimguard/allow')).toEqual([{ result: { a: 1 } }]);
  });

  it('is deterministic and does not modify its input', () => {
    const table = randomBytes(1000);
    const before = Buffer.from(runtime);
    const a = linkPolicyModule(runtime, table);
    const b = linkPolicyModule(runtime, table);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(runtime).equals(before)).toBe(true);
    expect(exportNames(a).sort()).toEqual(exportNames(runtime).filter((n) => !n.startsWith('__claimguard')).sort());
  });

  it('copies the table once: a second copy call would trap on the dropped segment', () => {
    // The linked module's only caller is policyInit in the start function; nothing re-exports it.
    const linked = linkPolicyModule(runtime, randomBytes(100));
    expect(exportNames(linked).some((n) => n.includes('table'))).toBe(false);
  });

  it('rejects an already linked module and non-wasm input with a code', () => {
    const linked = linkPolicyModule(runtime, new Uint8Array(4));
    expect(() => linkPolicyModule(linked, new Uint8Array(4))).toThrowError(expect.objectContaining({ code: 'PLACEHOLDER_MISSING' }));
    expect(() => linkPolicyModule(new Uint8Array([1, 2, 3]), new Uint8Array(4))).toThrowError(LinkError);
    expect(() => linkPolicyModule(runtime.subarray(0, runtime.length - 7), new Uint8Array(4))).toThrowError(
      expect.objectContaining({ code: 'INVALID_MODULE' }),
    );
  });
});
