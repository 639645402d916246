import type { EpochRecord } from '../model/config-file.js';
import type { OwnEpochRecord } from './own-train.js';
import type { ModelConfig, TrainConfig } from '../model/types.js';
import type { EndScaleFit } from '../generate/length-calibration.js';
import type { ModelVariant } from '../types.js';

/** What the pipeline's training stage reports per model (summary.json's `models`). */
export interface CheckpointSummary {
  epoch: number;
  /** Folder of the saved model, relative to the run folder. */
  dir: string;
  /** How many posts were generated at this checkpoint (they are in generated.csv). */
  generated: number;
}

export interface ModelRunSummary {
  /** 1 … 4 as in the report. */
  id: number;
  name: string;
  /** Training set variant (1 = split by post, 2 = posts joined) and model variant (2 = with dropout). */
  dataset: 1 | 2;
  variant: ModelVariant;
  modelConfig: ModelConfig;
  trainConfig: TrainConfig;
  history: EpochRecord[];
  checkpoints: CheckpointSummary[];
  trainSeconds: number;
  /** True when training stopped early (Ctrl-C); the last checkpoint is still usable. */
  interrupted?: boolean;
}

/** One generated post, as it goes to generated.csv. */
export interface GeneratedPostRow {
  /** "Model 1" … "Model 4" or the baseline's name. */
  model: string;
  /** Checkpoint epoch (0 for the baseline). */
  epoch: number;
  /** Seed that generated this post. */
  seed: number;
  text: string;
  /** "checkpoint": a sample shown per checkpoint; "evaluation": scored for memorisation and distinct-n. */
  purpose: 'checkpoint' | 'evaluation';
}

/** summary.json's `own`: tweetlab's model as trained. */
export interface OwnModelSummary {
  name: string;
  modelConfig: ModelConfig;
  history: OwnEpochRecord[];
  /** Epoch whose weights were kept (lowest development perplexity). */
  bestEpoch: number;
  bestDevPerplexity: number;
  trainSeconds: number;
  /** Weight of the LSTM in its mixture with the 3-gram (fitted on development posts); null without the mixture. */
  lambda: number | null;
  /**
   * Factor on p(<eos>) fitted so the posts are as long as the training posts on average, for the LSTM's posts and
   * the mixture's, with the mean lengths before and after (null: calibration off or no mixture).
   */
  lengthCalibration?: { lstm: EndScaleFit | null; mixture: EndScaleFit | null };
  /** Model folder, relative to the run folder. */
  dir: string;
  interrupted?: boolean;
}

/** One model a run is about to train, for progress bars and the run's time left. */
export interface PlannedTraining {
  /** "Model 1" … or tweetlab's model. */
  name: string;
  /** Epochs it trains (with early stopping: the most it may train). */
  epochs: number;
  /** Batches in one epoch (tweetlab's model: its chunk count may differ by one per epoch). */
  batchesPerEpoch: number;
  /** True when it stops early once the development posts stop improving (tweetlab's model). */
  earlyStopping: boolean;
}
