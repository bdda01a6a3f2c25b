// f64 → JSON number text: the shortest decimal that reads back as the same double, exactly as JS
// `String(x)` writes it (ECMAScript Number::toString: fewest significant digits; among those the
// one closest to the double's exact value, ties to an even last digit; plain notation for
// decimal exponents -7 < n ≤ 21, otherwise `1.5e-7` / `1e+21`), except -0 → "0" and
// NaN/±Infinity → "null" as JSON.stringify writes them. Nothing is allocated: the scratch is
// static data (zero-filled, so it costs no bytes in the module).
//
// Why Schubfach (R. Giulietti, "The Schubfach way to render doubles", 2020; Java's
// Double.toString since JDK 19): it is proven to give the shortest and, among the shortest, the
// closest decimal, for every double, in a few 64-bit multiplications: no failure cases and no
// fallback (Grisu3 needs one; the Grisu2 it replaces is not always shortest), and simpler than
// Ryu (no trailing-zero tracking, one table instead of two). Dragon4 / Steele-White with bignums
// would be smaller still but 10-50x slower on every number.
// Size vs speed: its table, g(k) ≈ 10^-k as a 126-bit mantissa for k in [-324, 292], would add
// ~10 KB to a ~28 KB module. Instead:
// - where it overlaps, g is read from the Eisel-Lemire table the parser already ships (pow10.ts:
//   128-bit floors of 10^e, e in [-64, 63]; g = floor/4 + 1). That covers every double from about
//   5e-48 to 4e80, i.e. every number a policy computes in practice: ~20-50 ns per number;
// - outside that range g is computed exactly with a small bignum (5^n by repeated multiplication,
//   or a 128-bit quotient 2^m / 5^n by schoolbook division): ~0.3-0.5 µs for numbers like 1e-100
//   or 1e300. It is the same g, so the same proven algorithm runs on it.
// The whole writer is smaller than AssemblyScript's Grisu2 with its tables.
// One deliberate difference from Java: Java prints at least two digits (4.9E-324), so it skips
// the one-digit-shorter candidate when s < 100; JS does not (5e-324), so we always try it.
import { mul64, mulHi, mulLo } from "./num";
import { POW10_MIN_EXP, POW10_MAX_EXP, POW10_TABLE } from "./pow10";

// ---------------------------------------------------------------------------------------------
// Integer logarithms (exact for |q| ≤ 2620, |e| ≤ 4003; used for q in [-1074, 971], e in [-324, 324])

/** floor(log10(2^q)) */
// @ts-ignore: decorator
@inline
function flog10pow2(q: i32): i32 {
  return (q * 315653) >> 20;
}

/** floor(log10(3/4 · 2^q)) */
// @ts-ignore: decorator
@inline
function flog10threeQuartersPow2(q: i32): i32 {
  return (q * 315653 - 131237) >> 20;
}

/** floor(log2(10^e)) */
// @ts-ignore: decorator
@inline
function flog2pow10(e: i32): i32 {
  return (e * 1741647) >> 19;
}

// ---------------------------------------------------------------------------------------------
// g(k) = floor(10^-k · 2^(125 - flog2pow10(-k))) + 1, in [2^125, 2^126): g1 = g >> 63, g0 = g mod 2^63

let g1: u64 = 0;
let g0: u64 = 0;

// Bignums: little-endian u32 limbs, enough for 5^324 (753 bits) and for the dividend
// 2^(32·24 + 127) below it.
const BIG_LIMBS: i32 = 28;
const BIG_A = memory.data(BIG_LIMBS << 2); // 5^n
const BIG_R = memory.data(BIG_LIMBS << 2); // dividend, then remainder
let bigLen: i32 = 0;

// @ts-ignore: decorator
@inline
function limb(base: usize, i: i32): u64 {
  return <u64>load<u32>(base + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline
function setLimb(base: usize, i: i32, v: u64): void {
  store<u32>(base + (<usize>i << 2), <u32>v);
}

function bigPow5(n: i32): void {
  setLimb(BIG_A, 0, 1);
  bigLen = 1;
  while (n > 0) {
    let m: u64 = 1220703125; // 5^13, the largest power of 5 below 2^32
    if (n < 13) {
      m = 1;
      for (let i = 0; i < n; i++) m *= 5;
    }
    n -= 13;
    let carry: u64 = 0;
    for (let i = 0; i < bigLen; i++) {
      const x = limb(BIG_A, i) * m + carry;
      setLimb(BIG_A, i, x);
      carry = x >> 32;
    }
    if (carry != 0) setLimb(BIG_A, bigLen++, carry);
  }
}

/** Bits [from, from + 64) of BIG_A (zeros outside its limbs; `from` may be negative). */
function bigBits64(from: i32): u64 {
  if (from < 0) return from <= -64 ? 0 : bigBits64(0) << <u64>-from;
  const i = from >> 5;
  const sh = <u64>(from & 31);
  const l0 = i < bigLen ? limb(BIG_A, i) : 0;
  const l1 = i + 1 < bigLen ? limb(BIG_A, i + 1) : 0;
  const l2 = i + 2 < bigLen ? limb(BIG_A, i + 2) : 0;
  let v = l0 | (l1 << 32);
  if (sh != 0) v = (v >> sh) | (l2 << (64 - sh));
  return v;
}

/** Whether R[j .. j + bigLen] >= BIG_A. */
function remGe(j: i32): bool {
  if (limb(BIG_R, j + bigLen) != 0) return true;
  for (let i = bigLen - 1; i >= 0; i--) {
    const r = limb(BIG_R, j + i);
    const a = limb(BIG_A, i);
    if (r != a) return r > a;
  }
  return true;
}

/** R[j ..] -= q · BIG_A; the caller guarantees the result is not negative. */
function remSubMul(j: i32, q: u64): void {
  let carry: u64 = 0;
  let borrow: i64 = 0;
  for (let i = 0; i < bigLen; i++) {
    const p = q * limb(BIG_A, i) + carry;
    carry = p >> 32;
    const d = <i64>limb(BIG_R, j + i) - <i64>(p & 0xffffffff) - borrow;
    setLimb(BIG_R, j + i, <u64>d);
    borrow = <i64>(d < 0);
  }
  setLimb(BIG_R, j + bigLen, limb(BIG_R, j + bigLen) - carry - <u64>borrow);
}

export let mHi: u64 = 0;
export let mLo: u64 = 0;

/**
 * The 126-bit floor mantissa of 10^e, floor(10^e · 2^(125 - flog2pow10(e))), into mHi:mLo; from
 * the table where it has e (unless `exact`), otherwise computed exactly. Any e in [-324, 324].
 */
export function pow10Mantissa(e: i32, exact: bool): void {
  if (!exact && e >= POW10_MIN_EXP && e <= POW10_MAX_EXP) {
    // the table holds the 128-bit floor: drop two bits
    const row = POW10_TABLE + (<usize>(e - POW10_MIN_EXP) << 4);
    const lo = load<u64>(row);
    const hi = load<u64>(row, 8);
    mLo = (lo >> 2) | (hi << 62);
    mHi = hi >> 2;
    return;
  }
  bigPow5(e < 0 ? -e : e);
  const sh = <i32>clz<u32>(<u32>limb(BIG_A, bigLen - 1));
  const len = (bigLen << 5) - sh; // 2^(len - 1) < 5^n < 2^len
  if (e >= 0) {
    // 10^e = 5^e · 2^e: floor(5^e · 2^(126 - len)), the top 126 bits
    mLo = bigBits64(len - 126);
    mHi = bigBits64(len - 62);
    return;
  }
  // 10^e = 2^e / 5^-e: floor(2^(len + 125) / 5^n) = floor(Q / 4) with Q = floor(2^(len + 127) / 5^n)
  // in [2^127, 2^128): four 32-bit quotient digits of 2^(32·bigLen + 127) / (5^n << sh), schoolbook
  // (Knuth's algorithm D with an estimate that never exceeds the digit, so no add-back step).
  if (sh != 0) {
    for (let i = bigLen - 1; i > 0; i--) setLimb(BIG_A, i, (limb(BIG_A, i) << <u64>sh) | (limb(BIG_A, i - 1) >> <u64>(32 - sh)));
    setLimb(BIG_A, 0, limb(BIG_A, 0) << <u64>sh);
  }
  memory.fill(BIG_R, 0, <usize>(bigLen + 3) << 2);
  setLimb(BIG_R, bigLen + 3, 0x80000000);
  const top = limb(BIG_A, bigLen - 1) + 1;
  let qHi: u64 = 0;
  let qLo: u64 = 0;
  for (let j = 3; j >= 0; j--) {
    // R < divisor · 2^(32(j+1)), so the digit is below 2^32; estimate it low from the top limbs
    let q = ((limb(BIG_R, j + bigLen) << 32) | limb(BIG_R, j + bigLen - 1)) / top;
    if (q != 0) remSubMul(j, q);
    while (remGe(j)) {
      remSubMul(j, 1);
      q++;
    }
    qHi = (qHi << 32) | (qLo >> 32);
    qLo = (qLo << 32) | q;
  }
  mLo = (qLo >> 2) | (qHi << 62);
  mHi = qHi >> 2;
}

function loadG(k: i32): void {
  pow10Mantissa(-k, false);
  const lo = mLo + 1;
  const hi = mHi + <u64>(lo == 0);
  g1 = (hi << 1) | (lo >> 63);
  g0 = lo & 0x7fffffffffffffff;
}

/** floor(g · cp / 2^127), with the lowest bit set when the quotient is inexact (round to odd). */
// @ts-ignore: decorator
@inline
function rop(cp: u64): u64 {
  mul64(g0, cp);
  const x1 = mulHi;
  mul64(g1, cp);
  const y0 = mulLo;
  const y1 = mulHi;
  const z = (y0 >> 1) + x1;
  const vbp = y1 + (z >> 63);
  return vbp | (((z & 0x7fffffffffffffff) + 0x7fffffffffffffff) >> 63);
}

// ---------------------------------------------------------------------------------------------
// The decimal: digits f (no more than 17) and exponent, value = f · 10^decExp

let decF: u64 = 0;
let decExp: i32 = 0;

/** Schubfach for v = c · 2^q (c < 2^53, not an integer below 2^53). */
function toDecimal(q: i32, c: u64): void {
  const out: u64 = c & 1; // odd c: the rounding interval's ends do not round to v
  const cb = c << 2;
  const cbr = cb + 2;
  let cbl: u64;
  let k: i32;
  if (c != <u64>1 << 52 || q == -1074) {
    cbl = cb - 2;
    k = flog10pow2(q);
  } else {
    // a power of two: the gap below is half the gap above
    cbl = cb - 1;
    k = flog10threeQuartersPow2(q);
  }
  const h = q + flog2pow10(-k) + 2; // 2..5: cb << h < 2^60
  loadG(k);
  // 4 · v / 10^k and the interval's ends, rounded to odd
  const vb = rop(cb << h);
  const vbl = rop(cbl << h);
  const vbr = rop(cbr << h);
  const s = vb >> 2;
  // One digit fewer: at most one multiple of 10^(k+1) lies in the interval.
  const sp10 = (s / 10) * 10;
  const tp10 = sp10 + 10;
  const upin = vbl + out <= sp10 << 2;
  const wpin = (tp10 << 2) + out <= vbr;
  if (upin != wpin) {
    decF = upin ? sp10 : tp10;
    decExp = k;
    return;
  }
  // Otherwise s · 10^k or (s + 1) · 10^k: whichever lies in the interval, or the closer one.
  const t = s + 1;
  const uin = vbl + out <= s << 2;
  const win = (t << 2) + out <= vbr;
  decExp = k;
  if (uin != win) {
    decF = uin ? s : t;
    return;
  }
  const cmp = <i64>vb - <i64>((s + t) << 1);
  decF = cmp < 0 || (cmp == 0 && (s & 1) == 0) ? s : t;
}

/** The shortest decimal of a finite, nonzero double (its sign bit ignored) into decF, decExp. */
function shortest(bits: u64): void {
  const frac = bits & 0x000fffffffffffff;
  const be = <i32>(bits >> 52) & 0x7ff;
  if (be == 0) {
    toDecimal(-1074, frac); // subnormal
    return;
  }
  const c = frac | (<u64>1 << 52);
  const mq = 1075 - be; // v = c · 2^-mq
  if (mq > 0 && mq < 53 && ((c >> <u64>mq) << <u64>mq) == c) {
    decF = c >> <u64>mq; // an integer below 2^53: its own shortest form
    decExp = 0;
    return;
  }
  toDecimal(-mq, c);
}

// ---------------------------------------------------------------------------------------------
// Text

const DIGITS = memory.data(24);

/** Writes decF · 10^decExp at `d` the way JS does; returns the end. */
function writeDecimal(d: usize): usize {
  // Strip trailing zeros (a short number comes out of toDecimal as 17 digits, mostly zeros),
  // eight, four, two, one at a time: few 64-bit divisions.
  let f = decF;
  let e = decExp;
  while (f % 100000000 == 0) {
    f /= 100000000;
    e += 8;
  }
  if (f % 10000 == 0) {
    f /= 10000;
    e += 4;
  }
  if (f % 100 == 0) {
    f /= 100;
    e += 2;
  }
  if (f % 10 == 0) {
    f /= 10;
    e++;
  }
  // The digits, right-aligned in DIGITS; 32-bit arithmetic below 10^8.
  let p = DIGITS + 24;
  while (f >= 100000000) {
    let r = <u32>(f % 100000000);
    f /= 100000000;
    for (let i = 0; i < 8; i++) {
      store<u8>(--p, <u8>(0x30 + r % 10));
      r /= 10;
    }
  }
  let r = <u32>f;
  while (r != 0) {
    store<u8>(--p, <u8>(0x30 + r % 10));
    r /= 10;
  }
  const digits = p;
  const nd = <i32>(DIGITS + 24 - p);
  const n = e + nd; // the value is 0.DIGITS · 10^n
  if (nd <= n && n <= 21) {
    // 1712345678901, 1e21 - 1e5
    memory.copy(d, digits, nd);
    d += nd;
    for (let i = nd; i < n; i++) store<u8>(d++, 0x30);
  } else if (0 < n && n <= 21) {
    // 123.456
    memory.copy(d, digits, n);
    d += n;
    store<u8>(d++, 0x2e);
    memory.copy(d, digits + n, nd - n);
    d += nd - n;
  } else if (-6 < n && n <= 0) {
    // 0.000001
    store<u16>(d, 0x2e30); // "0."
    d += 2;
    for (let i = n; i < 0; i++) store<u8>(d++, 0x30);
    memory.copy(d, digits, nd);
    d += nd;
  } else {
    // 1e+21, 1.5e-7
    store<u8>(d++, load<u8>(digits));
    if (nd > 1) {
      store<u8>(d++, 0x2e);
      memory.copy(d, digits + 1, nd - 1);
      d += nd - 1;
    }
    let x10 = n - 1;
    store<u8>(d++, 0x65);
    store<u8>(d++, x10 < 0 ? 0x2d : 0x2b);
    if (x10 < 0) x10 = -x10;
    if (x10 >= 100) store<u8>(d++, <u8>(0x30 + x10 / 100));
    if (x10 >= 10) store<u8>(d++, <u8>(0x30 + (x10 / 10) % 10));
    store<u8>(d++, <u8>(0x30 + x10 % 10));
  }
  return d;
}

/** Writes `x` as JSON number text at `d` (at most 25 bytes); returns the byte count. */
export function writeNumber(d: usize, x: f64): u32 {
  if (!isFinite(x)) {
    store<u32>(d, 0x6c6c756e); // "null"
    return 4;
  }
  if (x == 0) {
    store<u8>(d, 0x30); // -0 too
    return 1;
  }
  const bits = reinterpret<u64>(x);
  let p = d;
  if (<i64>bits < 0) store<u8>(p++, 0x2d);
  shortest(bits);
  return <u32>(writeDecimal(p) - d);
}
