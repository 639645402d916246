/**
 * The two workloads of `npm run bench` (scripts/bench.mjs), as data: the report's models (2 × 256 LSTM,
 * RMSprop, windows inside posts) and tweetlab's own model (1 × 256 tied LSTM with its dropouts, Adam with weight
 * decay and clipping, random 10-token chunks of the post stream, batch 16), both on seeded synthetic posts so
 * every engine and PyTorch train on identical ids. The own model's shape comes from `OWN_MODEL_DEFAULTS` and
 * `ownModelConfig` itself, so the bench follows the shipped defaults.
 */
import { postStream, randomChunks } from '../dataset/stream.js';
import type { ModelConfig, OptimizerSettings } from '../model/types.js';
import { OWN_MODEL_DEFAULTS, type OwnModelConfig } from '../pipeline/config.js';
import { ownModelConfig } from '../pipeline/own.js';
import { ownOptimizer } from '../pipeline/own-train.js';
import { Random } from '../random.js';
import type { WindowSet } from '../types.js';

/** The report-shaped workload (unchanged since the first bench). */
export interface ReportWorkload {
  posts: number;
  meanWords: number;
  vocabSize: number;
  seqLength: number;
  layers: number;
  hidden: number;
  embedding: number;
  batchSize: number;
  optimizer: 'rmsprop';
  learningRate: number;
  seed: number;
  /** Windows held for the dataset-2 peak-memory measurement. */
  dataset2Windows: number;
}

export const REPORT_WORKLOAD: Readonly<ReportWorkload> = {
  posts: 3182,
  meanWords: 11,
  vocabSize: 9000,
  seqLength: 10,
  layers: 2,
  hidden: 256,
  embedding: 128,
  batchSize: 128,
  optimizer: 'rmsprop',
  learningRate: 0.001,
  seed: 20240601,
  dataset2Windows: 36000,
};

/** tweetlab's own model shape: the default corpus's sizes, the model and optimiser of `OWN_MODEL_DEFAULTS`. */
export interface OwnWorkload {
  /** Synthetic training posts (the default corpus: 2,608 training posts less the 10% development slice). */
  posts: number;
  meanWords: number;
  /** The default corpus's vocabulary (2,602 ids with `<unk>` and `<eos>`). */
  vocabSize: number;
  /** Id of `<eos>` between posts in the stream (as the main job's vocabulary). */
  eosId: number;
  seed: number;
  /** The own-model settings the shape is read from. */
  settings: OwnModelConfig;
  /** The engine-level config: variant 3, tied, with every dropout. */
  model: ModelConfig;
  optimizer: OptimizerSettings;
  batchSize: number;
  seqLength: number;
  /** Tokens per optimiser step: batchSize × seqLength, the same on every engine and in PyTorch. */
  tokensPerStep: number;
}

export function ownWorkload(settings: OwnModelConfig = OWN_MODEL_DEFAULTS): OwnWorkload {
  const vocabSize = 2602;
  const seed = 20261202;
  return {
    posts: 2347,
    meanWords: 18,
    vocabSize,
    eosId: 1,
    seed,
    settings: { ...settings },
    model: ownModelConfig(settings, vocabSize, seed),
    optimizer: ownOptimizer(settings),
    batchSize: settings.batchSize,
    seqLength: settings.seqLength,
    tokensPerStep: settings.batchSize * settings.seqLength,
  };
}

/**
 * Seeded synthetic posts: lengths uniform in 3 … 2·meanWords − 3, words Zipf-distributed over ids
 * 2 … vocabSize − 1 (ids 0 and 1 are special and never drawn).
 */
export function syntheticPosts(spec: { posts: number; meanWords: number; vocabSize: number; seed: number }): Int32Array[] {
  const rng = new Random(spec.seed);
  const V = spec.vocabSize;
  const cum = new Float64Array(V);
  let acc = 0;
  for (let r = 2; r < V; r++) cum[r] = acc += 1 / (r - 1);
  const word = (): number => {
    const u = rng.next() * acc;
    let lo = 2;
    let hi = V - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const posts: Int32Array[] = [];
  for (let p = 0; p < spec.posts; p++) {
    const len = 3 + rng.int(2 * (spec.meanWords - 3) + 1);
    posts.push(Int32Array.from({ length: len }, word));
  }
  return posts;
}

/** The report workload's variant-1 windows: every run of seqLength + 1 words inside a post. */
export function reportWindows(w: ReportWorkload): WindowSet {
  const T = w.seqLength;
  const inputs: number[] = [];
  const targets: number[] = [];
  for (const words of syntheticPosts(w)) {
    for (let s = 0; s + T < words.length; s++) {
      for (let t = 0; t < T; t++) {
        inputs.push(words[s + t] as number);
        targets.push(words[s + t + 1] as number);
      }
    }
  }
  return { inputs: Int32Array.from(inputs), targets: Int32Array.from(targets), count: inputs.length / T, seqLength: T, variant: 1, excludedPosts: 0 };
}

/** The own workload's stream `<eos> p1 <eos> p2 …`. */
export function ownStream(w: OwnWorkload): Int32Array {
  return postStream(syntheticPosts(w), w.eosId);
}

/** One epoch's chunks, as the own model's training cuts them (`randomChunks`, a new offset per seed). */
export function ownChunks(w: OwnWorkload, stream: Int32Array, epochSeed: number): WindowSet {
  return randomChunks(stream, w.seqLength, epochSeed);
}

/** The first `count` windows of `w`, cycling when it has fewer. */
export function takeWindows(w: WindowSet, count: number): WindowSet {
  const T = w.seqLength;
  const inputs = new Int32Array(count * T);
  const targets = new Int32Array(count * T);
  for (let i = 0; i < count; i++) {
    const src = (i % w.count) * T;
    inputs.set(w.inputs.subarray(src, src + T), i * T);
    targets.set(w.targets.subarray(src, src + T), i * T);
  }
  return { inputs, targets, count, seqLength: T, variant: w.variant, excludedPosts: 0 };
}
