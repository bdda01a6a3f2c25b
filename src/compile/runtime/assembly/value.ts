// Values on the ABI heap. Every value starts with a u32 tag; the rest depends on the tag:
//   NULL   [tag]
//   BOOL   [tag][b u32]
//   NUMBER [tag][textLen u32][f64 @8][literal text @16]         (text kept for dumps)
//   STRING [tag][len u32][bytes ptr @8][inline bytes @12]        (UTF-8; lone surrogates as WTF-8)
//   ARRAY, SET  [tag][len u32][cap u32][items ptr @12][inline u32 items @16]
//   OBJECT      [tag][len u32][cap u32][entries ptr @12][inline (key, value) u32 pairs @16]
// Objects keep their entries as written, duplicates included; lookups take the LAST entry with a
// key, which is what JS JSON.parse gives. Values are never mutated during an evaluation.
import { mallocFast } from "./alloc";

export const TAG_NULL: u32 = 1;
export const TAG_BOOL: u32 = 2;
export const TAG_NUMBER: u32 = 3;
export const TAG_STRING: u32 = 4;
export const TAG_ARRAY: u32 = 5;
export const TAG_OBJECT: u32 = 6;
export const TAG_SET: u32 = 7;

export { parseJson, parseValue } from "./parse";

// ---------------------------------------------------------------------------------------------
// Accessors

export function valueTag(v: usize): u32 {
  return load<u32>(v);
}

export function boolValue(v: usize): bool {
  return load<u32>(v) == TAG_BOOL && load<u32>(v, 4) != 0;
}

/** Bytes of a string value (0 for any other value). */
export function stringPtr(v: usize): usize {
  return load<u32>(v) == TAG_STRING ? <usize>load<u32>(v, 8) : 0;
}

/** Byte length of a string value (0 for any other value). */
export function stringLen(v: usize): u32 {
  return load<u32>(v) == TAG_STRING ? load<u32>(v, 4) : 0;
}

/** The number's double (NaN for any other value). */
export function numberF64(v: usize): f64 {
  return load<u32>(v) == TAG_NUMBER ? load<f64>(v, 8) : NaN;
}

export function numberTextPtr(v: usize): usize {
  return v + 16;
}

export function numberTextLen(v: usize): u32 {
  return load<u32>(v, 4);
}

/** Element count of an array or set (0 for any other value). */
export function arrayLen(v: usize): u32 {
  const t = load<u32>(v);
  return t == TAG_ARRAY || t == TAG_SET ? load<u32>(v, 4) : 0;
}

export function arrayGet(v: usize, i: u32): usize {
  return <usize>load<u32>(<usize>load<u32>(v, 12) + (<usize>i << 2));
}

/** Entry count of an object as written, duplicates included (0 for any other value). */
export function objectLen(v: usize): u32 {
  return load<u32>(v) == TAG_OBJECT ? load<u32>(v, 4) : 0;
}

export function objectKeyAt(v: usize, i: u32): usize {
  return <usize>load<u32>(<usize>load<u32>(v, 12) + (<usize>i << 3));
}

export function objectValueAt(v: usize, i: u32): usize {
  return <usize>load<u32>(<usize>load<u32>(v, 12) + (<usize>i << 3), 4);
}

export function bytesEqual(a: usize, aLen: u32, b: usize, bLen: u32): bool {
  if (aLen != bLen) return false;
  if (a == b) return true;
  // Keys and claim values are short: compare words inline rather than call memory.compare.
  let n = <usize>aLen;
  while (n >= 8) {
    if (load<u64>(a) != load<u64>(b)) return false;
    a += 8;
    b += 8;
    n -= 8;
  }
  while (n > 0) {
    if (load<u8>(a) != load<u8>(b)) return false;
    a++;
    b++;
    n--;
  }
  return true;
}

/** Value of the LAST entry whose key is the string `key`; 0 if none (or `v` is not an object). */
export function objectGet(v: usize, key: usize, keyLen: u32): usize {
  if (load<u32>(v) != TAG_OBJECT) return 0;
  const entries = <usize>load<u32>(v, 12);
  for (let i = <i32>load<u32>(v, 4) - 1; i >= 0; i--) {
    const k = <usize>load<u32>(entries + (<usize>i << 3));
    if (load<u32>(k) == TAG_STRING && load<u32>(k, 4) == keyLen && bytesEqual(<usize>load<u32>(k, 8), keyLen, key, keyLen)) {
      return <usize>load<u32>(entries + (<usize>i << 3), 4);
    }
  }
  return 0;
}

/** Index of the last entry whose key equals value `k`, or -1. */
export function objectLastIndexOf(v: usize, k: usize): i32 {
  const entries = <usize>load<u32>(v, 12);
  for (let i = <i32>load<u32>(v, 4) - 1; i >= 0; i--) {
    if (valueEquals(<usize>load<u32>(entries + (<usize>i << 3)), k)) return i;
  }
  return -1;
}

function isLastKey(v: usize, i: u32): bool {
  const entries = <usize>load<u32>(v, 12);
  const k = <usize>load<u32>(entries + (<usize>i << 3));
  const n = load<u32>(v, 4);
  for (let j = i + 1; j < n; j++) {
    if (valueEquals(<usize>load<u32>(entries + (<usize>j << 3)), k)) return false;
  }
  return true;
}

/**
 * JSON value equality: numbers by f64 (so -0 == 0), strings bytewise, arrays elementwise, sets as
 * sets, objects as JS sees them after JSON.parse (last duplicate wins; equal iff same key set and
 * equal values). Quadratic in the entries of each compared object or set, never worse.
 */
export function valueEquals(a: usize, b: usize): bool {
  if (a == b) return true;
  const t = load<u32>(a);
  if (t != load<u32>(b)) return false;
  switch (t) {
    case TAG_NULL:
      return true;
    case TAG_BOOL:
      return (load<u32>(a, 4) != 0) == (load<u32>(b, 4) != 0);
    case TAG_NUMBER:
      return load<f64>(a, 8) == load<f64>(b, 8);
    case TAG_STRING:
      return bytesEqual(<usize>load<u32>(a, 8), load<u32>(a, 4), <usize>load<u32>(b, 8), load<u32>(b, 4));
    case TAG_ARRAY: {
      const n = load<u32>(a, 4);
      if (n != load<u32>(b, 4)) return false;
      const ia = <usize>load<u32>(a, 12), ib = <usize>load<u32>(b, 12);
      for (let i: u32 = 0; i < n; i++) {
        if (!valueEquals(<usize>load<u32>(ia + (<usize>i << 2)), <usize>load<u32>(ib + (<usize>i << 2)))) return false;
      }
      return true;
    }
    case TAG_SET: {
      // Sets are deduplicated when built, so equal sizes + inclusion is equality.
      const n = load<u32>(a, 4);
      if (n != load<u32>(b, 4)) return false;
      for (let i: u32 = 0; i < n; i++) {
        if (!setContains(b, arrayGet(a, i))) return false;
      }
      return true;
    }
    case TAG_OBJECT: {
      const na = load<u32>(a, 4), nb = load<u32>(b, 4);
      let distinctA: u32 = 0;
      for (let i: u32 = 0; i < na; i++) {
        if (!isLastKey(a, i)) continue;
        distinctA++;
        const j = objectLastIndexOf(b, objectKeyAt(a, i));
        if (j < 0 || !valueEquals(objectValueAt(a, i), objectValueAt(b, <u32>j))) return false;
      }
      if (na == nb && distinctA == na) return true;
      let distinctB: u32 = 0;
      for (let i: u32 = 0; i < nb; i++) if (isLastKey(b, i)) distinctB++;
      return distinctA == distinctB;
    }
  }
  return false;
}

// @ts-ignore: decorator
@inline
function mix(h: u64): u64 {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccd;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53;
  h ^= h >> 33;
  return h;
}

/**
 * A hash consistent with valueEquals (equal values hash equal): numbers by double (-0 as 0),
 * arrays in order, sets order-independently, objects by their key set only (a 64-bit Bloom-style
 * OR of key hashes, which duplicate keys do not change).
 */
export function valueHash(v: usize): u64 {
  const t = load<u32>(v);
  switch (t) {
    case TAG_NULL:
      return 0x9e3779b97f4a7c15;
    case TAG_BOOL:
      return load<u32>(v, 4) != 0 ? 0x2545f4914f6cdd1d : 0x7a646e4d6f6e6b79;
    case TAG_NUMBER: {
      const x = load<f64>(v, 8);
      return mix(reinterpret<u64>(x == 0 ? 0.0 : x) ^ 3);
    }
    case TAG_STRING: {
      let h: u64 = 0xcbf29ce484222325;
      const p = <usize>load<u32>(v, 8);
      const n = load<u32>(v, 4);
      for (let i: u32 = 0; i < n; i++) h = (h ^ <u64>load<u8>(p + i)) * 0x100000001b3;
      return mix(h ^ 4);
    }
    case TAG_ARRAY: {
      let h: u64 = 5;
      const n = load<u32>(v, 4);
      for (let i: u32 = 0; i < n; i++) h = mix(h * 31 + valueHash(arrayGet(v, i)));
      return h;
    }
    case TAG_SET: {
      let h: u64 = 7;
      const n = load<u32>(v, 4);
      for (let i: u32 = 0; i < n; i++) h += valueHash(arrayGet(v, i));
      return mix(h);
    }
    case TAG_OBJECT: {
      let bloom: u64 = 6;
      const n = load<u32>(v, 4);
      for (let i: u32 = 0; i < n; i++) bloom |= <u64>1 << (valueHash(objectKeyAt(v, i)) & 63);
      return mix(bloom);
    }
  }
  return 0;
}

export function setContains(s: usize, x: usize): bool {
  const n = load<u32>(s, 4);
  const items = <usize>load<u32>(s, 12);
  for (let i: u32 = 0; i < n; i++) if (valueEquals(<usize>load<u32>(items + (<usize>i << 2)), x)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Constructors (runtime-internal: the policy only reads values)

/**
 * memory.copy for the short, non-overlapping runs values are made of (keys, UUIDs, item lists):
 * word moves inline, since V8 calls out of line for the bulk-memory instruction.
 */
// @ts-ignore: decorator
@inline
export function copyBytes(d: usize, s: usize, n: usize): void {
  if (n > 64) {
    memory.copy(d, s, n);
    return;
  }
  while (n >= 8) {
    store<u64>(d, load<u64>(s));
    d += 8;
    s += 8;
    n -= 8;
  }
  if (n >= 4) {
    store<u32>(d, load<u32>(s));
    d += 4;
    s += 4;
    n -= 4;
  }
  while (n > 0) {
    store<u8>(d, load<u8>(s));
    d++;
    s++;
    n--;
  }
}

export function newNull(): usize {
  const v = mallocFast(4);
  store<u32>(v, TAG_NULL);
  return v;
}

export function newBool(b: bool): usize {
  const v = mallocFast(8);
  store<u32>(v, TAG_BOOL);
  store<u32>(v, b ? 1 : 0, 4);
  return v;
}

/** A string value with room for `cap` inline bytes; length 0 until set with `setStringLen`. */
export function newStringCap(cap: u32): usize {
  const v = mallocFast(12 + cap);
  store<u32>(v, TAG_STRING);
  store<u32>(v, 0, 4);
  store<u32>(v, <u32>(v + 12), 8);
  return v;
}

export function setStringLen(v: usize, n: u32): void {
  store<u32>(v, n, 4);
}

export function newString(p: usize, n: u32): usize {
  const v = mallocFast(12 + n);
  store<u32>(v, TAG_STRING);
  store<u32>(v, n, 4);
  store<u32>(v, <u32>(v + 12), 8);
  copyBytes(v + 12, p, n);
  return v;
}

export function newNumber(text: usize, n: u32, x: f64): usize {
  const v = mallocFast(16 + n);
  store<u32>(v, TAG_NUMBER);
  store<u32>(v, n, 4);
  store<f64>(v, x, 8);
  copyBytes(v + 16, text, n);
  return v;
}

/** An array or set with `n` inline item slots, copied from `items` (u32 value addresses). */
export function newArray(tag: u32, items: usize, n: u32): usize {
  const v = mallocFast(16 + (n << 2));
  store<u32>(v, tag);
  store<u32>(v, n, 4);
  store<u32>(v, n, 8);
  store<u32>(v, <u32>(v + 16), 12);
  copyBytes(v + 16, items, <usize>n << 2);
  return v;
}

/** An object with `n` entries copied from `pairs` ((key, value) u32 pairs) and room for `cap`. */
export function newObject(pairs: usize, n: u32, cap: u32): usize {
  if (cap < n) cap = n;
  const v = mallocFast(16 + (cap << 3));
  store<u32>(v, TAG_OBJECT);
  store<u32>(v, n, 4);
  store<u32>(v, cap, 8);
  store<u32>(v, <u32>(v + 16), 12);
  copyBytes(v + 16, pairs, <usize>n << 3);
  return v;
}
