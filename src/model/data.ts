import { TweetlabError } from '../errors.js';
import { buildWindows } from '../dataset/windows.js';
import { splitPostsForValidation } from '../dataset/split.js';
import { cleanPosts } from '../text/clean.js';
import { buildVocabulary, encodePosts, tokenizeWords } from '../text/tokenize.js';
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
  const tokenized = cleaned.posts.map((p) => tokenizeWords(p.text)).filter((w) => w.length > 0);
  if (tokenized.length === 0) throw new TweetlabError('No post has any words left to train on');
  const split = splitPostsForValidation(tokenized, opts.validationShare ?? 0.1, opts.seed ?? 1);
  const vocab = opts.vocab ?? buildVocabulary(split.train, { minCount: opts.minCount ?? 1 });
  const train = buildWindows(encodePosts(split.train, vocab), opts.seqLength, opts.dataset);
  const validation = buildWindows(encodePosts(split.validation, vocab), opts.seqLength, opts.dataset);
  if (train.count === 0) {
    throw new TweetlabError(
      `No training windows: every post is shorter than seqLength + 1 = ${opts.seqLength + 1} words (try a smaller --seq-length or dataset 2)`,
    );
  }
  return {
    train,
    validation,
    vocab,
    wordsPerPost: split.train.map((w) => w.length),
    trainPosts: split.train.length,
    validationPosts: split.validation.length,
    droppedPosts: cleaned.dropped.length,
  };
}
