// Host imports and fatal errors. The module imports exactly `env.memory` and `env.opa_abort`.

// @ts-ignore: decorator
@external("env", "opa_abort")
declare function opa_abort(addr: usize): void;

// Scratch for NUL-terminated abort messages (the JS SDK decodes them byte-wise: ASCII only).
const ABORT_BUF = memory.data(256);

/** Calls `opa_abort` with an ASCII message; never returns. */
export function fatal(msg: string): void {
  let n = <u32>msg.length;
  if (n > 255) n = 255;
  const src = changetype<usize>(msg);
  for (let i: u32 = 0; i < n; i++) store<u8>(ABORT_BUF + i, <u8>load<u16>(src + (<usize>i << 1)));
  store<u8>(ABORT_BUF + n, 0);
  opa_abort(ABORT_BUF);
  unreachable();
}

/** Replacement for AssemblyScript's `abort` (wired with `--use abort=…/cgAbort`). */
export function cgAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  fatal(message !== null ? message : "internal: abort");
}
