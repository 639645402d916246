import type { Random } from '../random.js';
import type { WindowSet } from '../types.js';
import { perplexityFromCrossEntropy } from './metrics.js';
import { interpolate, interpolateAll } from './kn-discount.js';
import { countKneserNey, discountsOf, unigramDistributions, type KneserNeyCounts, type KneserNeyDiscounts } from './ngram-counts.js';

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
 *
 * With `{ eosId }` the model works on the post stream instead: every training post is `<eos> w1 … wn <eos>`,
 * the end-of-post token doubling as the begin context (as GPT's end-of-text token does). The padding marker is
 * then `<eos>` itself, the final `<eos>` is a counted target, and an `<eos>` inside a sequence ends that post
 * and starts the next from the begin context. Any history that ends in `<eos>` is the begin context
 * (`<eos> <eos>`): nothing is carried across a post boundary. Without the option nothing changes.
 */
export class KneserNeyTrigram {
  /** The absolute discounts, per order and kind of count (raw counts or continuation counts). */
  readonly discounts: KneserNeyDiscounts;
  /** The number of word ids the distribution covers (ids 0 … vocabSize − 1). */
  readonly vocabSize: number;
  /** Training words counted (without the padding markers). */
  readonly trainingWords: number;

  /** The end-of-post id in post-stream mode (`{ eosId }`), else undefined. */
  readonly eosId: number | undefined;

  private readonly base: number;
  /** The trigram, bigram and unigram counts (see KneserNeyCounts). */
  private readonly counts: KneserNeyCounts;
  // Order 1: the continuation unigram Pc1 and the raw unigram (empty history), fully precomputed.
  private readonly p1: Float64Array;
  private readonly p1Raw: Float64Array;

  private constructor(vocabSize: number, sequences: readonly ArrayLike<number>[], options: KneserNeyOptions) {
    if (!Number.isInteger(vocabSize) || vocabSize < 1) throw new RangeError(`vocabSize must be a positive integer, got ${vocabSize}`);
    const eos = options.eosId;
    if (eos !== undefined && !(Number.isInteger(eos) && eos >= 0 && eos < vocabSize)) {
      throw new RangeError(`eosId must be a word id (0 … ${vocabSize - 1}), got ${eos}`);
    }
    this.vocabSize = vocabSize;
    this.eosId = eos;
    this.base = vocabSize + 1;
    // Training sequences are padded with the begin marker: `<eos>` in post-stream mode, else the id vocabSize.
    this.counts = countKneserNey(sequences, { vocabSize, base: this.base, bos: eos ?? vocabSize, eos, checkId: (w) => this.checkId(w) });
    this.trainingWords = this.counts.trainingWords;
    this.discounts = discountsOf(this.counts);
    const unigrams = unigramDistributions(this.counts, this.discounts);
    this.p1 = unigrams.p1;
    this.p1Raw = unigrams.p1Raw;
  }

  /**
   * Trains on word-id sequences (one per training post, encoded with the LSTMs' vocabulary so out-of-vocabulary
   * words share the same id). Trigrams never cross two sequences. With `{ eosId }`, posts are closed with
   * `<eos>` and start from the begin context `<eos> <eos>` (see the class comment).
   */
  static train(sequences: readonly ArrayLike<number>[], vocabSize: number, options: KneserNeyOptions = {}): KneserNeyTrigram {
    return new KneserNeyTrigram(vocabSize, sequences, options);
  }

  private checkId(w: number): number {
    if (!Number.isInteger(w) || w < 0 || w >= this.vocabSize) {
      throw new RangeError(`word id ${w} is outside the vocabulary (0 … ${this.vocabSize - 1})`);
    }
    return w;
  }

  /**
   * P(w | history): only the last two ids of `history` matter (one id: raw-count bigram over the continuation
   * unigram; none: raw unigram).
   */
  probability(w: number, history: ArrayLike<number>): number {
    const n = history.length;
    if (n === 0) return this.p1Raw[w] ?? 0;
    const v = history[n - 1] as number;
    if (v === this.eosId) return this.trigramProbability(w, v, v);
    if (n === 1) return interpolate(this.counts.biRaw.get(v), this.counts.biRawTotal.get(v), w, this.discounts.bigram, this.p1[w] ?? 0);
    return this.trigramProbability(w, history[n - 2] as number, v);
  }

  /** P(w | u v) through the continuation bigram and unigram. */
  private trigramProbability(w: number, u: number, v: number): number {
    const p2 = interpolate(this.counts.bi.get(v), this.counts.biTotal.get(v), w, this.discounts.bigramContinuation, this.p1[w] ?? 0);
    const key = u * this.base + v;
    return interpolate(this.counts.tri.get(key), this.counts.triTotal.get(key), w, this.discounts.trigram, p2);
  }

  /**
   * The whole next-word distribution after the two-word context `w2 w1` (w1 the latest word), written into
   * `out` (allocated when absent) and returned. Equal to `probability(w, [w2, w1])` for every w, computed in
   * O(vocabSize + counts seen after the context): cheap enough per generated or scored token.
   */
  nextDistribution(w2: number, w1: number, out: Float64Array = new Float64Array(this.vocabSize)): Float64Array {
    if (out.length !== this.vocabSize) throw new RangeError(`out must hold ${this.vocabSize} probabilities, got ${out.length}`);
    this.checkId(w2);
    this.checkId(w1);
    const u = w1 === this.eosId ? w1 : w2;
    interpolateAll(this.counts.bi.get(w1), this.counts.biTotal.get(w1), this.discounts.bigramContinuation, this.p1, out);
    const key = u * this.base + w1;
    interpolateAll(this.counts.tri.get(key), this.counts.triTotal.get(key), this.discounts.trigram, out, out);
    return out;
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
    const probs = this.windowProbabilities(windows);
    let nats = 0;
    for (let j = 0; j < probs.length; j++) nats -= Math.log(probs[j] as number);
    const targets = probs.length;
    const crossEntropy = targets === 0 ? Number.NaN : nats / targets;
    return { crossEntropy, perplexity: targets === 0 ? Number.NaN : perplexityFromCrossEntropy(crossEntropy), targets };
  }

  /**
   * The probability of every target `evaluateWindows` scores, in the windows' layout (index i·seqLength + t), for
   * token-by-token interpolation with an LSTM scored on the same windows.
   */
  windowProbabilities(windows: WindowSet): Float64Array {
    const L = windows.seqLength;
    const out = new Float64Array(windows.count * L);
    const history = [0, 0];
    const single = [0];
    for (let i = 0; i < windows.count; i++) {
      for (let t = 0; t < L; t++) {
        const target = windows.targets[i * L + t] as number;
        if (t === 0) {
          single[0] = windows.inputs[i * L] as number;
          out[i * L] = this.probability(target, single);
        } else {
          history[0] = windows.inputs[i * L + t - 1] as number;
          history[1] = windows.inputs[i * L + t] as number;
          out[i * L + t] = this.probability(target, history);
        }
      }
    }
    return out;
  }

  /**
   * Post-stream scoring (needs `{ eosId }`): each post is scored once as `<eos> w1 … wn <eos>` from the begin
   * context, every target counted — `<unk>` ids and the closing `<eos>` included (a post that already ends with
   * `<eos>` is not closed twice). Natural-log probabilities, one array per post.
   */
  scorePosts(posts: readonly Int32Array[]): PostScores {
    const eos = this.eosId;
    if (eos === undefined) throw new RangeError('scorePosts needs a model trained with { eosId }');
    const logProbs: Float64Array[] = [];
    let total = 0;
    let tokens = 0;
    for (const post of posts) {
      const closed = post.length > 0 && post[post.length - 1] === eos;
      const lp = new Float64Array(closed ? post.length : post.length + 1);
      let u = eos;
      let v = eos;
      for (let i = 0; i < lp.length; i++) {
        const w: number = i < post.length ? this.checkId(post[i] as number) : eos;
        lp[i] = Math.log(this.trigramProbability(w, u, v));
        total += lp[i] as number;
        u = w === eos ? eos : v;
        v = w;
      }
      tokens += lp.length;
      logProbs.push(lp);
    }
    const crossEntropy = tokens === 0 ? Number.NaN : -total / tokens;
    const perplexity = tokens === 0 ? Number.NaN : perplexityFromCrossEntropy(crossEntropy);
    return { logProbs, totalLogProb: total, tokens, crossEntropy, perplexity };
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

export interface KneserNeyOptions {
  /** End-of-post id: train and score on the post stream `<eos> w1 … wn <eos>` (see KneserNeyTrigram). */
  eosId?: number;
}

export interface PostScores {
  /** Natural-log probability of every target of every post: w1 … wn, then `<eos>`. */
  logProbs: Float64Array[];
  /** Sum of all log-probabilities (nats, ≤ 0). */
  totalLogProb: number;
  /** Number of targets scored (words plus one `<eos>` per post). */
  tokens: number;
  /** Mean nats per target. */
  crossEntropy: number;
  perplexity: number;
}

export interface NgramEvaluation {
  /** Mean cross-entropy in nats per target word. */
  crossEntropy: number;
  perplexity: number;
  /** Number of next-word targets scored. */
  targets: number;
}
