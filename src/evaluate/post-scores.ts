/**
 * The standard evaluation: every held-out post scored once, word by word, from the begin-of-post context
 * (`<eos>`) through its end-of-post token, the whole post so far as context. Every model (LSTMs and the n-gram)
 * is scored on this same token stream; `<unk>` targets count like any word and their share is reported.
 */
import type { LanguageModel } from '../model/types.js';

/** Natural-log probabilities of every target of every post: post i has length(post i) + 1 entries (its `<eos>`). */
export type PostLogProbs = Float64Array[];

export interface StreamPerplexity {
  /** Targets scored (words + one end-of-post per post). */
  tokens: number;
  /** Mean negative log-probability, nats per token. */
  crossEntropy: number;
  perplexity: number;
}

/** Smallest probability a model may give a target: keeps one hopeless target from making the total infinite. */
const FLOOR = 1e-12;

/** Scores `posts` (word ids without `<eos>`) with a recurrent model, one step per token, state carried. */
export function scorePostsWithModel(model: Pick<LanguageModel, 'startState' | 'step'>, posts: readonly Int32Array[], eosId: number): PostLogProbs {
  return posts.map((post) => {
    const out = new Float64Array(post.length + 1);
    const state = model.startState();
    let probs = model.step(state, eosId);
    for (let i = 0; i <= post.length; i++) {
      const target = i < post.length ? (post[i] as number) : eosId;
      out[i] = Math.log(Math.max(probs[target] as number, FLOOR));
      if (i < post.length) probs = model.step(state, target);
    }
    return out;
  });
}

/** Perplexity of a set of per-token log-probabilities. */
export function streamPerplexity(logProbs: readonly Float64Array[]): StreamPerplexity {
  let total = 0;
  let tokens = 0;
  for (const lp of logProbs) {
    for (let i = 0; i < lp.length; i++) total += lp[i] as number;
    tokens += lp.length;
  }
  const crossEntropy = tokens > 0 ? -total / tokens : Number.NaN;
  return { tokens, crossEntropy, perplexity: Math.exp(crossEntropy) };
}

/** Token-by-token mixture λ·p_a + (1 − λ)·p_b of two models' log-probabilities over the same stream. */
export function mixLogProbs(a: readonly Float64Array[], b: readonly Float64Array[], lambda: number): PostLogProbs {
  return a.map((la, i) => {
    const lb = b[i] as Float64Array;
    const out = new Float64Array(la.length);
    for (let k = 0; k < la.length; k++) {
      out[k] = Math.log(lambda * Math.exp(la[k] as number) + (1 - lambda) * Math.exp(lb[k] as number));
    }
    return out;
  });
}

/** Share of targets in `posts` that are `<unk>` (the end-of-post targets count in the denominator). */
export function unknownShare(posts: readonly Int32Array[], oovId: number): number {
  let unk = 0;
  let tokens = 0;
  for (const p of posts) {
    for (let i = 0; i < p.length; i++) if (p[i] === oovId) unk++;
    tokens += p.length + 1;
  }
  return tokens > 0 ? unk / tokens : 0;
}
