import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError, errorMessage } from '../errors.js';
import { vocabularyFromJson, vocabularyToJson } from '../text/tokenize.js';
import type { Vocabulary } from '../types.js';
import { processAlive, writeFileAtomic, writeJsonAtomic } from '../util/fs.js';
import { backendOfEngine, getEngine } from './backend.js';
import { CONFIG_JSON, MODEL_FORMAT_VERSION, VOCAB_JSON, readModelConfig, type ModelFileConfig, type ModelSaveInfo } from './config-file.js';
import { OPTIMIZER_BIN, WEIGHTS_BIN, readLayersWeights, readOptimizerSlots, writeLayersModel, writeOptimizerSlots } from './format.js';
import type { Engine, LanguageModel } from './types.js';
import { LIMITS, checkModelFile, checkModelFolder, sha256File, validateModelConfig, verifyModelChecksum } from './validate.js';

/**
 * A model folder: model.json + weights.bin (tfjs layers format), vocab.json, config.json (everything needed to
 * resume or generate) and optimizer.bin (optimiser slots, after training). The folder is written beside the
 * target and renamed into place, so it is always either the old complete folder or the new complete one.
 */

/** Writes the whole model folder `dir` (replacing an older one atomically). */
export async function saveModel(dir: string, model: LanguageModel, vocab: Vocabulary, info: ModelSaveInfo = {}): Promise<void> {
  if (vocab.words.length !== model.config.vocabSize) {
    throw new TweetlabError(
      `Vocabulary size mismatch: the vocabulary has ${vocab.words.length} words, the model was built for ${model.config.vocabSize}`,
    );
  }
  const target = path.resolve(dir);
  await removeStaleSaveTemps(target);
  const tmp = `${target}.tmp-${process.pid}-${Date.now().toString(36)}`;
  try {
    await writeLayersModel(tmp, model.config, model.getWeights());
    await writeJsonAtomic(path.join(tmp, VOCAB_JSON), vocabularyToJson(vocab));
    const opt = model.getOptimizerState();
    const slots = opt ? await writeOptimizerSlots(tmp, opt.slots) : [];
    // Issue 15: checksums of the binary files, so a changed weight is noticed on load.
    const checksums: Record<string, string> = { [WEIGHTS_BIN]: await sha256File(path.join(tmp, WEIGHTS_BIN)) };
    if (opt) checksums[OPTIMIZER_BIN] = await sha256File(path.join(tmp, OPTIMIZER_BIN));
    const config: ModelFileConfig = {
      format: 'tweetlab-model',
      formatVersion: MODEL_FORMAT_VERSION,
      model: model.config,
      ...(info.train ? { train: info.train } : {}),
      epoch: info.epoch ?? 0,
      history: info.history ?? [],
      optimizer: opt ? { settings: opt.settings, iterations: opt.iterations, slots } : null,
      engine: model.engine,
      backend: backendOfEngine(model.engine),
      savedAt: new Date().toISOString(),
      ...(info.wordsPerPost ? { wordsPerPost: info.wordsPerPost } : {}),
      ...(info.modelNumber !== undefined ? { modelNumber: info.modelNumber } : {}),
      ...(info.dataset !== undefined ? { dataset: info.dataset } : {}),
      ...(info.interruptedAfterBatch !== undefined ? { interruptedAfterBatch: info.interruptedAfterBatch } : {}),
      ...(info.extra ? { extra: info.extra } : {}),
      ...(info.resumePosition ? { resumePosition: info.resumePosition } : {}),
      ...(info.split ? { split: info.split } : {}),
      checksums,
    };
    await writeFileAtomic(path.join(tmp, CONFIG_JSON), JSON.stringify(config, nanToNull, 2) + '\n');
    await replaceDir(tmp, target);
  } catch (err) {
    await fsp.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw err instanceof TweetlabError ? err : new TweetlabError(`Cannot save the model to ${dir}: ${errorMessage(err)}`);
  }
}

/**
 * Names of the folders a save uses beside its target: `<name>.tmp-<pid>-<base36 ms>` (being written) and
 * `<name>.old-<pid>-<base36 ms>` (the previous folder, between the two renames).
 */
const SAVE_TEMP_NAME = /^(.+)\.(?:tmp|old)-(\d+)-[0-9a-z]+$/;

/** True for the name of a save's temp folder (`epoch-3.tmp-4242-lx0k1a`), which is never a checkpoint. */
export function isModelSaveTempName(name: string): boolean {
  return SAVE_TEMP_NAME.test(name);
}

/**
 * Removes the temp folders of `target` left by saves that were killed (SIGKILL, power loss): those whose
 * process no longer runs. Temps of live processes (a save in progress) are left alone; failures are ignored,
 * since a leftover folder only costs space.
 */
async function removeStaleSaveTemps(target: string): Promise<void> {
  const parent = path.dirname(target);
  const base = path.basename(target);
  let names: string[];
  try {
    names = await fsp.readdir(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const m = SAVE_TEMP_NAME.exec(name);
    if (!m || m[1] !== base) continue;
    const pid = Number(m[2]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    await fsp.rm(path.join(parent, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

function nanToNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

async function replaceDir(tmp: string, target: string): Promise<void> {
  await fsp.mkdir(path.dirname(target), { recursive: true });
  const old = `${target}.old-${process.pid}-${Date.now().toString(36)}`;
  let moved = false;
  try {
    await fsp.rename(target, old);
    moved = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await fsp.rename(tmp, target);
  if (moved) await fsp.rm(old, { recursive: true, force: true });
}

export interface LoadedModel {
  model: LanguageModel;
  vocab: Vocabulary;
  /** The parsed config.json. */
  config: ModelFileConfig;
  dir: string;
}

/** Reads vocab.json of a model folder. */
export async function readModelVocabulary(dir: string): Promise<Vocabulary> {
  const vocabFile = path.join(dir, VOCAB_JSON);
  await checkModelFile(dir, vocabFile, LIMITS.jsonBytes); // issue 15
  let vocabText: string;
  try {
    vocabText = await fsp.readFile(vocabFile, 'utf8');
  } catch {
    throw new TweetlabError(`Vocabulary file not found: ${vocabFile}`);
  }
  let vocabJson: unknown;
  try {
    vocabJson = JSON.parse(vocabText);
  } catch {
    throw new TweetlabError(`Vocabulary file ${vocabFile} is corrupted (not valid JSON)`);
  }
  return vocabularyFromJson(vocabJson, vocabFile);
}

export interface LoadModelOptions {
  /**
   * Read optimizer.bin into the model (needed to resume training). Generation and evaluation do not use it, so
   * they pass false and a missing or damaged optimizer.bin does not stop them. Default: true.
   */
  optimizer?: boolean;
  /** Where a warning goes (a folder without checksums); default: process.emitWarning, once per file. */
  onWarning?: (message: string) => void;
}

const warned = new Set<string>();
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, 'TweetlabWarning');
}

/**
 * Loads a model folder on `engine` (an Engine, an engine/backend name, or the fastest available), with its
 * vocabulary, config and (unless `options.optimizer` is false) optimiser state. Errors name the folder or
 * file and what is wrong with it.
 */
export async function loadModel(dir: string, engine?: Engine | string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const config = await readModelConfig(dir);
  const vocab = await readModelVocabulary(dir);
  if (vocab.words.length !== config.model.vocabSize) {
    throw new TweetlabError(
      `Vocabulary size mismatch in ${dir}: ${VOCAB_JSON} has ${vocab.words.length} words, the model was trained with ${config.model.vocabSize}`,
    );
  }
  // Issue 15: regular files inside the folder, sizes the config needs, checksums (src/model/validate.ts).
  const facts = validateModelConfig(config, path.join(dir, CONFIG_JSON));
  await checkModelFolder(dir, facts, { optimizer: options.optimizer !== false });
  const warn = options.onWarning ?? warnOnce;
  const weights = await readLayersWeights(dir, config.model);
  const unverified = await verifyModelChecksum(dir, config, WEIGHTS_BIN);
  if (unverified) warn(unverified);
  const eng = typeof engine === 'object' ? engine : await getEngine(engine);
  const model = eng.createModel(config.model, weights);
  if (options.optimizer !== false && config.optimizer && config.optimizer.slots.length > 0) {
    try {
      const slots = await readOptimizerSlots(dir, config.optimizer.slots);
      const unverifiedSlots = await verifyModelChecksum(dir, config, OPTIMIZER_BIN);
      if (unverifiedSlots) warn(unverifiedSlots);
      model.setOptimizerState({ settings: config.optimizer.settings, iterations: config.optimizer.iterations, slots });
    } catch (err) {
      model.dispose();
      throw new TweetlabError(`${errorMessage(err)} (resuming training needs this optimizer state)`);
    }
  }
  return { model, vocab, config, dir };
}
