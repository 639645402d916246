import * as path from 'node:path';
import { checkpointSampler, generatePosts, type GeneratedPost } from '../generate/generate.js';
import { chooseEngine } from '../model/backend.js';
import type { ModelPlan } from '../model/experiment.js';
import { createProgressPrinter } from '../model/progress.js';
import { trainModel } from '../model/train.js';
import type { CheckpointRecord, TrainProgress, TrainResult } from '../model/train-types.js';
import type { EpochRecord, ModelFileConfig } from '../model/config-file.js';
import type { Engine, LanguageModel, TrainConfig } from '../model/types.js';
import { deriveSeed } from '../random.js';
import type { Vocabulary, WindowSet } from '../types.js';
import type { GeneratedPostRow, ModelRunSummary } from './types.js';

/**
 * The main job's bridge to the model module: the preset (the model module's PRESETS plus the few run-level
 * settings below), the backend/engine choice, and one model's training with checkpoints and posts.
 */

export interface RunBackend {
  /** tfjs backend ("tensorflow" | "wasm" | "cpu"), or the engine name for engines outside tfjs. */
  backend: string;
  engine: string;
  reason: string;
  instance: Engine;
}

/** Picks the engine the way `--backend` asks ("auto" = the fastest available) and says why. */
export async function startModelBackend(preference: string | undefined): Promise<RunBackend> {
  const choice = await chooseEngine(preference);
  return { backend: choice.backend, engine: choice.engine.name, reason: choice.reason, instance: choice.engine };
}

/** Where training progress goes: a terminal line redrawn in place, or one line per epoch. */
export interface TrainProgressHooks {
  progressSink?: { isTTY: boolean; write: (text: string) => void };
  /** Polled between batches (Ctrl-C): true stops the current model after its batch; later models are skipped. */
  shouldStop?: () => boolean;
  /** After every batch of a report model (a terminal progress bar draws from it). */
  onBatch?: (model: string, p: TrainProgress) => void;
  /** After every epoch of a report model. */
  onEpoch?: (model: string, r: EpochRecord) => void;
  /** After every checkpoint of a report model (its folder and sample posts). */
  onCheckpoint?: (model: string, c: CheckpointRecord) => void;
}

/** One of the report's models to train: its plan, its data, its folder, and where a continued run starts. */
export interface PlanTrainingInput {
  plan: ModelPlan;
  /** Default: the fastest available. */
  engine?: Engine;
  vocab: Vocabulary;
  train: WindowSet;
  validation: WindowSet;
  /** Words per training post: lengths of the checkpoint posts. */
  wordsPerPost: readonly number[];
  /** The model's folder: checkpoints go to `<modelDir>/epoch-<e>/`. */
  modelDir: string;
  /** Training settings instead of the plan's (with `resume`: only the fields given override the saved ones). */
  trainConfig?: Partial<TrainConfig>;
  /** A saved model (or a folder of checkpoints) to continue from. */
  resume?: string;
  /** How the held-out posts were chosen, recorded in config.json. */
  split?: ModelFileConfig['split'];
  hooks: TrainProgressHooks;
}

/**
 * The one training of a report model, for `tweetlab run`, `tweetlab train` and the notebooks alike: the model
 * module's trainModel with the plan's architecture, schedule and seeds, checkpoint posts sampled with the plan's
 * generation seed, progress to the hooks.
 */
export async function trainPlanModel(input: PlanTrainingInput): Promise<TrainResult> {
  const { plan, hooks } = input;
  const sink = hooks.progressSink;
  const printer = sink ? createProgressPrinter({ write: sink.write, tty: sink.isTTY, label: plan.name }) : undefined;
  try {
    return await trainModel({
      ...(input.engine ? { engine: input.engine } : {}),
      modelConfig: plan.model,
      train: input.trainConfig ?? plan.train,
      data: input.train,
      validation: input.validation,
      vocab: input.vocab,
      outDir: input.modelDir,
      ...(input.resume !== undefined ? { resume: input.resume } : {}),
      ...(input.split ? { split: input.split } : {}),
      wordsPerPost: input.wordsPerPost,
      samplesPerCheckpoint: plan.samplesPerCheckpoint,
      sampler: checkpointSampler({ seed: plan.generationSeed }),
      modelNumber: plan.number,
      dataset: plan.dataset,
      onProgress: (p) => {
        printer?.onProgress(p);
        hooks.onBatch?.(plan.name, p);
      },
      onEpoch: (r) => {
        printer?.onEpoch(r);
        hooks.onEpoch?.(plan.name, r);
      },
      ...(hooks.onCheckpoint ? { onCheckpoint: (c: CheckpointRecord) => hooks.onCheckpoint?.(plan.name, c) } : {}),
      ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
    });
  } finally {
    printer?.finish();
  }
}

export interface TrainRunModelInput {
  plan: ModelPlan;
  backend: RunBackend;
  vocab: Vocabulary;
  train: WindowSet;
  validation: WindowSet;
  /** The run folder; the model goes to models/model-<n>/epoch-<e>/. */
  runDir: string;
  /** Words per training post: lengths of every generated post. */
  wordsPerPost: readonly number[];
  evaluationPosts: number;
  hooks: TrainProgressHooks;
}

export interface TrainRunModelResult {
  model: LanguageModel;
  summary: ModelRunSummary;
  /** Checkpoint samples and the evaluation posts, for generated.csv. */
  generated: GeneratedPostRow[];
  /** The evaluation posts of the final model (plain text). */
  finalPosts: string[];
  stopped: boolean;
}

/** The posts a report model writes for the evaluation columns: the report's way, one seed per model. */
export function evaluationPosts(model: LanguageModel, vocab: Vocabulary, plan: ModelPlan, wordsPerPost: readonly number[], count: number): GeneratedPost[] {
  return generatePosts(model, vocab, { count, seed: deriveSeed(plan.generationSeed, 'evaluation'), wordsPerPost });
}

/** Trains one of the four models into `<runDir>/models/model-<n>/`, then generates its evaluation posts. */
export async function trainRunModel(input: TrainRunModelInput): Promise<TrainRunModelResult> {
  const { plan, vocab } = input;
  const result = await trainPlanModel({
    plan,
    engine: input.backend.instance,
    vocab,
    train: input.train,
    validation: input.validation,
    wordsPerPost: input.wordsPerPost,
    modelDir: path.join(input.runDir, 'models', `model-${plan.number}`),
    hooks: input.hooks,
  });

  const generated: GeneratedPostRow[] = [];
  for (const c of result.checkpoints) {
    for (const s of c.samples) generated.push({ model: plan.name, epoch: c.epoch, seed: s.seed, text: s.text, purpose: 'checkpoint' });
  }
  const finalPosts = evaluationPosts(result.model, vocab, plan, input.wordsPerPost, input.evaluationPosts);
  for (const p of finalPosts) generated.push({ model: plan.name, epoch: result.epoch, seed: p.seed, text: p.text, purpose: 'evaluation' });

  const rel = (dir: string | null) => (dir === null ? '' : path.relative(input.runDir, dir).split(path.sep).join('/'));
  const summary: ModelRunSummary = {
    id: plan.number,
    name: plan.name,
    dataset: plan.dataset,
    variant: plan.model.variant,
    modelConfig: result.modelConfig,
    trainConfig: result.trainConfig,
    history: result.history,
    checkpoints: result.checkpoints.map((c) => ({ epoch: c.epoch, dir: rel(c.dir), generated: c.samples.length })),
    trainSeconds: result.seconds,
    ...(result.stopped ? { interrupted: true } : {}),
  };
  return { model: result.model, summary, generated, finalPosts: finalPosts.map((p) => p.text), stopped: result.stopped };
}
