/**
 * k-means as R's `stats::kmeans(x, centers = k, nstart, iter.max = 10)` computes it with its default
 * algorithm, Hartigan–Wong (`hartigan-wong.ts`): the best of `nstart` random starts. On the lesson's data
 * (k = 3, 25 starts) it finds R's clusters of sizes 65, 111, 110 and mean silhouette 0.549. For k ≥ 6 there,
 * 25 starts often stop in a local optimum (the lesson's R run does at k = 6..10, up to 1.6 % above the best);
 * more starts or `init: "kmeans++"` find the optimum (see test/cluster/r-agreement.test.ts).
 *
 * Two ways to draw the starts (`starts.ts`):
 * - R-compatible (`rng: RRandom.setSeed(seed)`): the numbers match R's kmeans() run after set.seed(seed). The
 *   starts are drawn from R's own random stream exactly as R's kmeans() draws them, and the winner is chosen
 *   as R chooses it (strictly smaller sum(wss) wins, the sum rounded once as R's extended-precision sum()
 *   does). Same starts + the same Hartigan–Wong steps give R's clusters with R's numbering, centres and
 *   tot.withinss, local optima included. The stream advances, so several calls on one RRandom draw what the
 *   same sequence of R calls after one set.seed draws (the lesson's kmeans then elbow).
 * - tweetlab's own (`seed`, the default when no `rng` is given): the same scheme (k distinct rows uniformly)
 *   from tweetlab's `Random`, or k-means++ starts. Same optimum as R when the starts find it, but different
 *   cluster numbering, and with many clusters possibly a different local optimum than a given R run.
 */
import { TweetlabError } from '../errors.js';
import { Random, RRandom } from '../random.js';
import { hartiganWong, type HartiganWongRun } from './hartigan-wong.js';
import { distinctRowIndices, toRowMajor, totalSumOfSquares, type RowMajor, type Rows } from './matrix.js';
import { sumLikeR, totalSumOfSquaresLikeR } from './r-arithmetic.js';
import { rStartDrawer, tweetlabStartDrawer, type StartDrawer } from './starts.js';


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
/** How one way of drawing runs its starts. */
interface StartsMode {
  draw: StartDrawer;
  /** The fit from the centres in `start`; undefined skips the start. */
  fit: (start: Float64Array) => HartiganWongRun | undefined;
  /** Sum of a fit's withinss, added as this mode adds them. */
  total: (wss: Float64Array) => number;
}

/** The winning fit of a run of starts, with the distinct optima the starts reached. */
interface BestOfStarts {
  best: HartiganWongRun;
  total: number;
  optimaSeen: { totWithinss: number; starts: number }[];
}

/** Runs `nstart` starts and keeps the first with the smallest total (a strictly smaller total wins, as in R). */
function bestOfStarts(x: RowMajor, k: number, nstart: number, mode: StartsMode): BestOfStarts {
  const start = new Float64Array(k * x.n);
  let best: HartiganWongRun | undefined;
  let bestTotal = Infinity;
  const seen = new Map<number, number>();
  for (let s = 0; s < nstart; s++) {
    mode.draw(start);
    const run = mode.fit(start);
    if (run === undefined) continue;
    const total = mode.total(run.wss);
    const key = Math.round(total * 1e9) / 1e9;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (best === undefined || total < bestTotal) {
      bestTotal = total;
      best = run;
    }
  }
  if (!best) throw new TweetlabError('k-means: every start produced an empty cluster; try another seed');
  const optimaSeen = [...seen.entries()].sort((p, q) => p[0] - q[0]).map(([totWithinss, starts]) => ({ totWithinss, starts }));
  return { best, total: bestTotal, optimaSeen };
}

/** Where the starts came from, as the result reports it. */
type StartsOrigin = Pick<KMeansResult, 'nstart' | 'seed' | 'rng' | 'rDrawsBefore'>;

function toResult(x: RowMajor, k: number, fits: BestOfStarts, totss: number, origin: StartsOrigin): KMeansResult {
  const { best, total } = fits;
  const centers: number[][] = [];
  for (let l = 0; l < k; l++) centers.push(Array.from(best.centers.subarray(l * x.n, l * x.n + x.n)));
  const { nstart, seed, rng, rDrawsBefore } = origin;
  return {
    cluster: Array.from(best.ic1, (l) => l + 1),
    centers,
    size: Array.from(best.nc),
    withinss: Array.from(best.wss),
    totWithinss: total,
    betweenss: totss - total,
    totss,
    iter: best.iter,
    ifault: best.ifault,
    nstart,
    seed,
    rng,
    ...(rDrawsBefore !== undefined ? { rDrawsBefore } : {}),
    optimaSeen: fits.optimaSeen,
  };
}

/** Column means, summed row by row. */
function columnMeans({ a, m, n }: RowMajor): number[] {
  const center = new Array<number>(n).fill(0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) center[j] = (center[j] as number) + (a[i * n + j] as number);
  for (let j = 0; j < n; j++) center[j] = (center[j] as number) / m;
  return center;
}

/** R's MacQueen branch for k = 1: the mean, and wss accumulated row by row, column by column, as R's C code. */
function macQueenOneCluster(x: RowMajor): HartiganWongRun {
  const { a, m, n } = x;
  const center = Float64Array.from(columnMeans(x));
  let w = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const t = (a[i * n + j] as number) - (center[j] as number);
      w += t * t;
    }
  }
  return { ic1: new Int32Array(m), centers: center, nc: Int32Array.of(m), wss: Float64Array.of(w), iter: 1, ifault: 0 };
}

/** R-compatible starts from `rng` (see the module comment). */
function kmeansLikeR(x: RowMajor, k: number, nstart: number, iterMax: number, rng: RRandom): KMeansResult {
  const { a, m, n } = x;
  const rDrawsBefore = rng.draws;
  if (k > 1 && k >= m) throw new TweetlabError(`k = ${k} is too large: it must be smaller than the number of rows (${m})`);
  const mode: StartsMode = {
    draw: rStartDrawer(x, k, nstart, distinctRowIndices(a, m, n), rng), // R: cn <- unique(x)
    fit: (start) => {
      if (k === 1) return macQueenOneCluster(x);
      const run = hartiganWong(a, m, n, start, k, iterMax);
      // R stops here ("empty cluster: try a better set of initial centers"); distinct rows as starts prevent it.
      if (run.ifault === 1) throw new TweetlabError('k-means: empty cluster: try a better set of initial centers');
      return run;
    },
    total: sumLikeR,
  };
  const fits = bestOfStarts(x, k, nstart, mode);
  return toResult(x, k, fits, totalSumOfSquaresLikeR(a, m, n), { nstart, seed: rng.seed, rng: 'r', rDrawsBefore });
}

/** Starts from tweetlab's `Random`; k = 1 is the overall mean with no draws. */
function kmeansTweetlab(x: RowMajor, totss: number, k: number, nstart: number, iterMax: number, seed: number, init: 'random' | 'kmeans++'): KMeansResult {
  const { a, m, n } = x;
  if (k === 1) {
    const base = { cluster: new Array<number>(m).fill(1), centers: [columnMeans(x)], size: [m], withinss: [totss] };
    return { ...base, totWithinss: totss, betweenss: 0, totss, iter: 1, ifault: 0, nstart, seed, rng: 'tweetlab' };
  }
  if (k >= m) throw new TweetlabError(`k = ${k} is too large: it must be smaller than the number of rows (${m})`);
  const distinct = distinctRowIndices(a, m, n);
  if (k > distinct.length) throw new TweetlabError(`k = ${k} is larger than the number of distinct rows (${distinct.length})`);
  const mode: StartsMode = {
    draw: tweetlabStartDrawer(x, k, distinct, new Random(seed), init),
    // An empty cluster cannot happen with distinct data points as starts; skip it defensively.
    fit: (start) => {
      const run = hartiganWong(a, m, n, start, k, iterMax);
      return run.ifault === 1 ? undefined : run;
    },
    total: (wss) => {
      let total = 0;
      for (let l = 0; l < k; l++) total += wss[l] as number;
      return total;
    },
  };
  return toResult(x, k, bestOfStarts(x, k, nstart, mode), totss, { nstart, seed, rng: 'tweetlab' });
}

/**
 * k-means with `nstart` seeded random starts, keeping the best (see the module comment for how this matches
 * R). Throws a TweetlabError when k is not a whole number in 1..rows−1 (k = 1 is allowed: one cluster, the
 * overall mean) or exceeds the number of distinct rows.
 */
export function kmeans(x: Rows, k: number, options: KMeansOptions = {}): KMeansResult {
  const nstart = options.nstart ?? 1;
  const iterMax = options.iterMax ?? 10;
  const matrix = toRowMajor(x);
  if (!Number.isInteger(k) || k < 1) throw new TweetlabError(`k must be a whole number ≥ 1, got ${k}`);
  if (!Number.isInteger(nstart) || nstart < 1) throw new TweetlabError(`nstart must be a whole number ≥ 1, got ${nstart}`);
  if (!Number.isInteger(iterMax) || iterMax < 1) throw new TweetlabError(`iterMax must be a whole number ≥ 1, got ${iterMax}`);
  if (options.rng) {
    if (options.init !== undefined && options.init !== 'random') {
      throw new TweetlabError(`k-means: init "${options.init}" cannot be combined with R-compatible starts (rng)`);
    }
    return kmeansLikeR(matrix, k, nstart, iterMax, options.rng);
  }
  const seed = options.seed ?? 2056;
  return kmeansTweetlab(matrix, totalSumOfSquares(x), k, nstart, iterMax, seed, options.init ?? 'random');
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
