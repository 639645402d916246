import type { ModelVariant, WindowSet } from '../types.js';

/**
 * The engine seam: callers (CLI, main job, notebooks) only see Engine and LanguageModel, so a faster engine
 * can replace the tfjs one without touching them. Every engine saves and loads the same files
 * (tfjs layers format model.json + weights.bin, vocab.json, config.json).
 */

export interface ModelConfig {
  /** 1 = stacked LSTMs; 2 = the same with dropout after each LSTM (the report's model variants). */
  variant: ModelVariant;
  /** Number of stacked LSTM layers. Default 2. */
  layers: number;
  /** LSTM units per layer. */
  hidden: number;
  /** Embedding width (word ids go through an embedding instead of the report's one-hot vectors). */
  embedding: number;
  /** Dropout rate after each LSTM; 0 for variant 1, 0.2 for variant 2. */
  dropout: number;
  /** Vocabulary size including the special ids. */
  vocabSize: number;
  /** Window length in words. */
  seqLength: number;
  /** Name of the weight initialiser used (e.g. "glorotUniform+scaledNormalRecurrent"); recorded, not parsed. */
  initializer: string;
  /** Seed of the initialisers and dropout masks. */
  seed: number;
}

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  optimizer: 'rmsprop' | 'adam';
  learningRate: number;
  /** Epochs (1-based) after which the model is saved and sample posts are generated. */
  checkpoints: number[];
  /** Share of posts held out for validation (split by post, before windowing). */
  validationShare: number;
  /** Seed of the batch shuffles and the validation split. */
  seed: number;
}

export interface EpochOptions {
  batchSize: number;
  /** Seed for this epoch's batch order (and dropout masks where the engine draws them). */
  seed: number;
  /** Called between batches; returning true stops the epoch early (Ctrl-C). */
  shouldStop?: () => boolean;
}

export interface BatchInfo {
  batch: number;
  batches: number;
  loss: number;
}

export interface EpochStats {
  /** Mean training cross-entropy (nats per word) over the epoch. */
  loss: number;
  batches: number;
  windows: number;
  seconds: number;
}

/** The recurrent state carried between generation steps: h and c of every layer. */
export interface RecurrentState {
  h: Float32Array[];
  c: Float32Array[];
}

export interface LanguageModel {
  readonly config: ModelConfig;
  /** Name of the engine that runs this model ("tfjs-node", "tfjs-wasm", "tfjs-cpu", "fast-wasm" …). */
  readonly engine: string;
  trainEpoch(data: WindowSet, opts: EpochOptions, onBatch?: (b: BatchInfo) => void): Promise<EpochStats>;
  /** Mean per-word cross-entropy over every step of every window, and its exponent. */
  evaluate(data: WindowSet): Promise<{ loss: number; perplexity: number }>;
  startState(): RecurrentState;
  /** Feeds one token, updates `state` in place, returns next-word probabilities (length vocabSize). */
  step(state: RecurrentState, token: number): Float32Array;
  /** Writes model.json + weights.bin (tfjs layers format) and config.json into `dir`. */
  save(dir: string): Promise<void>;
  /** Frees tensors or wasm memory. */
  dispose(): void;
}

export interface Engine {
  name: string;
  createModel(cfg: ModelConfig): LanguageModel;
}
