// Values on the ABI heap. Every value starts with a u32 tag; the rest depends on the tag, as the
// @unmanaged classes below lay it out (field offsets are theirs, never written as numbers):
//   NULL          ValueHeader
//   BOOL          BoolValue       (value: 0 or 1)
//   NUMBER        NumberValue     (the f64 at 8), then the literal text inline (kept for dumps)
//   STRING        StringValue     (UTF-8; lone surrogates as WTF-8), the bytes inline unless `bytes`
//                                 points elsewhere
//   ARRAY, SET    ContainerValue  items: u32 value addresses, inline up to `cap` unless moved
//   OBJECT        ContainerValue  items: ObjectEntry (key, value) pairs, same storage rule
// Objects keep their entries as written, duplicates included; lookups take the LAST entry with a
// key, which is what JS JSON.parse gives. Values are never mutated during an evaluation; only the
// ABI's data patching (abi.ts) grows or shrinks an object, through the accessors here.
// Every other file reads and writes values through these functions, as AssemblyScript's own
// allocator (std/assembly/rt/tlsf.ts) does for its blocks.
import { mallocFast } from "./alloc";
import { DEBUG } from "./debug";

export const TAG_NULL: u32 = 1;
export const TAG_BOOL: u32 = 2;
export const TAG_NUMBER: u32 = 3;
export const TAG_STRING: u32 = 4;
export const TAG_ARRAY: u32 = 5;
export const TAG_OBJECT: u32 = 6;
export const TAG_SET: u32 = 7;

export { parseJson, parseValue } from "./parse";

// ---------------------------------------------------------------------------------------------
// Layout

// @ts-ignore: decorator
@unmanaged class ValueHeader {
  tag: u32;
}

// @ts-ignore: decorator
@unmanaged class BoolValue {
  tag: u32;
  value: u32;
}

// @ts-ignore: decorator
@unmanaged class NumberValue {
  tag: u32;
  textLen: u32;
  value: f64;
  // the literal text follows, textLen bytes
}

// @ts-ignore: decorator
@unmanaged class StringValue {
  tag: u32;
  len: u32;
  bytes: usize;
  // inline bytes follow
}

/** Arrays, sets and objects: `len` items of `cap` at `items` (inline storage follows). */
// @ts-ignore: decorator
@unmanaged class ContainerValue {
  tag: u32;
  len: u32;
  cap: u32;
  items: usize;
}

/** An object's entry. */
// @ts-ignore: decorator
@unmanaged class ObjectEntry {
  key: usize;
  value: usize;
}

/** An array or set item: a value address. */
export const ITEM_BYTES: u32 = sizeof<u32>();
export const ENTRY_BYTES: u32 = offsetof<ObjectEntry>();

// @ts-ignore: decorator
@inline function header(v: usize): ValueHeader {
  return changetype<ValueHeader>(v);
}
// @ts-ignore: decorator
@inline function asBool(v: usize): BoolValue {
  return changetype<BoolValue>(v);
}
// @ts-ignore: decorator
@inline function asNumber(v: usize): NumberValue {
  return changetype<NumberValue>(v);
}
// @ts-ignore: decorator
@inline function asString(v: usize): StringValue {
  return changetype<StringValue>(v);
}
// @ts-ignore: decorator
@inline function asContainer(v: usize): ContainerValue {
  if (DEBUG) {
    const t = header(v).tag;
    assert(t == TAG_ARRAY || t == TAG_SET || t == TAG_OBJECT, "value: not a container");
  }
  return changetype<ContainerValue>(v);
}
// @ts-ignore: decorator
@inline function asEntry(e: usize): ObjectEntry {
  return changetype<ObjectEntry>(e);
}

// ---------------------------------------------------------------------------------------------
// Reading (the policy's API: every reader checks the tag)

export function valueTag(v: usize): u32 {
  return header(v).tag;
}

export function boolValue(v: usize): bool {
  return header(v).tag == TAG_BOOL && asBool(v).value != 0;
}

/** Bytes of a string value (0 for any other value). */
export function stringPtr(v: usize): usize {
  return header(v).tag == TAG_STRING ? asString(v).bytes : 0;
}

/** Byte length of a string value (0 for any other value). */
export function stringLen(v: usize): u32 {
  return header(v).tag == TAG_STRING ? asString(v).len : 0;
}

/** The number's double (NaN for any other value). */
export function numberF64(v: usize): f64 {
  return header(v).tag == TAG_NUMBER ? asNumber(v).value : NaN;
}

/** The number's literal text, as parsed (a NUMBER value only). */
export function numberTextPtr(v: usize): usize {
  return v + offsetof<NumberValue>();
}

export function numberTextLen(v: usize): u32 {
  return asNumber(v).textLen;
}

/** Element count of an array or set (0 for any other value). */
export function arrayLen(v: usize): u32 {
  const t = header(v).tag;
  return t == TAG_ARRAY || t == TAG_SET ? changetype<ContainerValue>(v).len : 0;
}

/** Item `i` of an array or set (`i` < arrayLen). */
export function arrayGet(v: usize, i: u32): usize {
  return itemAt(asContainer(v).items, i);
}

/** Entry count of an object as written, duplicates included (0 for any other value). */
export function objectLen(v: usize): u32 {
  return header(v).tag == TAG_OBJECT ? changetype<ContainerValue>(v).len : 0;
}

export function objectKeyAt(v: usize, i: u32): usize {
  return entryKey(entryAt(asContainer(v).items, i));
}

export function objectValueAt(v: usize, i: u32): usize {
  return entryValue(entryAt(asContainer(v).items, i));
}

// ---------------------------------------------------------------------------------------------
// Raw access for the runtime's own code (dumps, data patching, freeing): no tag checks.

/** A container's item or entry count. */
// @ts-ignore: decorator
@inline export function containerLen(v: usize): u32 {
  return asContainer(v).len;
}
// @ts-ignore: decorator
@inline export function setContainerLen(v: usize, n: u32): void {
  if (DEBUG) assert(n <= asContainer(v).cap, "value: length above capacity");
  asContainer(v).len = n;
}
// @ts-ignore: decorator
@inline export function containerCap(v: usize): u32 {
  return asContainer(v).cap;
}
/** Where a container's items (or entries) are. */
// @ts-ignore: decorator
@inline export function containerItems(v: usize): usize {
  return asContainer(v).items;
}
/** Where a container's inline storage is (its items, unless they moved out). */
// @ts-ignore: decorator
@inline export function containerInline(v: usize): usize {
  return v + offsetof<ContainerValue>();
}
/** Moves a container's items to `items`, with room for `cap`. */
// @ts-ignore: decorator
@inline export function setContainerStorage(v: usize, items: usize, cap: u32): void {
  const c = asContainer(v);
  if (DEBUG) assert(cap >= c.len, "value: storage below length");
  c.items = items;
  c.cap = cap;
}

/** Item `i` of an item list (arrays, sets). */
// @ts-ignore: decorator
@inline export function itemAt(items: usize, i: u32): usize {
  return <usize>load<u32>(items + <usize>i * ITEM_BYTES);
}
/** The address of entry `i` of an entry list (objects). */
// @ts-ignore: decorator
@inline export function entryAt(entries: usize, i: u32): usize {
  return entries + <usize>i * offsetof<ObjectEntry>();
}
// @ts-ignore: decorator
@inline export function entryKey(e: usize): usize {
  return asEntry(e).key;
}
// @ts-ignore: decorator
@inline export function entryValue(e: usize): usize {
  return asEntry(e).value;
}
// @ts-ignore: decorator
@inline export function setEntry(e: usize, key: usize, value: usize): void {
  asEntry(e).key = key;
  asEntry(e).value = value;
}
// @ts-ignore: decorator
@inline export function setEntryValue(e: usize, value: usize): void {
  asEntry(e).value = value;
}
/** Copies entry `from` over entry `to` (both of one list). */
// @ts-ignore: decorator
@inline export function copyEntry(to: usize, from: usize): void {
  asEntry(to).key = asEntry(from).key;
  asEntry(to).value = asEntry(from).value;
}

/** A string's bytes and length, its tag unchecked (a value known to be a string). */
// @ts-ignore: decorator
@inline export function rawStringPtr(v: usize): usize {
  return asString(v).bytes;
}
// @ts-ignore: decorator
@inline export function rawStringLen(v: usize): u32 {
  return asString(v).len;
}
// @ts-ignore: decorator
@inline export function rawBool(v: usize): bool {
  return asBool(v).value != 0;
}
// @ts-ignore: decorator
@inline export function rawNumber(v: usize): f64 {
  return asNumber(v).value;
}

// ---------------------------------------------------------------------------------------------
// Comparing

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
  if (header(v).tag != TAG_OBJECT) return 0;
  const entries = containerItems(v);
  for (let i = <i32>containerLen(v) - 1; i >= 0; i--) {
    const e = entryAt(entries, <u32>i);
    const k = entryKey(e);
    if (header(k).tag == TAG_STRING && rawStringLen(k) == keyLen && bytesEqual(rawStringPtr(k), keyLen, key, keyLen)) {
      return entryValue(e);
    }
  }
  return 0;
}

/** Index of the last entry whose key equals value `k`, or -1. */
export function objectLastIndexOf(v: usize, k: usize): i32 {
  const entries = containerItems(v);
  for (let i = <i32>containerLen(v) - 1; i >= 0; i--) {
    if (valueEquals(entryKey(entryAt(entries, <u32>i)), k)) return i;
  }
  return -1;
}

function isLastKey(v: usize, i: u32): bool {
  const entries = containerItems(v);
  const k = entryKey(entryAt(entries, i));
  const n = containerLen(v);
  for (let j = i + 1; j < n; j++) {
    if (valueEquals(entryKey(entryAt(entries, j)), k)) return false;
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
  const t = header(a).tag;
  if (t != header(b).tag) return false;
  switch (t) {
    case TAG_NULL:
      return true;
    case TAG_BOOL:
      return rawBool(a) == rawBool(b);
    case TAG_NUMBER:
      return rawNumber(a) == rawNumber(b);
    case TAG_STRING:
      return bytesEqual(rawStringPtr(a), rawStringLen(a), rawStringPtr(b), rawStringLen(b));
    case TAG_ARRAY: {
      const n = containerLen(a);
      if (n != containerLen(b)) return false;
      const ia = containerItems(a), ib = containerItems(b);
      for (let i: u32 = 0; i < n; i++) {
        if (!valueEquals(itemAt(ia, i), itemAt(ib, i))) return false;
      }
      return true;
    }
    case TAG_SET: {
      // Sets are deduplicated when built, so equal sizes + inclusion is equality.
      const n = containerLen(a);
      if (n != containerLen(b)) return false;
      for (let i: u32 = 0; i < n; i++) {
        if (!setContains(b, arrayGet(a, i))) return false;
      }
      return true;
    }
    case TAG_OBJECT: {
      const na = containerLen(a), nb = containerLen(b);
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
  const t = header(v).tag;
  switch (t) {
    case TAG_NULL:
      return 0x9e3779b97f4a7c15;
    case TAG_BOOL:
      return rawBool(v) ? 0x2545f4914f6cdd1d : 0x7a646e4d6f6e6b79;
    case TAG_NUMBER: {
      const x = rawNumber(v);
      return mix(reinterpret<u64>(x == 0 ? 0.0 : x) ^ 3);
    }
    case TAG_STRING: {
      let h: u64 = 0xcbf29ce484222325;
      const p = rawStringPtr(v);
      const n = rawStringLen(v);
      for (let i: u32 = 0; i < n; i++) h = (h ^ <u64>load<u8>(p + i)) * 0x100000001b3;
      return mix(h ^ 4);
    }
    case TAG_ARRAY: {
      let h: u64 = 5;
      const n = containerLen(v);
      for (let i: u32 = 0; i < n; i++) h = mix(h * 31 + valueHash(arrayGet(v, i)));
      return h;
    }
    case TAG_SET: {
      let h: u64 = 7;
      const n = containerLen(v);
      for (let i: u32 = 0; i < n; i++) h += valueHash(arrayGet(v, i));
      return mix(h);
    }
    case TAG_OBJECT: {
      let bloom: u64 = 6;
      const n = containerLen(v);
      for (let i: u32 = 0; i < n; i++) bloom |= <u64>1 << (valueHash(objectKeyAt(v, i)) & 63);
      return mix(bloom);
    }
  }
  return 0;
}

export function setContains(s: usize, x: usize): bool {
  const n = containerLen(s);
  const items = containerItems(s);
  for (let i: u32 = 0; i < n; i++) if (valueEquals(itemAt(items, i), x)) return true;
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
  const v = mallocFast(offsetof<ValueHeader>());
  header(v).tag = TAG_NULL;
  return v;
}

export function newBool(b: bool): usize {
  const v = mallocFast(offsetof<BoolValue>());
  asBool(v).tag = TAG_BOOL;
  asBool(v).value = b ? 1 : 0;
  return v;
}

/** A string value with room for `cap` inline bytes (at stringInline); length 0 until setStringLen. */
export function newStringCap(cap: u32): usize {
  const v = mallocFast(offsetof<StringValue>() + cap);
  const s = asString(v);
  s.tag = TAG_STRING;
  s.len = 0;
  s.bytes = v + offsetof<StringValue>();
  return v;
}

/** Where a string made by newStringCap keeps its bytes. */
// @ts-ignore: decorator
@inline export function stringInline(v: usize): usize {
  return v + offsetof<StringValue>();
}

export function setStringLen(v: usize, n: u32): void {
  asString(v).len = n;
}

export function newString(p: usize, n: u32): usize {
  const v = mallocFast(offsetof<StringValue>() + n);
  const s = asString(v);
  s.tag = TAG_STRING;
  s.len = n;
  s.bytes = v + offsetof<StringValue>();
  copyBytes(s.bytes, p, n);
  return v;
}

export function newNumber(text: usize, n: u32, x: f64): usize {
  const v = mallocFast(offsetof<NumberValue>() + n);
  const num = asNumber(v);
  num.tag = TAG_NUMBER;
  num.textLen = n;
  num.value = x;
  copyBytes(v + offsetof<NumberValue>(), text, n);
  return v;
}

/** An array or set with `n` inline item slots, copied from `items` (u32 value addresses). */
export function newArray(tag: u32, items: usize, n: u32): usize {
  const v = mallocFast(offsetof<ContainerValue>() + n * ITEM_BYTES);
  const c = changetype<ContainerValue>(v);
  c.tag = tag;
  c.len = n;
  c.cap = n;
  c.items = containerInline(v);
  copyBytes(c.items, items, <usize>n * ITEM_BYTES);
  return v;
}

/** An object with `n` entries copied from `pairs` ((key, value) u32 pairs) and room for `cap`. */
export function newObject(pairs: usize, n: u32, cap: u32): usize {
  if (cap < n) cap = n;
  const v = mallocFast(offsetof<ContainerValue>() + cap * ENTRY_BYTES);
  const c = changetype<ContainerValue>(v);
  c.tag = TAG_OBJECT;
  c.len = n;
  c.cap = cap;
  c.items = containerInline(v);
  copyBytes(c.items, pairs, <usize>n * ENTRY_BYTES);
  return v;
}
