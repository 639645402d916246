import { TweetlabError } from '../errors.js';
import type { Rows } from './matrix.js';

/** Silhouette of a clustering, as R's cluster::silhouette(cluster, dist(x)) with Euclidean distances. */
export interface SilhouetteResult {
  /** Cluster of each point (1-based, as given). */
  cluster: number[];
  /** The nearest other cluster of each point: the one with the smallest mean distance (R: neighbor). */
  neighbor: number[];
  /** s(i) = (b − a) / max(a, b), where a = mean distance to the rest of its own cluster, b = to the neighbour. */
  widths: number[];
  /** Mean of widths (what the lesson reports: mean(ss[, 3])). */
  mean: number;
  /** Mean width per cluster, index c − 1 for cluster c (R: summary(ss)$clus.avg.widths). */
  clusterMeans: number[];
}

/** Sizes of clusters 1..k (index c − 1), after checking the labels; at least two must be non-empty. */
function clusterSizes(cluster: readonly number[], points: number): number[] {
  if (cluster.length !== points) {
    throw new TweetlabError(`silhouette: ${cluster.length} cluster labels for ${points} points`);
  }
  let k = 0;
  for (const c of cluster) {
    if (!Number.isInteger(c) || c < 1) throw new TweetlabError(`silhouette: cluster labels must be 1, 2, …, got ${c}`);
    if (c > k) k = c;
  }
  const size = new Array<number>(k).fill(0);
  for (const c of cluster) size[c - 1] = (size[c - 1] as number) + 1;
  if (size.filter((s) => s > 0).length < 2) throw new TweetlabError('silhouette needs at least 2 non-empty clusters');
  return size;
}

/** Point i's summed Euclidean distance to the points of each cluster (into `sums`, index c − 1). */
function distanceSums(x: Rows, cluster: readonly number[], i: number, sums: number[]): void {
  sums.fill(0);
  const xi = x[i] as readonly number[];
  for (let j = 0; j < x.length; j++) {
    if (j === i) continue;
    const xj = x[j] as readonly number[];
    let s = 0;
    for (let q = 0; q < xi.length; q++) {
      const t = (xi[q] as number) - (xj[q] as number);
      s += t * t;
    }
    const c = (cluster[j] as number) - 1;
    sums[c] = (sums[c] as number) + Math.sqrt(s);
  }
}

/** Point i's neighbour (0-based cluster with the smallest mean distance, other than its own) and width. */
function pointWidth(sums: readonly number[], size: readonly number[], own: number): { neighbor: number; width: number } {
  let b = Infinity;
  let nb = -1;
  for (let c = 0; c < size.length; c++) {
    if (c === own || size[c] === 0) continue;
    const avg = (sums[c] as number) / (size[c] as number);
    if (avg < b) {
      b = avg;
      nb = c;
    }
  }
  if ((size[own] as number) === 1) return { neighbor: nb, width: 0 };
  const a = (sums[own] as number) / ((size[own] as number) - 1);
  const denom = Math.max(a, b);
  return { neighbor: nb, width: denom > 0 ? (b - a) / denom : 0 };
}

/**
 * Silhouette widths with Euclidean distances. A point alone in its cluster gets width 0 (Rousseeuw's
 * convention, as in R). Needs at least two non-empty clusters; cluster numbers are 1..k.
 */
export function silhouette(x: Rows, cluster: readonly number[]): SilhouetteResult {
  const m = x.length;
  const size = clusterSizes(cluster, m);
  const k = size.length;
  const widths: number[] = [];
  const neighbor: number[] = [];
  const sums = new Array<number>(k);
  for (let i = 0; i < m; i++) {
    distanceSums(x, cluster, i, sums);
    const point = pointWidth(sums, size, (cluster[i] as number) - 1);
    neighbor.push(point.neighbor + 1);
    widths.push(point.width);
  }
  const clusterSums = new Array<number>(k).fill(0);
  widths.forEach((w, i) => {
    const c = (cluster[i] as number) - 1;
    clusterSums[c] = (clusterSums[c] as number) + w;
  });
  return {
    cluster: [...cluster],
    neighbor,
    widths,
    mean: widths.reduce((s, w) => s + w, 0) / m,
    clusterMeans: clusterSums.map((s, c) => (size[c] ? s / (size[c] as number) : NaN)),
  };
}
