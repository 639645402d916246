import { TweetlabError } from '../errors.js';
import { RRandom } from '../random.js';
import { bestAccuracy, lessonAccuracy, type AccuracyResult } from './accuracy.js';
import {
  filterSongs,
  GENRE_COLUMN,
  LESSON_COLUMNS,
  LESSON_GENRES,
  scale,
  matrixRows,
  selectColumns,
  textColumn,
  type DataTable,
  type NumericMatrix,
} from './data.js';
import { elbowFits, kmeans, type ElbowPoint, type KMeansResult } from './kmeans.js';
import { silhouette, type SilhouetteResult } from './silhouette.js';

/** The lesson's settings; every field defaults to what the lesson does. */
export interface KMeansLessonConfig {
  /** Genres kept. Default the lesson's three: afro dancehall, afropop, nigerian pop. Empty keeps all. */
  genres: readonly string[];
  /** Genre column. Default "artist_top_genre". */
  genreColumn: string;
  /** Drop songs with popularity 0. Default true. */
  dropZeroPopularity: boolean;
  /** Columns clustered on. Default popularity, danceability, acousticness, loudness, energy. */
  columns: readonly string[];
  /** Standardise the columns first (R's scale(); the lesson's challenge). Default false. */
  scale: boolean;
  /** Number of clusters. Default 3. */
  k: number;
  /** Random starts per k-means. Default 25. */
  nstart: number;
  /** Seed of the starts. Default 2056 (the lesson's set.seed). With rng "r", a 32-bit integer as R's set.seed takes. */
  seed: number;
  /**
   * Generator of the random starts. "r" (default): R's own stream, so the numbers match R's kmeans() run after
   * set.seed(seed) — the k-means fit draws first and the elbow continues the same stream, as the lesson's R
   * code runs them (same clusters, same cluster numbers, same tot.withinss for every k of the elbow, local
   * optima included). "tweetlab": tweetlab's `Random` (same optimum when found, other cluster numbering).
   */
  rng: 'r' | 'tweetlab';
  /** Passes per start. Default 10 (R's iter.max). */
  iterMax: number;
  /** k range of the elbow series, or null for none. Default null. */
  elbow: { from: number; to: number } | null;
}

export const DEFAULT_KMEANS_LESSON: KMeansLessonConfig = {
  genres: LESSON_GENRES,
  genreColumn: GENRE_COLUMN,
  dropZeroPopularity: true,
  columns: LESSON_COLUMNS,
  scale: false,
  k: 3,
  nstart: 25,
  seed: 2056,
  rng: 'r',
  iterMax: 10,
  elbow: null,
};

/** Everything one pass of the lesson produces. */
export interface KMeansLessonResult {
  config: KMeansLessonConfig;
  /** The filtered songs (all columns). */
  songs: DataTable;
  /** The clustered matrix (scaled when config.scale). */
  matrix: NumericMatrix;
  /** Genre of each row of `matrix`. */
  genres: string[];
  kmeans: KMeansResult;
  /** null when k = 1 (a silhouette needs two clusters). */
  silhouette: SilhouetteResult | null;
  accuracy: AccuracyResult;
  bestAccuracy: AccuracyResult;
  elbow: ElbowPoint[];
  /**
   * The lesson's `final_kmeans`: the elbow's own fit for k = config.k, which the lesson's scatter plot and
   * accuracy use. Same partition as `kmeans` when both reach the optimum, but drawn later in the stream, so its
   * clusters may be numbered differently (in R, after set.seed(2056): sizes 111, 110, 65 instead of 65, 111, 110).
   * null when there is no elbow or it does not cover config.k.
   */
  finalKMeans: KMeansResult | null;
  /** The lesson's accuracy computed on finalKMeans's numbering, as the lesson does; null with finalKMeans. */
  finalAccuracy: AccuracyResult | null;
}

/**
 * Filter → select → (scale) → k-means → silhouette → accuracy → (elbow), as the lesson does. With rng "r" (the
 * default) one R stream is set with `seed` and serves the k-means fit and then the elbow, like the lesson's
 * `set.seed(2056); kmeans(...); ...; for (k in 1:10) kmeans(...)`.
 */
export function runKMeansLesson(table: DataTable, config: Partial<KMeansLessonConfig> = {}): KMeansLessonResult {
  const cfg: KMeansLessonConfig = { ...DEFAULT_KMEANS_LESSON, ...config };
  const songs = filterSongs(table, {
    genres: cfg.genres,
    genreColumn: cfg.genreColumn,
    dropZeroPopularity: cfg.dropZeroPopularity,
  });
  const raw = selectColumns(songs, cfg.columns);
  const matrix: NumericMatrix = cfg.scale ? scale(raw) : raw;
  const rows = matrix.values.length;
  if (cfg.k > rows) {
    throw new TweetlabError(`k = ${cfg.k} is larger than the ${rows} rows left after filtering`);
  }
  let stream: RRandom | undefined;
  if (cfg.rng === 'r') {
    if (!Number.isInteger(cfg.seed) || cfg.seed < -2147483648 || cfg.seed > 2147483647) {
      throw new TweetlabError(`seed ${cfg.seed} is not a 32-bit integer, as R's set.seed needs (rng "r")`);
    }
    stream = RRandom.setSeed(cfg.seed); // set.seed(seed): kmeans() and then the elbow draw from this stream
  } else if (cfg.rng !== 'tweetlab') {
    throw new TweetlabError(`rng must be "r" or "tweetlab", got "${String(cfg.rng)}"`);
  }
  const opts = { nstart: cfg.nstart, seed: cfg.seed, iterMax: cfg.iterMax, rng: stream };
  const result = kmeans(matrix.values, cfg.k, opts);
  const genres = textColumn(songs, cfg.genreColumn);
  const sil = cfg.k >= 2 ? silhouette(matrix.values, result.cluster) : null;
  // The elbow runs after the first fit, so that with R's stream it draws what the lesson's loop draws.
  const fits = cfg.elbow ? elbowFits(matrix.values, { ...opts, from: cfg.elbow.from, to: Math.min(cfg.elbow.to, rows - 1 || 1) }) : [];
  const finalKMeans = fits.find((f) => f.k === cfg.k)?.fit ?? null;
  return {
    config: cfg,
    songs,
    matrix: { columns: matrix.columns, values: matrix.values },
    genres,
    kmeans: result,
    silhouette: sil,
    accuracy: lessonAccuracy(result.cluster, genres),
    bestAccuracy: bestAccuracy(result.cluster, genres),
    elbow: fits.map(({ k, fit }) => ({ k, totWithinss: fit.totWithinss })),
    finalKMeans,
    finalAccuracy: finalKMeans ? lessonAccuracy(finalKMeans.cluster, genres) : null,
  };
}

/**
 * The stable JSON summary (what `tweetlab kmeans --json` prints). `centers` is an array with one object per
 * cluster, mapping column name → centre value, in cluster order (cluster 1 first).
 */
export interface KMeansSummary {
  rows: number;
  sizes: number[];
  centers: Record<string, number>[];
  totWithinss: number;
  betweenss: number;
  totss: number;
  /** Mean silhouette width; null when k = 1. */
  silhouette: number | null;
  accuracy: number;
  bestAccuracy: number;
  elbow: ElbowPoint[];
}

export function summarizeKMeansLesson(r: KMeansLessonResult): KMeansSummary {
  return {
    rows: r.matrix.values.length,
    sizes: r.kmeans.size,
    centers: r.kmeans.centers.map((c) => Object.fromEntries(r.matrix.columns.map((name, j) => [name, c[j] as number]))),
    totWithinss: r.kmeans.totWithinss,
    betweenss: r.kmeans.betweenss,
    totss: r.kmeans.totss,
    silhouette: r.silhouette ? r.silhouette.mean : null,
    accuracy: r.accuracy.accuracy,
    bestAccuracy: r.bestAccuracy.accuracy,
    elbow: r.elbow,
  };
}

/** The cluster table the lesson prints: one row per cluster with its size, withinss and centre. */
export function clusterTable(result: KMeansResult, columns: readonly string[]): Record<string, number>[] {
  return result.centers.map((c, i) => ({
    cluster: i + 1,
    size: result.size[i] as number,
    withinss: result.withinss[i] as number,
    ...Object.fromEntries(columns.map((name, j) => [name, c[j] as number])),
  }));
}

/**
 * The rows of a matrix with their cluster first (broom's augment(kclust, data) %>% relocate(.cluster)),
 * limited to the first `limit` rows when given.
 */
export function augmentClusters(matrix: NumericMatrix, cluster: readonly number[], limit?: number): Record<string, number>[] {
  return matrixRows(matrix, limit).map((row, i) => ({ '.cluster': cluster[i] as number, ...row }));
}
