import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError } from '../errors.js';
import { backendOfEngine, getEngine } from './backend.js';
import { readModelConfig } from './config-file.js';
import { loadModel } from './io.js';
import { TrainingLoop, type TrainingStart } from './train-loop.js';
import type { TrainOptions, TrainResult } from './train-types.js';
import { PRESETS, pickTrainFields } from './experiment.js';
import type { TrainConfig } from './types.js';

export type {
  CheckpointRecord,
  CheckpointSampleRequest,
  CheckpointSampler,
  TrainOptions,
  TrainProgress,
  TrainResult,
} from './train-types.js';
export { sampleWindows } from './train-loop.js';

/**
 * The default preset's training fields, for a model trained or resumed without them; all windows every epoch,
 * as a saved config without `windowsPerEpoch` was trained.
 */
export const DEFAULT_TRAIN: TrainConfig = { ...pickTrainFields(PRESETS.default), windowsPerEpoch: 0, seed: 1 };

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

/**
 * Trains one model: epochs of shuffled batches, validation after each epoch, checkpoints (saved folder +
 * sample posts) at the chosen epochs, resumable, stoppable between batches.
 */
export async function trainModel(opts: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  const start = await startTraining(opts);
  const { model, trainConfig } = start;
  const loop = new TrainingLoop(opts, start, started);
  try {
    await loop.run();
  } catch (err) {
    model.dispose();
    throw err;
  }
  return {
    model,
    history: start.history,
    checkpoints: loop.checkpoints,
    seconds: (performance.now() - started) / 1000,
    engine: model.engine,
    backend: backendOfEngine(model.engine),
    epoch: loop.epochDone,
    stopped: loop.stopped,
    lastSaved: loop.lastSaved,
    modelConfig: model.config,
    trainConfig,
  };
}

/** A new model from `modelConfig`, or the saved one named by `resume` with its history and settings. */
async function startTraining(opts: TrainOptions): Promise<TrainingStart> {
  let start: TrainingStart;
  if (opts.resume) {
    const dir = await resolveResumeDir(opts.resume);
    const loaded = await loadModel(dir, opts.engine);
    if (loaded.vocab.words.length !== opts.vocab.words.length || loaded.vocab.words.some((w, i) => w !== opts.vocab.words[i])) {
      loaded.model.dispose();
      throw new TweetlabError(`The vocabulary of ${dir} differs from the training data's vocabulary; encode the data with the saved vocab.json`);
    }
    start = {
      model: loaded.model,
      vocab: loaded.vocab,
      history: [...loaded.config.history],
      trainConfig: { ...DEFAULT_TRAIN, ...(loaded.config.train ?? {}), ...definedOnly(opts.train ?? {}) },
      firstEpoch: loaded.config.epoch + 1,
      saved: loaded.config,
    };
  } else {
    if (!opts.modelConfig) throw new TweetlabError('trainModel needs modelConfig (or resume)');
    const engine = opts.engine ?? (await getEngine());
    const model = engine.createModel(opts.modelConfig);
    start = { model, vocab: opts.vocab, history: [], trainConfig: { ...DEFAULT_TRAIN, ...definedOnly(opts.train ?? {}) }, firstEpoch: 1, saved: undefined };
  }
  const { model, vocab } = start;
  if (vocab.words.length !== model.config.vocabSize) {
    model.dispose();
    throw new TweetlabError(`Vocabulary size mismatch: the vocabulary has ${vocab.words.length} words, the model is built for ${model.config.vocabSize}`);
  }
  return start;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
