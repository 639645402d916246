import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError } from '../errors.js';
import { writeJsonAtomic } from '../util/fs.js';
import { MODEL_JSON } from './format.js';
import type { ModelConfig, OptimizerSettings, TrainConfig } from './types.js';
import { LIMITS, checkModelFile, validateModelConfig } from './validate.js';

/**
 * config.json of a model folder: its layout (what a saved model records besides its weights: settings,
 * history, how the held-out posts were chosen, checksums) and its checked reading.
 */

export const CONFIG_JSON = 'config.json';
export const VOCAB_JSON = 'vocab.json';
/** Version of config.json's layout; a reader refuses files from a newer version. */
export const MODEL_FORMAT_VERSION = 1;

/** One epoch of the training history. */
export interface EpochRecord {
  epoch: number;
  /** Mean training cross-entropy (nats per word). */
  loss: number;
  /** Mean cross-entropy on the held-out posts' windows; null without validation data. */
  valLoss: number | null;
  /** exp(valLoss); null without validation data. */
  valPerplexity: number | null;
  seconds: number;
}

/** What config.json holds. */
export interface ModelFileConfig {
  format: 'tweetlab-model';
  formatVersion: number;
  model: ModelConfig;
  /** Training settings; absent for a model that was never trained. */
  train?: TrainConfig;
  /** Epochs completed. */
  epoch: number;
  history: EpochRecord[];
  /** Optimiser settings, iteration count and the layout of optimizer.bin; null before training. */
  optimizer: { settings: OptimizerSettings; iterations: number; slots: { name: string; shape: number[] }[] } | null;
  /** Engine that saved the model ("tfjs-wasm" …); any engine can load it. */
  engine: string;
  /** Backend of that engine ("wasm", "cpu", "tensorflow", or the engine name for non-tfjs engines). */
  backend: string;
  savedAt: string;
  /** Words-per-post counts of the training posts ({"12": 340, …}), for generation lengths. */
  wordsPerPost?: Record<string, number>;
  /** 1–4 when the model is one of the experiment's four. */
  modelNumber?: number;
  /** Dataset variant the windows came from. */
  dataset?: 1 | 2;
  /** Set when training was interrupted inside epoch `epoch + 1` (its partial updates are in the weights). */
  interruptedAfterBatch?: number;
  /** Free-form extras of the caller (e.g. the run id). */
  extra?: Record<string, unknown>;
  /**
   * Where an interrupted epoch stopped (epoch `epoch + 1`): batches done, the loss sums so far and the epoch's
   * shuffle seed, so `--resume` continues at the next batch (issue 15).
   */
  resumePosition?: { epoch: number; batch: number; lossSum: number; windows: number; shuffleSeed: number };
  /** How the held-out posts were chosen: reused on resume, so no held-out post ever reaches training. */
  /**
   * repeatsToTraining: held-out draws that repeat a training post went to training (true for every folder saved
   * since 2026-12-07, 23:17 UTC; absent before, when they stayed held out), so a resumed model splits as it was trained.
   */
  split?: { baseSeed: number; seed: number; validationShare: number; unknownShare?: number; repeatsToTraining?: boolean };
  /** SHA-256 (hex) of weights.bin and optimizer.bin, by file name; checked on load (src/model/validate.ts). */
  checksums?: Record<string, string>;
  /**
   * Factor on p(<eos>) that makes the posts of a model with an end of post as long as the training posts
   * (src/generate/length-calibration.ts); `tweetlab generate` applies it. Set by the main job after training.
   */
  endScale?: number;
}

/** The caller's part of config.json. */
export type ModelSaveInfo = Partial<
  Pick<ModelFileConfig, 'train' | 'epoch' | 'history' | 'wordsPerPost' | 'modelNumber' | 'dataset' | 'interruptedAfterBatch' | 'extra' | 'resumePosition' | 'split'>
>;

/** Records the fitted factor on p(<eos>) in config.json of a saved model folder (atomically). */
export async function recordEndScale(dir: string, endScale: number): Promise<void> {
  const cfg = await readModelConfig(dir);
  await writeJsonAtomic(path.join(dir, CONFIG_JSON), { ...cfg, endScale });
}

/** Reads and checks config.json of a model folder. */
export async function readModelConfig(dir: string): Promise<ModelFileConfig> {
  let stat;
  try {
    stat = await fsp.stat(dir);
  } catch {
    throw new TweetlabError(`Model folder not found: ${dir}`);
  }
  if (!stat.isDirectory()) throw new TweetlabError(`Model path is not a folder: ${dir}`);
  const file = path.join(dir, CONFIG_JSON);
  await checkModelFile(dir, file, LIMITS.jsonBytes); // issue 15: no symlink, device or FIFO, bounded size
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    const hasModel = await fsp.access(path.join(dir, MODEL_JSON)).then(() => true, () => false);
    throw new TweetlabError(
      hasModel
        ? `Model folder ${dir} has no ${CONFIG_JSON} (was it saved by tweetlab?)`
        : `${dir} is not a model folder (no ${CONFIG_JSON} or ${MODEL_JSON})`,
    );
  }
  let cfg: ModelFileConfig;
  try {
    cfg = JSON.parse(text) as ModelFileConfig;
  } catch {
    throw new TweetlabError(`${file} is corrupted (not valid JSON)`);
  }
  if (cfg === null || typeof cfg !== 'object' || cfg.format !== 'tweetlab-model' || typeof cfg.formatVersion !== 'number') {
    throw new TweetlabError(`${file} is not a tweetlab model config`);
  }
  if (cfg.formatVersion > MODEL_FORMAT_VERSION) {
    throw new TweetlabError(
      `${file} has format version ${cfg.formatVersion}, written by a newer tweetlab; this one reads up to version ${MODEL_FORMAT_VERSION}`,
    );
  }
  const m = cfg.model;
  const ints: (keyof ModelConfig)[] = ['layers', 'hidden', 'embedding', 'vocabSize', 'seqLength'];
  for (const k of ints) {
    if (!m || !Number.isInteger(m[k]) || (m[k] as number) < 1) throw new TweetlabError(`${file}: model.${k} is missing or invalid`);
  }
  checkRegularisation(m, file);
  validateModelConfig(cfg, file); // issue 15: types and ranges of every field
  if (cfg.history === undefined) cfg.history = [];
  cfg.history = cfg.history.map((h) => ({ ...h, loss: h.loss ?? Number.NaN }));
  return cfg;
}

/** The optional variant-3 fields: absent, or a rate in [0, 1) / a boolean. */
function checkRegularisation(m: ModelConfig, file: string): void {
  const rates = ['embeddingDropout', 'inputDropout', 'outputDropout', 'recurrentDropout'] as const;
  for (const k of rates) {
    const p = m[k];
    if (p !== undefined && !(typeof p === 'number' && p >= 0 && p < 1)) throw new TweetlabError(`${file}: model.${k} must be in [0, 1)`);
  }
  if (m.tied !== undefined && typeof m.tied !== 'boolean') throw new TweetlabError(`${file}: model.tied must be true or false`);
}
