/**
 * The epochs of one `trainModel` call: shuffled batches with progress, validation after each epoch,
 * checkpoints (a saved folder and sample posts), and an `interrupted/` save when training is stopped.
 */
import * as path from 'node:path';
import { lengthCounts, lengthsFromCounts } from '../analysis/lengths.js';
import { pickWindows } from '../dataset/windows.js';
import { Random, deriveSeed } from '../random.js';
import type { Vocabulary, WindowSet } from '../types.js';
import { optimizerSettings } from './experiment.js';
import type { EpochRecord, ModelFileConfig } from './config-file.js';
import { saveModel } from './io.js';
import { resumePositionFor } from './resume.js';
import type { CheckpointRecord, TrainOptions } from './train-types.js';
import type { EpochStats, LanguageModel, OptimizerSettings, TrainConfig } from './types.js';

/** A seeded subset of `n` windows (all when n is 0 or ≥ count). */
export function sampleWindows(data: WindowSet, n: number, seed: number): WindowSet {
  if (!(n > 0) || n >= data.count) return data;
  const rows = new Random(seed).shuffle(Array.from({ length: data.count }, (_, i) => i)).slice(0, n);
  rows.sort((a, b) => a - b);
  return pickWindows(data, rows);
}

/** Where training starts: a new model, or a saved one with its history. */
export interface TrainingStart {
  model: LanguageModel;
  vocab: Vocabulary;
  history: EpochRecord[];
  trainConfig: TrainConfig;
  firstEpoch: number;
  /** The saved config.json when resuming. */
  saved: ModelFileConfig | undefined;
}

export class TrainingLoop {
  readonly checkpoints: CheckpointRecord[] = [];
  lastSaved: string | null = null;
  stopped = false;
  /** Epochs completed in total. */
  epochDone: number;
  private batchesDone = 0;
  private readonly totalBatches: number;
  private readonly checkpointSet: Set<number>;
  private readonly settings: OptimizerSettings;
  /** Words-per-post counts stored with every save, and the lengths the samples draw from. */
  private readonly wordsPerPostCounts: Record<string, number> | undefined;
  private readonly sampleLengths: ArrayLike<number> | undefined;
  private readonly split: ModelFileConfig['split'];
  /** Where an interrupted epoch stopped, for the first epoch of a resumed run (issue 15: resume is exact). */
  private resumeAt: ModelFileConfig['resumePosition'];

  constructor(
    private readonly opts: TrainOptions,
    private readonly start: TrainingStart,
    /** performance.now() when the call began. */
    private readonly started: number,
  ) {
    const { trainConfig } = start;
    this.epochDone = start.firstEpoch - 1;
    this.checkpointSet = new Set(trainConfig.checkpoints);
    this.settings = optimizerSettings(trainConfig.optimizer, trainConfig.learningRate);
    this.wordsPerPostCounts = opts.wordsPerPost ? lengthCounts(opts.wordsPerPost) : start.saved?.wordsPerPost;
    this.sampleLengths = opts.wordsPerPost ?? (this.wordsPerPostCounts ? lengthsFromCounts(this.wordsPerPostCounts) : undefined);
    this.split = opts.split ?? start.saved?.split;
    this.resumeAt = resumePositionFor(start.saved, start.firstEpoch);
    const batchesPerEpoch = Math.ceil(Math.min(opts.data.count, trainConfig.windowsPerEpoch || opts.data.count) / trainConfig.batchSize);
    this.totalBatches = Math.max(0, trainConfig.epochs - start.firstEpoch + 1) * batchesPerEpoch;
  }

  /** Trains the remaining epochs, until the last one or a stop. */
  async run(): Promise<void> {
    for (let epoch = this.start.firstEpoch; epoch <= this.start.trainConfig.epochs; epoch++) {
      if (!(await this.epoch(epoch))) break;
    }
  }

  /** One epoch with its validation and checkpoint; false when training stops after it. */
  private async epoch(epoch: number): Promise<boolean> {
    const { opts } = this;
    const { model, trainConfig } = this.start;
    const { stats, epochSeed } = await this.trainBatches(epoch);
    if (stats.stopped) {
      this.stopped = true;
      const position = stats.position ?? { batch: stats.batches, lossSum: 0, windows: 0 };
      if (opts.outDir && stats.batches > 0) {
        const resumePosition = { epoch, ...position, shuffleSeed: epochSeed };
        await this.save('interrupted', epoch - 1, { interruptedAfterBatch: position.batch, resumePosition });
      }
      return false;
    }
    const val = opts.validation && opts.validation.count > 0 ? await model.evaluate(opts.validation) : null;
    const record: EpochRecord = {
      epoch,
      loss: stats.loss,
      valLoss: val ? val.loss : null,
      valPerplexity: val ? val.perplexity : null,
      seconds: stats.seconds,
    };
    this.start.history.push(record);
    this.epochDone = epoch;
    opts.onEpoch?.(record);
    if (this.checkpointSet.has(epoch) || (epoch === trainConfig.epochs && opts.outDir)) await this.checkpoint(epoch);
    if (opts.shouldStop?.()) {
      this.stopped = epoch < trainConfig.epochs;
      if (this.stopped && opts.outDir && !this.checkpointSet.has(epoch)) await this.save('interrupted', epoch);
      if (this.stopped) return false;
    }
    return true;
  }

  /**
   * The batches of one epoch (a seeded subset when `windowsPerEpoch` is set), reporting progress; a resumed
   * interrupted epoch continues at its batch with its shuffle seed.
   */
  private async trainBatches(epoch: number): Promise<{ stats: EpochStats; epochSeed: number }> {
    const { opts } = this;
    const { model, trainConfig } = this.start;
    const resumeAt = this.resumeAt;
    this.resumeAt = undefined;
    const epochSeed = resumeAt?.shuffleSeed ?? deriveSeed(trainConfig.seed, `epoch-${epoch}`);
    const startAt = resumeAt ? { batch: resumeAt.batch, lossSum: resumeAt.lossSum, windows: resumeAt.windows } : undefined;
    const data = sampleWindows(opts.data, trainConfig.windowsPerEpoch ?? 0, deriveSeed(epochSeed, 'subset'));
    let lossSum = 0;
    let lossCount = 0;
    const epochOptions = {
      batchSize: trainConfig.batchSize,
      seed: epochSeed,
      optimizer: this.settings,
      ...(opts.shouldStop ? { shouldStop: opts.shouldStop } : {}),
      ...(startAt ? { startAt } : {}),
    };
    const stats = await model.trainEpoch(data, epochOptions, (b) => {
      this.batchesDone += 1;
      lossSum += b.loss;
      lossCount += 1;
      const elapsed = (performance.now() - this.started) / 1000;
      const eta = this.batchesDone > 0 ? (elapsed / this.batchesDone) * Math.max(0, this.totalBatches - this.batchesDone) : 0;
      opts.onProgress?.({ epoch, epochs: trainConfig.epochs, batch: b.batch, batches: b.batches, loss: b.loss, epochLoss: lossSum / lossCount, elapsed, eta });
    });
    return { stats, epochSeed };
  }

  /** Saves `epoch-<e>/` (with an outDir) and, at a chosen checkpoint, writes its sample posts. */
  private async checkpoint(epoch: number): Promise<void> {
    const { opts } = this;
    const dir = opts.outDir ? await this.save(`epoch-${epoch}`, epoch) : null;
    const samplesPerCheckpoint = opts.samplesPerCheckpoint ?? 3;
    const samples =
      this.checkpointSet.has(epoch) && this.sampleLengths && samplesPerCheckpoint > 0 && opts.sampler
        ? opts.sampler(this.start.model, this.start.vocab, {
            seed: deriveSeed(this.start.trainConfig.seed, `samples-${epoch}`),
            count: samplesPerCheckpoint,
            wordsPerPost: this.sampleLengths,
          })
        : [];
    const record: CheckpointRecord = { epoch, dir, samples };
    if (this.checkpointSet.has(epoch)) {
      this.checkpoints.push(record);
      opts.onCheckpoint?.(record);
    }
  }

  /** Saves the model as `<outDir>/<folder>` after `epoch` epochs; returns the folder. */
  private async save(folder: string, epoch: number, extraInfo: Pick<ModelFileConfig, 'interruptedAfterBatch' | 'resumePosition'> = {}): Promise<string> {
    const { opts } = this;
    const { saved } = this.start;
    const dir = path.join(opts.outDir as string, folder);
    await saveModel(dir, this.start.model, this.start.vocab, {
      train: this.start.trainConfig,
      epoch,
      history: this.start.history,
      ...(this.wordsPerPostCounts ? { wordsPerPost: this.wordsPerPostCounts } : {}),
      ...(opts.modelNumber !== undefined ? { modelNumber: opts.modelNumber } : saved?.modelNumber !== undefined ? { modelNumber: saved.modelNumber } : {}),
      ...(opts.dataset !== undefined ? { dataset: opts.dataset } : saved?.dataset !== undefined ? { dataset: saved.dataset } : {}),
      ...(opts.extra ? { extra: opts.extra } : {}),
      ...(this.split ? { split: this.split } : {}),
      ...extraInfo,
    });
    this.lastSaved = dir;
    return dir;
  }
}
