import * as path from 'node:path';
import { checkpointSampler, generatePosts, type GeneratedPost } from '../generate/generate.js';
import { chooseEngine } from '../model/backend.js';
import { buildExperiment, type ModelPlan } from '../model/experiment.js';
import type { PipelineConfig } from './config.js';
import { createProgressPrinter } from '../model/progress.js';
import { trainModel, type TrainProgress } from '../model/train.js';
import type { EpochRecord } from '../model/config-file.js';
import type { Engine, LanguageModel } from '../model/types.js';
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

/** Trains one of the four models with the model module's trainModel, then generates its evaluation posts. */
export async function trainRunModel(input: TrainRunModelInput): Promise<TrainRunModelResult> {
  const { plan, vocab } = input;
  const sink = input.hooks.progressSink;
  const printer = sink ? createProgressPrinter({ write: sink.write, tty: sink.isTTY, label: plan.name }) : undefined;
  const modelDir = path.join(input.runDir, 'models', `model-${plan.number}`);
  const result = await trainModel({
    engine: input.backend.instance,
    modelConfig: plan.model,
    train: plan.train,
    data: input.train,
    validation: input.validation,
    vocab,
    outDir: modelDir,
    wordsPerPost: input.wordsPerPost,
    samplesPerCheckpoint: plan.samplesPerCheckpoint,
    sampler: checkpointSampler({ seed: plan.generationSeed }),
    modelNumber: plan.number,
    dataset: plan.dataset,
    onProgress: (p) => {
      printer?.onProgress(p);
      input.hooks.onBatch?.(plan.name, p);
    },
    onEpoch: (r) => {
      printer?.onEpoch(r);
      input.hooks.onEpoch?.(plan.name, r);
    },
    ...(input.hooks.shouldStop ? { shouldStop: input.hooks.shouldStop } : {}),
  });
  printer?.finish();

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
