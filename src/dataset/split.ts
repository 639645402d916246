/**
 * Train/validation split by post, made before windowing so that no window of a validation post is ever
 * trained on (with variant 2, windows of neighbouring posts would otherwise leak across the split). Repeated
 * posts never straddle it: a held-out copy of a training post would score memory, not style.
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
  /** Posts drawn for validation that moved to `train` because a training post has the same text. */
  repeatsMoved: number;
}

/**
 * The text a post is compared by when looking for repeats: its words, with accents and other combining marks
 * dropped (Russian writes ё or е freely; "café" and "cafe" are one word to a reader). Cleaning has already
 * lower-cased the words and taken punctuation off.
 */
export function repeatKey(words: readonly string[]): string {
  return words.join(' ').normalize('NFD').replace(/\p{M}/gu, '');
}

/**
 * Puts round(n × share) randomly chosen posts (seeded) into `validation` and the rest into `train`; both
 * keep the original post order. With share > 0 and at least two posts, validation gets at least one post
 * and train keeps at least one. share = 0 puts everything in train. With `words` (the words of each post, aligned
 * with `posts`), a post drawn for validation that repeats a training post (same `repeatKey`) goes to `train`
 * instead, so validation may end up below the share; the draw is the same, so a corpus without repeats splits
 * exactly as without `words`.
 */
export function splitPostsForValidation<T>(posts: readonly T[], share: number, seed: number, words?: readonly (readonly string[])[]): PostSplit<T> {
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
  if (words && words.length !== n) throw new TweetlabError(`The split got ${n} posts but the words of ${words.length}`);
  const repeatsMoved = words ? moveRepeatsToTrain(words.map(repeatKey), held) : 0;
  const train: T[] = [];
  const validation: T[] = [];
  posts.forEach((p, i) => (held[i] ? validation : train).push(p));
  return { train, validation, share, seed, repeatsMoved };
}

/** Clears `held` for every held post whose key a training post has; returns how many moved. */
function moveRepeatsToTrain(keys: readonly string[], held: Uint8Array): number {
  const trained = new Set(keys.filter((_, i) => !held[i]));
  let moved = 0;
  keys.forEach((k, i) => {
    if (held[i] && trained.has(k)) {
      held[i] = 0;
      moved++;
    }
  });
  return moved;
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
