import type { LanguageModel } from '../model/types.js';
import { Random, deriveSeed } from '../random.js';
import type { Vocabulary, WindowSet } from '../types.js';
import { NgramIndex, distinctN, memorisation, splitWords } from './metrics.js';
import { createLengthSampler } from '../analysis/lengths.js';
import type { PreparedDatasets } from '../dataset/prepare.js';
import { KneserNeyTrigram } from './ngram.js';

/** One LSTM to score: anything that can evaluate windows, plus the posts it generated. */
export interface ModelUnderEvaluation {
  /** Row label, e.g. "Model 1". */
  name: string;
  model: Pick<LanguageModel, 'evaluate'>;
  /** Generated posts (plain text) that the memorisation and distinct-n columns are computed on. */
  generated: readonly string[];
}

export interface EvaluateModelsInput {
  models: readonly ModelUnderEvaluation[];
  /** Windows of the held-out posts; every model and the baseline are scored on exactly these targets. */
  heldOut: WindowSet;
  /** Words of every training post (for memorisation). */
  trainingPosts: readonly (readonly string[])[];
  /** The n-gram baseline and, optionally, posts sampled from it. */
  baseline?: { name?: string; model: KneserNeyTrigram; generated?: readonly string[] };
  /** Memorisation run length in words. Default 6. */
  memorisationN?: number;
}

export interface EvaluationRow {
  name: string;
  kind: 'lstm' | 'baseline';
  /** exp(mean cross-entropy) over the held-out targets. */
  perplexity: number;
  /** Mean cross-entropy, nats per word. */
  crossEntropy: number;
  /** Share of generated posts copying ≥ memorisationN consecutive training words; null without generated posts. */
  memorisedShare: number | null;
  distinct1: number | null;
  distinct2: number | null;
  /** How many generated posts the last three columns are computed on. */
  generatedPosts: number;
  /** Up to five copied runs, for the report. */
  memorisedExamples: string[];
}

export interface EvaluationTable {
  rows: EvaluationRow[];
  /** Held-out windows and the number of next-word targets scored (windows × seqLength). */
  heldOutWindows: number;
  heldOutTargets: number;
  seqLength: number;
  memorisationN: number;
  /** What context each row's perplexity is conditioned on, in one sentence. */
  note: string;
}

/**
 * Scores the LSTMs and the n-gram baseline on the same held-out windows and their generated posts: one row per
 * model plus the baseline. Perplexity uses every step of every window (what `LanguageModel.evaluate` scores).
 */
export async function evaluateModels(input: EvaluateModelsInput): Promise<EvaluationTable> {
  const n = input.memorisationN ?? 6;
  const index = new NgramIndex(input.trainingPosts, n);
  const rows: EvaluationRow[] = [];
  for (const m of input.models) {
    const { loss, perplexity } = await m.model.evaluate(input.heldOut);
    rows.push({ name: m.name, kind: 'lstm', perplexity, crossEntropy: loss, ...generationColumns(m.generated, index) });
  }
  if (input.baseline) {
    const ev = input.baseline.model.evaluateWindows(input.heldOut);
    rows.push({
      name: input.baseline.name ?? 'Kneser–Ney 3-gram',
      kind: 'baseline',
      perplexity: ev.perplexity,
      crossEntropy: ev.crossEntropy,
      ...generationColumns(input.baseline.generated ?? [], index),
    });
  }
  const L = input.heldOut.seqLength;
  return {
    rows,
    heldOutWindows: input.heldOut.count,
    heldOutTargets: input.heldOut.count * L,
    seqLength: L,
    memorisationN: n,
    note:
      `Every row predicts the same ${input.heldOut.count * L} next-word targets of the held-out windows. ` +
      `At step t an LSTM sees words 0…t of its ${L}-word window; the 3-gram baseline sees only the last two of them.`,
  };
}

function generationColumns(
  generated: readonly string[],
  index: NgramIndex,
): Pick<EvaluationRow, 'memorisedShare' | 'distinct1' | 'distinct2' | 'generatedPosts' | 'memorisedExamples'> {
  if (generated.length === 0) {
    return { memorisedShare: null, distinct1: null, distinct2: null, generatedPosts: 0, memorisedExamples: [] };
  }
  const words = generated.map(splitWords);
  const mem = memorisation(words, index);
  return {
    memorisedShare: mem.share,
    distinct1: distinctN(words, 1).ratio,
    distinct2: distinctN(words, 2).ratio,
    generatedPosts: generated.length,
    memorisedExamples: mem.examples,
  };
}

export interface NgramGenerationOptions {
  /** Number of posts. */
  count: number;
  /** Seed of start words, lengths and sampling. */
  seed: number;
  /** Post length in words, drawn like the LSTMs' (from the real words-per-post distribution). */
  sampleLength: (rng: Random) => number;
}

/**
 * Posts sampled from the n-gram baseline the way the report generates with an LSTM: a length from the real
 * distribution, a random start word, then next words until the length is reached. Never emits padding or
 * out-of-vocabulary ids.
 */
export function generateNgramPosts(
  model: KneserNeyTrigram,
  vocab: Vocabulary,
  opts: NgramGenerationOptions,
): { text: string; seed: number }[] {
  const banned = [vocab.oovId, ...(vocab.padId === undefined ? [] : [vocab.padId]), ...(vocab.eosId === undefined ? [] : [vocab.eosId])];
  // Ids the model covers but the vocabulary has no word for (special ids kept outside `words`) are never emitted.
  for (let id = vocab.words.length; id < model.vocabSize; id++) if (!banned.includes(id)) banned.push(id);
  const starts: number[] = [];
  for (let id = 0; id < Math.min(vocab.words.length, model.vocabSize); id++) if (!banned.includes(id)) starts.push(id);
  if (starts.length === 0) return [];
  const posts: { text: string; seed: number }[] = [];
  for (let i = 0; i < opts.count; i++) {
    // One seed per post, so a post can be regenerated alone.
    const seed = deriveSeed(opts.seed, `post-${i}`);
    const rng = new Random(seed);
    const length = Math.max(1, Math.round(opts.sampleLength(rng)));
    const ids = model.generate(rng.pick(starts), length, rng, banned);
    posts.push({ text: ids.map((id) => vocab.words[id] ?? '').join(' '), seed });
  }
  return posts;
}

export interface BaselineEvaluationInput {
  /** The LSTMs with their generated posts. */
  models: readonly ModelUnderEvaluation[];
  /** The prepared datasets the models were trained on: the baseline trains on the same training posts. */
  prepared: Pick<PreparedDatasets, 'vocab' | 'trainIds' | 'trainPosts' | 'heldOut' | 'wordsPerPost'>;
  /** Base seed; the baseline's generation seed derives from it. */
  seed: number;
  /** How many posts the baseline generates for its memorisation and distinct-n columns. */
  posts: number;
}

export const BASELINE_NAME = 'Kneser–Ney 3-gram';

/**
 * The evaluation of the main job and the notebooks: trains the Kneser–Ney 3-gram on the training posts,
 * lets it write posts the way the LSTMs do, and scores every model and the baseline on the same held-out
 * windows. Without held-out windows there is no perplexity; the generation columns are still filled.
 */
export async function evaluateWithBaseline(
  input: BaselineEvaluationInput,
): Promise<{ table: EvaluationTable; baselinePosts: { text: string; seed: number }[]; baselineSeed: number }> {
  const { prepared } = input;
  const baseline = KneserNeyTrigram.train(prepared.trainIds, prepared.vocab.words.length);
  const baselineSeed = deriveSeed(input.seed, 'baseline-generation');
  const sampler = createLengthSampler(prepared.wordsPerPost, baselineSeed);
  const baselinePosts = generateNgramPosts(baseline, prepared.vocab, {
    count: input.posts,
    seed: baselineSeed,
    sampleLength: () => sampler.sample(),
  });
  const common = { heldOut: prepared.heldOut, trainingPosts: prepared.trainPosts };
  const baselineRow = { name: BASELINE_NAME, model: baseline, generated: baselinePosts.map((p) => p.text) };
  if (prepared.heldOut.count > 0) {
    return { table: await evaluateModels({ ...common, models: input.models, baseline: baselineRow }), baselinePosts, baselineSeed };
  }
  const noHeldOut = { evaluate: async () => ({ loss: Number.NaN, perplexity: Number.NaN }) };
  const table = await evaluateModels({
    ...common,
    models: input.models.map((m) => ({ ...m, model: noHeldOut })),
    baseline: baselineRow,
  });
  return { table, baselinePosts, baselineSeed };
}
