/**
 * The two training sets of the report's section 5, as flat Int32Array windows of word ids.
 *
 * A window is `seqLength` consecutive input ids and, for each time step, the id of the next word:
 * targets[i, t] = the word after inputs[i, t] (= inputs[i, t + 1] inside the window). A window therefore
 * spans seqLength + 1 words, and a run of n words gives n − seqLength windows (one per start position).
 */
import { TweetlabError } from '../errors.js';
import type { WindowSet } from '../types.js';

function checkSeqLength(seqLength: number): void {
  if (!Number.isInteger(seqLength) || seqLength < 1) {
    throw new TweetlabError(`seqLength must be a whole number of at least 1, got ${seqLength}`);
  }
}

/** Number of windows a run of `nWords` words gives: max(0, nWords − seqLength). */
export function windowsInRun(nWords: number, seqLength: number): number {
  return Math.max(0, nWords - seqLength);
}

/** Copies every window of `ids` into the flat arrays from row `row` on; returns the next free row. */
function fillWindows(ids: ArrayLike<number>, seqLength: number, inputs: Int32Array, targets: Int32Array, row: number): number {
  const n = windowsInRun(ids.length, seqLength);
  for (let s = 0; s < n; s++, row++) {
    const base = row * seqLength;
    for (let t = 0; t < seqLength; t++) {
      inputs[base + t] = ids[s + t] as number;
      targets[base + t] = ids[s + t + 1] as number;
    }
  }
  return row;
}

function checkNotEmpty(encodedPosts: readonly ArrayLike<number>[]): number {
  let words = 0;
  for (const p of encodedPosts) words += p.length;
  if (encodedPosts.length === 0 || words === 0) {
    throw new TweetlabError('The corpus is empty: there are no words to build training windows from');
  }
  return words;
}

/**
 * Variant 1 (split by post): windows inside each post only, so no window crosses from one post into the
 * next. Posts with fewer than seqLength + 1 words give no window; they are counted in `excludedPosts`.
 * Throws when no post is long enough.
 */
export function buildWindowsPerTweet(encodedPosts: readonly ArrayLike<number>[], seqLength: number): WindowSet {
  checkSeqLength(seqLength);
  checkNotEmpty(encodedPosts);
  let count = 0;
  let excludedPosts = 0;
  let longest = 0;
  for (const p of encodedPosts) {
    longest = Math.max(longest, p.length);
    const n = windowsInRun(p.length, seqLength);
    if (n === 0) excludedPosts++;
    count += n;
  }
  if (count === 0) {
    throw new TweetlabError(
      `seqLength ${seqLength} is longer than every post: variant 1 needs a post of at least ${seqLength + 1} words, the longest has ${longest}`,
    );
  }
  const inputs = new Int32Array(count * seqLength);
  const targets = new Int32Array(count * seqLength);
  let row = 0;
  for (const p of encodedPosts) row = fillWindows(p, seqLength, inputs, targets, row);
  return { inputs, targets, count, seqLength, variant: 1, excludedPosts };
}

/**
 * Variant 2 (no split): all posts joined into one run of nWords words, giving nWords − seqLength windows;
 * windows may span the end of one post and the start of the next. Throws when the whole corpus has
 * seqLength words or fewer.
 */
export function buildWindowsJoined(encodedPosts: readonly ArrayLike<number>[], seqLength: number): WindowSet {
  checkSeqLength(seqLength);
  const words = checkNotEmpty(encodedPosts);
  const count = windowsInRun(words, seqLength);
  if (count === 0) {
    throw new TweetlabError(
      `seqLength ${seqLength} is too long: variant 2 needs at least ${seqLength + 1} words in the whole corpus, it has ${words}`,
    );
  }
  const joined = new Int32Array(words);
  let at = 0;
  for (const p of encodedPosts) {
    for (let i = 0; i < p.length; i++) joined[at++] = p[i] as number;
  }
  const inputs = new Int32Array(count * seqLength);
  const targets = new Int32Array(count * seqLength);
  fillWindows(joined, seqLength, inputs, targets, 0);
  return { inputs, targets, count, seqLength, variant: 2, excludedPosts: 0 };
}

/** Builds the windows of the chosen variant. */
export function buildWindows(encodedPosts: readonly ArrayLike<number>[], seqLength: number, variant: 1 | 2): WindowSet {
  return variant === 1 ? buildWindowsPerTweet(encodedPosts, seqLength) : buildWindowsJoined(encodedPosts, seqLength);
}

/** Row `i` of a window set as plain arrays (for display and tests; training uses the flat arrays). */
export function windowAt(ws: WindowSet, i: number): { inputs: number[]; targets: number[] } {
  if (!Number.isInteger(i) || i < 0 || i >= ws.count) throw new RangeError(`Window ${i} is outside 0…${ws.count - 1}`);
  const from = i * ws.seqLength;
  return {
    inputs: Array.from(ws.inputs.subarray(from, from + ws.seqLength)),
    targets: Array.from(ws.targets.subarray(from, from + ws.seqLength)),
  };
}

/** The windows at `rows`, in that order, copied into new arrays (a batch, or a subset of an epoch). */
export function pickWindows(data: WindowSet, rows: readonly number[]): WindowSet {
  const T = data.seqLength;
  const inputs = new Int32Array(rows.length * T);
  const targets = new Int32Array(rows.length * T);
  rows.forEach((r, i) => {
    inputs.set(data.inputs.subarray(r * T, (r + 1) * T), i * T);
    targets.set(data.targets.subarray(r * T, (r + 1) * T), i * T);
  });
  return { ...data, inputs, targets, count: rows.length };
}

/** What one-hot float32 tensors of a window set would have cost, next to what the Int32Array ids cost. */
export interface OneHotCost {
  /** count × seqLength × vocabSize × 4 bytes for the one-hot inputs. */
  inputsBytes: number;
  /** The same again for one-hot targets. */
  targetsBytes: number;
  /** inputsBytes + targetsBytes. */
  totalBytes: number;
  /** What the window set actually holds: two Int32Arrays of count × seqLength ids. */
  int32Bytes: number;
  /** One sentence for logs and reports. */
  note: string;
}

/** Bytes as a short human figure ("1.2 GB"), decimal units. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/**
 * The memory one-hot float32 inputs and targets would take for `windowSet` with a vocabulary of
 * `vocabSize` words — the cost the report ran into on Colab, and why tweetlab keeps ids.
 */
export function oneHotCostBytes(windowSet: WindowSet, vocabSize: number): OneHotCost {
  if (!Number.isInteger(vocabSize) || vocabSize < 1) throw new TweetlabError(`vocabSize must be a positive whole number, got ${vocabSize}`);
  const cells = windowSet.count * windowSet.seqLength;
  const inputsBytes = cells * vocabSize * 4;
  const targetsBytes = inputsBytes;
  const totalBytes = inputsBytes + targetsBytes;
  const int32Bytes = windowSet.inputs.byteLength + windowSet.targets.byteLength;
  const ratio = int32Bytes > 0 ? Math.round(totalBytes / int32Bytes) : 0;
  const note =
    `Variant ${windowSet.variant}: ${windowSet.count} windows × ${windowSet.seqLength} steps as one-hot float32 over ` +
    `${vocabSize} words would take ${formatBytes(totalBytes)} (inputs and targets); as Int32Array ids they take ` +
    `${formatBytes(int32Bytes)} (${ratio}× less).`;
  return { inputsBytes, targetsBytes, totalBytes, int32Bytes, note };
}
