import { presetConfig, PRESET_NAMES, type ExperimentConfig, type ModelNumber, type PresetName } from '../model/experiment.js';
import { checkOwnSettings } from './config-check.js';
/**
 * Settings of tweetlab's own model, the one that goes beyond the report: a single regularised LSTM with tied
 * input/output embeddings (AWD-LSTM's recipe scaled down), trained on the post stream with begin/end-of-post
 * tokens and early stopping, optionally interpolated with the Kneser–Ney 3-gram. Every field has its default in
 * `OWN_MODEL_DEFAULTS`; the same defaults serve every corpus (nothing here is tuned on the held-out posts).
 */
export interface OwnModelConfig {
  /** Train tweetlab's own model. Default true. */
  enabled: boolean;
  /** LSTM layers. Default 1. */
  layers: number;
  /** LSTM units; the embedding has the same width so input and output embeddings can be one matrix. Default 256. */
  hidden: number;
  /** Share the embedding with the output layer (fewer parameters, better on small corpora). Default true. */
  tied: boolean;
  /** Drops whole words from the embedding for a batch. Default 0.15. */
  embeddingDropout: number;
  /** Locked dropout on the embedding output (one mask per sequence). Default 0.5. */
  inputDropout: number;
  /** Locked dropout on the LSTM output before the softmax. Default 0.5. */
  outputDropout: number;
  /** DropConnect on the recurrent weights (one mask per batch). Default 0.45. */
  recurrentDropout: number;
  /** Chunk length in tokens; chunks are cut at a new random place every epoch. Default 10. */
  seqLength: number;
  /** Chunks per batch; small batches mean more (and noisier) steps per epoch, which small corpora need. Default 16. */
  batchSize: number;
  /** Default 'adam'. */
  optimizer: 'adam' | 'adamw' | 'rmsprop';
  /** Starting learning rate. Default 0.005. */
  learningRate: number;
  /** L2 weight decay. Default 1e-5. */
  weightDecay: number;
  /**
   * Kneser–Ney data noising (src/dataset/noise.ts), from the first epoch without improvement on: each epoch a word
   * is swapped, with probability this × (distinct words after the word before it / that word's count), for a word
   * drawn by how many different words it follows. It waits for the plateau because from the first epoch it slows a
   * model the epoch budget stops before it converges (see `noisingFrom`). 0 = off. Default 0.2 (chosen on
   * development posts, scripts/select-settings.mjs).
   */
  noising: number;
  /** When noising starts: 'plateau' (the first epoch without improvement) or 'start'. Default 'plateau'. */
  noisingFrom: 'plateau' | 'start';
  /** Global gradient-norm clip; 0 = off. Default 0.25. */
  clipNorm: number;
  /** Factor applied to the learning rate after an epoch without improvement. Default 0.5. */
  lrDecay: number;
  /** Score and keep an exponential moving average of the weights spanning about this many epochs; 0 = off. Default 2. */
  averageEpochs: number;
  /** Upper bound on epochs (the main job's time budget holds about 30 on two cores). Default 30. */
  maxEpochs: number;
  /** Epochs without a better development perplexity before training stops. Default 3. */
  patience: number;
  /** Share of the training posts set aside to pick the best epoch and the interpolation weight. Default 0.1. */
  devShare: number;
  /** Mix the LSTM with the Kneser–Ney 3-gram (weight fitted on the development posts) when that helps. Default true. */
  interpolate: boolean;
}

/** When the noising starts, as tables and log lines name it: "first plateau" or "start". */
export function noisingStart(own: Pick<OwnModelConfig, 'noisingFrom'>): string {
  return own.noisingFrom === 'start' ? 'start' : 'first plateau';
}

export const OWN_MODEL_DEFAULTS: Readonly<OwnModelConfig> = {
  enabled: true,
  layers: 1,
  hidden: 256,
  tied: true,
  embeddingDropout: 0.15,
  inputDropout: 0.5,
  outputDropout: 0.5,
  recurrentDropout: 0.45,
  seqLength: 10,
  batchSize: 16,
  optimizer: 'adam',
  learningRate: 0.005,
  weightDecay: 1e-5,
  noising: 0.2,
  noisingFrom: 'plateau',
  clipNorm: 0.25,
  lrDecay: 0.5,
  averageEpochs: 2,
  maxEpochs: 30,
  patience: 3,
  devShare: 0.1,
  interpolate: true,
};

/** The quick preset's own model: a smoke run of seconds, same recipe, tiny sizes. */
export const OWN_MODEL_QUICK: Readonly<OwnModelConfig> = { ...OWN_MODEL_DEFAULTS, hidden: 32, maxEpochs: 2, patience: 1, batchSize: 64 };

/** Posts each model generates for the evaluation columns (memorisation, distinct-n, "can you tell?"). */
export const EVALUATION_POSTS: Readonly<Record<PresetName, number>> = { quick: 20, default: 500, report: 500 };

/** How tweetlab's own model writes posts (the report's models keep the report's way). */
export interface OwnGenerationConfig {
  /**
   * Default 1.1: a little flatter than the model's own distribution. Chosen on development posts (never the held-out
   * ones) of the default corpus and the Russian fortunes with scripts/select-sampling.mjs, by the "can you tell?"
   * classifier: the model never writes the rare words it reads as `<unk>`, and a little more spread gives its posts
   * the variety of the real ones (1.2 is too much on both corpora).
   */
  temperature: number;
  /** Nucleus sampling mass; 1 = off. Default 1 (off: on the development posts every top-p below 1 made the posts easier to tell). */
  topP: number;
  /** 0 = off. Default 0. */
  topK: number;
  /** Reject posts copying this many consecutive words of a training post (and draw again); 0 = off. Default 6. */
  noveltyN: number;
  /**
   * Posts written to fit the factor on p(<eos>) that makes the posts as long as the training posts on average
   * (src/generate/length-calibration.ts); 0 = off (factor 1). Default 600 (quick 100).
   */
  lengthCalibrationPosts: number;
}

export const OWN_GENERATION_DEFAULTS: Readonly<OwnGenerationConfig> = { temperature: 1.1, topP: 1, topK: 0, noveltyN: 6, lengthCalibrationPosts: 600 };

/** The quick preset's generation: the same, calibrated on fewer posts. */
export const OWN_GENERATION_QUICK: Readonly<OwnGenerationConfig> = { ...OWN_GENERATION_DEFAULTS, lengthCalibrationPosts: 100 };

export const RUN_PRESET_NAMES: readonly string[] = PRESET_NAMES;

/**
 * The one config of a run, read by every caller (CLI, main job, notebooks): the report's four models (a preset
 * of src/model/experiment.ts, which holds the data settings too: seqLength, validationShare, minCount, seed),
 * tweetlab's own model, how it writes, and how many posts each model writes for the evaluation.
 */
export interface PipelineConfig {
  /** quick | default | report. Default "default". */
  preset: PresetName;
  /** The report's models and the data settings (see ExperimentConfig for each field's default). */
  experiment: ExperimentConfig;
  /** tweetlab's own model (see OwnModelConfig). */
  own: OwnModelConfig;
  /** How tweetlab's model writes (see OwnGenerationConfig). */
  generation: OwnGenerationConfig;
  /** Posts each model generates for the evaluation columns. Default 500 (quick 20, report 500). */
  evaluationPosts: number;
}

/** Overrides of a preset: single fields of the flags and notebook config cells. */
export interface PipelineOverrides {
  preset?: string;
  /** Epochs of the report's models (checkpoints beyond are dropped, the last epoch is one). */
  epochs?: number;
  seqLength?: number;
  seed?: number;
  /** Which of the report's models to train (1–4); [] = none. */
  models?: number[];
  own?: Partial<OwnModelConfig>;
  generation?: Partial<OwnGenerationConfig>;
  evaluationPosts?: number;
}

/** The base seed when none is given. */
export const DEFAULT_RUN_SEED = 42;

/**
 * The preset with the overrides spread over it. `epochs: N` keeps the preset's checkpoints up to N and always
 * makes N itself a checkpoint, so the last model is saved with its posts. A setting of tweetlab's model or its
 * generation out of range throws a one-line TweetlabError naming it.
 */
export function resolvePipelineConfig(o: PipelineOverrides = {}): PipelineConfig {
  const preset = (o.preset ?? 'default') as PresetName;
  const base = presetConfig(preset);
  const epochs = o.epochs ?? base.epochs;
  const checkpoints = [...new Set([...base.checkpoints.filter((e) => e <= epochs), epochs])].sort((a, b) => a - b);
  const experiment: ExperimentConfig = {
    ...base,
    epochs,
    checkpoints,
    seqLength: o.seqLength ?? base.seqLength,
    seed: o.seed ?? DEFAULT_RUN_SEED,
    models: (o.models ?? base.models) as ModelNumber[],
  };
  const own = { ...(preset === 'quick' ? OWN_MODEL_QUICK : OWN_MODEL_DEFAULTS), ...o.own };
  const generation = { ...(preset === 'quick' ? OWN_GENERATION_QUICK : OWN_GENERATION_DEFAULTS), ...o.generation };
  checkOwnSettings(own, generation);
  return { preset, experiment, own, generation, evaluationPosts: o.evaluationPosts ?? EVALUATION_POSTS[preset] };
}
