/**
 * Stage 1 of the pipeline: posts → statistics → cleaning → word tokens → split by post → vocabulary of the
 * training posts (with `<eos>`) → the report's two window sets, the held-out posts, and tweetlab's own
 * post stream with its development slice. Every seed derives from the run's base seed here, so the CLI, the
 * main job and the notebooks get the same data from the same config.
 */
import { describe } from '../analysis/describe.js';
import { charsPerPost, shareShorterThan, wordsPerPost } from '../analysis/lengths.js';
import { prepareDatasets, type PreparedDatasets } from '../dataset/prepare.js';
import { splitPostsForValidation, unseenAsUnknown } from '../dataset/split.js';
import { postStream } from '../dataset/stream.js';
import { TweetlabError } from '../errors.js';
import { deriveSeed } from '../random.js';
import { activeRules, cleanPosts } from '../text/clean.js';
import { tokenizeWords, wordTotals, type WordTotals } from '../text/tokenize.js';
import type { CleanResult, Corpus, DatasetVariant, Describe, Post, Vocabulary } from '../types.js';

export interface DataConfig {
  /** Window length of the report's models (and of the windowed evaluation), in words. Default 10. */
  seqLength: number;
  /** Share of posts held out for the evaluation. Default 0.1. */
  validationShare: number;
  /** Words seen fewer times in the training posts become `<unk>`. Default 2. */
  minCount: number;
  /** Share of the training posts tweetlab's own model sets aside as development posts. Default 0.1. */
  devShare: number;
  /** Training sets that must have windows (the report's models being trained). Default [1, 2]. */
  require: DatasetVariant[];
  /** Base seed. */
  seed: number;
}

export interface CorpusStatistics {
  chars: Describe;
  words: Describe;
  /** Share of raw posts with fewer than seqLength + 1 words (they give no variant-1 window). */
  shareShorterThanWindow: number;
  /** Per raw post, for the histograms. */
  rawChars: number[];
  rawWords: number[];
}

export interface PreparedRun extends PreparedDatasets {
  corpus: Corpus;
  statistics: CorpusStatistics;
  cleaned: CleanResult;
  /** One example per cleaning rule: the first post that rule changes, raw and fully cleaned. */
  cleaningExamples: { rule: string; before: string; after: string }[];
  totals: WordTotals;
  /** tweetlab's own model: its training stream (training posts minus the development slice) and dev posts (words the stream
   * has fewer than minCount times as `<unk>`, as the held-out posts see them). */
  own: { stream: Int32Array; devPosts: Int32Array[]; trainPosts: Int32Array[]; devSeed: number };
}

/** Statistics of the raw posts (before cleaning, as the report does). */
export function corpusStatistics(posts: readonly Post[], seqLength: number): CorpusStatistics {
  const rawChars = charsPerPost(posts);
  const rawWords = wordsPerPost(posts);
  return { chars: describe(rawChars), words: describe(rawWords), shareShorterThanWindow: shareShorterThan(rawWords, seqLength), rawChars, rawWords };
}

/** For each active cleaning rule, the first post it changes, shown raw and fully cleaned. */
export function cleaningExamples(posts: readonly Post[], cleaned: CleanResult): { rule: string; before: string; after: string }[] {
  // cleanPosts keeps the order and returns dropped posts as the original objects, so raw and cleaned posts
  // pair up by walking both lists (ids need not be unique in a user's file).
  const cleanedText = new Map<Post, string>();
  const dropped = new Set<Post>(cleaned.dropped);
  let k = 0;
  for (const raw of posts) if (!dropped.has(raw)) cleanedText.set(raw, cleaned.posts[k++]?.text ?? '');
  const out: { rule: string; before: string; after: string }[] = [];
  for (const rule of activeRules()) {
    const raw = posts.find((p) => rule.apply(p.text) !== p.text);
    if (raw) out.push({ rule: rule.name, before: raw.text, after: cleanedText.get(raw) ?? '(empty: dropped)' });
  }
  return out;
}

/** What the report's models' data is built with: the run's data settings, plus what `tweetlab train` may change. */
export interface WordDataOptions extends Pick<DataConfig, 'seqLength' | 'validationShare' | 'minCount' | 'require' | 'seed'> {
  /** Run the cleaning rules first. Default true (`tweetlab train --no-clean`: the input is already clean). */
  clean?: boolean;
  /** A saved model's vocabulary (when resuming) instead of a new one. */
  vocab?: Vocabulary;
  /** Held-out draws that repeat a training post go to training. Default true (false: how models saved before 2026-12-07, 23:17 UTC split). */
  repeatsToTraining?: boolean;
}

/** A corpus cleaned, tokenized and made into the report's data sets. */
export interface WordData extends PreparedDatasets {
  cleaned: CleanResult;
  tokenized: string[][];
}

/**
 * Posts → cleaning → word tokens → split by post → vocabulary of the training posts with `<eos>` → windows:
 * the one data preparation of the report's models, for every run (prepareRun) and for `tweetlab train`, so the
 * same settings give the same vocabulary and windows from both.
 */
export function prepareWordData(corpus: Corpus, opts: WordDataOptions): WordData {
  if (corpus.posts.length === 0) throw new TweetlabError(`${corpus.source.name}: the corpus has no posts`);
  const cleaned = opts.clean === false ? { posts: [...corpus.posts], dropped: [], perRuleCounts: {} } : cleanPosts(corpus.posts);
  if (cleaned.posts.length === 0) {
    throw new TweetlabError(`${corpus.source.name}: every post is empty after cleaning, nothing to train on`);
  }
  const tokenized = cleaned.posts.map((p) => tokenizeWords(p.text));
  const data = prepareDatasets(tokenized, {
    seqLength: opts.seqLength,
    validationShare: opts.validationShare,
    splitSeed: deriveSeed(opts.seed, 'validation-split'),
    minCount: opts.minCount,
    endOfPost: true,
    require: opts.require,
    ...(opts.vocab ? { vocab: opts.vocab } : {}),
    ...(opts.repeatsToTraining === false ? { repeatsToTraining: false } : {}),
  });
  return { ...data, cleaned, tokenized };
}

/** The whole data preparation of a run. */
export function prepareRun(corpus: Corpus, cfg: DataConfig): PreparedRun {
  const { cleaned, tokenized, ...data } = prepareWordData(corpus, cfg);
  const devSeed = deriveSeed(cfg.seed, 'development-split');
  // Repeats stay out of the development slice as out of the held-out posts: early stopping should not reward
  // learning them by heart.
  const dev = splitPostsForValidation(data.trainIds, cfg.devShare, devSeed, data.trainPosts);
  return {
    ...data,
    corpus,
    statistics: corpusStatistics(corpus.posts, cfg.seqLength),
    cleaned,
    cleaningExamples: cleaningExamples(corpus.posts, cleaned),
    totals: wordTotals(tokenized),
    own: { stream: postStream(dev.train, data.vocab.eosId as number), devPosts: unseenAsUnknown(dev.validation, dev.train, data.vocab.oovId, cfg.minCount), trainPosts: dev.train, devSeed },
  };
}
