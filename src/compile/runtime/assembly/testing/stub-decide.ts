// Test-only stand-in for policy/decide.ts (the runtime's tests must not depend on the policy):
// test/compile/runtime-harness.ts builds a copy of the runtime with this file as policy/decide.ts.
//   entrypoint 0: {"stub":true,"input":<input or null>}   entrypoint 1: the input (null if undefined)
// policyInit copies the linked table (if any) into persistent memory, like the real policy.
import { malloc } from "../alloc";
import { bufAscii, bufValue } from "../buf";
import { ENTRYPOINT_DECISION } from "../entrypoints";
import { __claimguard_table_copy, __claimguard_table_size } from "../table";

let tablePtr: usize = 0;
let tableLen: u32 = 0;

export function policyInit(): void {
  tableLen = <u32>__claimguard_table_size();
  if (tableLen != 0) {
    tablePtr = malloc(tableLen);
    __claimguard_table_copy(tablePtr);
  }
}

export function policyEval(entrypoint: u32, input: usize, out: usize): void {
  if (entrypoint == ENTRYPOINT_DECISION) bufAscii(out, '{"stub":true,"input":');
  if (input == 0) bufAscii(out, "null");
  else bufValue(out, input);
  if (entrypoint == ENTRYPOINT_DECISION) bufAscii(out, "}");
}

export function stubTablePtr(): usize {
  return tablePtr;
}

export function stubTableLen(): u32 {
  return tableLen;
}
