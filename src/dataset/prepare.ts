import { TweetlabError } from '../errors.js';
import { buildVocabulary, encodePosts } from '../text/tokenize.js';
import type { DatasetVariant, Vocabulary, WindowSet } from '../types.js';
import { splitPostsForValidation } from './split.js';
import { buildWindows } from './windows.js';

export interface PrepareDatasetsOptions {
  /** Window length in words. */
  seqLength: number;
  /** Share of posts held out for validation. */
  validationShare: number;
  /** Seed of the validation split. */
  splitSeed: number;
  /** Words seen fewer times in the training posts become `<unk>`. Default 1. */
  minCount?: number;
  /** Give the vocabulary the `<eos>` token (id 1) for models that learn where posts begin and end. Default false. */
  endOfPost?: boolean;
  /** Use this vocabulary (a saved model's, when resuming) instead of building one. */
  vocab?: Vocabulary;
  /**
   * Training sets that must have windows: for these a corpus too short for the window fails with the window
   * builder's clear error. The others come back empty instead. Default [1, 2].
   */
  require?: DatasetVariant[];
  /** A held-out draw that repeats a training post (see `repeatKey`) goes to training. Default true. */
  repeatsToTraining?: boolean;
}

/** Both training sets of one corpus, split by post before any window is built. */
export interface PreparedDatasets {
  vocab: Vocabulary;
  splitSeed: number;
  /** Held-out draws that went to training because a training post has the same text (see `repeatKey`). */
  repeatsMoved: number;
  /** Words of the training and held-out posts. */
  trainPosts: string[][];
  validationPosts: string[][];
  /** Training posts as ids (what the n-gram baseline trains on). */
  trainIds: Int32Array[];
  /** Held-out posts as ids (the standard evaluation scores each once, from `<eos>` through its `<eos>`). */
  validationIds: Int32Array[];
  /** Training and held-out windows of both variants. */
  windows: Record<DatasetVariant, { train: WindowSet; validation: WindowSet }>;
  /**
   * The held-out windows every model is scored on: variant-1 windows of the held-out posts (no window spans
   * two posts), or the joined ones when no held-out post is long enough.
   */
  heldOut: WindowSet;
  /** Words per training post: the lengths generated posts draw from. */
  wordsPerPost: number[];
}

function emptyWindows(seqLength: number, variant: DatasetVariant): WindowSet {
  return { inputs: new Int32Array(0), targets: new Int32Array(0), count: 0, seqLength, variant, excludedPosts: 0 };
}

function windowsOrEmpty(ids: Int32Array[], seqLength: number, variant: DatasetVariant): WindowSet {
  try {
    return buildWindows(ids, seqLength, variant);
  } catch (err) {
    if (err instanceof TweetlabError) return emptyWindows(seqLength, variant); // too few or too short posts
    throw err;
  }
}

/**
 * Tokenized posts → split by post → vocabulary of the training posts only (held-out words never seen in
 * training become `<unk>`, for the LSTMs and the baseline alike) → ids → windows of both training sets.
 * The one data preparation of the main job, `tweetlab train` and the notebooks.
 */
export function prepareDatasets(tokenizedPosts: readonly string[][], opts: PrepareDatasetsOptions): PreparedDatasets {
  const posts = tokenizedPosts.filter((w) => w.length > 0);
  if (posts.length === 0) throw new TweetlabError('No post has any words left to train on');
  const split = splitPostsForValidation(posts, opts.validationShare, opts.splitSeed, opts.repeatsToTraining === false ? undefined : posts);
  const vocab = opts.vocab ?? buildVocabulary(split.train, { minCount: opts.minCount ?? 1, endOfPost: opts.endOfPost ?? false });
  const trainIds = encodePosts(split.train, vocab);
  const validationIds = encodePosts(split.validation, vocab);
  const required = new Set(opts.require ?? [1, 2]);
  const trainWindows = (variant: DatasetVariant) =>
    required.has(variant) ? buildWindows(trainIds, opts.seqLength, variant) : windowsOrEmpty(trainIds, opts.seqLength, variant);
  const windows = {
    1: { train: trainWindows(1), validation: windowsOrEmpty(validationIds, opts.seqLength, 1) },
    2: { train: trainWindows(2), validation: windowsOrEmpty(validationIds, opts.seqLength, 2) },
  };
  return {
    vocab,
    splitSeed: opts.splitSeed,
    repeatsMoved: split.repeatsMoved,
    trainPosts: split.train,
    validationPosts: split.validation,
    trainIds,
    validationIds,
    windows,
    heldOut: windows[1].validation.count > 0 ? windows[1].validation : windows[2].validation,
    wordsPerPost: split.train.map((w) => w.length),
  };
}
