// PLACEHOLDER: the policy engineer replaces this file with the decision evaluator.
// Contract: policyInit() runs once from the module start function (after heap init);
// policyEval(entrypoint, input (0 = undefined), out buf) appends the result value's JSON.
import { malloc } from "../alloc";
import { bufAscii } from "../buf";
import { __claimguard_table_copy, __claimguard_table_size } from "../table";

export function policyInit(): void {
  const n = <u32>__claimguard_table_size();
  if (n != 0) __claimguard_table_copy(malloc(n));
}

export function policyEval(entrypoint: u32, input: usize, out: usize): void {
  bufAscii(out, "null");
}
