// The request path in canonical form (src/decision/path.ts), on UTF-8 bytes, split into segments.
// The reference refuses code units < 0x20, 0x7f..0x9f, `\` and `%`; in UTF-8 those are bytes
// < 0x20, 0x7f, 0x5c, 0x25 and the pairs C2 80..C2 9F. Empty, `.` and `..` segments are refused.
import { malloc } from "../alloc";
import { DEBUG } from "../debug";
import { Eval } from "./state";
import { FNV_START, fnvStep } from "./hash";

/** One segment of the request path: where its bytes are, and their FNV-1a (for the edge index). */
// @ts-ignore: decorator
@unmanaged class Segment {
  start: usize;
  len: u32;
  hash: u32;
}

// @ts-ignore: decorator
@inline function segment(i: u32): Segment {
  if (DEBUG) assert(i < Eval.segmentCount, "path: segment out of range");
  return changetype<Segment>(Eval.segments + <usize>i * offsetof<Segment>());
}
// @ts-ignore: decorator
@inline export function segmentStart(i: u32): usize {
  return segment(i).start;
}
// @ts-ignore: decorator
@inline export function segmentLen(i: u32): u32 {
  return segment(i).len;
}
// @ts-ignore: decorator
@inline export function segmentHash(i: u32): u32 {
  return segment(i).hash;
}

/** Checks the path's canonical form and sets Eval's segments; false when the path is refused. */
export function splitPath(p: usize, n: u32): bool {
  if (n == 0 || load<u8>(p) != 0x2f) return false;
  let slashes: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c < 0x20 || c == 0x7f || c == 0x5c || c == 0x25) return false;
    if (c == 0xc2 && i + 1 < n) {
      const d = <u32>load<u8>(p + i + 1);
      if (d >= 0x80 && d <= 0x9f) return false;
    }
    if (c == 0x2f) slashes++;
  }
  const end = p + n;
  Eval.pathEnd = end;
  if (n == 1) {
    Eval.segmentCount = 0;
    return true;
  }
  Eval.segmentCount = slashes;
  Eval.segments = malloc(slashes * offsetof<Segment>());
  let k: u32 = 0;
  let start: usize = p + 1;
  let h = FNV_START;
  for (let q: usize = p + 1; ; q++) {
    if (q == end || load<u8>(q) == 0x2f) {
      const len = <u32>(q - start);
      if (len == 0) return false;
      if (load<u8>(start) == 0x2e && (len == 1 || (len == 2 && load<u8>(start + 1) == 0x2e))) return false;
      const s = segment(k);
      s.start = start;
      s.len = len;
      s.hash = h;
      k++;
      if (q == end) break;
      start = q + 1;
      h = FNV_START;
    } else {
      h = fnvStep(h, <u32>load<u8>(q));
    }
  }
  if (DEBUG) assert(k == slashes, "path: segment count");
  return true;
}
