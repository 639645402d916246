/**
 * Train/validation split by post, made before windowing so that no window of a validation post is ever
 * trained on (with variant 2, windows of neighbouring posts would otherwise leak across the split).
 */
import { TweetlabError } from '../errors.js';
import { Random } from '../random.js';

export interface PostSplit<T> {
  /** Posts to train on, in their original order. */
  train: T[];
  /** Held-out posts, in their original order. */
  validation: T[];
  /** The share asked for. */
  share: number;
  /** The seed of the shuffle, for the record. */
  seed: number;
}

/**
 * Puts round(n × share) randomly chosen posts (seeded) into `validation` and the rest into `train`; both
 * keep the original post order. With share > 0 and at least two posts, validation gets at least one post
 * and train keeps at least one. share = 0 puts everything in train.
 */
export function splitPostsForValidation<T>(posts: readonly T[], share: number, seed: number): PostSplit<T> {
  if (!(share >= 0 && share < 1)) {
    throw new TweetlabError(`The validation share must be at least 0 and below 1, got ${share}`);
  }
  const n = posts.length;
  let k = Math.round(n * share);
  if (share > 0 && n >= 2) k = Math.min(Math.max(k, 1), n - 1);
  if (n < 2) k = 0;
  const order = new Random(seed).fork('validation-split').shuffle(Array.from({ length: n }, (_, i) => i));
  const held = new Uint8Array(n);
  for (let i = 0; i < k; i++) held[order[i] as number] = 1;
  const train: T[] = [];
  const validation: T[] = [];
  posts.forEach((p, i) => (held[i] ? validation : train).push(p));
  return { train, validation, share, seed };
}

/**
 * `posts` with every word seen fewer than `minCount` times in `seen` replaced by `oovId`. The development posts
 * are training posts, so the vocabulary holds words that only they contain; a model trained without them has
 * never seen those words, which the held-out posts would show as `<unk>`. Mapped like this, the development
 * posts are scored as the held-out posts are, instead of punishing the model for words it could not know.
 */
export function unseenAsUnknown(posts: readonly Int32Array[], seen: readonly ArrayLike<number>[], oovId: number, minCount: number): Int32Array[] {
  const counts = new Map<number, number>();
  for (const p of seen) for (let i = 0; i < p.length; i++) counts.set(p[i] as number, (counts.get(p[i] as number) ?? 0) + 1);
  return posts.map((p) => p.map((id) => ((counts.get(id) ?? 0) < minCount ? oovId : id)));
}
