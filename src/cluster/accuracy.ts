import { TweetlabError } from '../errors.js';
import { compareCodeUnits } from './data.js';

/** How many points carry "the right" cluster number under some rule of pairing clusters with labels. */
export interface AccuracyResult {
  correct: number;
  total: number;
  /** correct / total */
  accuracy: number;
  /** The pairing used: matching[c − 1] is the label cluster c stands for (null when it stands for none). */
  matching: (string | null)[];
}

/**
 * The labels in alphabetical (code-unit) order and each point's 1-based id in it: what dplyr's
 * group_by(label) + cur_group_id() assigns (dplyr ≥ 1.1 sorts groups in the C locale).
 */
export function groupIds(labels: readonly string[]): { groups: string[]; ids: number[] } {
  const groups = [...new Set(labels)].sort(compareCodeUnits);
  const index = new Map(groups.map((g, i) => [g, i + 1]));
  return { groups, ids: labels.map((l) => index.get(l) as number) };
}

function checkInputs(cluster: readonly number[], labels: readonly string[]): number {
  if (cluster.length !== labels.length) {
    throw new TweetlabError(`accuracy: ${cluster.length} cluster labels for ${labels.length} genre labels`);
  }
  if (cluster.length === 0) throw new TweetlabError('accuracy: no points');
  let k = 0;
  for (const c of cluster) {
    if (!Number.isInteger(c) || c < 1) throw new TweetlabError(`accuracy: cluster labels must be 1, 2, …, got ${c}`);
    if (c > k) k = c;
  }
  return k;
}

/**
 * The lesson's accuracy: genre → integer by alphabetical group id, then count points whose cluster number
 * equals that integer.
 *
 * Why this figure is arbitrary: k-means numbers its clusters in whatever order the winning random start
 * happened to list its centres, so cluster 1 has no reason to be the first genre alphabetically. Renumbering
 * the clusters (another seed, another machine, R versus this code) leaves the partition — and tot.withinss
 * and the silhouette — unchanged, but can move this accuracy anywhere between the best and the worst
 * matching. `bestAccuracy` removes that arbitrariness by trying every pairing.
 */
export function lessonAccuracy(cluster: readonly number[], labels: readonly string[]): AccuracyResult {
  const k = checkInputs(cluster, labels);
  const { groups, ids } = groupIds(labels);
  let correct = 0;
  ids.forEach((id, i) => {
    if (cluster[i] === id) correct++;
  });
  const matching = Array.from({ length: k }, (_, c) => groups[c] ?? null);
  return { correct, total: cluster.length, accuracy: correct / cluster.length, matching };
}

/**
 * The best accuracy over all one-to-one pairings of clusters with labels (when their counts differ, the
 * surplus clusters or labels stay unpaired). Solved exactly by dynamic programming over subsets of the
 * smaller side, which equals trying every permutation but stays fast up to about 20 clusters or labels.
 */
export function bestAccuracy(cluster: readonly number[], labels: readonly string[]): AccuracyResult {
  const k = checkInputs(cluster, labels);
  const { groups, ids } = groupIds(labels);
  const g = groups.length;
  // table[c][l]: points in cluster c with label l.
  const table = Array.from({ length: k }, () => new Array<number>(g).fill(0));
  ids.forEach((id, i) => {
    const row = table[(cluster[i] as number) - 1] as number[];
    row[id - 1] = (row[id - 1] as number) + 1;
  });
  // Iterate over the larger side, keep a bitmask over the smaller one.
  const clustersOuter = k >= g;
  const outer = clustersOuter ? k : g;
  const inner = clustersOuter ? g : k;
  if (inner > 20) throw new TweetlabError(`bestAccuracy: too many clusters and labels to match (${k} × ${g})`);
  const weight = (o: number, s: number) => (clustersOuter ? (table[o] as number[])[s] : (table[s] as number[])[o]) as number;
  const states = 1 << inner;
  let dp = new Float64Array(states).fill(-Infinity);
  dp[0] = 0;
  // choice[o][mask] = inner index picked for outer item o reaching `mask` (−1: left unpaired).
  const choice: Int8Array[] = [];
  for (let o = 0; o < outer; o++) {
    const next = new Float64Array(states).fill(-Infinity);
    const pick = new Int8Array(states).fill(-2);
    for (let mask = 0; mask < states; mask++) {
      const v = dp[mask] as number;
      if (v === -Infinity) continue;
      if (v > (next[mask] as number)) {
        next[mask] = v;
        pick[mask] = -1;
      }
      for (let s = 0; s < inner; s++) {
        if (mask & (1 << s)) continue;
        const to = mask | (1 << s);
        const w = v + weight(o, s);
        if (w > (next[to] as number)) {
          next[to] = w;
          pick[to] = s;
        }
      }
    }
    choice.push(pick);
    dp = next;
  }
  let bestMask = 0;
  for (let mask = 0; mask < states; mask++) if ((dp[mask] as number) > (dp[bestMask] as number)) bestMask = mask;
  const correct = dp[bestMask] as number;
  const matching: (string | null)[] = new Array<string | null>(k).fill(null);
  let mask = bestMask;
  for (let o = outer - 1; o >= 0; o--) {
    const s = (choice[o] as Int8Array)[mask] as number;
    if (s >= 0) {
      if (clustersOuter) matching[o] = groups[s] as string;
      else matching[s] = groups[o] as string;
      mask &= ~(1 << s);
    }
  }
  return { correct, total: cluster.length, accuracy: correct / cluster.length, matching };
}
