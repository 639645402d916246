/**
 * R's sums to the last bit. R adds doubles in the x87 80-bit long double (64-bit significand) and rounds once
 * at the end; R-compatible k-means needs the same bits, because they decide which of two starts with the same
 * partition wins and what `totss` prints. The long double is emulated exactly with bigints.
 */

/** A finite double as an exact mantissa × 2^exponent. */
function splitDouble(v: number): { mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074; // subnormal
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  return { mant: hi >>> 31 ? -mant : mant, exp };
}

/** Rounds mant × 2^exp to `bits` significant bits, ties to even (as the FPU does). */
function roundTo(mant: bigint, exp: number, bits: number): { mant: bigint; exp: number } {
  const neg = mant < 0n;
  let m = neg ? -mant : mant;
  let e = exp;
  const excess = m.toString(2).length - bits;
  if (excess > 0) {
    const shift = BigInt(excess);
    const half = 1n << (shift - 1n);
    const rest = m & ((1n << shift) - 1n);
    m >>= shift;
    e += excess;
    if (rest > half || (rest === half && (m & 1n) === 1n)) m += 1n;
  }
  return { mant: neg ? -m : m, exp: e };
}

/** An x87 long double (64-bit significand) as mant × 2^exp; mant 0 means zero. */
interface LongDouble {
  mant: bigint;
  exp: number;
}

/** `acc + v` in long double arithmetic (exact sum, then rounded to 64 bits). */
function addLongDouble(acc: LongDouble, v: number): LongDouble {
  if (v === 0) return acc;
  const x = splitDouble(v);
  if (acc.mant === 0n) return x;
  const e = Math.min(acc.exp, x.exp);
  const mant = (acc.mant << BigInt(acc.exp - e)) + (x.mant << BigInt(x.exp - e));
  return mant === 0n ? { mant: 0n, exp: 0 } : roundTo(mant, e, 64);
}

/** `acc / d` in long double arithmetic (d a positive integer), correctly rounded to 64 bits. */
function divideLongDouble(acc: LongDouble, d: number): LongDouble {
  if (acc.mant === 0n) return acc;
  const shift = 140; // enough quotient bits for 64 significant ones plus guard bits
  const num = acc.mant << BigInt(shift);
  const q = num / BigInt(d);
  const sticky = num % BigInt(d) === 0n ? 0n : num < 0n ? -1n : 1n;
  return roundTo(q * 2n + sticky, acc.exp - shift - 1, 64);
}

/** A long double rounded to the nearest double (the `(double)` cast R makes at the end). */
function longDoubleToNumber(acc: LongDouble): number {
  if (acc.mant === 0n) return 0;
  const d = roundTo(acc.mant, acc.exp, 53);
  // Two steps so that 2^exp neither overflows nor underflows on the way.
  const half = Math.trunc(d.exp / 2);
  return Number(d.mant) * 2 ** half * 2 ** (d.exp - half);
}

/**
 * R's sum() of a double vector: accumulated left to right in the x87 80-bit long double (64-bit significand,
 * round to nearest even), rounded to double once at the end — what R does on x86-64 Linux. It decides which
 * of two starts that reach the same partition (the same withinss in another order) wins, so R mode uses it.
 */
export function sumLikeR(values: ArrayLike<number>): number {
  let acc: LongDouble = { mant: 0n, exp: 0 };
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      let plain = 0;
      for (let j = 0; j < values.length; j++) plain += values[j] as number;
      return plain; // NaN / ±Inf: the same in any precision
    }
    acc = addLongDouble(acc, v);
  }
  return longDoubleToNumber(acc);
}

/**
 * R's totss, `sum(scale(x, scale = FALSE)^2)`, to the last bit: column means as colMeans() takes them (long
 * double sum, long double division), the centred squares in double, summed column by column in long double.
 */
export function totalSumOfSquaresLikeR(a: Float64Array, m: number, n: number): number {
  const squares = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    let acc: LongDouble = { mant: 0n, exp: 0 };
    for (let i = 0; i < m; i++) acc = addLongDouble(acc, a[i * n + j] as number);
    const mean = longDoubleToNumber(divideLongDouble(acc, m));
    for (let i = 0; i < m; i++) {
      const t = (a[i * n + j] as number) - mean;
      squares[j * m + i] = t * t;
    }
  }
  return sumLikeR(squares);
}
