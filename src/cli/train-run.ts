/**
 * `tweetlab train` once its flags are read: the engine, the resumed model (if any), the data of the model's
 * dataset variant, one claimed and stoppable training with checkpoints, and its result as text or JSON.
 * Loaded only when the command runs, since it pulls in the engines.
 */
import * as path from 'node:path';
import { TweetlabError, UsageError } from '../errors.js';
import { checkResumedModelNumber, claimModelOutput } from '../model/claim.js';
import { readModelConfig, type ModelFileConfig } from '../model/config-file.js';
import { buildExperiment, modelSpec, requireVocabularyWords, type ExperimentConfig, type ModelNumber, type ModelPlan } from '../model/experiment.js';
import { readModelVocabulary } from '../model/io.js';
import { resumedSplit, unknownShare, unknownShareLimit } from '../model/resume.js';
import { resolveResumeDir } from '../model/train.js';
import type { CheckpointRecord, TrainResult } from '../model/train-types.js';
import type { TrainConfig } from '../model/types.js';
import { prepareWordData } from '../pipeline/prepare.js';
import { startModelBackend, trainPlanModel, type RunBackend } from '../pipeline/train.js';
import { deriveSeed } from '../random.js';
import type { Vocabulary, WindowSet } from '../types.js';
import { toJson, type CliIO } from './common.js';
import { readInputCorpus } from './input.js';
import type { TrainRequest } from './train-flags.js';
import { progressSink, stopOnCtrlC } from './training-io.js';

/** What `tweetlab train --json` prints. */
export interface TrainJson {
  engine: string;
  backend: string;
  modelNumber: number;
  dataset: 1 | 2;
  variant: 1 | 2;
  out: string;
  epoch: number;
  stopped: boolean;
  seconds: number;
  vocabSize: number;
  trainWindows: number;
  validationWindows: number;
  history: { epoch: number; loss: number; valLoss: number | null; valPerplexity: number | null; seconds: number }[];
  checkpoints: { epoch: number; dir: string | null; samples: string[] }[];
}

/** The model `--resume` continues, and the settings it keeps from its saved config (issue 15). */
interface Resumed {
  dir: string;
  config: ModelFileConfig;
  vocab: Vocabulary;
  modelNumber: ModelNumber;
  /** The request's settings with the saved seed, held-out share and window length. */
  settings: ExperimentConfig;
}

async function openResumed(request: TrainRequest, resume: string): Promise<Resumed> {
  const dir = await resolveResumeDir(resume);
  const config = await readModelConfig(dir);
  checkResumedModelNumber(dir, config, request.modelNumber);
  // The saved seed and held-out share, so the same posts stay held out (src/model/resume.ts).
  const kept = resumedSplit(dir, config, {
    ...(request.given.seed ? { seed: request.settings.seed } : {}),
    ...(request.given.validationShare ? { validationShare: request.settings.validationShare } : {}),
  });
  // The data is encoded with the saved vocabulary; trainModel loads the model itself.
  const vocab = await readModelVocabulary(dir);
  const modelNumber = request.modelNumber ?? (config.modelNumber as ModelNumber | undefined);
  if (modelNumber === undefined) throw new UsageError('train: the resumed model has no model number; give --model-number');
  const settings = {
    ...request.settings,
    ...(kept ? { seed: kept.baseSeed, validationShare: kept.validationShare } : {}),
    seqLength: config.model.seqLength,
  };
  return { dir, config, vocab, modelNumber, settings };
}

/** The vocabulary, windows of one dataset variant and post lengths a model trains on. */
interface TrainingData {
  vocab: Vocabulary;
  train: WindowSet;
  validation: WindowSet;
  /** Words per training post (lengths of the checkpoint posts). */
  wordsPerPost: number[];
}

/**
 * The pipeline's data preparation, as `tweetlab run` does it (vocabulary with `<eos>`; the resumed model's
 * vocabulary, if any), keeping the windows of `dataset`.
 */
async function trainingData(request: TrainRequest, settings: ExperimentConfig, dataset: 1 | 2, resumed: Resumed | undefined): Promise<{ data: TrainingData; source: string }> {
  const corpus = await readInputCorpus(request.input, request.textColumn);
  const prepared = prepareWordData(corpus, {
    seqLength: settings.seqLength,
    validationShare: settings.validationShare,
    minCount: settings.minCount,
    require: [dataset],
    seed: settings.seed,
    clean: request.clean,
    ...(resumed ? { vocab: resumed.vocab } : {}),
    // A model saved before repeats went to training is resumed on the split it was trained on.
    ...(resumed?.config.split && resumed.config.split.repeatsToTraining !== true ? { repeatsToTraining: false } : {}),
  });
  if (!resumed) {
    const hint = 'lower --min-count or use a larger corpus';
    requireVocabularyWords(prepared.vocab, corpus.source.name, settings.minCount, `--min-count ${settings.minCount}`, hint);
  }
  const { vocab, wordsPerPost } = prepared;
  return { data: { vocab, wordsPerPost, ...prepared.windows[dataset] }, source: corpus.source.name };
}

/** A resumed model meets a corpus it may never have seen: say how much of it is unknown, refuse too much without --force. */
function checkUnknownWords(request: TrainRequest, io: CliIO, resumed: Resumed, unknown: number, source: string): void {
  const limit = unknownShareLimit(resumed.config);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  if (unknown > limit && !request.force) {
    throw new TweetlabError(
      `${source}: ${pct(unknown)} of its words are unknown to the model in ${resumed.dir} (more than ${pct(limit)}): it was trained on another corpus; give --force to resume anyway`,
    );
  }
  if (!request.json) io.err(`resume: ${pct(unknown)} of the training words are unknown to the model`);
}

/** The training settings: the plan's, or for a resumed run its saved ones with only the flags given now over them. */
function trainSettings(request: TrainRequest, settings: ExperimentConfig, plan: ModelPlan, resumed: Resumed | undefined): Partial<TrainConfig> {
  if (!resumed) return plan.train;
  const { given } = request;
  return {
    ...(given.epochs ? { epochs: settings.epochs } : {}),
    ...(given.checkpoints ? { checkpoints: settings.checkpoints } : {}),
    ...(given.learningRate ? { learningRate: settings.learningRate } : {}),
    ...(given.batchSize ? { batchSize: settings.batchSize } : {}),
  };
}

interface ClaimedTraining {
  request: TrainRequest;
  io: CliIO;
  backend: RunBackend;
  plan: ModelPlan;
  train: Partial<TrainConfig>;
  data: TrainingData;
  resumed: Resumed | undefined;
  split: ModelFileConfig['split'];
}

/** A checkpoint on stderr: where it was saved and its sample posts. */
function printCheckpoint(io: CliIO, c: CheckpointRecord): void {
  io.err(`checkpoint epoch ${c.epoch}${c.dir ? ` saved to ${c.dir}` : ''}`);
  for (const s of c.samples) io.err(`  ${s.text}`);
}

/** Trains into the claimed --out folder (one writer per folder, never two models in one), stoppable by Ctrl-C. */
async function trainClaimed(t: ClaimedTraining): Promise<TrainResult> {
  const { request, io, plan } = t;
  const claim = await claimModelOutput(request.out, {
    command: `train --model-number ${plan.number}`,
    modelNumber: plan.number,
    ...(t.resumed ? { resumed: t.resumed.config } : {}),
    force: request.force,
  });
  const stop = stopOnCtrlC(io);
  try {
    return await trainPlanModel({
      plan,
      engine: t.backend.instance,
      vocab: t.data.vocab,
      train: t.data.train,
      validation: t.data.validation,
      wordsPerPost: t.data.wordsPerPost,
      modelDir: request.out,
      trainConfig: t.train,
      ...(t.resumed ? { resume: t.resumed.dir } : {}),
      split: t.split,
      hooks: request.json ? { shouldStop: stop.shouldStop } : { progressSink: progressSink(io), onCheckpoint: (_model, c) => printCheckpoint(io, c), shouldStop: stop.shouldStop },
    });
  } finally {
    stop.release();
    await claim.release();
  }
}

function trainJson(backend: RunBackend, plan: ModelPlan, out: string, data: TrainingData, result: TrainResult): TrainJson {
  return {
    engine: result.engine,
    backend: backend.backend,
    modelNumber: plan.number,
    dataset: plan.dataset,
    variant: modelSpec(plan.number).variant,
    out: path.resolve(out),
    epoch: result.epoch,
    stopped: result.stopped,
    seconds: Math.round(result.seconds * 10) / 10,
    vocabSize: data.vocab.words.length,
    trainWindows: data.train.count,
    validationWindows: data.validation.count,
    history: result.history,
    checkpoints: result.checkpoints.map((c) => ({ epoch: c.epoch, dir: c.dir, samples: c.samples.map((s) => s.text) })),
  };
}

/** "Model 2 (dataset 2, variant 1) on tfjs-wasm: 3 epochs, loss …, val_loss …; saved to DIR". */
function trainSummaryLine(plan: ModelPlan, out: string, result: TrainResult): string {
  const last = result.history[result.history.length - 1];
  const losses = last ? `, loss ${last.loss.toFixed(4)}` + (last.valLoss !== null ? `, val_loss ${last.valLoss.toFixed(4)}` : '') : '';
  return (
    `${plan.name} (dataset ${plan.dataset}, variant ${modelSpec(plan.number).variant}) on ${result.engine}: ${result.epoch} epochs` +
    `${losses}${result.stopped ? ' (stopped early)' : ''}; saved to ${result.lastSaved ?? out}`
  );
}

/** Runs `tweetlab train` for a parsed request; the exit code is 130 when Ctrl-C stopped the training. */
export async function runTrain(request: TrainRequest, io: CliIO): Promise<number> {
  // The engine first, so it is printed before the slow parts.
  const backend = await startModelBackend(request.backend);
  if (!request.json) io.err(`engine: ${backend.engine}${backend.reason ? ` (${backend.reason})` : ''}`);
  const resumed = request.resume !== undefined ? await openResumed(request, request.resume) : undefined;
  const settings = resumed?.settings ?? request.settings;
  const modelNumber = (resumed?.modelNumber ?? request.modelNumber) as ModelNumber; // parseTrainRequest: one of them is set
  const { data, source } = await trainingData(request, settings, modelSpec(modelNumber).dataset, resumed);
  const plan = buildExperiment({ ...settings, models: [modelNumber] }, data.vocab.words.length)[0] as ModelPlan;
  const unknown = unknownShare(data.train.targets);
  if (resumed) checkUnknownWords(request, io, resumed, unknown, source);
  const split = resumed?.config.split ?? {
    baseSeed: settings.seed, seed: deriveSeed(settings.seed, 'validation-split'), validationShare: settings.validationShare, unknownShare: unknown, repeatsToTraining: true,
  };
  const train = trainSettings(request, settings, plan, resumed);
  const result = await trainClaimed({ request, io, backend, plan, train, data, resumed, split });
  const json = trainJson(backend, plan, request.out, data, result);
  result.model.dispose();
  io.out(request.json ? toJson(json) : trainSummaryLine(plan, request.out, result));
  return result.stopped ? 130 : 0;
}
