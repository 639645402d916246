import * as path from 'node:path';
/**
 * The pipeline, top to bottom: prepare → train (the report's models, then tweetlab's own) → evaluate →
 * generate. The only place that knows the order of the stages; the main job, `tweetlab run` and the notebooks
 * call it (or its stages) with their own callbacks, so the same config gives the same numbers everywhere.
 */
import { BASELINE_NAME, evaluateWithBaseline, type EvaluationTable } from '../evaluate/evaluate.js';
import type { GeneratedPost } from '../generate/generate.js';
import { buildExperiment, modelSpec, requireVocabularyWords, type ModelPlan } from '../model/experiment.js';
import { recordEndScale, type EpochRecord } from '../model/config-file.js';
import type { OwnEpochRecord } from './own-train.js';
import type { BatchInfo, Engine } from '../model/types.js';
import { deriveSeed } from '../random.js';
import type { Corpus } from '../types.js';
import { noisingStart, type PipelineConfig } from './config.js';
import { fitOwnEndScale, generateOwnPosts } from './generate.js';
import type { EndScaleFit } from '../generate/length-calibration.js';
import { OWN_MODEL_NAME, trainOwnStage, type TrainedOwn } from './own.js';
import { prepareRun, type PreparedRun } from './prepare.js';
import { developmentWindows, evaluateQuality, fitMixture, type QualityTable, type ScoredModel } from './quality.js';
import { trainRunModel, type RunBackend, type TrainProgressHooks } from './train.js';
import type { GeneratedPostRow, ModelRunSummary, PlannedTraining } from './types.js';

/** Where a run's side effects go: progress lines, per-model progress, a stop request. */
export interface PipelineHooks extends TrainProgressHooks {
  /** One line per stage. */
  log?: (line: string) => void;
  /** Every epoch of tweetlab's own model (the report's models report through progressSink). */
  onOwnEpoch?: (r: OwnEpochRecord & { best: boolean }) => void;
  onOwnBatch?: (epoch: number, b: BatchInfo) => void;
  /** After each model that finished training (not interrupted); the run folder records it. */
  onModelFinished?: (name: string) => void | Promise<void>;
  /** Once, before the first model trains: every model to train, with its epochs and batches (progress and ETA). */
  onPlan?: (models: PlannedTraining[]) => void;
}

export interface PipelineResult {
  prepared: PreparedRun;
  /** The report's models that were trained, in order. */
  models: ModelRunSummary[];
  /** tweetlab's model (null when disabled or interrupted before its turn). */
  own: (TrainedOwn & { lambdaPosts: number | null; lengthCalibration: OwnStageResult['lengthCalibration'] }) | null;
  /** Today's windowed evaluation of the report's models and the 3-gram. */
  evaluation: EvaluationTable;
  /** Both evaluations and the generation figures of every model, the mixture and the 3-gram. */
  quality: QualityTable;
  /** Checkpoint samples and evaluation posts of every model, for generated.csv. */
  generated: GeneratedPostRow[];
  skippedModels: string[];
  seeds: { base: number; split: number; development: number; baselineGeneration: number; models: Record<string, { model: number; train: number; generation: number }> };
  /** Seconds per stage. */
  timings: Record<string, number>;
}

function stopwatch(): { lap: (stage: string) => void; timings: Record<string, number> } {
  const timings: Record<string, number> = {};
  let mark = performance.now();
  return {
    timings,
    lap: (stage) => {
      const now = performance.now();
      timings[stage] = (now - mark) / 1000;
      mark = now;
    },
  };
}

/** Stage 1 with the run's config: the data every later stage uses (fails with one line on unusable input). */
export function preparePipeline(corpus: Corpus, cfg: PipelineConfig): PreparedRun {
  const x = cfg.experiment;
  const prepared = prepareRun(corpus, {
    seqLength: x.seqLength, validationShare: x.validationShare, minCount: x.minCount, devShare: cfg.own.devShare,
    require: [...new Set(x.models.map((n) => modelSpec(n).dataset))], seed: x.seed,
  });
  requireVocabularyWords(prepared.vocab, corpus.source.name, x.minCount, `minimum count ${x.minCount} of preset "${cfg.preset}"`, 'use a larger corpus, or --preset report (minimum count 1)');
  return prepared;
}

/** What training the report's models leaves for the later stages. */
interface ReportModelsTrained {
  trained: ScoredModel[];
  models: ModelRunSummary[];
  generated: GeneratedPostRow[];
  skippedModels: string[];
  /** A stop request ended a model early; the models after it were skipped. */
  stopped: boolean;
}

/** Stage 3: trains the report's models in order; after a stop request the rest are skipped. */
async function trainReportModels(plans: readonly ModelPlan[], prepared: PreparedRun, cfg: PipelineConfig, backend: RunBackend, runDir: string, hooks: PipelineHooks, lap: (stage: string) => void): Promise<ReportModelsTrained> {
  const log = hooks.log ?? (() => undefined);
  const out: ReportModelsTrained = { trained: [], models: [], generated: [], skippedModels: [], stopped: false };
  for (const plan of plans) {
    if (out.stopped) {
      log(`${plan.name}: skipped (interrupted)`);
      out.skippedModels.push(plan.name);
      continue;
    }
    log(`${plan.name}: dataset ${plan.dataset}, variant ${plan.model.variant}, ${plan.train.epochs} epochs`);
    const r = await trainRunModel({
      plan, backend, vocab: prepared.vocab, train: prepared.windows[plan.dataset].train, validation: prepared.windows[plan.dataset].validation,
      runDir, wordsPerPost: prepared.wordsPerPost, evaluationPosts: cfg.evaluationPosts, hooks,
    });
    out.models.push(r.summary);
    out.generated.push(...r.generated);
    out.trained.push({ name: plan.name, kind: 'report', model: r.model, posts: r.finalPosts.map((text) => ({ text })) });
    out.stopped = r.stopped;
    if (!out.stopped) await hooks.onModelFinished?.(plan.name);
    lap(`model-${plan.number}`);
  }
  return out;
}

/** Every seed of a run, as summary.json records them. */
function runSeeds(x: PipelineConfig['experiment'], prepared: PreparedRun, plans: readonly ModelPlan[], own: OwnStageResult | null, baselineSeed: number): PipelineResult['seeds'] {
  return {
    base: x.seed, split: prepared.splitSeed, development: prepared.own.devSeed, baselineGeneration: baselineSeed,
    models: Object.fromEntries([
      ...plans.map((m) => [m.name, { model: m.model.seed, train: m.train.seed, generation: m.generationSeed }] as const),
      ...(own ? [[OWN_MODEL_NAME, { ...own.trained.seeds, generation: own.generationSeed }] as const] : []),
    ]),
  };
}

/** Runs the pipeline after its prepare stage; models are saved under `<runDir>/models/`. */
export async function runPipeline(prepared: PreparedRun, cfg: PipelineConfig, backend: RunBackend, runDir: string, hooks: PipelineHooks = {}): Promise<PipelineResult> {
  const log = hooks.log ?? (() => undefined);
  const clock = stopwatch();
  const x = cfg.experiment;
  log(`data: ${prepared.totals.words} words, vocabulary ${prepared.vocab.words.length} ids, ${prepared.trainPosts.length} training and ${prepared.validationPosts.length} held-out posts`);

  const plans = buildExperiment(x, prepared.vocab.words.length);
  hooks.onPlan?.(plannedTrainings(plans, prepared, cfg));
  const { trained, models, generated, skippedModels, stopped } = await trainReportModels(plans, prepared, cfg, backend, runDir, hooks, clock.lap);

  const own = cfg.own.enabled && !stopped ? await ownStage(prepared, cfg, backend.instance, path.join(runDir, 'models'), hooks) : null;
  if (cfg.own.enabled && stopped) {
    log(`skipped: ${OWN_MODEL_NAME} (interrupted)`);
    skippedModels.push(OWN_MODEL_NAME);
  }
  if (own) {
    if (!own.trained.stopped) await hooks.onModelFinished?.(OWN_MODEL_NAME);
    trained.push(own.scored);
    generated.push(...own.rows);
    clock.lap('tweetlab model');
  }

  const { evaluation, quality, baselineRows, baselineSeed } = await evaluateStage(trained, prepared, x.seed, cfg.evaluationPosts, backend.instance);
  generated.push(...baselineRows);
  for (const t of trained) t.model.dispose();
  clock.lap('evaluation');

  return {
    prepared, models, generated, skippedModels, evaluation, quality,
    own: own ? { ...own.trained, lambdaPosts: own.scored.mixture?.lambdaPosts ?? null, lengthCalibration: own.lengthCalibration } : null,
    seeds: runSeeds(x, prepared, plans, own, baselineSeed),
    timings: clock.timings,
  };
}

/** Stage 4: today's windowed table (report models and the 3-gram, with its posts) and the quality table of all. */
export async function evaluateStage(trained: readonly ScoredModel[], prepared: PreparedRun, seed: number, posts: number, engine: Engine): Promise<{ evaluation: EvaluationTable; quality: QualityTable; baselineRows: GeneratedPostRow[]; baselineSeed: number }> {
  const windowed = await evaluateWithBaseline({
    models: trained.filter((t) => t.kind === 'report').map((t) => ({ name: t.name, model: t.model, generated: t.posts.map((p) => p.text) })),
    prepared, seed, posts,
  });
  const baselineRows = windowed.baselinePosts.map((p): GeneratedPostRow => ({ model: BASELINE_NAME, epoch: 0, seed: p.seed, text: p.text, purpose: 'evaluation' }));
  const quality = await evaluateQuality(trained, windowed.baselinePosts, prepared, engine, seed);
  return { evaluation: windowed.table, quality, baselineRows, baselineSeed: windowed.baselineSeed };
}

/** Stage 3b+5: trains tweetlab's model, fits its mixture with the 3-gram, and lets both write their evaluation posts. */
export async function ownStage(prepared: PreparedRun, cfg: PipelineConfig, engine: Engine, modelsDir: string | null, hooks: PipelineHooks): Promise<OwnStageResult> {
  const seed = cfg.experiment.seed;
  hooks.log?.(`training ${OWN_MODEL_NAME}: ${cfg.own.layers} × LSTM ${cfg.own.hidden}, tied embeddings, up to ${cfg.own.maxEpochs} epochs (early stopping on development posts${cfg.own.noising > 0 ? `, Kneser–Ney noising ${cfg.own.noising} from the ${noisingStart(cfg.own)}` : ''})`);
  const trained = await trainOwnStage(prepared, cfg.own, engine, {
    seed, modelsDir,
    hooks: { onEpoch: hooks.onOwnEpoch, onBatch: hooks.onOwnBatch, shouldStop: hooks.shouldStop },
  });
  const result = await scoreOwnStage(trained, prepared, cfg, engine);
  // The folder this stage just saved keeps the LSTM's factor, so `tweetlab generate` writes posts of the same length.
  if (trained.dir !== null && result.lengthCalibration.lstm) await recordEndScale(trained.dir, result.lengthCalibration.lstm.endScale);
  return result;
}

/** What ownStage returns: the trained model, it (and its mixture) as scored models, and their posts' rows. */
export interface OwnStageResult {
  trained: TrainedOwn;
  scored: ScoredModel;
  rows: GeneratedPostRow[];
  generationSeed: number;
  /** The factor on p(<eos>) of the LSTM's posts and of the mixture's (null: calibration off or no mixture). */
  lengthCalibration: { lstm: EndScaleFit | null; mixture: EndScaleFit | null };
}

/**
 * Stage 5 of tweetlab's model once trained (or loaded from a run folder): its mixture with the 3-gram and the
 * evaluation posts of both, with the run's seeds.
 */
export async function scoreOwnStage(trained: TrainedOwn, prepared: PreparedRun, cfg: PipelineConfig, engine: Engine): Promise<OwnStageResult> {
  const seed = cfg.experiment.seed;
  const generationSeed = deriveSeed(seed, 'own-generation');
  const common = { wordsPerPost: prepared.wordsPerPost, trainingPosts: prepared.trainPosts };
  const calibrationSeed = deriveSeed(seed, 'own-length-calibration');
  const lstmFit = fitOwnEndScale(trained.model, prepared.vocab, cfg.generation, { ...common, seed: calibrationSeed });
  const posts = generateOwnPosts(trained.model, prepared.vocab, cfg.generation, {
    ...common, count: cfg.evaluationPosts, seed: generationSeed, endScale: lstmFit?.endScale ?? 1,
  });
  const rows = (name: string, ps: readonly GeneratedPost[]): GeneratedPostRow[] =>
    ps.map((p) => ({ model: name, epoch: trained.bestEpoch, seed: p.seed, text: p.text, purpose: 'evaluation' }));
  const scored: ScoredModel = { name: OWN_MODEL_NAME, kind: 'tweetlab', model: trained.model, posts };
  const lengthCalibration: OwnStageResult['lengthCalibration'] = { lstm: lstmFit, mixture: null };
  if (!cfg.own.interpolate) return { trained, scored, rows: rows(OWN_MODEL_NAME, posts), generationSeed, lengthCalibration };
  const devWindows = developmentWindows(prepared);
  const mix = await fitMixture(trained.model, engine, prepared, devWindows);
  const mixture = { kn: mix.kn, lambda: mix.lambdaPosts };
  lengthCalibration.mixture = fitOwnEndScale(trained.model, prepared.vocab, cfg.generation, { ...common, seed: calibrationSeed, mixture });
  const mixPosts = generateOwnPosts(trained.model, prepared.vocab, cfg.generation, {
    ...common, count: cfg.evaluationPosts, seed: deriveSeed(seed, 'mixture-generation'), mixture, endScale: lengthCalibration.mixture?.endScale ?? 1,
  });
  scored.mixture = { ...mix, posts: mixPosts };
  return { trained, scored, rows: [...rows(OWN_MODEL_NAME, posts), ...rows(`${OWN_MODEL_NAME} + 3-gram`, mixPosts)], generationSeed, lengthCalibration };
}

/** Epochs and batches per epoch of every model a run trains (tweetlab's own: its most epochs, as it may stop early). */
function plannedTrainings(plans: readonly ModelPlan[], prepared: PreparedRun, cfg: PipelineConfig): PlannedTraining[] {
  const out: PlannedTraining[] = plans.map((p) => {
    const windows = prepared.windows[p.dataset].train.count;
    const perEpoch = p.train.windowsPerEpoch ?? 0;
    const drawn = perEpoch > 0 ? Math.min(windows, perEpoch) : windows;
    return { name: p.name, epochs: p.train.epochs, batchesPerEpoch: Math.ceil(drawn / p.train.batchSize), earlyStopping: false };
  });
  if (cfg.own.enabled) {
    const chunks = Math.max(0, Math.floor((prepared.own.stream.length - 1) / cfg.own.seqLength));
    out.push({ name: OWN_MODEL_NAME, epochs: cfg.own.maxEpochs, batchesPerEpoch: Math.ceil(chunks / cfg.own.batchSize), earlyStopping: true });
  }
  return out;
}
