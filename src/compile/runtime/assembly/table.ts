// Placeholders for the compiled route table. `linkPolicyModule` (src/compile/link.ts) replaces
// both bodies in the built module: size → `i32.const N`; copy → `memory.init <table segment>`
// of N bytes to `dst`, then `data.drop`; and removes the two exports. The policy calls them
// once, from policyInit (start function), so the table lands in persistent memory.
//
// Each body makes a call to an import (fatal → opa_abort) behind a condition the optimizer
// cannot decide, so binaryen never inlines the placeholders into their callers (an inlined
// copy would survive the splice and still say "no table").
import { fatal } from "./env";

const TABLE_GUARD = memory.data(8);

export function __claimguard_table_size(): usize {
  if (load<u32>(TABLE_GUARD) == 0x5441424c) fatal("internal: table placeholder");
  return <usize>load<u32>(TABLE_GUARD, 4);
}

export function __claimguard_table_copy(dst: usize): void {
  if (load<u32>(TABLE_GUARD) == 0x5441424c) fatal("internal: table placeholder");
  store<u32>(TABLE_GUARD, <u32>dst, 4);
}
