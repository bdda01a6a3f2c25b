// A growable byte buffer on the ABI heap: a ByteBuffer header (data, len, cap) and its data block.
// Growth extends in place when the data block is the heap's top block (the common case while
// dumping), otherwise reallocates.
import { malloc, realloc, tryExtend } from "./alloc";
import { DEBUG } from "./debug";
import { fatal } from "./env";
import { dumpValue } from "./dump";
import { writeNumber } from "./dtoa";

// @ts-ignore: decorator
@unmanaged class ByteBuffer {
  data: usize;
  len: u32;
  cap: u32;
}

// @ts-ignore: decorator
@inline function buffer(b: usize): ByteBuffer {
  return changetype<ByteBuffer>(b);
}

export function bufNew(cap: u32): usize {
  if (cap < 16) cap = 16;
  const b = malloc(offsetof<ByteBuffer>());
  const h = buffer(b);
  h.data = malloc(cap);
  h.len = 0;
  h.cap = cap;
  return b;
}

export function bufPtr(b: usize): usize {
  return buffer(b).data;
}

export function bufLen(b: usize): u32 {
  return buffer(b).len;
}

/** Takes back what was written after length `n` (n ≤ the current length). */
export function bufSetLen(b: usize, n: u32): void {
  if (DEBUG) assert(n <= buffer(b).len, "buf: set length beyond the written bytes");
  buffer(b).len = n;
}

/** Makes room for `n` more bytes; returns the write address. */
// @ts-ignore: decorator
@inline
export function bufReserve(b: usize, n: u32): usize {
  const h = buffer(b);
  const len = h.len;
  if (h.cap - len < n) bufGrow(b, n);
  return h.data + len;
}

function bufGrow(b: usize, n: u32): void {
  const h = buffer(b);
  const len = h.len;
  const cap = h.cap;
  const data = h.data;
  const need: u64 = <u64>len + n;
  if (need > 0xfffffff0) fatal("opa_malloc: failed");
  // At the top of the heap: extend in place by what is needed plus some slack (no copy, and
  // no doubling, so a large dump needs little more memory than its own size).
  const slack: u64 = need >> 4 < 4096 ? 4096 : need >> 4;
  const inPlace = need + slack > 0xfffffff0 ? need : need + slack;
  if (tryExtend(data, <u32>inPlace)) {
    h.cap = <u32>inPlace;
    return;
  }
  let want: u64 = <u64>cap << 1;
  if (want < need) want = need;
  if (want > 0xfffffff0) want = need;
  h.data = realloc(data, len, <u32>want);
  h.cap = <u32>want;
}

/** Counts `n` bytes written at the address bufReserve returned. */
// @ts-ignore: decorator
@inline
export function bufAdvance(b: usize, n: u32): void {
  const h = buffer(b);
  if (DEBUG) assert(h.cap - h.len >= n, "buf: advance beyond the reserved bytes");
  h.len += n;
}

export function bufByte(b: usize, c: u32): void {
  const p = bufReserve(b, 1);
  store<u8>(p, <u8>c);
  bufAdvance(b, 1);
}

export function bufBytes(b: usize, p: usize, n: u32): void {
  const d = bufReserve(b, n);
  memory.copy(d, p, n);
  bufAdvance(b, n);
}

/** Appends a compile-time string literal, ASCII only (one byte per UTF-16 unit). */
export function bufAscii(b: usize, s: string): void {
  const n = <u32>s.length;
  const d = bufReserve(b, n);
  const src = changetype<usize>(s);
  for (let i: u32 = 0; i < n; i++) store<u8>(d + i, <u8>load<u16>(src + (<usize>i << 1)));
  bufAdvance(b, n);
}

const HEX = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

/**
 * Appends bytes as a quoted JSON string. Escapes `"`, `\`, control characters (`\n \r \t` short,
 * others `\u00xx`) and WTF-8 encoded lone surrogates (ED A0..BF xx) as `\udxxx`; everything else
 * passes through as raw UTF-8.
 */
export function bufJsonString(b: usize, p: usize, n: u32): void {
  bufByte(b, 0x22);
  const end = p + n;
  while (p < end) {
    // Reserve per chunk: at most 6 output bytes per input byte (a 3-byte surrogate may overshoot).
    const chunkEnd = end - p > 1024 ? p + 1024 : end;
    let d = bufReserve(b, <u32>(chunkEnd - p) * 6 + 16);
    const start = d;
    while (p < chunkEnd) {
      const c = <u32>load<u8>(p);
      if (c >= 0x20 && c != 0x22 && c != 0x5c && c != 0xed) {
        store<u8>(d++, <u8>c);
        p++;
        continue;
      }
      if (c == 0x22 || c == 0x5c) {
        store<u8>(d, 0x5c);
        store<u8>(d, <u8>c, 1);
        d += 2;
        p++;
      } else if (c == 0xed) {
        const c1 = p + 1 < end ? <u32>load<u8>(p + 1) : 0;
        if (c1 >= 0xa0 && c1 <= 0xbf && p + 2 < end) {
          const cp = 0xd000 | ((c1 & 0x3f) << 6) | (<u32>load<u8>(p + 2) & 0x3f);
          store<u8>(d, 0x5c);
          store<u8>(d, 0x75, 1);
          store<u8>(d, load<u8>(HEX + ((cp >> 12) & 15)), 2);
          store<u8>(d, load<u8>(HEX + ((cp >> 8) & 15)), 3);
          store<u8>(d, load<u8>(HEX + ((cp >> 4) & 15)), 4);
          store<u8>(d, load<u8>(HEX + (cp & 15)), 5);
          d += 6;
          p += 3;
        } else {
          store<u8>(d++, <u8>c);
          p++;
        }
      } else {
        store<u8>(d, 0x5c);
        if (c == 0x0a) { store<u8>(d, 0x6e, 1); d += 2; }
        else if (c == 0x0d) { store<u8>(d, 0x72, 1); d += 2; }
        else if (c == 0x09) { store<u8>(d, 0x74, 1); d += 2; }
        else {
          store<u8>(d, 0x75, 1);
          store<u8>(d, 0x30, 2);
          store<u8>(d, 0x30, 3);
          store<u8>(d, load<u8>(HEX + (c >> 4)), 4);
          store<u8>(d, load<u8>(HEX + (c & 15)), 5);
          d += 6;
        }
        p++;
      }
    }
    bufAdvance(b, <u32>(d - start));
  }
  bufByte(b, 0x22);
}

/** Appends a computed double as JSON.stringify would accept it back exactly; non-finite → null, -0 → 0. */
export function bufNumber(b: usize, x: f64): void {
  const d = bufReserve(b, 32);
  bufAdvance(b, writeNumber(d, x));
}

/** Appends the JSON text of a value (parsed numbers keep their literal text; sets dump as arrays). */
export function bufValue(b: usize, v: usize): void {
  dumpValue(b, v, false);
}
