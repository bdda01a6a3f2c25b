// The table layout lives twice: src/compile/encode/format.ts (encoder) and its AssemblyScript
// mirror policy/format.ts (module). Every number the module reads must be the encoder's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as F from '../../src/compile/encode/format.js';
import { encodePolicyTable } from '../../src/compile/encode/index.js';
import { policy, publicRoute } from '../support/ir-builders.js';

const asSource = readFileSync(new URL('../../src/compile/runtime/assembly/policy/format.ts', import.meta.url), 'utf8');
const mirror = new Map<string, number>();
for (const m of asSource.matchAll(/^export const (\w+): u32 = ([^;]+);/gm)) {
  mirror.set(m[1]!, Function(`return (${m[2]!})`)() as number);
}
const asConst = (name: string): number => {
  const v = mirror.get(name);
  if (v === undefined) throw new Error(`policy/format.ts has no ${name}`);
  return v;
};

describe('policy table format: encoder and module agree', () => {
  it('magic, version, sizes and flags', () => {
    expect(asConst('TABLE_MAGIC')).toBe(F.TABLE_MAGIC);
    expect(asConst('TABLE_VERSION')).toBe(F.TABLE_VERSION);
    for (const k of [
      'KEY_SLOT_BYTES',
      'EDGE_SLOT_BYTES',
      'NODE_BYTES',
      'PARAM_GREEDY',
      'ROUTE_PUBLIC',
      'ROUTE_ANY',
      'NONE',
      'METHOD_ANY',
      'METHOD_COUNT',
      'HOLE_MIN',
      'HOLE_VALUE',
      'HOLE_NUMBER',
      'HOLE_PARAM',
      'HOLE_ROUTE',
    ] as const) {
      expect(asConst(k), k).toBe(F[k]);
    }
  });

  it.each(Object.entries(F.H))('header word %s', (name, word) => {
    expect(asConst(`H_${name}`)).toBe(word * 4);
  });

  it.each(Object.entries(F.R))('route word %s', (name, word) => {
    expect(asConst(`R_${name}`)).toBe(word * 4);
  });

  it.each(Object.entries(F.OP))('opcode %s', (name, op) => {
    expect(asConst(`OP_${name}`)).toBe(op);
  });

  it.each(Object.entries(F.W).filter(([n]) => n !== 'OP'))('record word %s', (name, word) => {
    expect(asConst(`W_${name}`)).toBe(name === 'M_FACTOR_WORDS' ? word : word * 4);
  });

  it('constants', () => {
    F.CONSTS.filter((n) => mirror.has(`C_${n}`)).forEach((n) => expect(asConst(`C_${n}`), n).toBe(F.C[n]));
    expect(asConst('C_COUNT')).toBe(F.CONSTS.length);
    expect(asConst('C_M_GET') + F.METHOD_ANY).toBe(F.C.M_ANY);
  });

  it('a table starts with its header and is 8-byte aligned', () => {
    const t = encodePolicyTable(policy([publicRoute('GET /')]));
    const v = new DataView(t.buffer, t.byteOffset);
    expect(v.getUint32(0, true)).toBe(F.TABLE_MAGIC);
    expect(v.getUint32(F.H.SIZE * 4, true)).toBe(t.length);
    expect(t.length % 8).toBe(0);
  });
});
