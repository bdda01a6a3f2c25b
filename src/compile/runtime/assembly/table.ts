// Placeholders for the compiled route table. `linkPolicyModule` (src/compile/link.ts) replaces
// both bodies in the built module: size → `i32.const N`; copy → `memory.init <table segment>`
// of N bytes to `dst`, then `data.drop`; and removes the two exports. The policy calls them
// once, from policyInit (start function), so the table lands in persistent memory.
// scripts/build-runtime.js marks both functions no-inline for binaryen: an inlined copy would
// survive the splice and still report "no table". Unlinked, the size is 0.

const TABLE_PLACEHOLDER = memory.data(8);

export function __claimguard_table_size(): usize {
  return <usize>load<u32>(TABLE_PLACEHOLDER);
}

export function __claimguard_table_copy(dst: usize): void {
  store<u32>(TABLE_PLACEHOLDER, <u32>dst, 4);
}
