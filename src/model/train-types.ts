/**
 * What `trainModel` takes and gives back: options, progress, checkpoints and the result.
 */
import type { GeneratedPost, Vocabulary, WindowSet } from '../types.js';
import type { EpochRecord, ModelFileConfig } from './config-file.js';
import type { CheckpointSampler, Engine, LanguageModel, ModelConfig, TrainConfig } from './types.js';

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

export type { CheckpointSampleRequest, CheckpointSampler } from './types.js';

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
  /** How the held-out posts were chosen; recorded in config.json (kept from the resumed model when absent). */
  split?: ModelFileConfig['split'];
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
