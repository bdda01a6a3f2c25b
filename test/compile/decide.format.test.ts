// The table layout has one definition, src/compile/encode/format.ts; the module's view of it,
// src/compile/runtime/assembly/policy/format.ts, is generated from it by scripts/gen-table-format.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as F from '../../src/compile/encode/format.js';
import { encodePolicyTable } from '../../src/compile/encode/index.js';
import { renderTableFormat, TARGET } from '../../scripts/gen-table-format.js';
import { policy, publicRoute } from '../support/ir-builders.js';

describe('policy table format', () => {
  it('the module’s format.ts is what scripts/gen-table-format.ts generates (run it after changing the encoder’s)', () => {
    expect(readFileSync(TARGET, 'utf8')).toBe(renderTableFormat());
  });

  it('every word a route or check record names is distinct within its record kind', () => {
    expect(new Set(Object.values(F.R)).size).toBe(Object.keys(F.R).length);
    expect(new Set(Object.values(F.OP)).size).toBe(Object.keys(F.OP).length);
    expect(new Set(F.CONSTS).size).toBe(F.CONSTS.length);
  });

  it('a table starts with its header and is 8-byte aligned', () => {
    const t = encodePolicyTable(policy([publicRoute('GET /')]));
    const v = new DataView(t.buffer, t.byteOffset);
    expect(v.getUint32(0, true)).toBe(F.TABLE_MAGIC);
    expect(v.getUint32(F.H.SIZE * 4, true)).toBe(t.length);
    expect(t.length % 8).toBe(0);
  });
});
