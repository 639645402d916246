/**
 * Training of tweetlab's own model: the post stream cut into chunks at a new random place each epoch, the
 * learning rate halved when the development posts stop improving, early stopping with the best epoch kept.
 * The development posts are a slice of the TRAINING posts: the held-out posts are never looked at here.
 */
import { noiseStream, noiseTable } from '../dataset/noise.js';
import { randomChunks } from '../dataset/stream.js';
import { TweetlabError } from '../errors.js';
import { scorePostsWithModel, streamPerplexity } from '../evaluate/post-scores.js';
import type { EpochRecord } from '../model/config-file.js';
import type { BatchInfo, Engine, LanguageModel, ModelConfig, NamedWeight, OptimizerSettings, WeightTracker } from '../model/types.js';
import { deriveSeed } from '../random.js';
import type { WindowSet } from '../types.js';
import type { OwnModelConfig } from './config.js';
import { checkOwnModelSettings } from './config-check.js';
import { averageDecay, trackWeightAverage } from './weight-average.js';

export interface OwnTrainInput {
  engine: Engine;
  model: ModelConfig;
  settings: OwnModelConfig;
  /** `<eos> p1 <eos> p2 …` of the training posts minus the development slice. */
  stream: Int32Array;
  /** Development posts (ids, no `<eos>`), scored after every epoch for early stopping. */
  devPosts: Int32Array[];
  eosId: number;
  seed: number;
}

export interface OwnTrainHooks {
  onBatch?: (epoch: number, b: BatchInfo) => void;
  onEpoch?: (r: OwnEpochRecord & { best: boolean }) => void;
  /** Polled between batches: true stops after the current batch (the best epoch so far is kept). */
  shouldStop?: () => boolean;
}

/** One epoch of the own model: its step size, and whether it trained on a noised copy of the stream (absent in runs before 2026-12-07, 22:09 UTC). */
export type OwnEpochRecord = EpochRecord & { learningRate: number; noised?: boolean };

export interface OwnTrainResult {
  model: LanguageModel;
  history: OwnEpochRecord[];
  /** Epoch whose weights were kept (lowest development perplexity). */
  bestEpoch: number;
  bestDevPerplexity: number;
  seconds: number;
  stopped: boolean;
}

/** The optimiser settings of one epoch of the own model (also what `npm run bench` trains its shape with). */
export function ownOptimizer(s: OwnModelConfig, learningRate: number = s.learningRate): OptimizerSettings {
  return {
    kind: s.optimizer,
    learningRate,
    rho: 0.9,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
    ...(s.weightDecay > 0 ? { weightDecay: s.weightDecay } : {}),
    ...(s.clipNorm > 0 ? { clipNorm: s.clipNorm } : {}),
  } as OptimizerSettings;
}

/**
 * Refuses what would fail only later: every setting (the noising's may first be used many epochs in), also for
 * callers that build their settings without resolvePipelineConfig (the ablation, scripts), and no development posts.
 */
function checkTrainInput(input: OwnTrainInput): void {
  checkOwnModelSettings(input.settings);
  if (input.devPosts.length === 0) throw new TweetlabError('tweetlab model: no development posts to choose the best epoch on');
}

/**
 * Each epoch's chunks: the stream cut at a new random place; once `noised`, a new Kneser–Ney-noised copy of it
 * every epoch (when `settings.noising` > 0).
 */
function epochChunker(input: OwnTrainInput): (epoch: number, noised: boolean) => WindowSet {
  const s = input.settings;
  const table = s.noising > 0 ? noiseTable(input.stream, input.model.vocabSize, input.eosId) : null;
  return (epoch, noised) => {
    const stream = table && noised ? noiseStream(input.stream, table, s.noising, deriveSeed(input.seed, `noise-${epoch}`)) : input.stream;
    return randomChunks(stream, input.model.seqLength, deriveSeed(input.seed, `chunks-${epoch}`));
  };
}

/** Trains until `maxEpochs` or `patience` epochs without a better development perplexity; keeps the best. */
export async function trainOwnModel(input: OwnTrainInput, hooks: OwnTrainHooks = {}): Promise<OwnTrainResult> {
  const { settings: s } = input;
  checkTrainInput(input);
  const chunksOf = epochChunker(input);
  const started = performance.now();
  const model = input.engine.createModel(input.model);
  const history: OwnEpochRecord[] = [];
  let learningRate = s.learningRate;
  let best = { epoch: 0, perplexity: Infinity, weights: null as NamedWeight[] | null };
  let sinceBest = 0;
  let stopped = false;
  let average: WeightTracker | null = null;
  let noising = s.noisingFrom === 'start';
  for (let epoch = 1; epoch <= s.maxEpochs; epoch++) {
    const chunks = chunksOf(epoch, noising);
    if (s.averageEpochs > 0) average ??= trackWeightAverage(model, averageDecay(s.averageEpochs, Math.ceil(chunks.count / s.batchSize)));
    const stats = await model.trainEpoch(
      chunks,
      { batchSize: s.batchSize, optimizer: ownOptimizer(s, learningRate), seed: deriveSeed(input.seed, `epoch-${epoch}`), shouldStop: hooks.shouldStop },
      (b) => {
        average?.update();
        hooks.onBatch?.(epoch, b);
      },
    );
    // The averaged weights are the ones scored (and kept); training goes on from the last step's.
    const raw = average ? model.getWeights() : null;
    const averaged = average?.weights() ?? null;
    if (averaged) model.setWeights(averaged);
    const dev = streamPerplexity(scorePostsWithModel(model, input.devPosts, input.eosId));
    const improved = dev.perplexity < best.perplexity;
    const record = { epoch, loss: stats.loss, valLoss: dev.crossEntropy, valPerplexity: dev.perplexity, seconds: stats.seconds, learningRate, noised: noising && s.noising > 0 };
    history.push(record);
    hooks.onEpoch?.({ ...record, best: improved });
    if (improved) {
      best = { epoch, perplexity: dev.perplexity, weights: averaged ?? model.getWeights() };
      sinceBest = 0;
    } else {
      sinceBest++;
      // A plateau halves the step size before it gives up (most late gains come from smaller steps) and starts the
      // noising: the model has begun to learn its training posts by heart.
      learningRate *= s.lrDecay;
      noising = true;
    }
    if (raw) model.setWeights(raw);
    if (stats.stopped) {
      stopped = true;
      break;
    }
    if (sinceBest >= s.patience) break;
  }
  if (best.weights) model.setWeights(best.weights);
  return {
    model,
    history,
    bestEpoch: best.epoch,
    bestDevPerplexity: best.perplexity,
    seconds: (performance.now() - started) / 1000,
    stopped,
  };
}
