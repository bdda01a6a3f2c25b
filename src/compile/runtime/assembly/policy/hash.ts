// The key and edge indexes' hashes, as the encoder computes them (src/compile/encode/format.ts:
// fnv1a, fmix32, edgeHash): 32-bit FNV-1a, then murmur3's finalizer.
import * as F from "./format";

// @ts-ignore: decorator
@inline export const FNV_START: u32 = F.HASH_FNV_OFFSET;

// @ts-ignore: decorator
@inline export function fnvStep(h: u32, c: u32): u32 {
  return (h ^ c) * F.HASH_FNV_PRIME;
}

export function fnv1a(p: usize, n: u32): u32 {
  let h = FNV_START;
  for (let i: u32 = 0; i < n; i++) h = fnvStep(h, <u32>load<u8>(p + i));
  return h;
}

export function fmix32(x: u32): u32 {
  x ^= x >> 16;
  x *= F.HASH_FMIX_1;
  x ^= x >> 13;
  x *= F.HASH_FMIX_2;
  x ^= x >> 16;
  return x;
}
