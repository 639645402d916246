import { TweetlabError } from '../errors.js';
import { Random } from '../random.js';

/**
 * k-means as R's `stats::kmeans(x, centers = k, nstart, iter.max = 10)` computes it with its default
 * algorithm, Hartigan–Wong (Applied Statistics algorithm AS 136, 1979).
 *
 * Why Hartigan–Wong and not Lloyd: Lloyd stops as soon as no point is nearer another centre, while
 * Hartigan–Wong also moves a point when the move lowers the total within-cluster sum of squares once the two
 * centres shift (the n/(n∓1) factors below). Its local optima are a subset of Lloyd's, so with the same number
 * of random starts it lands on the best partition at least as often. This module implements Hartigan–Wong so
 * that a start goes where R's would from the same centres: on the lesson's data (k = 3, 25 starts) it finds R's
 * clusters of sizes 65, 110, 111 and mean silhouette 0.549. For large k (≥ 7 there) 25 starts, in R as here,
 * often stop in a local optimum; more starts or `init: "kmeans++"` help (see test/cluster/r-agreement.test.ts).
 *
 * Starts follow R: each start is k rows drawn uniformly without replacement from the distinct rows of the
 * data (R's `unique(x)[sample.int(mm, k), ]`, which R uses for nstart ≥ 2; for nstart = 1 R draws from all rows,
 * a difference only when rows repeat). The start with the lowest tot.withinss wins, ties keep the earlier one. The draws come from tweetlab's seeded `Random`, not R's Mersenne Twister, so cluster numbers
 * (which follow the order of the drawn starting rows) differ from R's while the partition itself is the same.
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
  /** Starts tried and the seed they came from. */
  nstart: number;
  seed: number;
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

  const dist2 = (i: number, l: number): number => {
    let s = 0;
    const io = i * n;
    const lo = l * n;
    for (let j = 0; j < n; j++) {
      const t = (a[io + j] as number) - (c[lo + j] as number);
      s += t * t;
    }
    return s;
  };
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

/**
 * k-means with `nstart` seeded random starts, keeping the best (see the module comment for how this matches
 * R). Throws a TweetlabError when k is not a whole number in 1..rows−1 (k = 1 is allowed: one cluster, the
 * overall mean) or exceeds the number of distinct rows.
 */
export function kmeans(x: Rows, k: number, options: KMeansOptions = {}): KMeansResult {
  const nstart = options.nstart ?? 1;
  const iterMax = options.iterMax ?? 10;
  const seed = options.seed ?? 2056;
  const { a, m, n } = toRowMajor(x);
  if (!Number.isInteger(k) || k < 1) throw new TweetlabError(`k must be a whole number ≥ 1, got ${k}`);
  if (!Number.isInteger(nstart) || nstart < 1) throw new TweetlabError(`nstart must be a whole number ≥ 1, got ${nstart}`);
  if (!Number.isInteger(iterMax) || iterMax < 1) throw new TweetlabError(`iterMax must be a whole number ≥ 1, got ${iterMax}`);
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
 * tot.withinss for k = from..to, each k with its own `nstart` starts (default 25, as the lesson). Each k draws
 * from its own stream (`seed` forked by "k=<k>"), so adding or removing a k leaves the others unchanged.
 */
export function elbow(x: Rows, options: ElbowOptions = {}): ElbowPoint[] {
  const from = options.from ?? 1;
  const to = options.to ?? 10;
  const seed = options.seed ?? 2056;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < from) {
    throw new TweetlabError(`elbow range must be whole numbers 1 ≤ from ≤ to, got ${from}..${to}`);
  }
  const base = new Random(seed);
  const out: ElbowPoint[] = [];
  for (let k = from; k <= to; k++) {
    const r = kmeans(x, k, { nstart: options.nstart ?? 25, iterMax: options.iterMax, seed: base.fork(`k=${k}`).seed });
    out.push({ k, totWithinss: r.totWithinss });
  }
  return out;
}
