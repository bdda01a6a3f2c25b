// Invariant checks. The tests build the runtime without asc's --noAssert (scripts/build-runtime.js
// --debug): there DEBUG is true and `if (DEBUG) assert(…, "…")` checks run, a failed one aborting
// through opa_abort with its message. The shipped runtime is built with --noAssert, where DEBUG is
// a false constant and every such block, with whatever it computes, is compiled out.

// @ts-ignore: decorator
@inline export const DEBUG: bool = !ASC_NO_ASSERT;
