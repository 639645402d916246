import { prepareDatasets } from '../dataset/prepare.js';
import { cleanPosts } from '../text/clean.js';
import { tokenizeWords } from '../text/tokenize.js';
import type { Post, Vocabulary, WindowSet } from '../types.js';

/** Windows and vocabulary of one dataset variant, split by post before windowing. */
export interface TrainingData {
  train: WindowSet;
  validation: WindowSet;
  vocab: Vocabulary;
  /** Words per training post (generation lengths). */
  wordsPerPost: number[];
  trainPosts: number;
  validationPosts: number;
  /** Posts dropped because cleaning left no text. */
  droppedPosts: number;
}

export interface TrainingDataOptions {
  /** Window length in words. */
  seqLength: number;
  /** 1 = windows inside each post, 2 = posts joined. */
  dataset: 1 | 2;
  /** Share of posts held out. Default 0.1. */
  validationShare?: number;
  /** Seed of the validation split. Default 1. */
  seed?: number;
  /** Words seen fewer times (in the training posts) become OOV. Default 1. */
  minCount?: number;
  /** Run the report's cleaning rules first. Default true. */
  clean?: boolean;
  /** Use this vocabulary (e.g. a saved model's, when resuming) instead of building one. */
  vocab?: Vocabulary;
}

/**
 * Posts → cleaned → tokenized → split by post → vocabulary of the training posts → windows of both parts.
 * The vocabulary comes from training posts only, so validation words unseen in training count as OOV.
 */
export function prepareTrainingData(posts: readonly Post[], opts: TrainingDataOptions): TrainingData {
  const cleaned = opts.clean === false ? { posts: [...posts], dropped: [] as Post[] } : cleanPosts(posts);
  const data = prepareDatasets(
    cleaned.posts.map((p) => tokenizeWords(p.text)),
    {
      seqLength: opts.seqLength,
      validationShare: opts.validationShare ?? 0.1,
      splitSeed: opts.seed ?? 1,
      minCount: opts.minCount ?? 1,
      require: [opts.dataset],
      ...(opts.vocab ? { vocab: opts.vocab } : {}),
    },
  );
  return {
    train: data.windows[opts.dataset].train,
    validation: data.windows[opts.dataset].validation,
    vocab: data.vocab,
    wordsPerPost: data.wordsPerPost,
    trainPosts: data.trainPosts.length,
    validationPosts: data.validationPosts.length,
    droppedPosts: cleaned.dropped.length,
  };
}
