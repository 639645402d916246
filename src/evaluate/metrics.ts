/**
 * Evaluation metrics the report lacks: per-word perplexity, memorisation (copied runs of training words) and
 * distinct-n diversity of generated posts. Pure functions over word arrays; no tfjs.
 */

/**
 * Per-word perplexity from a mean cross-entropy in nats per word: exp(H). A model that always puts
 * probability 1 on the right word has H = 0 and perplexity 1; a uniform guess over V words has perplexity V.
 */
export function perplexityFromCrossEntropy(meanNatsPerWord: number): number {
  if (!Number.isFinite(meanNatsPerWord)) return Number.POSITIVE_INFINITY;
  if (meanNatsPerWord < 0) throw new RangeError(`cross-entropy cannot be negative, got ${meanNatsPerWord}`);
  return Math.exp(meanNatsPerWord);
}

/** Splits a generated or cleaned post into words on whitespace (posts reach here already cleaned). */
export function splitWords(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/u);
}

// A separator that cleaned words never contain, so joined n-grams cannot collide ("a b"+"c" vs "a"+"b c").
const SEP = '\u0001';

/** Every run of `n` consecutive words of the training posts, as a hash set (runs never cross posts). */
export class NgramIndex {
  private readonly grams = new Set<string>();

  constructor(
    posts: readonly (readonly string[])[],
    /** Run length in words; the memorisation threshold is 6. */
    readonly n = 6,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`n-gram length must be a positive integer, got ${n}`);
    for (const words of posts) {
      for (let i = 0; i + n <= words.length; i++) this.grams.add(words.slice(i, i + n).join(SEP));
    }
  }

  /** Number of distinct n-grams held. */
  get size(): number {
    return this.grams.size;
  }

  /** The first run of n words of `words` that also occurs in a training post, or undefined. */
  findCopiedRun(words: readonly string[]): string[] | undefined {
    for (let i = 0; i + this.n <= words.length; i++) {
      const gram = words.slice(i, i + this.n);
      if (this.grams.has(gram.join(SEP))) return gram;
    }
    return undefined;
  }
}

export interface MemorisationResult {
  /** Share of generated posts (0..1) that copy ≥ n consecutive words of some training post; 0 for no posts. */
  share: number;
  /** How many generated posts copy such a run. */
  memorised: number;
  /** How many generated posts were checked. */
  total: number;
  /** The run length n. */
  n: number;
  /** Up to five copied runs, as text, for the report. */
  examples: string[];
}

/**
 * Memorisation: the share of generated posts that contain a run of `n` (default 6) consecutive words that also
 * occurs inside one training post. Posts shorter than n words can never count as memorised.
 */
export function memorisation(
  generated: readonly (readonly string[])[],
  training: NgramIndex | readonly (readonly string[])[],
  n = 6,
): MemorisationResult {
  const index = training instanceof NgramIndex ? training : new NgramIndex(training, n);
  let memorised = 0;
  const examples: string[] = [];
  for (const words of generated) {
    const run = index.findCopiedRun(words);
    if (run) {
      memorised++;
      if (examples.length < 5) examples.push(run.join(' '));
    }
  }
  return { share: generated.length === 0 ? 0 : memorised / generated.length, memorised, total: generated.length, n: index.n, examples };
}

export interface DistinctResult {
  /** Distinct n-grams ÷ all n-grams (0 when there is none). */
  ratio: number;
  distinct: number;
  total: number;
}

/**
 * distinct-n (Li et al., 2016): the number of different n-grams over all generated posts divided by the
 * number of n-grams. N-grams are taken inside each post, never across two posts. 1 = no repetition at all.
 */
export function distinctN(posts: readonly (readonly string[])[], n: number): DistinctResult {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`distinct-n needs a positive integer n, got ${n}`);
  const seen = new Set<string>();
  let total = 0;
  for (const words of posts) {
    for (let i = 0; i + n <= words.length; i++) {
      seen.add(words.slice(i, i + n).join(SEP));
      total++;
    }
  }
  return { ratio: total === 0 ? 0 : seen.size / total, distinct: seen.size, total };
}
