/**
 * Post lengths before cleaning (the report's section 2): characters and words per post, their histograms,
 * the share of posts too short for a window, and the seeded post-length sampler (`get_tweet_length()`).
 */
import { TweetlabError } from '../errors.js';
import { Random } from '../random.js';
import { splitWhitespace } from '../util/whitespace.js';
import type { Post } from '../types.js';

type TextLike = Post | string;
const textOf = (p: TextLike) => (typeof p === 'string' ? p : p.text);

/** Unicode code points in `text`, as Python's `len(text)` counts (an emoji is 1, not 2 UTF-16 units). */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // a low surrogate that follows a high surrogate belongs to the same code point
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const p = text.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) continue;
    }
    n++;
  }
  return n;
}

/** Characters (code points) of each post's raw text. */
export function charsPerPost(posts: readonly TextLike[]): number[] {
  return posts.map((p) => codePointLength(textOf(p)));
}

/** Whitespace-separated tokens of each post's raw text (pandas `str.split().str.len()`). */
export function wordsPerPost(posts: readonly TextLike[]): number[] {
  return posts.map((p) => splitWhitespace(textOf(p)).length);
}

/**
 * Share of posts with fewer than `seqLength + 1` words: the posts that give no training window in variant 1
 * (a window needs seqLength inputs plus one next word). NaN when there are no posts.
 */
export function shareShorterThan(wordsPerPostValues: ArrayLike<number>, seqLength: number): number {
  const n = wordsPerPostValues.length;
  if (n === 0) return NaN;
  let short = 0;
  for (let i = 0; i < n; i++) if ((wordsPerPostValues[i] as number) < seqLength + 1) short++;
  return short / n;
}

/** Histogram as plain arrays: bin i covers [edges[i], edges[i+1]) and holds counts[i] values. */
export interface Histogram {
  /** Left edges of the bins, then the right edge of the last one (length = counts.length + 1). */
  edges: number[];
  counts: number[];
  /** Bin width (the same for every bin). */
  binWidth: number;
}

/**
 * Integer histogram, one bin per whole number from the smallest to the largest value (words per post:
 * bin 12 counts the posts of 12 words). Empty input gives empty arrays.
 */
export function integerHistogram(values: ArrayLike<number>): Histogram {
  return fixedWidthHistogram(values, 1);
}

/**
 * Histogram with bins of `binWidth` aligned on multiples of the width (so 0–9, 10–19 … for width 10).
 * Default width: the smallest of 1, 2, 5, 10, 20, 50 … that keeps the histogram at 40 bins or fewer — about
 * 28 bins of 10 characters for posts up to 280 characters.
 */
export function lengthHistogram(values: ArrayLike<number>, binWidth?: number): Histogram {
  if (binWidth === undefined) {
    const [min, max] = extent(values);
    binWidth = 1;
    for (let exp = 0; values.length > 0; exp++) {
      const fits = [1, 2, 5].map((m) => m * 10 ** exp).find((w) => Math.floor(max / w) - Math.floor(min / w) + 1 <= 40);
      if (fits !== undefined) {
        binWidth = fits;
        break;
      }
    }
  }
  return fixedWidthHistogram(values, binWidth);
}

function extent(values: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (values.length > 0 && !(Number.isFinite(min) && Number.isFinite(max))) {
    throw new TweetlabError('Histogram values must be finite numbers');
  }
  return [min, max];
}

function fixedWidthHistogram(values: ArrayLike<number>, binWidth: number): Histogram {
  if (!(binWidth > 0)) throw new TweetlabError(`Histogram bin width must be positive, got ${binWidth}`);
  if (values.length === 0) return { edges: [], counts: [], binWidth };
  const [min, max] = extent(values);
  const first = Math.floor(min / binWidth);
  const last = Math.floor(max / binWidth);
  const counts = new Array<number>(last - first + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const b = Math.floor((values[i] as number) / binWidth) - first;
    counts[b] = (counts[b] as number) + 1;
  }
  const edges = Array.from({ length: counts.length + 1 }, (_, i) => (first + i) * binWidth);
  return { edges, counts, binWidth };
}

/** Draws post lengths (in words) from the corpus's own distribution. */
export interface LengthSampler {
  /** One length: a words-per-post value of a uniformly chosen post, so frequent lengths come up often. */
  sample(): number;
  /** The seed the sampler started from, for the record. */
  readonly seed: number;
}

/**
 * The report's `get_tweet_length()`: a seeded sampler of post length drawn from the empirical words-per-post
 * distribution. Posts of 0 words are left out (a generated post needs at least one word).
 */
export function createLengthSampler(wordsPerPostValues: ArrayLike<number>, seed: number): LengthSampler {
  const lengths: number[] = [];
  for (let i = 0; i < wordsPerPostValues.length; i++) {
    const v = wordsPerPostValues[i] as number;
    if (v >= 1) lengths.push(v);
  }
  if (lengths.length === 0) throw new TweetlabError('Cannot sample post lengths: no post has any words');
  const random = new Random(seed).fork('post-length');
  return { seed, sample: () => random.pick(lengths) };
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

/** The values of `lengthCounts` again, one per post, shortest first. */
export function lengthsFromCounts(counts: Readonly<Record<string, number>>): number[] {
  const out: number[] = [];
  for (const key of Object.keys(counts).sort((a, b) => Number(a) - Number(b))) {
    for (let i = 0; i < (counts[key] as number); i++) out.push(Number(key));
  }
  return out;
}
