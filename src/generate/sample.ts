import type { Random } from '../random.js';
import { TweetlabError } from '../errors.js';
import type { Vocabulary } from '../types.js';

/** How the next word is picked from the model's probabilities. */
export interface SamplingOptions {
  /** Always take the most probable word. Default false. */
  greedy?: boolean;
  /** Divides the log-probabilities before sampling; < 1 is bolder about likely words. 0 = greedy. Default 1. */
  temperature?: number;
  /** Sample only among the k most probable words; 0 = all. Default 0. */
  topK?: number;
  /** Nucleus sampling: only the most probable words whose probabilities add up to p; 1 = all. Default 1. */
  topP?: number;
}

/** Ids generation may never emit as a word: the out-of-vocabulary id, padding and `<eos>`. */
export function forbiddenIds(vocab: Vocabulary): Set<number> {
  const ids = new Set<number>([vocab.oovId]);
  if (vocab.padId !== undefined) ids.add(vocab.padId);
  if (vocab.eosId !== undefined) ids.add(vocab.eosId);
  return ids;
}

function checkSampling(opts: SamplingOptions): { temperature: number; topK: number; topP: number } {
  const temperature = opts.temperature ?? 1;
  if (!(temperature >= 0)) throw new TweetlabError(`temperature must be ≥ 0, got ${temperature}`);
  const topK = opts.topK ?? 0;
  if (!Number.isInteger(topK) || topK < 0) throw new TweetlabError(`top-k must be a whole number ≥ 0, got ${topK}`);
  const topP = opts.topP ?? 1;
  if (!(topP > 0 && topP <= 1)) throw new TweetlabError(`top-p must be in (0, 1], got ${topP}`);
  return { temperature, topK, topP };
}

function argmax(probs: ArrayLike<number>, forbidden: ReadonlySet<number>): number {
  let best = -1;
  for (let i = 0; i < probs.length; i++) {
    if (forbidden.has(i)) continue;
    if (best < 0 || (probs[i] as number) > (probs[best] as number)) best = i;
  }
  if (best < 0) throw new TweetlabError('The vocabulary has no word that may be generated');
  return best;
}

/** Picks the next id from `probs`, never a forbidden one. */
export function chooseNext(probs: ArrayLike<number>, forbidden: ReadonlySet<number>, rng: Random, opts: SamplingOptions): number {
  const { temperature, topK, topP } = checkSampling(opts);
  if (opts.greedy || temperature === 0) return argmax(probs, forbidden);
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
  return candidates[topP < 1 ? drawFromNucleus(candidates, weights, topP, rng) : rng.weighted(weights)] as number;
}

/**
 * Index of a draw from the nucleus: the smallest set of most probable candidates (ties by id) holding `topP` of
 * the mass. A candidate belongs to it when the candidates ranked above it hold less than `topP` of the mass. A
 * draw from all candidates that falls outside is drawn again, which samples the nucleus renormalised, without the
 * sort of the whole vocabulary that used to take most of a generation step.
 */
export function drawFromNucleus(ids: readonly number[], weights: readonly number[], topP: number, rng: Random): number {
  let total = 0;
  for (const w of weights) total += w;
  const limit = topP * total;
  for (;;) {
    const k = rng.weighted(weights);
    const w = weights[k] as number;
    const id = ids[k] as number;
    let above = 0;
    for (let j = 0; j < weights.length; j++) {
      const v = weights[j] as number;
      if (v > w || (v === w && (ids[j] as number) < id)) above += v;
    }
    // The most probable candidate has nothing above it, so a draw is always accepted eventually.
    if (above < limit) return k;
  }
}
