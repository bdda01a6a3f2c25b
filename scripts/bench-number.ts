#!/usr/bin/env -S node --import tsx
// How long the policy module takes to write one computed number (bufNumber → writeNumber), on a
// few typical values and a few that take dtoa.ts's exact path. Builds the test variant of the
// runtime (test/compile/runtime-harness.ts), or loads one you name (to compare two versions),
// and times wasm calls from JS:
//   node --import tsx scripts/bench-number.ts [runtime-test.wasm]
// Each value: best of 9 rounds of 100,000 calls. "net" subtracts the best time of dumping NaN
// ("null": the same calls and buffer handling, no conversion), in rounds alternating with it.
import { readFileSync } from 'node:fs';
import { Raw, testRuntime } from '../test/compile/runtime-harness.js';

const wasmPath = process.argv[2];
const m = new Raw(wasmPath ? readFileSync(wasmPath) : testRuntime(), new WebAssembly.Memory({ initial: 2 }));
const bufNew = m.fn('t_buf_new');
const bufNumber = m.fn('t_buf_number');
const heapGet = m.fn('opa_heap_ptr_get');
const heapSet = m.fn('opa_heap_ptr_set');

const N = 100_000;
const ROUNDS = 9;
function timeCalls(x: number): number {
  const hp = heapGet();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const b = bufNew();
    bufNumber(b, x);
    heapSet(hp);
  }
  return Number(process.hrtime.bigint() - t0) / N;
}

const values: Array<[string, number]> = [
  ['12.5', 12.5],
  ['1712345678901', 1712345678901],
  ['0.1', 0.1],
  ['1e-7', 1e-7],
  ['123.456', 123.456],
  ['-2.1624745615342e+53', -2.1624745615342e53],
  ['1.7976931348623157e+308', Number.MAX_VALUE],
  ['5e-324', Number.MIN_VALUE],
  ['2.2250738585072014e-308', 2.2250738585072014e-308],
];
timeCalls(NaN); // warm up
for (const [label, x] of values) {
  timeCalls(x);
  // Rounds alternate with the NaN baseline, and each keeps its best: the machine's load drifts.
  let base = Infinity;
  let ns = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    base = Math.min(base, timeCalls(NaN));
    ns = Math.min(ns, timeCalls(x));
  }
  console.log(`${label.padEnd(26)} ${ns.toFixed(0).padStart(6)} ns   net ${(ns - base).toFixed(0).padStart(6)} ns (NaN → null: ${base.toFixed(0)} ns)`);
}
