import { TweetlabError } from '../errors.js';
import { Random, RRandom } from '../random.js';

/**
 * k-means as R's `stats::kmeans(x, centers = k, nstart, iter.max = 10)` computes it with its default
 * algorithm, Hartigan–Wong (Applied Statistics algorithm AS 136, 1979).
 *
 * Why Hartigan–Wong and not Lloyd: Lloyd stops as soon as no point is nearer another centre, while
 * Hartigan–Wong also moves a point when the move lowers the total within-cluster sum of squares once the two
 * centres shift (the n/(n∓1) factors below). Its local optima are a subset of Lloyd's, so with the same number
 * of random starts it lands on the best partition at least as often. This module implements Hartigan–Wong so
 * that a start goes where R's would from the same centres: on the lesson's data (k = 3, 25 starts) it finds R's
 * clusters of sizes 65, 111, 110 and mean silhouette 0.549. For k ≥ 6 there, 25 starts often stop in a local
 * optimum (the lesson's R run does at k = 6..10, up to 1.6 % above the best); more starts or `init: "kmeans++"`
 * find the optimum (see test/cluster/r-agreement.test.ts).
 *
 * Two ways to draw the starts:
 * - R-compatible (`rng: RRandom.setSeed(seed)`): the numbers match R's kmeans() run after set.seed(seed). The
 *   starts are drawn from R's own random stream exactly as R's kmeans() draws them — for nstart ≥ 2,
 *   `unique(x)[sample.int(mm, k), ]` for every start including the first; for nstart = 1, `x[sample.int(m, k), ]`
 *   (redrawn from unique(x) if those rows repeat); for k = 1 the draws are made too, as R makes them — and the
 *   winner is chosen as R chooses it (strictly smaller sum(wss) wins, the sum rounded once as R's
 *   extended-precision sum() does). Same starts + the same Hartigan–Wong steps give R's clusters with R's
 *   numbering, centres and tot.withinss, local optima included. The stream advances, so several calls on one
 *   RRandom draw what the same sequence of R calls after one set.seed draws (the lesson's kmeans then elbow).
 * - tweetlab's own (`seed`, the default when no `rng` is given): the same scheme (k distinct rows uniformly)
 *   from tweetlab's `Random`, or k-means++ starts. Same optimum as R when the starts find it, but different
 *   cluster numbering, and with many clusters possibly a different local optimum than a given R run.
 */

/** A numeric matrix as rows of equal length (one row per observation, one entry per column). */
export type Rows = readonly (readonly number[])[];

export interface KMeansOptions {
  /** Number of random starts; the best (lowest tot.withinss) is kept. Default 1, as R. */
  nstart?: number;
  /** Maximum optimal-transfer passes per start. Default 10, as R's iter.max. */
  iterMax?: number;
  /** Seed of the start draws. Default 2056 (the lesson's set.seed). */
  seed?: number;
  /**
   * How each start picks its k centres: "random" draws k distinct rows uniformly (R's way); "kmeans++" draws
   * the first uniformly and each next one with probability ∝ squared distance to the nearest centre so far
   * (Arthur & Vassilvitskii 2007), which spreads starts out and finds the best optimum in fewer starts.
   * Default "random".
   */
  init?: 'random' | 'kmeans++';
  /**
   * R-compatible mode: draw the starts from this R random stream exactly as R's kmeans() does (see the module
   * comment), advancing it. `seed` and `init` are then not used. Default: none (tweetlab's `Random` from `seed`).
   */
  rng?: RRandom;
}

/** R's kmeans object, camel-cased: `totWithinss` is R's `tot.withinss`. */
export interface KMeansResult {
  /** Cluster of each row, 1-based like R's `cluster`. */
  cluster: number[];
  /** Cluster centres (means), one row per cluster, columns in the input's order. */
  centers: number[][];
  /** Points in each cluster. */
  size: number[];
  /** Within-cluster sum of squares of each cluster. */
  withinss: number[];
  /** Sum of withinss (R: tot.withinss). */
  totWithinss: number;
  /** totss − tot.withinss. */
  betweenss: number;
  /** Sum of squared distances of all points to the overall mean. */
  totss: number;
  /** Optimal-transfer passes of the winning start (iterMax + 1 when it did not converge, as R reports). */
  iter: number;
  /**
   * AS 136 fault code of the winning start: 0 fine, 2 did not converge within iterMax (R warns),
   * 4 quick-transfer step limit hit (R warns). Codes 1 and 3 become errors.
   */
  ifault: number;
  /** Starts tried and the seed they came from (in R mode: the seed the RRandom stream was set with). */
  nstart: number;
  seed: number;
  /** Which generator drew the starts: "r" (RRandom, R-compatible) or "tweetlab" (Random). */
  rng: 'r' | 'tweetlab';
  /**
   * R mode only: unif_rand() draws made on the stream before this call, so the call is reproducible as
   * set.seed(seed) followed by that many draws (runif(n)) and then the same kmeans().
   */
  rDrawsBefore?: number;
  /** Distinct tot.withinss values found over the starts (rounded to 1e-9), how often each: a view of the local optima. */
  optimaSeen?: { totWithinss: number; starts: number }[];
}

const BIG = 1e30;

/** One Hartigan–Wong run from given starting centres (k × n, row-major). Exposed for tests and the curious. */
export interface HartiganWongRun {
  /** 0-based cluster of each point. */
  ic1: Int32Array;
  centers: Float64Array;
  nc: Int32Array;
  wss: Float64Array;
  iter: number;
  ifault: number;
}

/**
 * AS 136 on an m × n row-major matrix from k starting centres. A TypeScript rendering of the published
 * algorithm: an optimal-transfer pass over all points, then quick-transfer passes between each point's two
 * closest clusters, repeated until a whole optimal-transfer pass moves nothing.
 */
export function hartiganWong(
  a: Float64Array,
  m: number,
  n: number,
  start: Float64Array,
  k: number,
  iterMax = 10,
): HartiganWongRun {
  if (k <= 1 || k >= m) throw new TweetlabError(`Hartigan–Wong needs 1 < k < rows, got k = ${k} for ${m} rows`);
  const c = Float64Array.from(start);
  const ic1 = new Int32Array(m);
  const ic2 = new Int32Array(m);
  const nc = new Int32Array(k);
  const an1 = new Float64Array(k);
  const an2 = new Float64Array(k);
  const ncp = new Int32Array(k);
  const d = new Float64Array(m);
  const itran = new Uint8Array(k);
  const live = new Int32Array(k);
  const maxQtrSteps = 50 * m; // R passes 50 * nrow(x)

  /** Squared distance, abandoned (returns a value ≥ limit) once it reaches `limit`. */
  const dist2Below = (i: number, l: number, limit: number): number => {
    let s = 0;
    const io = i * n;
    const lo = l * n;
    for (let j = 0; j < n; j++) {
      const t = (a[io + j] as number) - (c[lo + j] as number);
      s += t * t;
      if (s >= limit) return s;
    }
    return s;
  };
  /** Squared distance of point i to centre l (summed in the same order as the abandoning form). */
  const dist2 = (i: number, l: number): number => dist2Below(i, l, Infinity);
  /** Moves point i from cluster l1 to l2, updating centres, counts and the n/(n±1) factors. */
  const transfer = (i: number, l1: number, l2: number): void => {
    const al1 = nc[l1] as number;
    const alw = al1 - 1;
    const al2 = nc[l2] as number;
    const alt = al2 + 1;
    for (let j = 0; j < n; j++) {
      const x = a[i * n + j] as number;
      c[l1 * n + j] = ((c[l1 * n + j] as number) * al1 - x) / alw;
      c[l2 * n + j] = ((c[l2 * n + j] as number) * al2 + x) / alt;
    }
    nc[l1] = alw;
    nc[l2] = alt;
    an2[l1] = alw / al1;
    an1[l1] = alw > 1 ? alw / (alw - 1) : BIG;
    an1[l2] = alt / al2;
    an2[l2] = alt / (alt + 1);
    ic1[i] = l2;
    ic2[i] = l1;
  };

  // Each point goes to its closest centre; its second closest is remembered.
  for (let i = 0; i < m; i++) {
    let best = 0;
    let second = 1;
    let d1 = dist2(i, 0);
    let d2 = dist2(i, 1);
    if (d1 > d2) {
      best = 1;
      second = 0;
      const t = d1;
      d1 = d2;
      d2 = t;
    }
    for (let l = 2; l < k; l++) {
      const db = dist2Below(i, l, d2);
      if (db >= d2) continue;
      if (db >= d1) {
        d2 = db;
        second = l;
      } else {
        d2 = d1;
        second = best;
        d1 = db;
        best = l;
      }
    }
    ic1[i] = best;
    ic2[i] = second;
  }

  // Centres become the means of their points.
  c.fill(0);
  for (let i = 0; i < m; i++) {
    const l = ic1[i] as number;
    nc[l] = (nc[l] as number) + 1;
    for (let j = 0; j < n; j++) c[l * n + j] = (c[l * n + j] as number) + (a[i * n + j] as number);
  }
  for (let l = 0; l < k; l++) {
    const size = nc[l] as number;
    if (size === 0) return { ic1, centers: c, nc, wss: new Float64Array(k), iter: 0, ifault: 1 };
    for (let j = 0; j < n; j++) c[l * n + j] = (c[l * n + j] as number) / size;
    an2[l] = size / (size + 1);
    an1[l] = size > 1 ? size / (size - 1) : BIG;
    itran[l] = 1;
    ncp[l] = -1;
  }

  // `indx` counts optimal-transfer steps since the last move; a full pass (m steps) without one ends the run.
  let indx = 0;
  let ifault = 0;
  let iter = 0;
  let converged = false;

  // Steps are 1-based below (step = i + 1) because LIVE and NCP hold step numbers, compared with < and ≥.
  const optimalTransfer = (): void => {
    for (let l = 0; l < k; l++) if (itran[l] === 1) live[l] = m + 1;
    for (let i = 0; i < m; i++) {
      const step = i + 1;
      indx++;
      const l1 = ic1[i] as number;
      if ((nc[l1] as number) !== 1) {
        // D(i) only needs recomputing when l1 changed during this stage.
        if ((ncp[l1] as number) !== 0) d[i] = dist2(i, l1) * (an1[l1] as number);
        const ll = ic2[i] as number;
        let l2 = ll;
        let r2 = dist2(i, l2) * (an2[l2] as number);
        for (let l = 0; l < k; l++) {
          // Clusters outside the live set are only worth trying when l1 itself is live.
          if ((step >= (live[l1] as number) && step >= (live[l] as number)) || l === l1 || l === ll) continue;
          const rr = r2 / (an2[l] as number);
          const dc = dist2Below(i, l, rr);
          if (dc >= rr) continue;
          r2 = dc * (an2[l] as number);
          l2 = l;
        }
        if (r2 >= (d[i] as number)) {
          ic2[i] = l2;
        } else {
          indx = 0;
          live[l1] = m + step;
          live[l2] = m + step;
          ncp[l1] = step;
          ncp[l2] = step;
          transfer(i, l1, l2);
        }
      }
      if (indx === m) return;
    }
    for (let l = 0; l < k; l++) {
      itran[l] = 0;
      live[l] = (live[l] as number) - m;
    }
  };

  /** Returns false when the quick-transfer step limit was hit. */
  const quickTransfer = (): boolean => {
    let icoun = 0;
    let istep = 0;
    for (;;) {
      for (let i = 0; i < m; i++) {
        icoun++;
        istep++;
        if (istep >= maxQtrSteps) return false;
        const l1 = ic1[i] as number;
        const l2 = ic2[i] as number;
        if ((nc[l1] as number) !== 1) {
          if (istep <= (ncp[l1] as number)) d[i] = dist2(i, l1) * (an1[l1] as number);
          if (istep < (ncp[l1] as number) || istep < (ncp[l2] as number)) {
            const r2 = (d[i] as number) / (an2[l2] as number);
            const dd = dist2Below(i, l2, r2);
            if (dd < r2) {
              icoun = 0;
              indx = 0;
              itran[l1] = 1;
              itran[l2] = 1;
              ncp[l1] = istep + m;
              ncp[l2] = istep + m;
              transfer(i, l1, l2);
            }
          }
        }
        if (icoun === m) return true;
      }
    }
  };

  for (iter = 1; iter <= iterMax; iter++) {
    optimalTransfer();
    if (indx === m) {
      converged = true;
      break;
    }
    if (!quickTransfer()) {
      ifault = 4;
      converged = true; // stopped, not looping: R keeps this result with a warning
      break;
    }
    if (k === 2) {
      converged = true;
      break;
    }
    ncp.fill(0);
  }
  if (!converged) {
    ifault = 2;
    iter = iterMax + 1;
  }

  // Final centres and within-cluster sums of squares, recomputed from the assignment.
  c.fill(0);
  for (let i = 0; i < m; i++) {
    const l = ic1[i] as number;
    for (let j = 0; j < n; j++) c[l * n + j] = (c[l * n + j] as number) + (a[i * n + j] as number);
  }
  const wss = new Float64Array(k);
  for (let j = 0; j < n; j++) {
    for (let l = 0; l < k; l++) c[l * n + j] = (c[l * n + j] as number) / (nc[l] as number);
    for (let i = 0; i < m; i++) {
      const l = ic1[i] as number;
      const t = (a[i * n + j] as number) - (c[l * n + j] as number);
      wss[l] = (wss[l] as number) + t * t;
    }
  }
  return { ic1, centers: c, nc, wss, iter, ifault };
}

/** Checks that `x` is a non-empty rectangular matrix of finite numbers; returns it row-major. */
export function toRowMajor(x: Rows, what = 'data'): { a: Float64Array; m: number; n: number } {
  const m = x.length;
  if (m === 0) throw new TweetlabError(`${what}: no rows to cluster`);
  const n = (x[0] as readonly number[]).length;
  if (n === 0) throw new TweetlabError(`${what}: no columns to cluster`);
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const row = x[i] as readonly number[];
    if (row.length !== n) throw new TweetlabError(`${what}: row ${i + 1} has ${row.length} values, expected ${n}`);
    for (let j = 0; j < n; j++) {
      const v = row[j] as number;
      if (!Number.isFinite(v)) throw new TweetlabError(`${what}: row ${i + 1}, column ${j + 1} is not a finite number (${v})`);
      a[i * n + j] = v;
    }
  }
  return { a, m, n };
}

/** Total sum of squares about the column means (R: sum(scale(x, scale = FALSE)^2)). */
export function totalSumOfSquares(x: Rows): number {
  const { a, m, n } = toRowMajor(x);
  let total = 0;
  for (let j = 0; j < n; j++) {
    let mean = 0;
    for (let i = 0; i < m; i++) mean += a[i * n + j] as number;
    mean /= m;
    for (let i = 0; i < m; i++) {
      const t = (a[i * n + j] as number) - mean;
      total += t * t;
    }
  }
  return total;
}

/** Indices of the first occurrence of each distinct row, in order (R: unique(x)). */
function distinctRowIndices(a: Float64Array, m: number, n: number): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    const key = Array.from(a.subarray(i * n, i * n + n)).join(',');
    if (!seen.has(key)) {
      seen.add(key);
      out.push(i);
    }
  }
  return out;
}

/**
 * k-means++ seeding into `start` (k × n): the first centre is a uniform draw from the distinct rows, each
 * further one a row drawn with weight = squared distance to its nearest chosen centre. Rows equal to a chosen
 * centre weigh 0, so the k centres are always distinct (k ≤ distinct rows is checked by the caller).
 */
function drawKMeansPlusPlus(
  a: Float64Array,
  m: number,
  n: number,
  k: number,
  distinct: readonly number[],
  rng: Random,
  start: Float64Array,
  nearest: Float64Array,
): void {
  const first = distinct[rng.int(distinct.length)] as number;
  for (let q = 0; q < n; q++) start[q] = a[first * n + q] as number;
  nearest.fill(Infinity);
  for (let l = 1; l < k; l++) {
    const lo = (l - 1) * n;
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let q = 0; q < n; q++) {
        const t = (a[i * n + q] as number) - (start[lo + q] as number);
        s += t * t;
      }
      if (s < (nearest[i] as number)) nearest[i] = s;
    }
    const row = rng.weighted(nearest);
    for (let q = 0; q < n; q++) start[l * n + q] = a[row * n + q] as number;
  }
}

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
function totalSumOfSquaresLikeR(a: Float64Array, m: number, n: number): number {
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

/** True when two of the given rows hold the same values. */
function hasRepeatedRows(a: Float64Array, n: number, rows: readonly number[]): boolean {
  const keys = new Set(rows.map((r) => Array.from(a.subarray(r * n, r * n + n)).join(',')));
  return keys.size < rows.length;
}

/**
 * R's kmeans(x, k, nstart, iter.max) start for start, drawing from `rng` (see the module comment). k = 1 is
 * R's MacQueen branch: every point in one cluster, its wss summed point by point as R's C code does.
 */
function kmeansLikeR(
  a: Float64Array,
  m: number,
  n: number,
  k: number,
  nstart: number,
  iterMax: number,
  totss: number,
  rng: RRandom,
): KMeansResult {
  const rDrawsBefore = rng.draws;
  if (k > 1 && k >= m) throw new TweetlabError(`k = ${k} is too large: it must be smaller than the number of rows (${m})`);
  const distinct = distinctRowIndices(a, m, n); // R: cn <- unique(x)
  const mm = distinct.length;
  /** 0-based rows of one start, drawn as R draws them. */
  const drawStart = (): number[] => {
    if (nstart === 1) {
      const rows = rng.sampleInt(m, k).map((i) => i - 1); // R: x[sample.int(m, k), ]
      if (!hasRepeatedRows(a, n, rows)) return rows;
    }
    if (mm < k) throw new TweetlabError(`k = ${k} is larger than the number of distinct rows (${mm})`);
    return rng.sampleInt(mm, k).map((i) => distinct[i - 1] as number); // R: cn[sample.int(mm, k), ]
  };

  const start = new Float64Array(k * n);
  let best: HartiganWongRun | undefined;
  let bestTotal = Infinity;
  const seen = new Map<number, number>();
  for (let s = 0; s < nstart; s++) {
    const rows = drawStart();
    let run: HartiganWongRun;
    if (k === 1) {
      // MacQueen with one centre: the mean, and wss accumulated row by row, column by column.
      const center = new Float64Array(n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) center[j] = (center[j] as number) + (a[i * n + j] as number);
      for (let j = 0; j < n; j++) center[j] = (center[j] as number) / m;
      let w = 0;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const t = (a[i * n + j] as number) - (center[j] as number);
          w += t * t;
        }
      }
      run = { ic1: new Int32Array(m), centers: center, nc: Int32Array.of(m), wss: Float64Array.of(w), iter: 1, ifault: 0 };
    } else {
      rows.forEach((row, l) => {
        for (let q = 0; q < n; q++) start[l * n + q] = a[row * n + q] as number;
      });
      run = hartiganWong(a, m, n, start, k, iterMax);
      // R stops here ("empty cluster: try a better set of initial centers"); distinct rows as starts prevent it.
      if (run.ifault === 1) throw new TweetlabError('k-means: empty cluster: try a better set of initial centers');
    }
    const total = sumLikeR(run.wss);
    const key = Math.round(total * 1e9) / 1e9;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (best === undefined || total < bestTotal) {
      bestTotal = total;
      best = run;
    }
  }
  if (!best) throw new TweetlabError('k-means: nstart must be at least 1');

  const centers: number[][] = [];
  for (let l = 0; l < k; l++) centers.push(Array.from(best.centers.subarray(l * n, l * n + n)));
  return {
    cluster: Array.from(best.ic1, (l) => l + 1),
    centers,
    size: Array.from(best.nc),
    withinss: Array.from(best.wss),
    totWithinss: bestTotal,
    betweenss: totss - bestTotal,
    totss,
    iter: best.iter,
    ifault: best.ifault,
    nstart,
    seed: rng.seed,
    rng: 'r',
    rDrawsBefore,
    optimaSeen: [...seen.entries()]
      .sort((p, q) => p[0] - q[0])
      .map(([totWithinss, starts]) => ({ totWithinss, starts })),
  };
}

/**
 * k-means with `nstart` seeded random starts, keeping the best (see the module comment for how this matches
 * R). Throws a TweetlabError when k is not a whole number in 1..rows−1 (k = 1 is allowed: one cluster, the
 * overall mean) or exceeds the number of distinct rows.
 */
export function kmeans(x: Rows, k: number, options: KMeansOptions = {}): KMeansResult {
  const nstart = options.nstart ?? 1;
  const iterMax = options.iterMax ?? 10;
  const rStream = options.rng;
  const seed = rStream ? rStream.seed : (options.seed ?? 2056);
  const { a, m, n } = toRowMajor(x);
  if (!Number.isInteger(k) || k < 1) throw new TweetlabError(`k must be a whole number ≥ 1, got ${k}`);
  if (!Number.isInteger(nstart) || nstart < 1) throw new TweetlabError(`nstart must be a whole number ≥ 1, got ${nstart}`);
  if (!Number.isInteger(iterMax) || iterMax < 1) throw new TweetlabError(`iterMax must be a whole number ≥ 1, got ${iterMax}`);
  if (rStream) {
    if (options.init !== undefined && options.init !== 'random') {
      throw new TweetlabError(`k-means: init "${options.init}" cannot be combined with R-compatible starts (rng)`);
    }
    return kmeansLikeR(a, m, n, k, nstart, iterMax, totalSumOfSquaresLikeR(a, m, n), rStream);
  }
  const totss = totalSumOfSquares(x);

  if (k === 1) {
    const center = new Array<number>(n).fill(0);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) center[j] = (center[j] as number) + (a[i * n + j] as number);
    for (let j = 0; j < n; j++) center[j] = (center[j] as number) / m;
    return {
      cluster: new Array<number>(m).fill(1),
      centers: [center],
      size: [m],
      withinss: [totss],
      totWithinss: totss,
      betweenss: 0,
      totss,
      iter: 1,
      ifault: 0,
      nstart,
      seed,
      rng: 'tweetlab',
    };
  }
  if (k >= m) throw new TweetlabError(`k = ${k} is too large: it must be smaller than the number of rows (${m})`);
  const distinct = distinctRowIndices(a, m, n);
  if (k > distinct.length) {
    throw new TweetlabError(`k = ${k} is larger than the number of distinct rows (${distinct.length})`);
  }

  const init = options.init ?? 'random';
  const rng = new Random(seed);
  const pool = distinct.slice();
  const start = new Float64Array(k * n);
  const nearest = new Float64Array(m);
  let best: HartiganWongRun | undefined;
  let bestTotal = Infinity;
  const seen = new Map<number, number>();
  for (let s = 0; s < nstart; s++) {
    if (init === 'kmeans++') drawKMeansPlusPlus(a, m, n, k, pool, rng, start, nearest);
    else {
      // Partial Fisher–Yates: the first k entries of `pool` become a uniform draw without replacement.
      for (let l = 0; l < k; l++) {
        const j = l + rng.int(pool.length - l);
        const t = pool[l] as number;
        pool[l] = pool[j] as number;
        pool[j] = t;
        const row = pool[l] as number;
        for (let q = 0; q < n; q++) start[l * n + q] = a[row * n + q] as number;
      }
    }
    const run = hartiganWong(a, m, n, start, k, iterMax);
    if (run.ifault === 1) continue; // cannot happen with distinct data points as starts; skip defensively
    let total = 0;
    for (let l = 0; l < k; l++) total += run.wss[l] as number;
    const key = Math.round(total * 1e9) / 1e9;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (total < bestTotal) {
      bestTotal = total;
      best = run;
    }
  }
  if (!best) throw new TweetlabError('k-means: every start produced an empty cluster; try another seed');

  const centers: number[][] = [];
  for (let l = 0; l < k; l++) centers.push(Array.from(best.centers.subarray(l * n, l * n + n)));
  const withinss = Array.from(best.wss);
  const totWithinss = withinss.reduce((s, v) => s + v, 0);
  return {
    cluster: Array.from(best.ic1, (l) => l + 1),
    centers,
    size: Array.from(best.nc),
    withinss,
    totWithinss,
    betweenss: totss - totWithinss,
    totss,
    iter: best.iter,
    ifault: best.ifault,
    nstart,
    seed,
    rng: 'tweetlab',
    optimaSeen: [...seen.entries()]
      .sort((p, q) => p[0] - q[0])
      .map(([totWithinss, starts]) => ({ totWithinss, starts })),
  };
}

/** One point of the elbow curve. */
export interface ElbowPoint {
  k: number;
  totWithinss: number;
}

export interface ElbowOptions extends KMeansOptions {
  /** Smallest k. Default 1. */
  from?: number;
  /** Largest k. Default 10. */
  to?: number;
}

/**
 * tot.withinss for k = from..to, each k with its own `nstart` starts (default 25, as the lesson).
 * With `rng` (R mode) the k's draw one after another from that stream, continuing it, exactly like R's
 * `for (k in from:to) kmeans(x, k, nstart = 25)` after whatever the stream served before — the lesson's elbow
 * runs right after its k = 3 fit. Without it each k draws from its own tweetlab stream (`seed` forked by
 * "k=<k>"), so adding or removing a k leaves the others unchanged.
 */
export function elbow(x: Rows, options: ElbowOptions = {}): ElbowPoint[] {
  return elbowFits(x, options).map(({ k, fit }) => ({ k, totWithinss: fit.totWithinss }));
}

/**
 * The fits behind elbow() (same draws), each with its k: the lesson keeps the k = 3 one as `final_kmeans`, and
 * with R's stream that fit is numbered differently from the first k = 3 fit.
 */
export function elbowFits(x: Rows, options: ElbowOptions = {}): { k: number; fit: KMeansResult }[] {
  const from = options.from ?? 1;
  const to = options.to ?? 10;
  const seed = options.seed ?? 2056;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < from) {
    throw new TweetlabError(`elbow range must be whole numbers 1 ≤ from ≤ to, got ${from}..${to}`);
  }
  const base = new Random(seed);
  const out: { k: number; fit: KMeansResult }[] = [];
  for (let k = from; k <= to; k++) {
    const common = { nstart: options.nstart ?? 25, iterMax: options.iterMax };
    const fit = options.rng
      ? kmeans(x, k, { ...common, rng: options.rng, init: options.init })
      : kmeans(x, k, { ...common, seed: base.fork(`k=${k}`).seed });
    out.push({ k, fit });
  }
  return out;
}
