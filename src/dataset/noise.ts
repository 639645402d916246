/**
 * Kneser–Ney data noising (Xie et al., "Data noising as smoothing in neural network language models", 2017):
 * each epoch, a word of the training stream is swapped for another with a probability that grows with how many
 * different words follow the word before it, and the swap is drawn by how many different words each word
 * follows. That is the 3-gram's own smoothing (its discount mass and its continuation counts) taught to the LSTM
 * as noise in its data, where an n-gram beats it: short contexts and rare words.
 */
import { Random } from '../random.js';

/** The counts noising needs, taken once from the training stream. */
export interface NoiseTable {
  /** Per id: γ(id) / γ0 = distinct followers / occurrences as a predecessor (0 for ids never followed). */
  spread: Float64Array;
  /** Cumulative continuation counts N1+(•, w) over ids (`<eos>` excluded), for drawing a replacement. */
  cumulative: Float64Array;
  eosId: number;
}

/** The table of a `<eos>`-framed stream (src/dataset/stream.ts); pairs across `<eos>` count as pairs. */
export function noiseTable(stream: Int32Array, vocabSize: number, eosId: number): NoiseTable {
  const seen = new Set<number>();
  const followers = new Float64Array(vocabSize);
  const occurrences = new Float64Array(vocabSize);
  const precursors = new Float64Array(vocabSize);
  for (let t = 1; t < stream.length; t++) {
    const a = stream[t - 1] as number;
    const b = stream[t] as number;
    occurrences[a] = (occurrences[a] as number) + 1;
    const key = a * vocabSize + b;
    if (seen.has(key)) continue;
    seen.add(key);
    followers[a] = (followers[a] as number) + 1;
    precursors[b] = (precursors[b] as number) + 1;
  }
  const spread = new Float64Array(vocabSize);
  for (let i = 0; i < vocabSize; i++) spread[i] = (occurrences[i] as number) > 0 ? (followers[i] as number) / (occurrences[i] as number) : 0;
  const cumulative = new Float64Array(vocabSize);
  let total = 0;
  for (let i = 0; i < vocabSize; i++) {
    if (i !== eosId) total += precursors[i] as number;
    cumulative[i] = total;
  }
  return { spread, cumulative, eosId };
}

/** The id whose cumulative range holds u · total (binary search). */
function drawContinuation(cumulative: Float64Array, u: number): number {
  const target = u * (cumulative[cumulative.length - 1] as number);
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A noised copy of `stream`: each word after the first id is replaced, with probability
 * min(1, gamma · spread(word before)), by a draw from the continuation counts. `<eos>` is never replaced nor drawn,
 * so posts keep their borders. gamma 0 returns the stream itself.
 */
export function noiseStream(stream: Int32Array, table: NoiseTable, gamma: number, seed: number): Int32Array {
  if (!(gamma >= 0 && gamma <= 1)) throw new RangeError(`noising: gamma must be in [0, 1], got ${gamma}`);
  if (gamma === 0) return stream;
  const rng = new Random(seed);
  const out = Int32Array.from(stream);
  for (let t = 1; t < stream.length; t++) {
    if (stream[t] === table.eosId) continue;
    const chance = Math.min(1, gamma * (table.spread[stream[t - 1] as number] as number));
    if (rng.next() < chance) out[t] = drawContinuation(table.cumulative, rng.next());
  }
  return out;
}
