/**
 * Stage 4b: "does it read like the account?" for every model — perplexity under both evaluations (today's
 * windows and whole posts from `<eos>` to `<eos>`), each as a ratio to the Kneser–Ney 3-gram, the mixture of
 * tweetlab's model with the 3-gram, and what the generated posts look like: copies of training text, distinct
 * words, natural endings, length against the real posts, and the "can you tell?" classifier.
 */
import { buildWindows } from '../dataset/windows.js';
import { canYouTell } from '../evaluate/classifier.js';
import { generationStats } from '../evaluate/generation-stats.js';
import { interpolationWeight } from '../evaluate/interpolation.js';
import { scoreGap, type ScoreGap } from '../evaluate/gap.js';
import { distinctN, memorisation, NgramIndex } from '../evaluate/metrics.js';
import { KneserNeyTrigram } from '../evaluate/ngram.js';
import { mixLogProbs, scorePostsWithModel, streamPerplexity, unknownShare, type PostLogProbs } from '../evaluate/post-scores.js';
import type { GeneratedPost } from '../generate/generate.js';
import type { Engine, LanguageModel } from '../model/types.js';
import { deriveSeed } from '../random.js';
import type { WindowSet } from '../types.js';
import type { PreparedRun } from './prepare.js';

export interface QualityRow {
  name: string;
  kind: 'report' | 'tweetlab' | 'mixture' | 'baseline';
  /** Today's evaluation: every step of the held-out windows (0–9 words of context, state reset per window). */
  windowedPerplexity: number;
  windowedRatio: number;
  /** The standard one: every held-out post once, from `<eos>` through its `<eos>`, whole post as context. */
  postPerplexity: number;
  postRatio: number;
  memorisedShare: number | null;
  distinct1: number | null;
  distinct2: number | null;
  /** Share of generated posts the model ended itself (null for models that stop at a drawn length). */
  naturalEndShare: number | null;
  meanLength: number | null;
  /** Mean generated length / mean real length. */
  lengthRatio: number | null;
  /** Cross-validated accuracy of a classifier telling these posts from real held-out posts (0.5 = cannot tell). */
  canYouTell: number | null;
  /** Mixture weight of the LSTM (mixture rows). */
  lambda?: number;
}

export interface QualityTable {
  rows: QualityRow[];
  /** Targets of each evaluation and the share of `<unk>` among the post targets. */
  windowedTargets: number;
  postTargets: number;
  unknownShare: number;
  realMeanLength: number;
  memorisationN: number;
  /** Where tweetlab's model (the first one scored) wins and loses against the 3-gram on whole posts; null without it. */
  gap: (ScoreGap & { model: string }) | null;
}

/** A model to score, with the posts it generated for the evaluation. */
export interface ScoredModel {
  name: string;
  kind: 'report' | 'tweetlab';
  model: LanguageModel;
  posts: readonly GeneratedPost[] | readonly { text: string }[];
  /** For the tweetlab model: posts of its mixture with the 3-gram (scored as their own row). */
  mixture?: { lambdaPosts: number; lambdaWindows: number; kn: KneserNeyTrigram; posts: readonly GeneratedPost[] };
}

/**
 * Per-target probabilities of `model` on `windows` (its seqLength may differ: a twin with the same weights scores
 * them). Every window target is a word inside a post, so the windowed evaluation asks for the next word GIVEN
 * that the post goes on: with `eosId`, a model that knows where posts end gives its end-of-post mass back,
 * p(w) / (1 − p(<eos>)), as the 3-gram of the windows (which has no end token) does by construction.
 */
export async function windowTargetProbabilities(model: LanguageModel, engine: Engine, windows: WindowSet, eosId?: number): Promise<Float64Array> {
  const T = windows.seqLength;
  const scorer = model.config.seqLength === T ? model : engine.createModel({ ...model.config, seqLength: T }, model.getWeights());
  const V = model.config.vocabSize;
  const out = new Float64Array(windows.count * T);
  const slice = 64;
  for (let w0 = 0; w0 < windows.count; w0 += slice) {
    const n = Math.min(slice, windows.count - w0);
    const probs = await scorer.predict(windows.inputs.subarray(w0 * T, (w0 + n) * T), n);
    for (let i = 0; i < n * T; i++) {
      const p = probs[i * V + (windows.targets[w0 * T + i] as number)] as number;
      out[w0 * T + i] = eosId === undefined ? p : p / Math.max(1 - (probs[i * V + eosId] as number), 1e-6);
    }
  }
  if (scorer !== model) scorer.dispose();
  return out;
}

const perplexityOfProbs = (p: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.log(Math.max(p[i] as number, 1e-12));
  return Math.exp(-s / p.length);
};

/** Variant-1 windows of the development posts (the windowed mixture weight is fitted on them); none if all are short. */
export function developmentWindows(prepared: PreparedRun): WindowSet {
  const T = prepared.heldOut.seqLength;
  const long = prepared.own.devPosts.filter((p) => p.length > T);
  if (long.length === 0) return { inputs: new Int32Array(0), targets: new Int32Array(0), count: 0, seqLength: T, variant: 1, excludedPosts: 0 };
  return buildWindows(long, T, 1);
}

/**
 * Fits the LSTM/3-gram mixture weights on the development posts (never on the held-out ones), with a 3-gram
 * that has not seen them. The mixture itself then uses the 3-gram of all training posts, the baseline's own
 * (returned as `kn`): the development posts are training posts, so the 3-gram may count them once λ is set.
 */
export async function fitMixture(model: LanguageModel, engine: Engine, prepared: PreparedRun, devWindows: WindowSet): Promise<{ kn: KneserNeyTrigram; lambdaPosts: number; lambdaWindows: number }> {
  const eos = prepared.vocab.eosId as number;
  const V = prepared.vocab.words.length;
  const devKn = KneserNeyTrigram.train(prepared.own.trainPosts, V, { eosId: eos });
  const flat = (lps: PostLogProbs) => Float64Array.from(lps.flatMap((a) => Array.from(a, Math.exp)));
  const lambdaPosts = interpolationWeight(flat(scorePostsWithModel(model, prepared.own.devPosts, eos)), flat(devKn.scorePosts(prepared.own.devPosts).logProbs));
  const lambdaWindows = devWindows.count > 0
    ? interpolationWeight(await windowTargetProbabilities(model, engine, devWindows, eos), KneserNeyTrigram.train(prepared.own.trainPosts, V).windowProbabilities(devWindows))
    : lambdaPosts;
  return { kn: KneserNeyTrigram.train(prepared.trainIds, V, { eosId: eos }), lambdaPosts, lambdaWindows };
}

function postColumns(posts: readonly { text: string; endedNaturally?: boolean }[], index: NgramIndex, real: readonly string[], realLengths: number[], seed: number): Pick<QualityRow, 'memorisedShare' | 'distinct1' | 'distinct2' | 'naturalEndShare' | 'meanLength' | 'lengthRatio' | 'canYouTell'> {
  if (posts.length === 0) return { memorisedShare: null, distinct1: null, distinct2: null, naturalEndShare: null, meanLength: null, lengthRatio: null, canYouTell: null };
  const words = posts.map((p) => (p.text === '' ? [] : p.text.split(' ')));
  const stats = generationStats(posts.map((p, i) => ({ words: words[i] as string[], endedNaturally: p.endedNaturally ?? false })), realLengths);
  const folds = Math.min(5, posts.length, real.length);
  return {
    memorisedShare: memorisation(words, index).share,
    distinct1: distinctN(words, 1).ratio,
    distinct2: distinctN(words, 2).ratio,
    naturalEndShare: posts.some((p) => p.endedNaturally !== undefined) ? stats.naturalEndShare : null,
    meanLength: stats.meanLength,
    lengthRatio: stats.lengthRatio,
    canYouTell: folds >= 2 ? canYouTell(real, posts.map((p) => p.text), { seed, folds }).accuracy : null,
  };
}

/** The quality table of a run: one row per model, the mixture, and the 3-gram baseline. */
export async function evaluateQuality(models: readonly ScoredModel[], baselinePosts: readonly { text: string }[], prepared: PreparedRun, engine: Engine, seed: number, memorisationN = 6): Promise<QualityTable> {
  const eos = prepared.vocab.eosId as number;
  const V = prepared.vocab.words.length;
  const heldOut = prepared.heldOut;
  const posts = prepared.validationIds;
  const knWindows = KneserNeyTrigram.train(prepared.trainIds, V);
  const knPosts = KneserNeyTrigram.train(prepared.trainIds, V, { eosId: eos });
  const baseWindowProbs = knWindows.windowProbabilities(heldOut);
  const baseWindowed = perplexityOfProbs(baseWindowProbs);
  const basePosts = knPosts.scorePosts(posts);
  const index = new NgramIndex(prepared.trainPosts, memorisationN);
  const real = prepared.validationPosts.map((w) => w.join(' '));
  const realLengths = prepared.wordsPerPost;
  const columnSeed = (name: string) => deriveSeed(seed, `can-you-tell-${name}`);
  const rows: QualityRow[] = [];
  let gap: QualityTable['gap'] = null;
  for (const m of models) {
    // Only models trained with an end of post give its mass back; the report's are scored as in today's table.
    const pw = await windowTargetProbabilities(m.model, engine, heldOut, m.kind === 'report' ? undefined : eos);
    const lp = scorePostsWithModel(m.model, posts, eos);
    const windowed = perplexityOfProbs(pw);
    const post = streamPerplexity(lp).perplexity;
    rows.push({ name: m.name, kind: m.kind, windowedPerplexity: windowed, windowedRatio: windowed / baseWindowed, postPerplexity: post, postRatio: post / basePosts.perplexity, ...postColumns(m.posts, index, real, realLengths, columnSeed(m.name)) });
    if (m.kind === 'tweetlab' && gap === null) gap = { model: m.name, ...scoreGap(posts, lp, basePosts.logProbs, { eosId: eos, oovId: prepared.vocab.oovId }) };
    if (!m.mixture) continue;
    // Mixed with the baseline's own 3-grams: the windows one and the begin/end-of-post one.
    const { lambdaPosts, lambdaWindows } = m.mixture;
    const mixW = pw.map((p, i) => lambdaWindows * p + (1 - lambdaWindows) * (baseWindowProbs[i] as number));
    const mixPost = streamPerplexity(mixLogProbs(lp, basePosts.logProbs, lambdaPosts)).perplexity;
    const name = `${m.name} + 3-gram`;
    rows.push({ name, kind: 'mixture', windowedPerplexity: perplexityOfProbs(mixW), windowedRatio: perplexityOfProbs(mixW) / baseWindowed, postPerplexity: mixPost, postRatio: mixPost / basePosts.perplexity, ...postColumns(m.mixture.posts, index, real, realLengths, columnSeed(name)), lambda: lambdaPosts });
  }
  rows.push({ name: 'Kneser–Ney 3-gram', kind: 'baseline', windowedPerplexity: baseWindowed, windowedRatio: 1, postPerplexity: basePosts.perplexity, postRatio: 1, ...postColumns(baselinePosts, index, real, realLengths, columnSeed('baseline')) });
  const meanReal = realLengths.reduce((a, b) => a + b, 0) / Math.max(1, realLengths.length);
  return { rows, windowedTargets: heldOut.count * heldOut.seqLength, postTargets: basePosts.tokens, unknownShare: unknownShare(posts, prepared.vocab.oovId), realMeanLength: meanReal, memorisationN, gap };
}
