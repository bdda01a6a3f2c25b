// The runtime's invariant assertions (`if (DEBUG) assert(…)`, src/compile/runtime/assembly/debug.ts)
// are compiled into the test builds only: the debug build catches a broken invariant with a message
// through opa_abort, and the shipped runtime carries none of it.
import { describe, expect, it } from 'vitest';
import * as F from '../../src/compile/encode/format.js';
import { W } from '../../src/compile/encode/checks.js';
import { encodePolicyTable } from '../../src/compile/encode/index.js';
import { linkPolicyModule } from '../../src/compile/link.js';
import { chk, input, policy, route } from '../support/ir-builders.js';
import { debugRuntimeWasm, runtimeWasm } from './policy-wasm.js';
import { opa } from './runtime-harness.js';

/** AssemblyScript keeps string literals as UTF-16 in the data section. */
const utf16 = (s: string): Buffer => Buffer.from(s, 'utf16le');
const contains = (wasm: Uint8Array, s: string): boolean => Buffer.from(wasm).includes(utf16(s));

const RULED_OUT = 'output: a failure the encoder ruled out was reported';

describe('debug build', () => {
  it('the debug build holds the invariant messages; the shipped runtime holds none of them', () => {
    for (const message of [RULED_OUT, 'value: not a container', 'table: string id out of range']) {
      expect(contains(debugRuntimeWasm(), message), message).toBe(true);
      expect(contains(runtimeWasm(), message), message).toBe(false);
    }
  });

  it('a table whose check reports a failure the encoder marked impossible aborts the debug build with the invariant’s message', () => {
    const ir = policy([route('GET /x', [chk.claimExists('org')])]);
    const table = encodePolicyTable(ir);
    // The route's one check: its "missing" reason becomes NONE, as for a failure that cannot happen.
    const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
    const u32 = (at: number): number => view.getUint32(at, true);
    const routeOff = u32(u32(F.H.ROUTES_DIR * 4));
    const program = u32(routeOff + F.R.PROGRAM * 4);
    const check = u32(program + F.BLOCK.ITEMS * 4);
    expect(u32(check + W.X_MISSING * 4)).not.toBe(F.NONE);
    view.setUint32(check + W.X_MISSING * 4, F.NONE, true);

    const doc = input('GET', '/x', { now: 1, token: { sub: 'u' } });
    const debug = opa.loadPolicySync(linkPolicyModule(debugRuntimeWasm(), table));
    expect(() => debug.evaluate(doc, 'claimguard/decision')).toThrow(RULED_OUT);
    // The same table with its reason intact decides normally.
    const intact = opa.loadPolicySync(linkPolicyModule(debugRuntimeWasm(), encodePolicyTable(ir)));
    expect(intact.evaluate(doc, 'claimguard/decision')[0]?.result).toMatchObject({ allow: false, status: 403 });
  });
});
