// Iterative JSON / Rego-value parser. No recursion: open containers live on a static frame stack
// (depth limit 1000) and their items on a scratch stack, so hostile nesting fails cleanly (0)
// instead of overflowing the wasm stack. Strings are copied and validated as strict UTF-8;
// `\u` escapes of lone surrogates become WTF-8 3-byte sequences, pairs become 4-byte UTF-8.
// Trailing bytes after the first complete value are ignored (as OPA's parser does).
import { malloc, free } from "./alloc";
import { parseNumber } from "./num";
import {
  TAG_ARRAY, TAG_OBJECT, TAG_SET, TAG_STRING,
  copyBytes, newArray, newBool, newNull, newNumber, newObject, newString, newStringCap, setStringLen, stringInline, valueEquals,
  valueHash, valueTag,
} from "./value";

export const MAX_DEPTH: i32 = 1000;

// Frame kinds
const F_ARRAY: u32 = 1;
const F_SET: u32 = 2;
const F_OBJ_KEY: u32 = 3; // expecting a key
const F_OBJ_VALUE: u32 = 4; // expecting a value after ':'
const F_BRACE_FIRST: u32 = 5; // Rego: first element after '{' (object key or set element)

/** An open container: its kind (F_*) and where its items start on the item stack. */
// @ts-ignore: decorator
@unmanaged class Frame {
  kind: u32;
  start: u32;
}
const FRAMES = memory.data((MAX_DEPTH + 2) * <i32>offsetof<Frame>(), 8);

// @ts-ignore: decorator
@inline function frame(depth: i32): Frame {
  return changetype<Frame>(FRAMES + <usize>depth * offsetof<Frame>());
}
const ITEMS_STATIC_CAP: u32 = 1024;
const ITEMS_STATIC = memory.data(<i32>(ITEMS_STATIC_CAP << 2), 8);

let items: usize = 0;
let itemsLen: u32 = 0;
let itemsCap: u32 = 0;

let pos: usize = 0;
let end: usize = 0;

function growItems(): void {
  const cap = itemsCap << 1;
  const p = malloc(cap << 2);
  memory.copy(p, items, <usize>itemsLen << 2);
  if (items != ITEMS_STATIC) free(items);
  items = p;
  itemsCap = cap;
}

// @ts-ignore: decorator
@inline
function pushItem(v: usize): void {
  if (itemsLen == itemsCap) growItems();
  store<u32>(items + (<usize>itemsLen << 2), <u32>v);
  itemsLen++;
}

// @ts-ignore: decorator
@inline
function isWs(c: u32): bool {
  // ' ', '\n', '\r', '\t'
  return c <= 0x20 && ((<u64>0x100002600 >> <u64>c) & 1) != 0;
}

/** Skips JSON whitespace from p (a local copy of `pos`: globals are slow in hot loops). */
// @ts-ignore: decorator
@inline
function skipWsFrom(p: usize, e: usize): usize {
  while (p < e && isWs(<u32>load<u8>(p))) p++;
  return p;
}

function literal(word: u64, n: u32): bool {
  // word: the literal's bytes, little-endian
  if (end - pos < n) return false;
  for (let i: u32 = 0; i < n; i++) {
    if (<u64>load<u8>(pos + i) != ((word >> (i << 3)) & 0xff)) return false;
  }
  pos += n;
  return true;
}

// @ts-ignore: decorator
@inline
function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

const EXACT_POW10 = memory.data<f64>([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]);

function parseNumberValue(): usize {
  // One scan validates the grammar and, for the common short forms, computes the value too:
  // at most 15 significant digits (exact in a double) with at most 22 fraction digits and no
  // exponent is one correctly rounded division by an exact power of ten. Anything else goes to
  // parseNumber (Eisel-Lemire, big-decimal fallback).
  const start = pos;
  const e = end;
  let p = start;
  let c: u32 = p < e ? <u32>load<u8>(p) : 0x100;
  const neg = c == 0x2d;
  if (neg) {
    p++;
    c = p < e ? <u32>load<u8>(p) : 0x100;
  }
  let m: u64 = 0;
  let digits: u32 = 0; // all mantissa digits scanned, leading zeros included (conservative)
  if (c == 0x30) {
    p++;
  } else if (c - 0x31 < 9) {
    while (p < e) {
      const d = <u32>load<u8>(p) - 0x30;
      if (d >= 10) break;
      m = m * 10 + d;
      digits++;
      p++;
    }
  } else {
    return 0;
  }
  let frac: u32 = 0;
  c = p < e ? <u32>load<u8>(p) : 0x100;
  if (c == 0x2e) {
    p++;
    while (p < e) {
      const d = <u32>load<u8>(p) - 0x30;
      if (d >= 10) break;
      m = m * 10 + d;
      frac++;
      p++;
    }
    if (frac == 0) return 0;
    c = p < e ? <u32>load<u8>(p) : 0x100;
  }
  let simple = digits + frac <= 15 && frac <= 22;
  if (c == 0x65 || c == 0x45) {
    simple = false;
    p++;
    c = p < e ? <u32>load<u8>(p) : 0x100;
    if (c == 0x2b || c == 0x2d) p++;
    if (!(p < e && isDigit(<u32>load<u8>(p)))) return 0;
    while (p < e && isDigit(<u32>load<u8>(p))) p++;
  }
  pos = p;
  const n = <u32>(p - start);
  let x: f64;
  if (simple) {
    x = <f64>m;
    if (frac != 0) x /= load<f64>(EXACT_POW10 + (<usize>frac << 3));
    if (neg) x = -x;
  } else {
    x = parseNumber(start, n);
  }
  return newNumber(start, n, x);
}

function hexVal(c: u32): i32 {
  if (c - 0x30 < 10) return <i32>(c - 0x30);
  const l = c | 0x20;
  if (l - 0x61 < 6) return <i32>(l - 0x61 + 10);
  return -1;
}

/** Reads 4 hex digits at p, or -1. */
function hex4(p: usize): i32 {
  const a = hexVal(load<u8>(p)), b = hexVal(load<u8>(p, 1)), c = hexVal(load<u8>(p, 2)), d = hexVal(load<u8>(p, 3));
  if ((a | b | c | d) < 0) return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
}

// @ts-ignore: decorator
@inline
function isCont(c: u32): bool {
  return (c & 0xc0) == 0x80;
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/**
 * The first byte in [p, e) that is '"', '\\', a control byte or non-ASCII, else e. Plain runs go
 * 8 bytes at a time (SWAR: for an ASCII byte b, b - k borrows into the high bit exactly when b < k,
 * and (b ^ k) - 1 exactly when b == k; the lowest flagged byte is the first special one).
 */
// @ts-ignore: decorator
@inline
function scanPlain(p: usize, e: usize): usize {
  while (p + 8 <= e) {
    const w = load<u64>(p);
    const special = ((w - ONES * 0x20) | ((w ^ (ONES * 0x22)) - ONES) | ((w ^ (ONES * 0x5c)) - ONES) | w) & HIGHS;
    if (special != 0) return p + <usize>(ctz<u64>(special) >> 3);
    p += 8;
  }
  while (p < e) {
    const c = <u32>load<u8>(p);
    if (c == 0x22 || c == 0x5c || c - 0x20 >= 0x60) return p;
    p++;
  }
  return e;
}

/** A string with escapes or non-ASCII bytes (plain strings are handled inline in parseLoop). */
function parseString(): usize {
  // pos is at the opening quote. First find the closing quote (raw length bounds the output).
  const start = pos + 1;
  const e = end;
  let p = scanPlain(start, e);
  let simple = true;
  while (true) {
    if (p >= e) return 0;
    const c = load<u8>(p);
    if (c == 0x22) break;
    if (c == 0x5c) {
      simple = false;
      p += 2;
      continue;
    }
    if (c < 0x20) return 0;
    if (c >= 0x80) simple = false;
    p++;
  }
  if (p >= e) return 0;
  const rawLen = <u32>(p - start);
  const v = newStringCap(rawLen);
  let d = stringInline(v);
  if (simple) {
    copyBytes(d, start, rawLen);
    setStringLen(v, rawLen);
    pos = p + 1;
    return v;
  }
  const stop = p;
  p = start;
  while (p < stop) {
    const c = <u32>load<u8>(p);
    if (c < 0x80) {
      if (c != 0x5c) {
        store<u8>(d++, <u8>c);
        p++;
        continue;
      }
      // escape
      const e = <u32>load<u8>(p + 1);
      p += 2;
      let ch: u32 = 0;
      switch (e) {
        case 0x22: ch = 0x22; break;
        case 0x5c: ch = 0x5c; break;
        case 0x2f: ch = 0x2f; break;
        case 0x62: ch = 0x08; break;
        case 0x66: ch = 0x0c; break;
        case 0x6e: ch = 0x0a; break;
        case 0x72: ch = 0x0d; break;
        case 0x74: ch = 0x09; break;
        case 0x75: {
          if (stop - p < 4) return 0;
          const u = hex4(p);
          if (u < 0) return 0;
          p += 4;
          let cp = <u32>u;
          if (cp - 0xd800 < 0x400 && stop - p >= 6 && load<u8>(p) == 0x5c && load<u8>(p, 1) == 0x75) {
            const lo = hex4(p + 2);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (<u32>lo - 0xdc00);
              p += 6;
            }
          }
          if (cp < 0x80) {
            store<u8>(d++, <u8>cp);
          } else if (cp < 0x800) {
            store<u8>(d, <u8>(0xc0 | (cp >> 6)));
            store<u8>(d, <u8>(0x80 | (cp & 0x3f)), 1);
            d += 2;
          } else if (cp < 0x10000) {
            // includes lone surrogates (WTF-8)
            store<u8>(d, <u8>(0xe0 | (cp >> 12)));
            store<u8>(d, <u8>(0x80 | ((cp >> 6) & 0x3f)), 1);
            store<u8>(d, <u8>(0x80 | (cp & 0x3f)), 2);
            d += 3;
          } else {
            store<u8>(d, <u8>(0xf0 | (cp >> 18)));
            store<u8>(d, <u8>(0x80 | ((cp >> 12) & 0x3f)), 1);
            store<u8>(d, <u8>(0x80 | ((cp >> 6) & 0x3f)), 2);
            store<u8>(d, <u8>(0x80 | (cp & 0x3f)), 3);
            d += 4;
          }
          continue;
        }
        default:
          return 0;
      }
      store<u8>(d++, <u8>ch);
      continue;
    }
    // Multi-byte UTF-8, strictly validated (no overlongs, no encoded surrogates, <= U+10FFFF).
    let n: u32 = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 2;
      if (stop - p < 2 || !isCont(load<u8>(p + 1))) return 0;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 3;
      if (stop - p < 3) return 0;
      const c1 = <u32>load<u8>(p + 1);
      if (c == 0xe0 ? (c1 < 0xa0 || c1 > 0xbf) : c == 0xed ? (c1 < 0x80 || c1 > 0x9f) : !isCont(c1)) return 0;
      if (!isCont(load<u8>(p + 2))) return 0;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 4;
      if (stop - p < 4) return 0;
      const c1 = <u32>load<u8>(p + 1);
      if (c == 0xf0 ? (c1 < 0x90 || c1 > 0xbf) : c == 0xf4 ? (c1 < 0x80 || c1 > 0x8f) : !isCont(c1)) return 0;
      if (!isCont(load<u8>(p + 2)) || !isCont(load<u8>(p + 3))) return 0;
    } else {
      return 0;
    }
    memory.copy(d, p, n);
    d += n;
    p += n;
  }
  setStringLen(v, <u32>(d - stringInline(v)));
  pos = stop + 1;
  return v;
}

/** Removes later duplicates from items[start..itemsLen) (set semantics), returns the new count. */
function dedupe(start: u32): u32 {
  const n = itemsLen - start;
  if (n > 32) return dedupeHashed(start, n);
  let w = start;
  for (let i = start; i < itemsLen; i++) {
    const x = <usize>load<u32>(items + (<usize>i << 2));
    let dup = false;
    for (let j = start; j < w; j++) {
      if (valueEquals(<usize>load<u32>(items + (<usize>j << 2)), x)) {
        dup = true;
        break;
      }
    }
    if (!dup) {
      store<u32>(items + (<usize>w << 2), <u32>x);
      w++;
    }
  }
  return w - start;
}

/** Large sets: an open-addressing table keyed by valueHash, so dedupe is ~linear, not quadratic. */
function dedupeHashed(start: u32, n: u32): u32 {
  let slots: u32 = 64;
  while (slots < n << 1) slots <<= 1;
  const table = malloc(slots << 2); // kept index + 1, 0 = empty
  memory.fill(table, 0, <usize>slots << 2);
  const hashes = malloc(n << 3);
  let w: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const x = <usize>load<u32>(items + (<usize>(start + i) << 2));
    const h = valueHash(x);
    let slot = <u32>h & (slots - 1);
    let dup = false;
    while (true) {
      const k = load<u32>(table + (<usize>slot << 2));
      if (k == 0) break;
      if (load<u64>(hashes + (<usize>(k - 1) << 3)) == h && valueEquals(<usize>load<u32>(items + (<usize>(start + k - 1) << 2)), x)) {
        dup = true;
        break;
      }
      slot = (slot + 1) & (slots - 1);
    }
    if (dup) continue;
    store<u32>(table + (<usize>slot << 2), w + 1);
    store<u64>(hashes + (<usize>w << 3), h);
    store<u32>(items + (<usize>(start + w) << 2), <u32>x);
    w++;
  }
  free(hashes);
  free(table);
  return w;
}

function parse(ptr: usize, len: u32, rego: bool): usize {
  pos = ptr;
  end = ptr + len;
  items = ITEMS_STATIC;
  itemsCap = ITEMS_STATIC_CAP;
  itemsLen = 0;
  const result = parseLoop(rego);
  if (items != ITEMS_STATIC) free(items);
  items = 0;
  return result;
}

function parseLoop(rego: bool): usize {
  // `p` is the read position; helpers that read further take and return it through `pos`.
  let p = pos;
  const e = end;
  let depth: i32 = 0;
  let kind: u32 = 0; // the innermost open frame's kind (0 at depth 0)
  while (true) {
    // Expect a value.
    p = skipWsFrom(p, e);
    const c: u32 = p < e ? <u32>load<u8>(p) : 0x100;
    let v: usize = 0;
    if (c == 0x22) {
      const q = scanPlain(p + 1, e);
      if (q < e && load<u8>(q) == 0x22) {
        // plain ASCII, no escapes: one copy
        v = newString(p + 1, <u32>(q - p - 1));
        p = q + 1;
      } else {
        pos = p;
        v = parseString();
        p = pos;
      }
    } else if (kind == F_OBJ_KEY && !rego) {
      return 0;
    } else if (c == 0x7b || c == 0x5b) {
      if (depth >= MAX_DEPTH) return 0; // counts empty containers too: `[[]]` is depth 2
      p = skipWsFrom(p + 1, e);
      const close: u32 = c == 0x7b ? 0x7d : 0x5d;
      if (p < e && <u32>load<u8>(p) == close) {
        p++;
        v = c == 0x7b ? newObject(0, 0, 0) : newArray(TAG_ARRAY, 0, 0);
      } else {
        depth++;
        const f = frame(depth);
        kind = c == 0x5b ? F_ARRAY : rego ? F_BRACE_FIRST : F_OBJ_KEY;
        f.kind = kind;
        f.start = itemsLen;
        continue;
      }
    } else if (c == 0x2d || isDigit(c)) {
      pos = p;
      v = parseNumberValue();
      p = pos;
    } else {
      pos = p;
      if (c == 0x74) {
        if (literal(0x65757274, 4)) v = newBool(true);
      } else if (c == 0x66) {
        if (literal(0x65736c6166, 5)) v = newBool(false);
      } else if (c == 0x6e) {
        if (literal(0x6c6c756e, 4)) v = newNull();
      } else if (c == 0x73 && rego) {
        if (literal(0x2928746573, 5)) v = newArray(TAG_SET, 0, 0);
      }
      p = pos;
    }
    if (v == 0) return 0;

    // Attach the value to the open containers, closing as many as end here.
    while (true) {
      if (depth == 0) {
        pos = p;
        return v;
      }
      const f = frame(depth);
      p = skipWsFrom(p, e);
      const s: u32 = p < e ? <u32>load<u8>(p) : 0x100;
      if (kind == F_OBJ_KEY || kind == F_BRACE_FIRST) {
        if (s == 0x3a) {
          if (kind == F_OBJ_KEY && valueTag(v) != TAG_STRING) return 0;
          p++;
          pushItem(v);
          kind = F_OBJ_VALUE;
          f.kind = kind;
          break;
        }
        if (kind == F_OBJ_KEY) return 0;
        kind = F_SET;
        f.kind = F_SET;
      }
      pushItem(v);
      if (s == 0x2c) {
        p++;
        if (kind == F_OBJ_VALUE) {
          kind = F_OBJ_KEY;
          f.kind = kind;
        }
        break;
      }
      const start = f.start;
      if (kind == F_ARRAY) {
        if (s != 0x5d) return 0;
        v = newArray(TAG_ARRAY, items + (<usize>start << 2), itemsLen - start);
      } else if (kind == F_SET) {
        if (s != 0x7d) return 0;
        const n = dedupe(start);
        v = newArray(TAG_SET, items + (<usize>start << 2), n);
      } else {
        if (s != 0x7d) return 0;
        const n = (itemsLen - start) >> 1;
        v = newObject(items + (<usize>start << 2), n, n);
      }
      p++;
      itemsLen = start;
      depth--;
      kind = depth > 0 ? frame(depth).kind : 0;
    }
  }
  return 0;
}

/** Parses JSON text into a value; 0 on failure (invalid JSON or UTF-8, nesting deeper than 1000). */
export function parseJson(ptr: usize, len: u32): usize {
  return parse(ptr, len, false);
}

/** Like parseJson, plus Rego set literals `{1,"a"}` / `set()` and non-string object keys. */
export function parseValue(ptr: usize, len: u32): usize {
  return parse(ptr, len, true);
}
