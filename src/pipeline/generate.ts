/**
 * Stage 5: posts. The report's models write the report's way (a drawn length, a random start word);
 * tweetlab's model begins after `<eos>`, ends when it draws `<eos>`, samples with top-p, and a novelty filter
 * draws again when a post copies `noveltyN` consecutive words of a training post. Its mixture with the 3-gram
 * samples from λ·p_lstm + (1 − λ)·p_3gram.
 */
import { NoveltyFilter } from '../evaluate/novelty.js';
import type { KneserNeyTrigram } from '../evaluate/ngram.js';
import { generatePosts, writesEndOfPost, type GeneratedPost, type GenerateOptions } from '../generate/generate.js';
import { fitEndScale, type EndScaleFit } from '../generate/length-calibration.js';
import type { ModelFileConfig } from '../model/config-file.js';
import type { LanguageModel } from '../model/types.js';
import type { Vocabulary } from '../types.js';
import { OWN_GENERATION_DEFAULTS, type OwnGenerationConfig } from './config.js';

/** λ·p_lstm + (1 − λ)·p_3gram(· | last two ids), the history starting with `<eos>`. */
export function mixtureOf(kn: KneserNeyTrigram, lambda: number): NonNullable<GenerateOptions['mix']> {
  let scratch = new Float64Array(kn.vocabSize);
  return (history, probs) => {
    const w1 = history[history.length - 1] as number;
    const w2 = history.length >= 2 ? (history[history.length - 2] as number) : w1;
    scratch = kn.nextDistribution(w2, w1, scratch);
    const out = new Float32Array(probs.length);
    for (let i = 0; i < probs.length; i++) out[i] = lambda * (probs[i] as number) + (1 - lambda) * (scratch[i] as number);
    return out;
  };
}

export interface OwnPostsOptions {
  count: number;
  seed: number;
  /** Words per training post: the cap is the longest. */
  wordsPerPost: readonly number[];
  /** Words of the training posts, for the novelty filter. */
  trainingPosts: readonly (readonly string[])[];
  /** Sample from the mixture with the 3-gram instead of the LSTM alone. */
  mixture?: { kn: KneserNeyTrigram; lambda: number };
  /** Start text (the user's start words). */
  start?: string;
  /** Factor on p(<eos>) (see fitOwnEndScale). Default 1. */
  endScale?: number;
  /** Record what the length calibration needs at a temperature other than 1 (see GenerateOptions). Default false. */
  recordEndWordMass?: boolean;
}

/** Posts of tweetlab's model (or its mixture) with the generation settings of the config. */
export function generateOwnPosts(model: LanguageModel, vocab: Vocabulary, gen: OwnGenerationConfig, opts: OwnPostsOptions): GeneratedPost[] {
  const filter = gen.noveltyN > 0 ? new NoveltyFilter(opts.trainingPosts, gen.noveltyN) : null;
  return generatePosts(model, vocab, {
    count: opts.count,
    seed: opts.seed,
    wordsPerPost: opts.wordsPerPost,
    endOfPost: true,
    temperature: gen.temperature,
    topP: gen.topP,
    topK: gen.topK,
    ...(opts.start !== undefined ? { start: opts.start } : {}),
    ...(opts.endScale !== undefined ? { endScale: opts.endScale } : {}),
    ...(opts.recordEndWordMass ? { recordEndWordMass: true } : {}),
    ...(filter ? { accept: (w: readonly string[]) => filter.isNovel(w) } : {}),
    ...(opts.mixture ? { mix: mixtureOf(opts.mixture.kn, opts.mixture.lambda) } : {}),
  });
}

/**
 * The factor on p(<eos>) whose posts (`gen.lengthCalibrationPosts` of them, written with `opts.seed`) are as long
 * on average as the training posts; null when calibration is off.
 */
export function fitOwnEndScale(model: LanguageModel, vocab: Vocabulary, gen: OwnGenerationConfig, opts: Omit<OwnPostsOptions, 'count' | 'endScale' | 'start'>): EndScaleFit | null {
  if (gen.lengthCalibrationPosts <= 0) return null;
  const target = opts.wordsPerPost.reduce((a, b) => a + b, 0) / Math.max(1, opts.wordsPerPost.length);
  return fitEndScale((endScale) => generateOwnPosts(model, vocab, gen, { ...opts, count: gen.lengthCalibrationPosts, endScale, recordEndWordMass: true }), target, undefined, gen.temperature);
}

/**
 * How a saved model writes unless told otherwise, one rule for `tweetlab generate` and the browser page: tweetlab's
 * own model with the main job's temperature and top-p and its folder's factor on p(<eos>); the report's models as
 * the report did (temperature 1, top-p off, drawn lengths: `endScale` null).
 */
export function savedModelSampling(vocab: Vocabulary, config: Pick<ModelFileConfig, 'model' | 'endScale'>): { temperature: number; topP: number; endScale: number | null } {
  if (!writesEndOfPost(vocab, config.model)) return { temperature: 1, topP: 1, endScale: null };
  return { temperature: OWN_GENERATION_DEFAULTS.temperature, topP: OWN_GENERATION_DEFAULTS.topP, endScale: config.endScale ?? 1 };
}
