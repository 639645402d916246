import { Random, deriveSeed } from '../random.js';
import { TweetlabError } from '../errors.js';
import { createLengthSampler } from '../analysis/lengths.js';
import { cleanText } from '../text/clean.js';
import { tokenizeWords } from '../text/tokenize.js';
import type { GeneratedPost, Vocabulary } from '../types.js';
import type { CheckpointSampler, LanguageModel } from '../model/types.js';
import { chooseNext, forbiddenIds, type SamplingOptions } from './sample.js';

export { chooseNext, forbiddenIds, type SamplingOptions } from './sample.js';
export { lengthCounts, lengthsFromCounts } from '../analysis/lengths.js';
export type { GeneratedPost } from '../types.js';

/**
 * Post generation as in the report: draw a length from the corpus's words-per-post distribution, pick a random
 * start word (or take the given start text), then predict the next word until the post has that many words.
 * The model carries its recurrent state, so each word costs one step, not a re-run of the window.
 */

export interface GenerateOptions extends SamplingOptions {
  /** Posts to generate. Default 1. */
  count?: number;
  /** Seed of lengths, start words and sampling; equal seeds give equal posts. Default 1. */
  seed?: number;
  /** Words-per-post values of the corpus (one per post) to draw lengths from. Required unless `length` is set. */
  wordsPerPost?: ArrayLike<number>;
  /** A fixed length in words instead of drawn ones (with `<eos>` models: the cap). */
  length?: number;
  /** Start text (cleaned and tokenized as the training posts); default: one random vocabulary word per post. */
  start?: string;
  /**
   * Posts begin after `<eos>` and end when the model draws `<eos>` (needs a vocabulary with `<eos>` and a model
   * trained on the post stream). The cap is `length`, else the longest training post. Default: true for such
   * models (variant 3), false for the report's models, which stop at a drawn length.
   */
  endOfPost?: boolean;
  /** Rewrites the model's next-word probabilities (e.g. a mixture with the n-gram); `history` starts with `<eos>`. */
  mix?: (history: readonly number[], probs: Float32Array) => ArrayLike<number>;
  /**
   * With `endOfPost`: multiplies the probability of `<eos>` at every step (the words share the rest), so posts end
   * sooner (> 1) or later (< 1); `fitEndScale` finds the value whose posts are as long as the training posts.
   * Default 1.
   */
  endScale?: number;
  /**
   * With `endOfPost` at a temperature other than 1: record each step's tempered word mass (`endWordMass`) for the
   * length calibration. It costs a pass over the vocabulary per word, so only calibration draws ask for it.
   * Default false.
   */
  recordEndWordMass?: boolean;
  /** Keeps a post only when this returns true (e.g. a novelty filter); rejected posts are drawn again. */
  accept?: (words: readonly string[]) => boolean;
  /** Draws per post before the last one is kept even though `accept` refused it. Default 20. */
  maxAttempts?: number;
  /**
   * Called as each word of post `post` (0-based) is added, start words included, so a caller can show posts
   * while they are written (the browser page streams them). Throwing from it stops generation. With `accept`,
   * the words of a refused draw have been reported too.
   */
  onWord?: (post: number, word: string) => void;
}

interface PostPlan {
  vocab: Vocabulary;
  forbidden: Set<number>;
  allowedStarts: number[];
  startWords: string[] | undefined;
  sampler: { sample(): number } | undefined;
  cap: number;
  endOfPost: boolean;
}

/** Whether a model writes until it draws `<eos>` (tweetlab's own: variant 3 over a vocabulary with `<eos>`). */
export function writesEndOfPost(vocab: Vocabulary, config: { variant?: number }): boolean {
  return vocab.eosId !== undefined && config.variant === 3;
}

function planPosts(model: LanguageModel, vocab: Vocabulary, opts: GenerateOptions, seed: number): PostPlan {
  if (vocab.words.length !== model.config.vocabSize) {
    throw new TweetlabError(
      `Vocabulary size mismatch: the vocabulary has ${vocab.words.length} words, the model was trained with ${model.config.vocabSize}`,
    );
  }
  if (opts.length !== undefined && (!Number.isInteger(opts.length) || opts.length < 1)) {
    throw new TweetlabError(`length must be a whole number ≥ 1, got ${opts.length}`);
  }
  if (opts.endScale !== undefined && !(opts.endScale > 0 && Number.isFinite(opts.endScale))) {
    throw new TweetlabError(`endScale must be a number > 0, got ${opts.endScale}`);
  }
  const endOfPost = opts.endOfPost ?? writesEndOfPost(vocab, model.config);
  if (endOfPost && vocab.eosId === undefined) throw new TweetlabError('endOfPost generation needs a vocabulary with <eos>');
  if (opts.length === undefined && !opts.wordsPerPost) {
    throw new TweetlabError('generatePosts needs wordsPerPost (the corpus lengths) or a fixed length');
  }
  let sampler: { sample(): number } | undefined;
  let cap = opts.length ?? 0;
  if (opts.length === undefined && opts.wordsPerPost) {
    if (endOfPost) for (let i = 0; i < opts.wordsPerPost.length; i++) cap = Math.max(cap, opts.wordsPerPost[i] as number);
    else sampler = createLengthSampler(opts.wordsPerPost, deriveSeed(seed, 'lengths'));
  }
  const forbidden = forbiddenIds(vocab);
  const allowedStarts: number[] = [];
  for (let i = 0; i < vocab.words.length; i++) if (!forbidden.has(i)) allowedStarts.push(i);
  if (allowedStarts.length === 0) throw new TweetlabError('The vocabulary has no word that may be generated');
  const startWords = opts.start !== undefined ? tokenizeWords(cleanText(opts.start)) : undefined;
  if (startWords !== undefined && startWords.length === 0) {
    throw new TweetlabError(`The start text "${opts.start}" has no words left after cleaning`);
  }
  return { vocab, forbidden, allowedStarts, startWords, sampler, cap: Math.max(cap, 1), endOfPost };
}

/** The report's way: a drawn length, a random (or given) start word, then exactly that many words. */
function drawnLengthPost(model: LanguageModel, plan: PostPlan, rng: Random, drawn: number, opts: GenerateOptions, post: number): { words: string[]; length: number } {
  const { vocab, startWords } = plan;
  const start = startWords ?? [vocab.words[rng.pick(plan.allowedStarts)] as string];
  const length = Math.max(drawn, start.length + (startWords ? 1 : 0));
  const words = [...start];
  for (const w of start) opts.onWord?.(post, w);
  const state = model.startState();
  let probs: Float32Array | undefined;
  for (const w of start) probs = model.step(state, vocab.index.get(w) ?? vocab.oovId);
  while (words.length < length) {
    const next = chooseNext(probs as Float32Array, plan.forbidden, rng, opts);
    words.push(vocab.words[next] as string);
    opts.onWord?.(post, vocab.words[next] as string);
    if (words.length < length) probs = model.step(state, next);
  }
  return { words, length };
}

/**
 * `probs` with the mass of `<unk>` moved onto the words, `<eos>` untouched. Generation never writes `<unk>`, but
 * in the training posts it stands for a rare word with which the post goes on; dropping it and renormalising
 * would raise the chance of ending at every step by 1 / (1 − p(<unk>)) and make posts shorter than real ones.
 */
export function unknownMassToWords(probs: ArrayLike<number>, oovId: number, eosId: number): Float32Array {
  const out = Float32Array.from(probs);
  const unknown = out[oovId] as number;
  const words = 1 - (out[eosId] as number) - unknown;
  if (!(unknown > 0 && words > 0)) return out;
  const scale = (words + unknown) / words;
  for (let i = 0; i < out.length; i++) if (i !== eosId && i !== oovId) out[i] = (out[i] as number) * scale;
  out[oovId] = 0;
  return out;
}

/** `probs` with p(`<eos>`) multiplied by `scale` (at most 1) and the words scaled to share what is left. */
export function scaleEnd(probs: Float32Array, eosId: number, scale: number): Float32Array {
  const end = probs[eosId] as number;
  if (scale === 1 || !(end > 0 && end < 1)) return probs;
  const scaled = Math.min(1, end * scale);
  const wordsScale = (1 - scaled) / (1 - end);
  for (let i = 0; i < probs.length; i++) probs[i] = i === eosId ? scaled : (probs[i] as number) * wordsScale;
  return probs;
}

/** Begin after `<eos>`, stop when the model draws `<eos>` (with `<unk>`'s mass on the words) or at the cap. */
function endOfPostPost(model: LanguageModel, plan: PostPlan, rng: Random, opts: GenerateOptions, post: number): { words: string[]; endedNaturally: boolean; endChances: number[]; endWordMass?: number[] } {
  const { vocab } = plan;
  const eos = vocab.eosId as number;
  const state = model.startState();
  const history = [eos];
  let probs = model.step(state, eos);
  const words: string[] = [];
  for (const w of plan.startWords ?? []) {
    const id = vocab.index.get(w) ?? vocab.oovId;
    words.push(w);
    opts.onWord?.(post, w);
    history.push(id);
    probs = model.step(state, id);
  }
  const wordsOnly = plan.forbidden;
  const wordsOrEnd = new Set([...plan.forbidden].filter((id) => id !== eos));
  const endChances: number[] = [];
  // The calibration's model of how the factor moves a tempered draw needs the words' tempered mass (T ≠ 1 only).
  const temperature = opts.greedy ? 0 : (opts.temperature ?? 1);
  const endWordMass: number[] | undefined = opts.recordEndWordMass && temperature > 0 && temperature !== 1 ? [] : undefined;
  const done = (endedNaturally: boolean) => ({ words, endedNaturally, endChances, ...(endWordMass ? { endWordMass } : {}) });
  while (words.length < plan.cap) {
    const unscaled = unknownMassToWords(opts.mix ? opts.mix(history, probs) : probs, vocab.oovId, eos);
    if (endWordMass && words.length > 0) endWordMass.push(temperedMass(unscaled, wordsOrEnd, eos, temperature));
    const p = scaleEnd(unscaled, eos, opts.endScale ?? 1);
    if (words.length > 0) endChances.push(p[eos] as number);
    const next = chooseNext(p, words.length > 0 ? wordsOrEnd : wordsOnly, rng, opts);
    if (next === eos) return done(true);
    words.push(vocab.words[next] as string);
    opts.onWord?.(post, vocab.words[next] as string);
    history.push(next);
    probs = model.step(state, next);
  }
  return done(false);
}

/** Σ p(w)^(1/T) over the words that may be drawn (not `<eos>`, not the forbidden ids). */
function temperedMass(probs: Float32Array, forbidden: ReadonlySet<number>, eosId: number, temperature: number): number {
  let mass = 0;
  for (let i = 0; i < probs.length; i++) if (i !== eosId && !forbidden.has(i)) mass += Math.pow(probs[i] as number, 1 / temperature);
  return mass;
}

/** Generates `count` posts with `model`; deterministic under `seed`. */
export function generatePosts(model: LanguageModel, vocab: Vocabulary, opts: GenerateOptions = {}): GeneratedPost[] {
  const count = opts.count ?? 1;
  if (!Number.isInteger(count) || count < 0) throw new TweetlabError(`count must be a whole number ≥ 0, got ${count}`);
  const seed = opts.seed ?? 1;
  const plan = planPosts(model, vocab, opts, seed);
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 20);
  const unknownStart = (plan.startWords ?? []).filter((w) => !vocab.index.has(w) || vocab.index.get(w) === vocab.eosId);
  const posts: GeneratedPost[] = [];
  for (let p = 0; p < count; p++) {
    const postSeed = deriveSeed(seed, `post-${p}`);
    const drawn = plan.endOfPost ? plan.cap : (opts.length ?? (plan.sampler as { sample(): number }).sample());
    let post: GeneratedPost | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      // The first draw uses the post's own seed, so posts without a filter are what they always were.
      const rng = new Random(attempt === 1 ? postSeed : deriveSeed(postSeed, `attempt-${attempt}`));
      const made = plan.endOfPost ? endOfPostPost(model, plan, rng, opts, p) : drawnLengthPost(model, plan, rng, drawn, opts, p);
      const words = made.words;
      const accepted = opts.accept ? opts.accept(words) : true;
      const start = plan.startWords ?? words.slice(0, 1);
      post = {
        text: words.join(' '),
        words,
        length: 'length' in made ? made.length : drawn,
        start,
        seed: postSeed,
        unknownStart,
        ...('endedNaturally' in made ? { endedNaturally: made.endedNaturally, endChances: made.endChances, ...(made.endWordMass ? { endWordMass: made.endWordMass } : {}) } : {}),
        attempts: attempt,
        accepted,
      };
      if (accepted) break;
    }
    posts.push(post as GeneratedPost);
  }
  return posts;
}

/**
 * The checkpoint sampler `trainModel` takes (`TrainOptions.sampler`): `generatePosts` with these options, the
 * checkpoint's seed unless `generation.seed` is given, and the checkpoint's count and post lengths.
 */
export function checkpointSampler(generation: Omit<GenerateOptions, 'count' | 'wordsPerPost'> = {}): CheckpointSampler {
  return (model, vocab, request) =>
    generatePosts(model, vocab, { seed: request.seed, ...generation, count: request.count, wordsPerPost: request.wordsPerPost });
}
