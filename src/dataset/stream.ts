/**
 * The post stream tweetlab's own model trains on: every training post framed by the end-of-post token,
 * `<eos> p1 <eos> p2 <eos> …`, so the model learns how posts begin (after `<eos>`) and where they end (it
 * predicts `<eos>`). Each epoch cuts the stream into chunks at a new random offset, so every word is seen
 * with a different amount of left context from one epoch to the next.
 */
import { TweetlabError } from '../errors.js';
import { Random } from '../random.js';
import type { WindowSet } from '../types.js';

/** `<eos> p1 <eos> p2 <eos> … pn <eos>`: one stream of ids (the first `<eos>` is the first post's begin context). */
export function postStream(posts: readonly ArrayLike<number>[], eosId: number): Int32Array {
  let n = 1;
  for (const p of posts) n += p.length + 1;
  const out = new Int32Array(n);
  let k = 0;
  out[k++] = eosId;
  for (const p of posts) {
    for (let i = 0; i < p.length; i++) out[k++] = p[i] as number;
    out[k++] = eosId;
  }
  return out;
}

/**
 * Non-overlapping windows of `seqLength` inputs (and their next ids) cut from `stream` starting at a random
 * offset in [0, seqLength): each epoch draws a new offset, so chunk borders move. Chunks may cross posts (the
 * `<eos>` between them tells the model a new post starts).
 */
export function randomChunks(stream: Int32Array, seqLength: number, seed: number): WindowSet {
  if (!Number.isInteger(seqLength) || seqLength < 1) {
    throw new TweetlabError(`seqLength must be a whole number of at least 1, got ${seqLength}`);
  }
  const offset = new Random(seed).int(seqLength);
  const count = Math.max(0, Math.floor((stream.length - 1 - offset) / seqLength));
  if (count === 0) throw new TweetlabError(`The training stream (${stream.length} ids) is too short for windows of ${seqLength}`);
  const inputs = new Int32Array(count * seqLength);
  const targets = new Int32Array(count * seqLength);
  for (let w = 0; w < count; w++) {
    const start = offset + w * seqLength;
    inputs.set(stream.subarray(start, start + seqLength), w * seqLength);
    targets.set(stream.subarray(start + 1, start + 1 + seqLength), w * seqLength);
  }
  // Layout of variant 2 (windows over the joined posts), without overlap.
  return { inputs, targets, count, seqLength, variant: 2, excludedPosts: 0 };
}
