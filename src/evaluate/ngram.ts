import type { Random } from '../random.js';
import type { WindowSet } from '../types.js';
import { perplexityFromCrossEntropy } from './metrics.js';

/**
 * The baseline the LSTMs have to beat: an interpolated Kneser–Ney word 3-gram model (Chen & Goodman 1998,
 * one absolute discount per order and count kind, D = n1 / (n1 + 2·n2)). It works on the same word ids as the
 * LSTMs (same vocabulary, same out-of-vocabulary id), and it is a real probability distribution over all
 * `vocabSize` ids for every context — the lowest order is interpolated with a uniform distribution — so its
 * perplexity is directly comparable with the LSTMs' exp(cross-entropy).
 *
 *   P(w | u v) = max(c(uvw) − D3, 0) / c(uv•) + D3 · N1+(uv•) / c(uv•) · Pc2(w | v)
 *   Pc2(w | v) = max(N1+(•vw) − D2c, 0) / N1+(•v•) + D2c · N1+(v•) / N1+(•v•) · Pc1(w)
 *   Pc1(w)     = max(N1+(•w) − D1c, 0) / N1+(••) + D1c · N1+(•) / N1+(••) · 1 / V
 *
 * Lower orders use continuation counts (how many different words precede), the Kneser–Ney idea. When a
 * context was never seen, its order passes all mass to the next lower one. When the history holds only one
 * word (the first step of a window), the bigram is the highest order and uses raw counts c(vw) instead of
 * continuation counts, as Kneser–Ney prescribes for the top order; with no history at all, raw unigram counts.
 *
 * Training sequences are padded on the left with two begin-of-post markers so the first words of a post get
 * counted; the marker is never predicted and has no probability.
 */
export class KneserNeyTrigram {
  /** The absolute discounts, per order and kind of count (raw counts or continuation counts). */
  readonly discounts: {
    trigram: number;
    bigramContinuation: number;
    unigramContinuation: number;
    bigram: number;
    unigram: number;
  };
  /** The number of word ids the distribution covers (ids 0 … vocabSize − 1). */
  readonly vocabSize: number;
  /** Training words counted (without the padding markers). */
  readonly trainingWords: number;

  private readonly bos: number;
  private readonly base: number;
  // Order 3: raw counts c(uvw) per context key u·base+v, with the context's total and number of types.
  private readonly tri = new Map<number, Map<number, number>>();
  private readonly triTotal = new Map<number, number>();
  // Order 2: continuation counts N1+(•vw) per context v, with their sum N1+(•v•) and type count N1+(v•).
  private readonly bi = new Map<number, Map<number, number>>();
  private readonly biTotal = new Map<number, number>();
  // Raw bigram counts c(vw), used when the history has one word only.
  private readonly biRaw = new Map<number, Map<number, number>>();
  private readonly biRawTotal = new Map<number, number>();
  // Order 1: the continuation unigram Pc1 and the raw unigram (empty history), fully precomputed.
  private readonly p1: Float64Array;
  private readonly p1Raw: Float64Array;

  private constructor(vocabSize: number, sequences: readonly ArrayLike<number>[]) {
    if (!Number.isInteger(vocabSize) || vocabSize < 1) throw new RangeError(`vocabSize must be a positive integer, got ${vocabSize}`);
    this.vocabSize = vocabSize;
    this.bos = vocabSize;
    this.base = vocabSize + 1;

    let words = 0;
    for (const seq of sequences) {
      let u = this.bos;
      let v = this.bos;
      for (let i = 0; i < seq.length; i++) {
        const w = seq[i] as number;
        if (!Number.isInteger(w) || w < 0 || w >= vocabSize) {
          throw new RangeError(`word id ${w} is outside the vocabulary (0 … ${vocabSize - 1})`);
        }
        const key = u * this.base + v;
        let row = this.tri.get(key);
        if (!row) this.tri.set(key, (row = new Map()));
        row.set(w, (row.get(w) ?? 0) + 1);
        this.triTotal.set(key, (this.triTotal.get(key) ?? 0) + 1);
        u = v;
        v = w;
        words++;
      }
    }
    this.trainingWords = words;

    // Continuation counts: every distinct trigram (u, v, w) adds one left neighbour to the bigram (v, w).
    // Raw bigram counts: each trigram occurrence is one occurrence of its bigram (v, w).
    for (const [key, row] of this.tri) {
      const v = key % this.base;
      let biRow = this.bi.get(v);
      if (!biRow) this.bi.set(v, (biRow = new Map()));
      let rawRow = this.biRaw.get(v);
      if (!rawRow) this.biRaw.set(v, (rawRow = new Map()));
      for (const [w, c] of row) {
        biRow.set(w, (biRow.get(w) ?? 0) + 1);
        this.biTotal.set(v, (this.biTotal.get(v) ?? 0) + 1);
        rawRow.set(w, (rawRow.get(w) ?? 0) + c);
        this.biRawTotal.set(v, (this.biRawTotal.get(v) ?? 0) + c);
      }
    }
    // Every distinct bigram (v, w) adds one left neighbour to the unigram w; raw unigram counts alongside.
    const uniCont = new Float64Array(vocabSize);
    const uniRaw = new Float64Array(vocabSize);
    for (const row of this.biRaw.values()) {
      for (const [w, c] of row) {
        uniCont[w] = (uniCont[w] as number) + 1;
        uniRaw[w] = (uniRaw[w] as number) + c;
      }
    }

    const triCounts: number[] = [];
    for (const row of this.tri.values()) for (const c of row.values()) triCounts.push(c);
    const biCounts: number[] = [];
    for (const row of this.bi.values()) for (const c of row.values()) biCounts.push(c);
    const biRawCounts: number[] = [];
    for (const row of this.biRaw.values()) for (const c of row.values()) biRawCounts.push(c);
    this.discounts = {
      trigram: discountFor(triCounts),
      bigramContinuation: discountFor(biCounts),
      unigramContinuation: discountFor(uniCont),
      bigram: discountFor(biRawCounts),
      unigram: discountFor(uniRaw),
    };
    this.p1 = absoluteDiscountUniform(uniCont, this.discounts.unigramContinuation);
    this.p1Raw = absoluteDiscountUniform(uniRaw, this.discounts.unigram);
  }

  /**
   * Trains on word-id sequences (one per training post, encoded with the LSTMs' vocabulary so out-of-vocabulary
   * words share the same id). Trigrams never cross two sequences.
   */
  static train(sequences: readonly ArrayLike<number>[], vocabSize: number): KneserNeyTrigram {
    return new KneserNeyTrigram(vocabSize, sequences);
  }

  /**
   * P(w | history): only the last two ids of `history` matter (one id: raw-count bigram over the continuation
   * unigram; none: raw unigram).
   */
  probability(w: number, history: ArrayLike<number>): number {
    const n = history.length;
    if (n === 0) return this.p1Raw[w] ?? 0;
    const v = history[n - 1] as number;
    if (n === 1) return interpolate(this.biRaw.get(v), this.biRawTotal.get(v), w, this.discounts.bigram, this.p1[w] ?? 0);
    const p2 = interpolate(this.bi.get(v), this.biTotal.get(v), w, this.discounts.bigramContinuation, this.p1[w] ?? 0);
    const key = (history[n - 2] as number) * this.base + v;
    return interpolate(this.tri.get(key), this.triTotal.get(key), w, this.discounts.trigram, p2);
  }

  /** The whole next-word distribution after `history` (length vocabSize, sums to 1). */
  distribution(history: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.vocabSize);
    for (let w = 0; w < this.vocabSize; w++) out[w] = this.probability(w, history);
    return out;
  }

  /**
   * Mean cross-entropy and perplexity over exactly the next-word targets the LSTM evaluation scores: every step
   * t of every window. The LSTM sees the window's words 0 … t (up to seqLength words); this model sees only the
   * last two of them (one at t = 0) — that is the difference between the two numbers, and the point of the
   * comparison.
   */
  evaluateWindows(windows: WindowSet): NgramEvaluation {
    const L = windows.seqLength;
    let nats = 0;
    let targets = 0;
    const history = [0, 0];
    const single = [0];
    for (let i = 0; i < windows.count; i++) {
      for (let t = 0; t < L; t++) {
        const target = windows.targets[i * L + t] as number;
        let p: number;
        if (t === 0) {
          single[0] = windows.inputs[i * L] as number;
          p = this.probability(target, single);
        } else {
          history[0] = windows.inputs[i * L + t - 1] as number;
          history[1] = windows.inputs[i * L + t] as number;
          p = this.probability(target, history);
        }
        nats -= Math.log(p);
        targets++;
      }
    }
    const crossEntropy = targets === 0 ? Number.NaN : nats / targets;
    return { crossEntropy, perplexity: targets === 0 ? Number.NaN : perplexityFromCrossEntropy(crossEntropy), targets };
  }

  /**
   * Samples a post of `length` ids starting with `start`, drawing each next word from the model's distribution
   * with `banned` ids (padding, out-of-vocabulary) removed. Deterministic under the given Random.
   */
  generate(start: number, length: number, rng: Random, banned: readonly number[] = []): number[] {
    const ids = [start];
    while (ids.length < length) {
      const dist = this.distribution(ids.slice(-2));
      for (const b of banned) if (b >= 0 && b < dist.length) dist[b] = 0;
      ids.push(rng.weighted(dist));
    }
    return ids.slice(0, Math.max(length, 0));
  }
}

export interface NgramEvaluation {
  /** Mean cross-entropy in nats per target word. */
  crossEntropy: number;
  perplexity: number;
  /** Number of next-word targets scored. */
  targets: number;
}

/** One interpolated absolute-discount step: the discounted count of w in `row`, plus the freed mass × lower. */
function interpolate(
  row: Map<number, number> | undefined,
  total: number | undefined,
  w: number,
  discount: number,
  lower: number,
): number {
  if (!row || !total) return lower;
  return Math.max((row.get(w) ?? 0) - discount, 0) / total + ((discount * row.size) / total) * lower;
}

/** Discounted counts with the freed mass spread uniformly over all ids (uniform when there are no counts). */
function absoluteDiscountUniform(counts: Float64Array, discount: number): Float64Array {
  const V = counts.length;
  let total = 0;
  let types = 0;
  for (let w = 0; w < V; w++) {
    total += counts[w] as number;
    if ((counts[w] as number) > 0) types++;
  }
  const out = new Float64Array(V);
  for (let w = 0; w < V; w++) {
    out[w] = total === 0 ? 1 / V : Math.max((counts[w] as number) - discount, 0) / total + ((discount * types) / total) / V;
  }
  return out;
}

/** Chen & Goodman's estimate D = n1 / (n1 + 2·n2) from the counts of count 1 and 2, kept inside (0, 1). */
function discountFor(counts: ArrayLike<number>): number {
  let n1 = 0;
  let n2 = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] as number;
    if (c === 1) n1++;
    else if (c === 2) n2++;
  }
  if (n1 + 2 * n2 === 0) return 0.5;
  return Math.min(Math.max(n1 / (n1 + 2 * n2), 0.05), 0.95);
}
