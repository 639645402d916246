import { TweetlabError } from '../errors.js';
import { Random, deriveSeed } from '../random.js';
import { logisticScore, trainLogistic, type SparseRows } from './logistic.js';
import { splitWords } from './metrics.js';

/**
 * "Can you tell?": how well a plain classifier separates real posts from generated ones. A logistic regression on
 * word 1-grams and 2-grams is cross-validated over both sets; 50 % held-out accuracy means the generated posts
 * cannot be told apart by their words, 100 % means they always can.
 */

export interface CanYouTellOptions {
  /** Seed of the balancing subsample and the fold assignment. */
  seed: number;
  /** Cross-validation folds (default 5). */
  folds?: number;
  /** L2 penalty on the weights against the summed log-loss (default 1, sklearn's C = 1). */
  l2?: number;
  /** Most L-BFGS iterations per fold (default 100). */
  maxIterations?: number;
}

export interface CanYouTellResult {
  /** Held-out accuracy over all folds (0.5 = cannot tell). */
  accuracy: number;
  foldAccuracies: number[];
  /** Posts used from each list after balancing (the smaller list's size). */
  postsPerClass: number;
  /** Size of the feature vocabulary, averaged over the folds' training parts and rounded. */
  features: number;
}

// Markers for the post's start and end, so that how posts begin and end are 2-gram features too.
const START = '\u0002';
const END = '\u0003';
const SEP = '\u0001';

/**
 * Seeded, stratified k-fold cross-validation of an L2 logistic regression (with bias) telling `generated` (class
 * 1) from `real` (class 0). Features: presence of each word and each pair of adjacent words (post start and end
 * included), each post's vector scaled to unit length; the vocabulary of every fold comes from its training
 * part only. The larger list is subsampled (seeded) to the size of the smaller.
 */
export function canYouTell(real: readonly string[], generated: readonly string[], opts: CanYouTellOptions): CanYouTellResult {
  const folds = opts.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2) throw new TweetlabError(`canYouTell: folds must be an integer ≥ 2, got ${folds}`);
  const perClass = Math.min(real.length, generated.length);
  if (perClass < folds) {
    throw new TweetlabError(
      `canYouTell: ${folds}-fold cross-validation needs at least ${folds} posts of each kind, got ${real.length} real and ${generated.length} generated`,
    );
  }
  const posts = [...balance(real, perClass, opts.seed, 'real'), ...balance(generated, perClass, opts.seed, 'generated')];
  const labels = new Uint8Array(posts.length);
  labels.fill(1, perClass);
  const features = internFeatures(posts);
  const foldOf = stratifiedFolds(perClass, folds, opts.seed);

  const foldAccuracies: number[] = [];
  let correct = 0;
  let featureTotal = 0;
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < posts.length; i++) (foldOf[i] === f ? test : train).push(i);
    const columns = trainingVocabulary(features, train);
    featureTotal += columns.size;
    const model = trainLogistic(sparseRows(features, train, columns), pick(labels, train), {
      l2: opts.l2 ?? 1,
      maxIterations: opts.maxIterations ?? 100,
    });
    const testRows = sparseRows(features, test, columns);
    let right = 0;
    test.forEach((post, r) => {
      const predicted = logisticScore(testRows, r, model.weights, model.bias) > 0 ? 1 : 0;
      if (predicted === labels[post]) right++;
    });
    foldAccuracies.push(right / test.length);
    correct += right;
  }
  return { accuracy: correct / posts.length, foldAccuracies, postsPerClass: perClass, features: Math.round(featureTotal / folds) };
}

/** `count` posts of `posts`, a seeded subsample when there are more (kept in their original order). */
function balance(posts: readonly string[], count: number, seed: number, label: string): readonly string[] {
  if (posts.length === count) return posts;
  const order = new Random(deriveSeed(seed, `can-you-tell-balance-${label}`)).shuffle(posts.map((_, i) => i));
  return order
    .slice(0, count)
    .sort((a, b) => a - b)
    .map((i) => posts[i] as string);
}

/**
 * The fold of each of the 2·perClass posts (real ones first): each class gets its own seeded permutation, dealt
 * round-robin, so every fold holds the same number (±1) of real and of generated posts.
 */
function stratifiedFolds(perClass: number, folds: number, seed: number): Int32Array {
  const fold = new Int32Array(2 * perClass);
  for (const [c, label] of ['real', 'generated'].entries()) {
    const order = new Random(deriveSeed(seed, `can-you-tell-folds-${label}`)).shuffle([...Array(perClass).keys()]);
    order.forEach((post, rank) => (fold[c * perClass + post] = rank % folds));
  }
  return fold;
}

/** Each post's distinct features as global ids: its words, and its adjacent word pairs with start/end markers. */
function internFeatures(posts: readonly string[]): { ids: Int32Array[]; count: number } {
  const index = new Map<string, number>();
  const ids = posts.map((text) => {
    const words = splitWords(text);
    const seen = new Set<number>();
    const add = (feature: string) => {
      let id = index.get(feature);
      if (id === undefined) index.set(feature, (id = index.size));
      seen.add(id);
    };
    for (const w of words) add(w);
    const tokens = [START, ...words, END];
    for (let i = 0; i + 1 < tokens.length; i++) add(`${tokens[i] as string}${SEP}${tokens[i + 1] as string}`);
    return Int32Array.from(seen);
  });
  return { ids, count: index.size };
}

/** Column of each global feature id seen in the training posts (in order of first appearance), else absent. */
function trainingVocabulary(features: { ids: Int32Array[] }, train: readonly number[]): Map<number, number> {
  const columns = new Map<number, number>();
  for (const post of train) {
    for (const id of features.ids[post] as Int32Array) if (!columns.has(id)) columns.set(id, columns.size);
  }
  return columns;
}

/** The given posts as unit-length binary rows over the training vocabulary (unknown features dropped). */
function sparseRows(features: { ids: Int32Array[] }, posts: readonly number[], columns: Map<number, number>): SparseRows {
  const rowStart = new Int32Array(posts.length + 1);
  const indices: number[] = [];
  posts.forEach((post, r) => {
    for (const id of features.ids[post] as Int32Array) {
      const col = columns.get(id);
      if (col !== undefined) indices.push(col);
    }
    rowStart[r + 1] = indices.length;
  });
  const values = new Float64Array(indices.length);
  for (let r = 0; r < posts.length; r++) {
    const from = rowStart[r] as number;
    const to = rowStart[r + 1] as number;
    values.fill(1 / Math.sqrt(to - from), from, to);
  }
  return { rowStart, indices: Int32Array.from(indices), values, columns: columns.size };
}

function pick(labels: Uint8Array, posts: readonly number[]): Uint8Array {
  return Uint8Array.from(posts, (i) => labels[i] as number);
}
