import { Random, deriveSeed } from '../random.js';
import { TweetlabError } from '../errors.js';
import { createLengthSampler } from '../analysis/lengths.js';
import { cleanText } from '../text/clean.js';
import { tokenizeWords } from '../text/tokenize.js';
import type { Vocabulary } from '../types.js';
import type { LanguageModel } from '../model/types.js';

/**
 * Post generation as in the report: draw a length from the corpus's words-per-post distribution, pick a random
 * start word (or take the given start text), then predict the next word until the post has that many words.
 * The model carries its recurrent state, so each word costs one step, not a re-run of the window.
 */

export interface GenerateOptions {
  /** Posts to generate. Default 1. */
  count?: number;
  /** Seed of lengths, start words and sampling; equal seeds give equal posts. Default 1. */
  seed?: number;
  /** Words-per-post values of the corpus (one per post) to draw lengths from. Required unless `length` is set. */
  wordsPerPost?: ArrayLike<number>;
  /** A fixed length in words instead of drawn ones. */
  length?: number;
  /** Always take the most probable word. Default false. */
  greedy?: boolean;
  /** Divides the log-probabilities before sampling; < 1 is bolder about likely words. 0 = greedy. Default 1. */
  temperature?: number;
  /** Sample only among the k most probable words; 0 = all. Default 0. */
  topK?: number;
  /** Start text (cleaned and tokenized as the training posts); default: one random vocabulary word per post. */
  start?: string;
  /**
   * Called as each word of post `post` (0-based) is added, start words included, so a caller can show posts
   * while they are written (the browser page streams them). Throwing from it stops generation.
   */
  onWord?: (post: number, word: string) => void;
}

export interface GeneratedPost {
  /** Words joined by single spaces. */
  text: string;
  words: string[];
  /** Length in words that was drawn (or asked for). */
  length: number;
  /** The start words (given or drawn). */
  start: string[];
  /** Seed of this post (derived from the options' seed and its index). */
  seed: number;
}

/** Ids generation may never emit: the out-of-vocabulary id and padding. */
export function forbiddenIds(vocab: Vocabulary): Set<number> {
  const ids = new Set<number>([vocab.oovId]);
  if (vocab.padId !== undefined) ids.add(vocab.padId);
  return ids;
}

/** Picks the next id from `probs`, never a forbidden one. */
export function chooseNext(
  probs: Float32Array,
  forbidden: ReadonlySet<number>,
  rng: Random,
  opts: { greedy?: boolean; temperature?: number; topK?: number },
): number {
  const temperature = opts.temperature ?? 1;
  if (!(temperature >= 0)) throw new TweetlabError(`temperature must be ≥ 0, got ${temperature}`);
  const topK = opts.topK ?? 0;
  if (!Number.isInteger(topK) || topK < 0) throw new TweetlabError(`top-k must be a whole number ≥ 0, got ${topK}`);
  if (opts.greedy || temperature === 0) {
    let best = -1;
    for (let i = 0; i < probs.length; i++) {
      if (forbidden.has(i)) continue;
      if (best < 0 || (probs[i] as number) > (probs[best] as number)) best = i;
    }
    if (best < 0) throw new TweetlabError('The vocabulary has no word that may be generated');
    return best;
  }
  let candidates: number[] = [];
  for (let i = 0; i < probs.length; i++) if (!forbidden.has(i)) candidates.push(i);
  if (candidates.length === 0) throw new TweetlabError('The vocabulary has no word that may be generated');
  if (topK > 0 && topK < candidates.length) {
    candidates.sort((a, b) => (probs[b] as number) - (probs[a] as number) || a - b);
    candidates = candidates.slice(0, topK);
  }
  // p^(1/T), computed in log space relative to the largest for stability.
  let maxLog = -Infinity;
  const logs = candidates.map((i) => {
    const l = Math.log(Math.max(probs[i] as number, 1e-30)) / temperature;
    if (l > maxLog) maxLog = l;
    return l;
  });
  const weights = logs.map((l) => Math.exp(l - maxLog));
  return candidates[rng.weighted(weights)] as number;
}

/** Generates `count` posts with `model`; deterministic under `seed`. */
export function generatePosts(model: LanguageModel, vocab: Vocabulary, opts: GenerateOptions = {}): GeneratedPost[] {
  const count = opts.count ?? 1;
  if (!Number.isInteger(count) || count < 0) throw new TweetlabError(`count must be a whole number ≥ 0, got ${count}`);
  if (vocab.words.length !== model.config.vocabSize) {
    throw new TweetlabError(
      `Vocabulary size mismatch: the vocabulary has ${vocab.words.length} words, the model was trained with ${model.config.vocabSize}`,
    );
  }
  const seed = opts.seed ?? 1;
  if (opts.length !== undefined && (!Number.isInteger(opts.length) || opts.length < 1)) {
    throw new TweetlabError(`length must be a whole number ≥ 1, got ${opts.length}`);
  }
  let sampler: { sample(): number } | undefined;
  if (opts.length === undefined) {
    if (!opts.wordsPerPost) throw new TweetlabError('generatePosts needs wordsPerPost (the corpus lengths) or a fixed length');
    sampler = createLengthSampler(opts.wordsPerPost, deriveSeed(seed, 'lengths'));
  }
  const forbidden = forbiddenIds(vocab);
  const allowedStarts: number[] = [];
  for (let i = 0; i < vocab.words.length; i++) if (!forbidden.has(i)) allowedStarts.push(i);
  if (allowedStarts.length === 0) throw new TweetlabError('The vocabulary has no word that may be generated');
  const startWords = opts.start !== undefined ? tokenizeWords(cleanText(opts.start)) : undefined;
  if (startWords !== undefined && startWords.length === 0) {
    throw new TweetlabError(`The start text "${opts.start}" has no words left after cleaning`);
  }

  const posts: GeneratedPost[] = [];
  for (let p = 0; p < count; p++) {
    const postSeed = deriveSeed(seed, `post-${p}`);
    const rng = new Random(postSeed);
    const drawn = opts.length ?? (sampler as { sample(): number }).sample();
    const start = startWords ?? [vocab.words[rng.pick(allowedStarts)] as string];
    const length = Math.max(drawn, start.length + (startWords ? 1 : 0));
    const words = [...start];
    for (const w of start) opts.onWord?.(p, w);
    const state = model.startState();
    let probs: Float32Array | undefined;
    for (const w of start) probs = model.step(state, vocab.index.get(w) ?? vocab.oovId);
    while (words.length < length) {
      const next = chooseNext(probs as Float32Array, forbidden, rng, opts);
      words.push(vocab.words[next] as string);
      opts.onWord?.(p, vocab.words[next] as string);
      if (words.length < length) probs = model.step(state, next);
    }
    posts.push({ text: words.join(' '), words, length, start, seed: postSeed });
  }
  return posts;
}

/** Words-per-post counts ({"12": 340}) ↔ one value per post, as stored in a model's config.json. */
export function lengthCounts(wordsPerPost: ArrayLike<number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < wordsPerPost.length; i++) {
    const n = wordsPerPost[i] as number;
    counts[String(n)] = (counts[String(n)] ?? 0) + 1;
  }
  return counts;
}

export function lengthsFromCounts(counts: Readonly<Record<string, number>>): number[] {
  const out: number[] = [];
  for (const key of Object.keys(counts).sort((a, b) => Number(a) - Number(b))) {
    for (let i = 0; i < (counts[key] as number); i++) out.push(Number(key));
  }
  return out;
}
