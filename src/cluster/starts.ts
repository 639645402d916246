/**
 * Where each k-means start puts its k centres: R's draws from R's own random stream, or tweetlab's from its
 * `Random` (k distinct rows uniformly, or k-means++).
 */
import { TweetlabError } from '../errors.js';
import type { Random, RRandom } from '../random.js';
import { copyRows, hasRepeatedRows, squaredDistance, type RowMajor } from './matrix.js';

/** Fills `start` (k × n, row-major) with the centres of the next start. */
export type StartDrawer = (start: Float64Array) => void;

/**
 * R's kmeans() draws: for nstart ≥ 2, `unique(x)[sample.int(mm, k), ]` for every start including the first;
 * for nstart = 1, `x[sample.int(m, k), ]`, redrawn from unique(x) if those rows repeat. For k = 1 the draws
 * are made too, as R makes them, so the stream advances as R's does.
 */
export function rStartDrawer(x: RowMajor, k: number, nstart: number, distinct: readonly number[], rng: RRandom): StartDrawer {
  const { a, m, n } = x;
  const mm = distinct.length;
  const drawRows = (): number[] => {
    if (nstart === 1) {
      const rows = rng.sampleInt(m, k).map((i) => i - 1); // R: x[sample.int(m, k), ]
      if (!hasRepeatedRows(a, n, rows)) return rows;
    }
    if (mm < k) throw new TweetlabError(`k = ${k} is larger than the number of distinct rows (${mm})`);
    return rng.sampleInt(mm, k).map((i) => distinct[i - 1] as number); // R: cn[sample.int(mm, k), ]
  };
  return (start) => copyRows(a, n, drawRows(), start);
}

/**
 * tweetlab's draws from `rng`: "random" takes k distinct rows uniformly (a partial Fisher–Yates shuffle of the
 * distinct rows, continued from start to start); "kmeans++" as `drawKMeansPlusPlus`.
 */
export function tweetlabStartDrawer(x: RowMajor, k: number, distinct: readonly number[], rng: Random, init: 'random' | 'kmeans++'): StartDrawer {
  const { a, m, n } = x;
  const pool = distinct.slice();
  if (init === 'kmeans++') {
    const nearest = new Float64Array(m);
    return (start) => drawKMeansPlusPlus(x, k, pool, rng, start, nearest);
  }
  return (start) => {
    // Partial Fisher–Yates: the first k entries of `pool` become a uniform draw without replacement.
    for (let l = 0; l < k; l++) {
      const j = l + rng.int(pool.length - l);
      const t = pool[l] as number;
      pool[l] = pool[j] as number;
      pool[j] = t;
      const row = pool[l] as number;
      for (let q = 0; q < n; q++) start[l * n + q] = a[row * n + q] as number;
    }
  };
}

/**
 * k-means++ seeding into `start` (k × n): the first centre is a uniform draw from the distinct rows, each
 * further one a row drawn with weight = squared distance to its nearest chosen centre. Rows equal to a chosen
 * centre weigh 0, so the k centres are always distinct (k ≤ distinct rows is checked by the caller).
 */
function drawKMeansPlusPlus(x: RowMajor, k: number, distinct: readonly number[], rng: Random, start: Float64Array, nearest: Float64Array): void {
  const { a, m, n } = x;
  const first = distinct[rng.int(distinct.length)] as number;
  for (let q = 0; q < n; q++) start[q] = a[first * n + q] as number;
  nearest.fill(Infinity);
  for (let l = 1; l < k; l++) {
    for (let i = 0; i < m; i++) {
      const s = squaredDistance(a, i, start, l - 1, n);
      if (s < (nearest[i] as number)) nearest[i] = s;
    }
    const row = rng.weighted(nearest);
    for (let q = 0; q < n; q++) start[l * n + q] = a[row * n + q] as number;
  }
}
