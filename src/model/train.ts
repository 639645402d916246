import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { deriveSeed, Random } from '../random.js';
import { TweetlabError } from '../errors.js';
import { lengthCounts, lengthsFromCounts } from '../analysis/lengths.js';
import { pickWindows } from '../dataset/windows.js';
import type { GeneratedPost, Vocabulary, WindowSet } from '../types.js';
import { backendOfEngine, getEngine } from './backend.js';
import { optimizerSettings } from './experiment.js';
import { loadModel, readModelConfig, saveModel, type EpochRecord, type ModelFileConfig } from './io.js';
import type { Engine, LanguageModel, ModelConfig, TrainConfig } from './types.js';

/** Progress after every batch. */
export interface TrainProgress {
  /** 1-based epoch being trained. */
  epoch: number;
  epochs: number;
  /** 1-based batch just finished, of `batches` in this epoch. */
  batch: number;
  batches: number;
  /** Loss of this batch. */
  loss: number;
  /** Mean loss of this epoch so far. */
  epochLoss: number;
  /** Seconds since training started (this session). */
  elapsed: number;
  /** Estimated seconds left for all remaining epochs. */
  eta: number;
}

/** What a checkpoint asks its sampler for. */
export interface CheckpointSampleRequest {
  /** Derived from the train seed and the epoch. */
  seed: number;
  count: number;
  /** Words-per-post values of the training posts, to draw lengths from. */
  wordsPerPost: ArrayLike<number>;
}

/**
 * Writes the sample posts of a checkpoint: the generate stage's `checkpointSampler(...)`. Passed in rather than
 * imported, because generation is the stage above training.
 */
export type CheckpointSampler = (model: LanguageModel, vocab: Vocabulary, request: CheckpointSampleRequest) => GeneratedPost[];

/** Sample posts generated and the folder saved at a checkpoint epoch. */
export interface CheckpointRecord {
  epoch: number;
  /** Folder of the saved model (`<outDir>/epoch-<e>`), or null when no outDir was given. */
  dir: string | null;
  samples: GeneratedPost[];
}

export interface TrainOptions {
  /** Engine to build the model on. Default: the fastest available (`getEngine()`). */
  engine?: Engine;
  /** Architecture; required unless `resume` is given. */
  modelConfig?: ModelConfig;
  /** Training settings; with `resume`, fields given here override the saved ones (e.g. more epochs). */
  train?: Partial<TrainConfig>;
  /** Training windows (ids of `vocab`). */
  data: WindowSet;
  /** Windows of the held-out posts, for per-epoch validation loss and perplexity. */
  validation?: WindowSet;
  vocab: Vocabulary;
  /** Where checkpoints go: `<outDir>/epoch-<e>/`; an interrupted run saves `<outDir>/interrupted/`. */
  outDir?: string;
  /** A model folder (or an outDir of checkpoints: the latest is taken) to continue from. */
  resume?: string;
  /** Words-per-post values of the training posts: lengths of the sample posts, and stored for `generate`. */
  wordsPerPost?: ArrayLike<number>;
  /** Sample posts per checkpoint. Default 3. */
  samplesPerCheckpoint?: number;
  /** Writes the checkpoint samples (e.g. `checkpointSampler({ seed })` of src/generate). Default: none, no samples. */
  sampler?: CheckpointSampler;
  /** Recorded in config.json. */
  modelNumber?: number;
  dataset?: 1 | 2;
  extra?: Record<string, unknown>;
  onProgress?: (p: TrainProgress) => void;
  onEpoch?: (r: EpochRecord) => void;
  onCheckpoint?: (c: CheckpointRecord) => void;
  /** Polled between batches (the CLI wires SIGINT to it): true stops after the current batch. */
  shouldStop?: () => boolean;
}

export interface TrainResult {
  model: LanguageModel;
  /** Every epoch so far, including those of the run resumed from. */
  history: EpochRecord[];
  checkpoints: CheckpointRecord[];
  /** Wall seconds of this call. */
  seconds: number;
  /** Engine name the model ran on ("tfjs-wasm" …). */
  engine: string;
  /** Its backend ("wasm", "cpu", "tensorflow", or the engine name for non-tfjs engines). */
  backend: string;
  /** Epochs completed in total. */
  epoch: number;
  /** True when `shouldStop` ended training early. */
  stopped: boolean;
  /** Folder saved last (a checkpoint or the interrupted state), if any. */
  lastSaved: string | null;
  modelConfig: ModelConfig;
  trainConfig: TrainConfig;
}

export const DEFAULT_TRAIN: TrainConfig = {
  epochs: 10,
  batchSize: 128,
  optimizer: 'rmsprop',
  learningRate: 0.001,
  checkpoints: [20, 40, 60, 100],
  validationShare: 0.1,
  seed: 1,
  windowsPerEpoch: 0,
};

/**
 * A model folder to resume from: `dir` itself when it holds config.json, else the checkpoint inside it with the
 * most epochs (`epoch-<e>/` or `interrupted/`).
 */
export async function resolveResumeDir(dir: string): Promise<string> {
  if (await exists(path.join(dir, 'config.json'))) return dir;
  let entries: string[];
  try {
    entries = await fsp.readdir(dir);
  } catch {
    throw new TweetlabError(`Resume folder not found: ${dir}`);
  }
  let best: { dir: string; epoch: number; time: number } | null = null;
  for (const name of entries) {
    if (!/^epoch-\d+$/.test(name) && name !== 'interrupted') continue;
    const sub = path.join(dir, name);
    if (!(await exists(path.join(sub, 'config.json')))) continue;
    const cfg = await readModelConfig(sub);
    const time = Date.parse(cfg.savedAt) || 0;
    if (!best || cfg.epoch > best.epoch || (cfg.epoch === best.epoch && time > best.time)) best = { dir: sub, epoch: cfg.epoch, time };
  }
  if (!best) throw new TweetlabError(`No saved model to resume in ${dir} (expected config.json or epoch-<n>/ folders)`);
  return best.dir;
}

async function exists(file: string): Promise<boolean> {
  return fsp.access(file).then(
    () => true,
    () => false,
  );
}

/** A seeded subset of `n` windows (all when n is 0 or ≥ count). */
export function sampleWindows(data: WindowSet, n: number, seed: number): WindowSet {
  if (!(n > 0) || n >= data.count) return data;
  const rows = new Random(seed).shuffle(Array.from({ length: data.count }, (_, i) => i)).slice(0, n);
  rows.sort((a, b) => a - b);
  return pickWindows(data, rows);
}

/**
 * Trains one model: epochs of shuffled batches, validation after each epoch, checkpoints (saved folder +
 * sample posts) at the chosen epochs, resumable, stoppable between batches.
 */
export async function trainModel(opts: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  let model: LanguageModel;
  let vocab = opts.vocab;
  let history: EpochRecord[] = [];
  let trainConfig: TrainConfig;
  let firstEpoch = 1;
  let saved: ModelFileConfig | undefined;
  if (opts.resume) {
    const dir = await resolveResumeDir(opts.resume);
    const loaded = await loadModel(dir, opts.engine);
    model = loaded.model;
    saved = loaded.config;
    if (loaded.vocab.words.length !== opts.vocab.words.length || loaded.vocab.words.some((w, i) => w !== opts.vocab.words[i])) {
      model.dispose();
      throw new TweetlabError(`The vocabulary of ${dir} differs from the training data's vocabulary; encode the data with the saved vocab.json`);
    }
    vocab = loaded.vocab;
    history = [...loaded.config.history];
    firstEpoch = loaded.config.epoch + 1;
    trainConfig = { ...DEFAULT_TRAIN, ...(loaded.config.train ?? {}), ...definedOnly(opts.train ?? {}) };
  } else {
    if (!opts.modelConfig) throw new TweetlabError('trainModel needs modelConfig (or resume)');
    const engine = opts.engine ?? (await getEngine());
    model = engine.createModel(opts.modelConfig);
    trainConfig = { ...DEFAULT_TRAIN, ...definedOnly(opts.train ?? {}) };
  }
  const cfg = model.config;
  if (vocab.words.length !== cfg.vocabSize) {
    model.dispose();
    throw new TweetlabError(`Vocabulary size mismatch: the vocabulary has ${vocab.words.length} words, the model is built for ${cfg.vocabSize}`);
  }
  const epochs = trainConfig.epochs;
  const checkpointSet = new Set(trainConfig.checkpoints);
  const settings = optimizerSettings(trainConfig.optimizer, trainConfig.learningRate);
  const wordsPerPostCounts = opts.wordsPerPost ? lengthCounts(opts.wordsPerPost) : saved?.wordsPerPost;
  const sampleLengths = opts.wordsPerPost ?? (wordsPerPostCounts ? lengthsFromCounts(wordsPerPostCounts) : undefined);
  const samplesPerCheckpoint = opts.samplesPerCheckpoint ?? 3;
  const checkpoints: CheckpointRecord[] = [];
  let lastSaved: string | null = null;
  let stopped = false;
  let epochDone = firstEpoch - 1;

  const batchesPerEpoch = Math.ceil(Math.min(opts.data.count, trainConfig.windowsPerEpoch || opts.data.count) / trainConfig.batchSize);
  const totalBatches = Math.max(0, epochs - firstEpoch + 1) * batchesPerEpoch;
  let batchesDone = 0;

  const saveInfo = (epoch: number, extraInfo: { interruptedAfterBatch?: number } = {}) => ({
    train: trainConfig,
    epoch,
    history,
    ...(wordsPerPostCounts ? { wordsPerPost: wordsPerPostCounts } : {}),
    ...(opts.modelNumber !== undefined ? { modelNumber: opts.modelNumber } : saved?.modelNumber !== undefined ? { modelNumber: saved.modelNumber } : {}),
    ...(opts.dataset !== undefined ? { dataset: opts.dataset } : saved?.dataset !== undefined ? { dataset: saved.dataset } : {}),
    ...(opts.extra ? { extra: opts.extra } : {}),
    ...extraInfo,
  });

  try {
    for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
      const epochSeed = deriveSeed(trainConfig.seed, `epoch-${epoch}`);
      const data = sampleWindows(opts.data, trainConfig.windowsPerEpoch ?? 0, deriveSeed(epochSeed, 'subset'));
      let lossSum = 0;
      let lossCount = 0;
      const stats = await model.trainEpoch(
        data,
        { batchSize: trainConfig.batchSize, seed: epochSeed, optimizer: settings, ...(opts.shouldStop ? { shouldStop: opts.shouldStop } : {}) },
        (b) => {
          batchesDone += 1;
          lossSum += b.loss;
          lossCount += 1;
          const elapsed = (performance.now() - started) / 1000;
          const eta = batchesDone > 0 ? (elapsed / batchesDone) * Math.max(0, totalBatches - batchesDone) : 0;
          opts.onProgress?.({ epoch, epochs, batch: b.batch, batches: b.batches, loss: b.loss, epochLoss: lossSum / lossCount, elapsed, eta });
        },
      );
      if (stats.stopped) {
        stopped = true;
        if (opts.outDir && stats.batches > 0) {
          const dir = path.join(opts.outDir, 'interrupted');
          await saveModel(dir, model, vocab, saveInfo(epoch - 1, { interruptedAfterBatch: stats.batches }));
          lastSaved = dir;
        }
        break;
      }
      const val = opts.validation && opts.validation.count > 0 ? await model.evaluate(opts.validation) : null;
      const record: EpochRecord = {
        epoch,
        loss: stats.loss,
        valLoss: val ? val.loss : null,
        valPerplexity: val ? val.perplexity : null,
        seconds: stats.seconds,
      };
      history.push(record);
      epochDone = epoch;
      opts.onEpoch?.(record);
      if (checkpointSet.has(epoch) || (epoch === epochs && opts.outDir)) {
        const dir = opts.outDir ? path.join(opts.outDir, `epoch-${epoch}`) : null;
        if (dir) {
          await saveModel(dir, model, vocab, saveInfo(epoch));
          lastSaved = dir;
        }
        const samples =
          checkpointSet.has(epoch) && sampleLengths && samplesPerCheckpoint > 0 && opts.sampler
            ? opts.sampler(model, vocab, {
                seed: deriveSeed(trainConfig.seed, `samples-${epoch}`),
                count: samplesPerCheckpoint,
                wordsPerPost: sampleLengths,
              })
            : [];
        const record: CheckpointRecord = { epoch, dir, samples };
        if (checkpointSet.has(epoch)) {
          checkpoints.push(record);
          opts.onCheckpoint?.(record);
        }
      }
      if (opts.shouldStop?.()) {
        stopped = epoch < epochs;
        if (stopped && opts.outDir && !checkpointSet.has(epoch)) {
          const dir = path.join(opts.outDir, 'interrupted');
          await saveModel(dir, model, vocab, saveInfo(epoch));
          lastSaved = dir;
        }
        if (stopped) break;
      }
    }
  } catch (err) {
    model.dispose();
    throw err;
  }
  return {
    model,
    history,
    checkpoints,
    seconds: (performance.now() - started) / 1000,
    engine: model.engine,
    backend: backendOfEngine(model.engine),
    epoch: epochDone,
    stopped,
    lastSaved,
    modelConfig: cfg,
    trainConfig,
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
