// Measurement build only (scripts/measure-decide.ts builds it with --entry; never shipped): the ABI
// module plus a loop that runs the decision on an already parsed input, so its cost can be told
// apart from parsing the input and from the host's glue.
export * from "../abi";
import { heapPtrGet, heapPtrSet } from "../alloc";
import { bufLen, bufNew } from "../buf";
import { policyEval } from "./decide";

/** Runs `iterations` decisions on the input value; returns the last output's length. */
export function bench_policy_eval(entrypoint: u32, input: usize, iterations: u32): u32 {
  const mark = heapPtrGet();
  let n: u32 = 0;
  for (let i: u32 = 0; i < iterations; i++) {
    heapPtrSet(mark);
    const out = bufNew(1024);
    policyEval(entrypoint, input, out);
    n = bufLen(out);
  }
  heapPtrSet(mark);
  return n;
}
