// Decimal → double: parseNumber, correctly rounded, for validated JSON number text: the same
// double JS JSON.parse gives. Exact fast path, then Eisel-Lemire (table in pow10.ts: decimal
// exponents -64..63 only, every shortest-form double in 1e-48..1e79), then an exact big-decimal
// fallback (a port of Go's strconv decimal: 800 digits + sticky bit), ~10-30 µs per number, for
// exponents outside the table and Eisel-Lemire's rare undecided halfway cases.
// (Double → text is dtoa.ts.)
import { POW10_MIN_EXP, POW10_MAX_EXP, POW10_TABLE } from "./pow10";

// ---------------------------------------------------------------------------------------------
// 64x64 → 128 multiply

export let mulHi: u64 = 0;
export let mulLo: u64 = 0;

// @ts-ignore: decorator
@inline
export function mul64(a: u64, b: u64): void {
  const a0 = a & 0xffffffff, a1 = a >> 32, b0 = b & 0xffffffff, b1 = b >> 32;
  const w0 = a0 * b0;
  const t = a1 * b0 + (w0 >> 32);
  let w1 = t & 0xffffffff;
  const w2 = t >> 32;
  w1 += a0 * b1;
  mulHi = a1 * b1 + w2 + (w1 >> 32);
  mulLo = a * b;
}

// ---------------------------------------------------------------------------------------------
// Eisel-Lemire (after Go's strconv/eisel_lemire.go)

let elResult: f64 = 0;

function eiselLemire(man: u64, exp10: i32, neg: bool): bool {
  if (man == 0) {
    elResult = neg ? -0.0 : 0.0;
    return true;
  }
  if (exp10 < POW10_MIN_EXP || exp10 > POW10_MAX_EXP) return false;
  const lz = <u64>clz<u64>(man);
  man <<= lz;
  let retExp2: u64 = <u64>(((<i64>217706 * <i64>exp10) >> 16) + 64 + 1023) - lz;
  const row = POW10_TABLE + (<usize>(exp10 - POW10_MIN_EXP) << 4);
  mul64(man, load<u64>(row, 8));
  let xHi = mulHi, xLo = mulLo;
  if ((xHi & 0x1ff) == 0x1ff && xLo + man < man) {
    mul64(man, load<u64>(row));
    const yHi = mulHi, yLo = mulLo;
    let mergedHi = xHi;
    const mergedLo = xLo + yHi;
    if (mergedLo < xLo) mergedHi++;
    if ((mergedHi & 0x1ff) == 0x1ff && mergedLo + 1 == 0 && yLo + man < man) return false;
    xHi = mergedHi;
    xLo = mergedLo;
  }
  const msb = xHi >> 63;
  let retMantissa = xHi >> (msb + 9);
  retExp2 -= 1 ^ msb;
  if (xLo == 0 && (xHi & 0x1ff) == 0 && (retMantissa & 3) == 1) return false;
  retMantissa += retMantissa & 1;
  retMantissa >>= 1;
  if (retMantissa >> 53 > 0) {
    retMantissa >>= 1;
    retExp2 += 1;
  }
  if (retExp2 - 1 >= 0x7ff - 1) return false;
  let bits = (retExp2 << 52) | (retMantissa & 0x000fffffffffffff);
  if (neg) bits |= 0x8000000000000000;
  elResult = reinterpret<f64>(bits);
  return true;
}

const POW10_F64 = memory.data<f64>([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]);

// ---------------------------------------------------------------------------------------------
// Exact fallback: decimal with up to 800 digits (after Go's strconv/decimal.go)

const DEC_MAX: i32 = 800;
const DEC = memory.data(DEC_MAX + 24); // digits 0..9, with headroom for in-place left shifts
let decNd: i32 = 0;
let decDp: i32 = 0;
let decTrunc: bool = false;

function decTrim(): void {
  while (decNd > 0 && load<u8>(DEC + decNd - 1) == 0) decNd--;
  if (decNd == 0) decDp = 0;
}

function decSet(p: usize, len: u32): void {
  decNd = 0;
  decDp = 0;
  decTrunc = false;
  let i: u32 = 0;
  if (load<u8>(p) == 0x2d) i++;
  let sawdot = false;
  for (; i < len; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 0x2e) {
      sawdot = true;
      decDp = decNd;
      continue;
    }
    if (c < 0x30 || c > 0x39) break;
    if (c == 0x30 && decNd == 0) {
      decDp--;
      continue;
    }
    if (decNd < DEC_MAX) {
      store<u8>(DEC + decNd, <u8>(c - 0x30));
      decNd++;
    } else if (c != 0x30) {
      decTrunc = true;
    }
  }
  if (!sawdot) decDp = decNd;
  if (i < len && (load<u8>(p + i) | 0x20) == 0x65) {
    i++;
    let esign: i32 = 1;
    const s = load<u8>(p + i);
    if (s == 0x2b) i++;
    else if (s == 0x2d) { i++; esign = -1; }
    let e: i32 = 0;
    for (; i < len; i++) {
      const c = <i32>load<u8>(p + i);
      if (c < 0x30 || c > 0x39) break;
      if (e < 10000) e = e * 10 + c - 0x30;
    }
    decDp += e * esign;
  }
}

function decRightShift(k: u32): void {
  let r: i32 = 0;
  let w: i32 = 0;
  let n: u64 = 0;
  for (; n >> k == 0; r++) {
    if (r >= decNd) {
      if (n == 0) {
        decNd = 0;
        return;
      }
      while (n >> k == 0) {
        n = n * 10;
        r++;
      }
      break;
    }
    n = n * 10 + <u64>load<u8>(DEC + r);
  }
  decDp -= r - 1;
  const mask: u64 = (<u64>1 << k) - 1;
  for (; r < decNd; r++) {
    const c = <u64>load<u8>(DEC + r);
    const dig = n >> k;
    n &= mask;
    store<u8>(DEC + w, <u8>dig);
    w++;
    n = n * 10 + c;
  }
  while (n > 0) {
    const dig = n >> k;
    n &= mask;
    if (w < DEC_MAX) {
      store<u8>(DEC + w, <u8>dig);
      w++;
    } else if (dig > 0) {
      decTrunc = true;
    }
    n = n * 10;
  }
  decNd = w;
  decTrim();
}

function decLeftShift(k: u32): void {
  // Shifting left by k <= 60 adds at most 19 digits: write in place from index nd+19 downwards.
  let r: i32 = decNd - 1;
  let w: i32 = decNd + 19;
  let n: u64 = 0;
  for (; r >= 0; r--) {
    n += <u64>load<u8>(DEC + r) << k;
    const quo = n / 10;
    w--;
    store<u8>(DEC + w, <u8>(n - quo * 10));
    n = quo;
  }
  while (n > 0) {
    const quo = n / 10;
    w--;
    store<u8>(DEC + w, <u8>(n - quo * 10));
    n = quo;
  }
  const total = decNd + 19 - w;
  const delta = total - decNd;
  let keep = total;
  if (keep > DEC_MAX) {
    for (let i = DEC_MAX; i < total; i++) if (load<u8>(DEC + w + i) != 0) decTrunc = true;
    keep = DEC_MAX;
  }
  memory.copy(DEC, DEC + w, keep);
  decNd = keep;
  decDp += delta;
  decTrim();
}

function decShift(k: i32): void {
  if (decNd == 0) return;
  if (k > 0) {
    while (k > 60) {
      decLeftShift(60);
      k -= 60;
    }
    decLeftShift(<u32>k);
  } else if (k < 0) {
    while (k < -60) {
      decRightShift(60);
      k += 60;
    }
    decRightShift(<u32>-k);
  }
}

function decShouldRoundUp(nd: i32): bool {
  if (nd < 0 || nd >= decNd) return false;
  const d = load<u8>(DEC + nd);
  if (d == 5 && nd + 1 == decNd) {
    if (decTrunc) return true;
    return nd > 0 && (load<u8>(DEC + nd - 1) & 1) == 1;
  }
  return d >= 5;
}

function decRoundedInteger(): u64 {
  if (decDp > 20) return 0xffffffffffffffff;
  let n: u64 = 0;
  let i: i32 = 0;
  for (; i < decDp && i < decNd; i++) n = n * 10 + <u64>load<u8>(DEC + i);
  for (; i < decDp; i++) n *= 10;
  if (decShouldRoundUp(decDp)) n++;
  return n;
}

const POWTAB = memory.data<u8>([1, 3, 6, 9, 13, 16, 19, 23, 26]);

function decFloatBits(neg: bool): f64 {
  const BIAS: i32 = -1023;
  let exp: i32 = 0;
  let mant: u64 = 0;
  let overflow = false;
  if (decNd == 0) {
    exp = BIAS;
  } else if (decDp > 310) {
    overflow = true;
  } else if (decDp < -330) {
    exp = BIAS;
  } else {
    while (decDp > 0) {
      const n: i32 = decDp >= 9 ? 27 : <i32>load<u8>(POWTAB + decDp);
      decShift(-n);
      exp += n;
    }
    while (decDp < 0 || (decDp == 0 && load<u8>(DEC) < 5)) {
      const n: i32 = -decDp >= 9 ? 27 : <i32>load<u8>(POWTAB + -decDp);
      decShift(n);
      exp -= n;
    }
    exp--;
    if (exp < BIAS + 1) {
      const n = BIAS + 1 - exp;
      decShift(-n);
      exp += n;
    }
    if (exp - BIAS >= 0x7ff) {
      overflow = true;
    } else {
      decShift(1 + 52);
      mant = decRoundedInteger();
      if (mant == <u64>2 << 52) {
        mant >>= 1;
        exp++;
        if (exp - BIAS >= 0x7ff) overflow = true;
      }
      if (!overflow && (mant & (<u64>1 << 52)) == 0) exp = BIAS;
    }
  }
  if (overflow) {
    mant = 0;
    exp = 0x7ff + BIAS;
  }
  let bits = mant & ((<u64>1 << 52) - 1);
  bits |= <u64>((exp - BIAS) & 0x7ff) << 52;
  if (neg) bits |= 0x8000000000000000;
  return reinterpret<f64>(bits);
}

// ---------------------------------------------------------------------------------------------

/** Converts validated JSON number text (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`) to the nearest double. */
export function parseNumber(p: usize, len: u32): f64 {
  let i: u32 = 0;
  const neg = load<u8>(p) == 0x2d;
  if (neg) i++;
  let mantissa: u64 = 0;
  let nd: i32 = 0;
  let ndMant: i32 = 0;
  let dp: i32 = 0;
  let sawdot = false;
  let trunc = false;
  for (; i < len; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 0x2e) {
      sawdot = true;
      dp = nd;
      continue;
    }
    if (c < 0x30 || c > 0x39) break;
    if (c == 0x30 && nd == 0) {
      dp--;
      continue;
    }
    nd++;
    if (ndMant < 19) {
      mantissa = mantissa * 10 + <u64>(c - 0x30);
      ndMant++;
    } else if (c != 0x30) {
      trunc = true;
    }
  }
  if (!sawdot) dp = nd;
  if (i < len) {
    // exponent
    i++;
    let esign: i32 = 1;
    const s = load<u8>(p + i);
    if (s == 0x2b) i++;
    else if (s == 0x2d) { i++; esign = -1; }
    let e: i32 = 0;
    for (; i < len; i++) {
      const c = <i32>load<u8>(p + i);
      if (e < 10000) e = e * 10 + c - 0x30;
    }
    dp += e * esign;
  }
  let exp: i32 = 0;
  if (mantissa != 0) exp = dp - ndMant;

  if (!trunc && mantissa >> 52 == 0) {
    let f = <f64>mantissa;
    if (neg) f = -f;
    if (exp == 0) return f;
    if (exp > 0 && exp <= 15 + 22) {
      let e = exp;
      if (e > 22) {
        f *= load<f64>(POW10_F64 + (<usize>(e - 22) << 3));
        e = 22;
      }
      if (f <= 1e15 && f >= -1e15) return f * load<f64>(POW10_F64 + (<usize>e << 3));
    } else if (exp < 0 && exp >= -22) {
      return f / load<f64>(POW10_F64 + (<usize>-exp << 3));
    }
  }
  if (eiselLemire(mantissa, exp, neg)) {
    if (!trunc) return elResult;
    const f = elResult;
    if (eiselLemire(mantissa + 1, exp, neg) && elResult == f) return f;
  }
  decSet(p, len);
  return decFloatBits(neg);
}
