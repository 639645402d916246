import type { GeneratedPost, ModelVariant, Vocabulary, WindowSet } from '../types.js';

/**
 * The engine seam: callers (CLI, main job, notebooks) only see Engine and LanguageModel, so a faster engine
 * can replace the tfjs one without touching them. Every engine saves and loads the same files
 * (tfjs layers format model.json + weights.bin, vocab.json, config.json).
 */

export interface ModelConfig {
  /**
   * 1 = stacked LSTMs; 2 = the same with dropout after each LSTM (the report's model variants); 3 = tweetlab's
   * own regularised model (AWD-LSTM style: tied embeddings and the dropouts below).
   */
  variant: ModelVariant;
  /** Number of stacked LSTM layers. Default 2. */
  layers: number;
  /** LSTM units per layer. */
  hidden: number;
  /** Embedding width (word ids go through an embedding instead of the report's one-hot vectors). */
  embedding: number;
  /**
   * Dropout rate after each LSTM; 0 for variant 1, 0.2 for variant 2. Variant 3: locked dropout between stacked
   * layers only (the top layer's output has `outputDropout`).
   */
  dropout: number;
  /** Output projection = the embedding matrix transposed (needs embedding === hidden); the output bias stays. */
  tied?: boolean;
  /** Drops whole vocabulary rows of the embedding for a batch (same word, same drop); survivors × 1/(1 − p). */
  embeddingDropout?: number;
  /** Locked dropout on the embedding output: one mask per sequence, the same at every step. */
  inputDropout?: number;
  /** Locked dropout on the top LSTM output before the projection. */
  outputDropout?: number;
  /** DropConnect on each layer's recurrent kernel: one mask per batch, W ⊙ M / (1 − p). */
  recurrentDropout?: number;
  /** Vocabulary size including the special ids. */
  vocabSize: number;
  /** Window length in words. */
  seqLength: number;
  /** Name of the weight initialiser used (see `INITIALIZER` in src/model/init.ts); recorded, not parsed. */
  initializer: string;
  /** Seed of the initialisers and dropout masks. */
  seed: number;
}

/** How one model trains. The report's presets (src/model/experiment.ts) hold these fields too; defaults are the default preset's. */
export interface TrainConfig {
  /** Total epochs (a resumed run counts the epochs already done). Default 4 (report preset: 100). */
  epochs: number;
  /** Windows per batch. Default 128. */
  batchSize: number;
  /** Default 'rmsprop' (the report's optimiser). */
  optimizer: 'rmsprop' | 'adam';
  /** Default 0.002 (Keras' RMSprop default is 0.001; small budgets learn faster with a little more). */
  learningRate: number;
  /** Epochs (1-based) after which the model is saved and sample posts are generated. Default [2, 4] (report preset: 20, 40, 60, 100). */
  checkpoints: number[];
  /** Share of posts held out for validation (split by post, before windowing). Default 0.1. */
  validationShare: number;
  /** Seed of the batch shuffles and the validation split. */
  seed: number;
  /**
   * Windows drawn (seeded, afresh each epoch) from the training windows per epoch; 0 or absent = all. Default
   * 24000: on the default corpus dataset 1 (22,375 windows) trains whole and dataset 2 (45,793) draws about half
   * of its windows each epoch, so the four models get the same budget and `npm start` holds its 10 minutes on a
   * larger corpus too (quick preset: 1000; report preset: 0).
   */
  windowsPerEpoch?: number;
}

/**
 * Optimiser settings, with Keras semantics so every engine updates weights identically:
 * - rmsprop: ms = rho·ms + (1 − rho)·g²;  w −= lr · g / (√ms + epsilon)
 * - adam:    t += 1; m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;
 *            w −= lr · √(1 − β2^t) / (1 − β1^t) · m / (√v + epsilon)
 */
export interface OptimizerSettings {
  /** Default 'rmsprop' (the report's "adaptive moving average of gradients"); adamw = adam + decoupled decay. */
  kind: 'rmsprop' | 'adam' | 'adamw';
  /** Default 0.001 (Keras default for both). */
  learningRate: number;
  /** RMSprop decay of the mean square. Default 0.9. */
  rho: number;
  /** Adam first-moment decay. Default 0.9. */
  beta1: number;
  /** Adam second-moment decay. Default 0.999. */
  beta2: number;
  /** Added to the denominator. Default 1e-7 (Keras). */
  epsilon: number;
  /**
   * Default 0. rmsprop/adam: L2, g += weightDecay·w (PyTorch's `weight_decay`); adamw: decoupled,
   * w −= lr·weightDecay·w before the adam step. Applies to every weight.
   */
  weightDecay?: number;
  /**
   * Default 0 = off. The global L2 norm of all gradients is scaled down to clipNorm before the update
   * (PyTorch's clip_grad_norm_: factor clipNorm / (norm + 1e-6) when below 1), before any L2 decay is added.
   */
  clipNorm?: number;
}

/** One named weight array, in the tfjs layers naming ("lstm_1/kernel" …), row-major. */
export interface NamedWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

/**
 * Optimiser state, engine-neutral: `iterations` updates done so far, and one slot array per trainable weight
 * named "<weight name>/<slot>": "rms" (rmsprop mean square), "m" and "v" (adam and adamw moments).
 */
export interface OptimizerState {
  settings: OptimizerSettings;
  iterations: number;
  slots: NamedWeight[];
}

export interface EpochOptions {
  batchSize: number;
  /** Optimiser used for the updates; the engine keeps its state between epochs while the settings stay equal. */
  optimizer: OptimizerSettings;
  /** Seed for this epoch's batch order (and dropout masks where the engine draws them). */
  seed: number;
  /** Called between batches; returning true stops the epoch early (Ctrl-C). */
  shouldStop?: () => boolean;
  /** Continue an interrupted epoch where it stopped (same seed, so the same batch order and dropout masks). */
  startAt?: EpochPosition;
}

/** How far an epoch got: batches done, and the loss sums so far (so the epoch's mean comes out exactly). */
export interface EpochPosition {
  /** Batches of this epoch already trained. */
  batch: number;
  /** Sum of batch loss × batch windows so far. */
  lossSum: number;
  windows: number;
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
  /** True when `shouldStop` ended the epoch before its last batch. */
  stopped?: boolean;
  /** Where a stopped epoch stopped (batches counted from the epoch's start, resumed ones included). */
  position?: EpochPosition;
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
  /** Next-word probabilities after every step of every window: count × seqLength rows of vocabSize. */
  predict(inputs: Int32Array, count: number): Promise<Float32Array>;
  startState(): RecurrentState;
  /** Feeds one token, updates `state` in place, returns next-word probabilities (length vocabSize). */
  step(state: RecurrentState, token: number): Float32Array;
  /** Copies of every weight, in the canonical order of `weightSpecs(config)` (src/model/format.ts). */
  getWeights(): NamedWeight[];
  /** Replaces every weight (names and shapes as in `weightSpecs(config)`). */
  setWeights(weights: NamedWeight[]): void;
  /** The optimiser state after the last update, or null before any training. */
  getOptimizerState(): OptimizerState | null;
  setOptimizerState(state: OptimizerState): void;
  /**
   * Optional: an exponential moving average of the weights kept inside the engine (`decay` per update), for
   * engines where copying the weights out after every batch would cost more than the update itself.
   */
  trackWeightAverage?(decay: number): WeightTracker;
  /**
   * Writes model.json + weights.bin (tfjs layers format, loadable by tf.loadLayersModel) into `dir`;
   * `writeLayersModel` (src/model/format.ts) does it from `getWeights()`. vocab.json, config.json and
   * optimizer.bin are written by `saveModel` (src/model/io.ts).
   */
  save(dir: string): Promise<void>;
  /** Frees tensors or wasm memory. */
  dispose(): void;
}

/** A running average of a model's weights: `update()` after each optimiser step folds in the current weights. */
export interface WeightTracker {
  update(): void;
  /** The bias-corrected average (null before the first update). */
  weights(): NamedWeight[] | null;
}

export interface Engine {
  /** "tfjs-node" | "tfjs-wasm" | "tfjs-cpu" | "fast-wasm" … */
  name: string;
  /** How it runs, for the records (fast-wasm: its kernels build and threads). */
  detail?: string;
  /** A model with fresh seeded weights (`initialWeights(cfg)`), or the given weights. */
  createModel(cfg: ModelConfig, weights?: NamedWeight[]): LanguageModel;
}

/** An engine the registry (`registerEngine`, src/model/backend.ts) can offer. */
export interface EngineEntry {
  name: string;
  /** Higher wins in "auto" among available engines (tfjs-node 100; tfjs-wasm/tfjs-cpu are chosen by timing). */
  priority: number;
  available(): Promise<boolean>;
  load(): Promise<Engine>;
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
