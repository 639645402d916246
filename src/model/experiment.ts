import { deriveSeed } from '../random.js';
import { TweetlabError } from '../errors.js';
import { INITIALIZER } from './init.js';
import type { Vocabulary } from '../types.js';
import type { ModelConfig, OptimizerSettings, TrainConfig } from './types.js';

/**
 * The report's four models as one typed config: Model 1 = dataset 1 + variant 1, Model 2 = dataset 2 +
 * variant 1, Model 3 = dataset 1 + variant 2 (dropout), Model 4 = dataset 2 + variant 2. Presets are plain
 * objects; override fields with a spread: `{ ...PRESETS.default, epochs: 8 }`.
 */

export type ModelNumber = 1 | 2 | 3 | 4;
/** Preset names shared by the CLI, the main job and the notebooks. */
export const PRESET_NAMES = ['quick', 'default', 'report'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/**
 * The report's models and their data settings. The training fields are `TrainConfig`'s (one definition, in
 * src/model/types.ts); here they hold each preset's values, with `seed` the run's base seed instead of the
 * training seed (every model's training seed derives from it). Defaults below are the default preset's.
 */
export interface ExperimentConfig extends Omit<Required<TrainConfig>, 'seed'> {
  /** Which of the four models to build. Default [1, 2, 3, 4]. */
  models: ModelNumber[];
  /** Stacked LSTM layers. Default 2 (report: 2). */
  layers: number;
  /** LSTM units per layer. Default 128 (report: 256). */
  hidden: number;
  /** Embedding width. Default 64 (report: one-hot instead; 128 in the report preset). */
  embedding: number;
  /** Window length in words. Default 10 (report: 10). */
  seqLength: number;
  /** Dropout after each LSTM in variant 2 (models 3 and 4). Default 0.2 (report: 0.2). */
  dropout: number;
  /** Words seen fewer times than this become the out-of-vocabulary id. Default 2. */
  minCount: number;
  /** Sample posts generated at each checkpoint. Default 3. */
  samplesPerCheckpoint: number;
  /** Base seed; every model, split and sampler seed derives from it. Default 42. */
  seed: number;
}

/**
 * `default` is sized for `npm start` on 2 cores with the fast-wasm engine, which must also train tweetlab's own
 * model within its 10 minutes: 4 epochs per model of at most 24,000 windows each (dataset 1 whole, about half of
 * dataset 2). On tfjs-wasm (no fast-wasm) expect about four times longer. `quick` is a smoke run of seconds;
 * `report` is the report's sizes and schedule.
 */
export const PRESETS: Readonly<Record<PresetName, Readonly<ExperimentConfig>>> = {
  quick: {
    models: [1, 2, 3, 4],
    layers: 2,
    hidden: 32,
    embedding: 16,
    seqLength: 10,
    dropout: 0.2,
    epochs: 2,
    batchSize: 64,
    optimizer: 'rmsprop',
    learningRate: 0.005,
    checkpoints: [1, 2],
    validationShare: 0.1,
    windowsPerEpoch: 1000,
    minCount: 3,
    samplesPerCheckpoint: 2,
    seed: 42,
  },
  default: {
    models: [1, 2, 3, 4],
    layers: 2,
    hidden: 128,
    embedding: 64,
    seqLength: 10,
    dropout: 0.2,
    epochs: 4,
    batchSize: 128,
    optimizer: 'rmsprop',
    learningRate: 0.002,
    checkpoints: [2, 4],
    validationShare: 0.1,
    windowsPerEpoch: 24000,
    minCount: 2,
    samplesPerCheckpoint: 3,
    seed: 42,
  },
  report: {
    models: [1, 2, 3, 4],
    layers: 2,
    hidden: 256,
    embedding: 128,
    seqLength: 10,
    dropout: 0.2,
    epochs: 100,
    batchSize: 128,
    optimizer: 'rmsprop',
    learningRate: 0.001,
    checkpoints: [20, 40, 60, 100],
    validationShare: 0.1,
    windowsPerEpoch: 0,
    minCount: 1,
    samplesPerCheckpoint: 3,
    seed: 42,
  },
};

export const DEFAULT_EXPERIMENT: Readonly<ExperimentConfig> = PRESETS.default;

export function presetConfig(name: string): ExperimentConfig {
  const p = PRESETS[name as PresetName];
  if (!p) throw new TweetlabError(`Unknown preset "${name}" (known: ${Object.keys(PRESETS).join(', ')})`);
  return { ...p, models: [...p.models], checkpoints: [...p.checkpoints] };
}

/** The training fields of an experiment config (its seed is the base seed, so the caller sets the training seed). */
export function pickTrainFields(cfg: ExperimentConfig): Omit<Required<TrainConfig>, 'seed'> {
  const { epochs, batchSize, optimizer, learningRate, checkpoints, validationShare, windowsPerEpoch } = cfg;
  return { epochs, batchSize, optimizer, learningRate, checkpoints: [...checkpoints], validationShare, windowsPerEpoch };
}

/** Model number ↔ (dataset variant, model variant), as in the report. */
export function modelSpec(n: ModelNumber): { dataset: 1 | 2; variant: 1 | 2 } {
  return { dataset: n === 1 || n === 3 ? 1 : 2, variant: n <= 2 ? 1 : 2 };
}

export function modelNumberOf(dataset: 1 | 2, variant: 1 | 2): ModelNumber {
  return (variant === 1 ? (dataset === 1 ? 1 : 2) : dataset === 1 ? 3 : 4) as ModelNumber;
}

/** One model of the experiment, ready for `trainModel`. */
export interface ModelPlan {
  number: ModelNumber;
  /** "Model 1" … */
  name: string;
  /** Dataset variant of its windows: 1 = windows inside each post, 2 = the posts joined. */
  dataset: 1 | 2;
  model: ModelConfig;
  train: TrainConfig;
  /** Seed of the sample posts generated at checkpoints. */
  generationSeed: number;
  samplesPerCheckpoint: number;
}

/** Keras-default optimiser settings for a kind and learning rate. */
export function optimizerSettings(kind: 'rmsprop' | 'adam', learningRate: number): OptimizerSettings {
  return { kind, learningRate, rho: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
}

/** Checks an experiment config, naming the first bad field. */
export function validateExperiment(cfg: ExperimentConfig): void {
  const positive: (keyof ExperimentConfig)[] = ['layers', 'hidden', 'embedding', 'seqLength', 'epochs', 'batchSize'];
  for (const k of positive) {
    const v = cfg[k] as number;
    if (!Number.isInteger(v) || v < 1) throw new TweetlabError(`Experiment config: ${k} must be a whole number ≥ 1, got ${v}`);
  }
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) throw new TweetlabError(`Experiment config: dropout must be in [0, 1), got ${cfg.dropout}`);
  if (!(cfg.learningRate > 0)) throw new TweetlabError(`Experiment config: learningRate must be positive, got ${cfg.learningRate}`);
  if (!(cfg.validationShare >= 0 && cfg.validationShare < 1)) {
    throw new TweetlabError(`Experiment config: validationShare must be in [0, 1), got ${cfg.validationShare}`);
  }
  if (!Number.isInteger(cfg.windowsPerEpoch) || cfg.windowsPerEpoch < 0) {
    throw new TweetlabError(`Experiment config: windowsPerEpoch must be a whole number ≥ 0, got ${cfg.windowsPerEpoch}`);
  }
  if (cfg.optimizer !== 'rmsprop' && cfg.optimizer !== 'adam') {
    throw new TweetlabError(`Experiment config: optimizer must be rmsprop or adam, got ${String(cfg.optimizer)}`);
  }
  for (const n of cfg.models) if (![1, 2, 3, 4].includes(n)) throw new TweetlabError(`Experiment config: no model ${n} (1–4)`);
  for (const e of cfg.checkpoints) {
    if (!Number.isInteger(e) || e < 1) throw new TweetlabError(`Experiment config: checkpoint epoch ${e} is not a whole number ≥ 1`);
  }
}

/**
 * Checks that a vocabulary built from `input` with `minCount` holds a word besides the out-of-vocabulary id (and
 * `<eos>`); otherwise throws an error that names the input, the cause and `remedy` (the flag or preset to change).
 */
export function requireVocabularyWords(vocab: Pick<Vocabulary, 'words' | 'eosId'>, input: string, minCount: number, setting: string, remedy: string): void {
  const ids = vocab.words.length - (vocab.eosId === undefined ? 0 : 1);
  if (ids >= 2) return;
  const times = minCount === 1 ? 'once' : `at least ${minCount} times`;
  throw new TweetlabError(
    `${input}: no word occurs ${times} in the training posts (${setting}), so the vocabulary is empty; ${remedy}`,
  );
}

/**
 * Builds the models of `cfg` for a vocabulary of `vocabSize` ids. Seeds derive from `cfg.seed` and the model
 * number, so adding or removing a model does not change the others.
 */
export function buildExperiment(cfg: ExperimentConfig, vocabSize: number): ModelPlan[] {
  validateExperiment(cfg);
  if (!Number.isInteger(vocabSize) || vocabSize < 2) throw new TweetlabError(`The vocabulary needs at least 2 ids, got ${vocabSize}`);
  return [...cfg.models].sort((a, b) => a - b).map((number) => {
    const { dataset, variant } = modelSpec(number);
    const base = deriveSeed(cfg.seed, `model-${number}`);
    return {
      number,
      name: `Model ${number}`,
      dataset,
      model: {
        variant,
        layers: cfg.layers,
        hidden: cfg.hidden,
        embedding: cfg.embedding,
        dropout: variant === 2 ? cfg.dropout : 0,
        vocabSize,
        seqLength: cfg.seqLength,
        initializer: INITIALIZER,
        seed: deriveSeed(base, 'init'),
      },
      train: { ...pickTrainFields(cfg), checkpoints: cfg.checkpoints.filter((e) => e <= cfg.epochs), seed: deriveSeed(base, 'train') },
      generationSeed: deriveSeed(base, 'generate'),
      samplesPerCheckpoint: cfg.samplesPerCheckpoint,
    };
  });
}
