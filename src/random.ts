/**
 * The one seeded random source of tweetlab. Shuffles, weight initialisers, sampling and k-means starts all
 * draw from a `Random`; nothing calls Math.random. sfc32 is small, fast and passes PractRand at this size.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    // Spread the seed over the 128-bit state with splitmix32, then warm up.
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1) with 53 bits of precision. */
  next(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Random.int needs a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Standard normal deviate (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** One element chosen uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Random.pick on an empty array');
    return items[this.int(items.length)] as T;
  }

  /** An index drawn with probability proportional to `weights` (non-negative, not all zero). */
  weighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] as number;
    if (!(total > 0)) throw new RangeError('Random.weighted needs a positive total weight');
    let r = this.next() * total;
    let last = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (w > 0) {
        last = i;
        if (r < w) return i;
        r -= w;
      }
    }
    return last; // rounding left r just above zero: the last positive weight
  }

  /**
   * An independent stream derived from this seed and a label, so that adding draws in one stage
   * (say, shuffling) does not change the draws of another (say, initialisers).
   */
  fork(label: string): Random {
    return new Random(deriveSeed(this.seed, label));
  }
}

/** A 32-bit seed derived from a base seed and a label (FNV-1a over the label, mixed with the seed). */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * R's default random stream, bit for bit: `RNGkind("Mersenne-Twister", "Inversion", "Rejection")`, the default
 * since R 3.6.0. `RRandom.setSeed(s)` is R's `set.seed(s)`, `unifRand()` is R's `unif_rand()` (so `runif(1)`),
 * `sampleInt(n, k)` is R's `sample.int(n, k)`. It exists so that tweetlab can draw exactly the random numbers an
 * R script draws after `set.seed` — the k-means lesson uses it to pick the same starting centres as R's
 * `kmeans()`. Everything else in tweetlab uses `Random`. Checked against R 4.2.2 in test/random-r.test.ts.
 *
 * Sources (R's src/main/RNG.c, random.c, unique.c): set.seed scrambles the seed with 50 rounds of the LCG
 * seed = 69069 seed + 1, fills the 625 words of .Random.seed (mti, then mt[0..623]) with further rounds, and sets
 * mti = 624 so the first draw regenerates the MT19937 block. unif_rand() is genrand × 2^-32, pushed inside (0, 1).
 */
export class RRandom {
  private readonly mt = new Uint32Array(624);
  private mti = 624;
  /** unif_rand() calls made since setSeed (for recording where in the stream a result came from). */
  draws = 0;

  private constructor(readonly seed: number) {}

  /** R's `set.seed(seed)` (seed: an integer; negatives wrap to unsigned as R's C code does). */
  static setSeed(seed: number): RRandom {
    if (!Number.isInteger(seed) || seed < -2147483648 || seed > 2147483647) {
      throw new RangeError(`RRandom.setSeed needs a 32-bit integer like R's set.seed, got ${seed}`);
    }
    const r = new RRandom(seed);
    let s = seed >>> 0;
    for (let j = 0; j < 50; j++) s = (Math.imul(69069, s) + 1) >>> 0; // RNG_Init's initial scrambling
    s = (Math.imul(69069, s) + 1) >>> 0; // i_seed[0] (mti), overwritten by FixupSeeds with 624
    for (let j = 0; j < 624; j++) {
      s = (Math.imul(69069, s) + 1) >>> 0;
      r.mt[j] = s;
    }
    r.mti = 624;
    return r;
  }

  /** R's `.Random.seed` (as signed 32-bit integers): 10403 (the kind code), mti, then the 624 MT words. */
  dotRandomSeed(): Int32Array {
    const out = new Int32Array(626);
    out[0] = 10403;
    out[1] = this.mti;
    for (let j = 0; j < 624; j++) out[j + 2] = this.mt[j] as number;
    return out;
  }

  /** MT19937 genrand_int32 (R's MT_genrand before the scaling). */
  private genrand(): number {
    const mt = this.mt;
    if (this.mti >= 624) {
      let kk = 0;
      let y: number;
      for (; kk < 624 - 397; kk++) {
        y = ((mt[kk] as number) & 0x80000000) | ((mt[kk + 1] as number) & 0x7fffffff);
        mt[kk] = (mt[kk + 397] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      for (; kk < 623; kk++) {
        y = ((mt[kk] as number) & 0x80000000) | ((mt[kk + 1] as number) & 0x7fffffff);
        mt[kk] = (mt[kk - 227] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      y = ((mt[623] as number) & 0x80000000) | ((mt[0] as number) & 0x7fffffff);
      mt[623] = (mt[396] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** R's unif_rand(): uniform in the open interval (0, 1), 32 bits of resolution. */
  unifRand(): number {
    this.draws++;
    const x = this.genrand() * 2.3283064365386963e-10;
    // R's fixup(): never return exactly 0 or 1.
    const i2_32m1 = 2.328306437080797e-10; // 1 / (2^32 − 1)
    if (x <= 0) return 0.5 * i2_32m1;
    if (1 - x <= 0) return 1 - 0.5 * i2_32m1;
    return x;
  }

  /** R's rbits(bits): `bits` random bits assembled from 16-bit chunks floor(unif_rand() × 65536). */
  private rbits(bits: number): number {
    if (bits <= 36) {
      // Up to three chunks (48 bits) stay exact in a double.
      let w = 0;
      for (let n = 0; n <= bits; n += 16) w = 65536 * w + Math.floor(this.unifRand() * 65536);
      return w % 2 ** bits;
    }
    let v = 0n;
    for (let n = 0; n <= bits; n += 16) {
      const v1 = Math.floor(this.unifRand() * 65536);
      v = 65536n * v + BigInt(v1);
    }
    return Number(v & ((1n << BigInt(bits)) - 1n));
  }

  /** R's R_unif_index(dn) with sample.kind "Rejection": uniform integer in [0, dn). */
  unifIndex(dn: number): number {
    if (dn <= 0) return 0;
    const bits = Math.ceil(Math.log2(dn));
    let dv: number;
    do dv = this.rbits(bits);
    while (dn <= dv);
    return dv;
  }

  /**
   * R's `sample.int(n, size)` without replacement (1-based, like R). For n ≤ 1e7 R runs .Internal(sample()):
   * a pool 0..n−1 where each draw j = R_unif_index(remaining) takes pool[j] and moves the last entry into its
   * place. For n > 1e7 and size ≤ n/2 R uses .Internal(sample2()): repeated R_unif_index(n) draws, rejecting
   * duplicates. Both are reproduced; `useHash` picks the second as R's argument of that name does.
   */
  sampleInt(n: number, size: number = n, useHash: boolean = n > 1e7 && size <= n / 2): number[] {
    if (!Number.isInteger(n) || n < 0 || n > 4.5e15) throw new RangeError(`sampleInt: invalid n = ${n}`);
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`sampleInt: invalid size = ${size}`);
    if (size > n) throw new RangeError(`sampleInt: cannot take a sample of ${size} from ${n} without replacement`);
    const out: number[] = [];
    if (useHash) {
      if (size > n / 2) throw new RangeError(`sampleInt: useHash needs size ≤ n/2, got ${size} of ${n}`);
      const seen = new Set<number>();
      for (let i = 0; i < size; i++) {
        let v = 0;
        for (let j = 0; j < 100; j++) {
          v = this.unifIndex(n) + 1;
          if (!seen.has(v)) break;
        }
        seen.add(v);
        out.push(v);
      }
      return out;
    }
    if (size < 2) {
      for (let i = 0; i < size; i++) out.push(this.unifIndex(n) + 1);
      return out;
    }
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    let left = n;
    for (let i = 0; i < size; i++) {
      const j = this.unifIndex(left);
      out.push((pool[j] as number) + 1);
      pool[j] = pool[--left] as number;
    }
    return out;
  }
}
