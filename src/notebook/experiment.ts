import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError } from '../errors.js';
import type { EvaluationTable } from '../evaluate/evaluate.js';
import { checkpointSampler } from '../generate/generate.js';
import type { ModelPlan } from '../model/experiment.js';
import type { EpochRecord } from '../model/config-file.js';
import { trainModel, type TrainResult } from '../model/train.js';
import { formatEpoch } from '../model/progress.js';
import type { Engine } from '../model/types.js';
import { cleanPosts } from '../text/clean.js';
import type { Post } from '../types.js';
import { barChartFigure, lossCurvesFigure } from '../viz/figures.js';
import type { Figure } from '../viz/types.js';
import { createProgress, type ProgressDisplay } from '../viz/notebook.js';
import { runStoppable, type StopSignal } from './stop.js';
import { EVALUATION_POSTS, OWN_MODEL_DEFAULTS, type PipelineConfig } from '../pipeline/config.js';
import type { TrainedOwn } from '../pipeline/own.js';
import { prepareRun, type PreparedRun } from '../pipeline/prepare.js';
import type { QualityTable, ScoredModel } from '../pipeline/quality.js';
import { evaluateStage, ownStage } from '../pipeline/run.js';
import { evaluationPosts } from '../pipeline/train.js';
import { QUALITY_COLUMNS, qualityRows } from '../report/quality-section.js';

export { qualityFigure } from '../report/quality-section.js';

/** "1 epoch", "2 epochs". */
function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The steps of notebook 03 as a few calls: the data of both training sets (split by post before windowing),
 * training one model with a live progress output, and evaluating all models against the n-gram baseline.
 * The main job (report/job.ts) does the same steps in one go; here each is its own cell.
 */

export interface NotebookDataConfig {
  /** Window length in words. */
  seqLength: number;
  /** Share of posts held out. */
  validationShare: number;
  /** Words seen fewer times in the training posts become `<unk>`. */
  minCount: number;
  /** Base seed; every seed derives from it as in the main job. */
  seed: number;
  /** Share of the training posts tweetlab's model keeps for choosing its best epoch. Default as in the main job. */
  devShare?: number;
}

/** The prepared data of notebook 03 (the pipeline's prepare stage), plus how many posts cleaning emptied. */
export interface NotebookData extends PreparedRun {
  /** Posts empty after cleaning. */
  droppedPosts: number;
}

/** The pipeline's prepare stage on the notebook's posts: the same data, split and seeds as `npm start`. */
export function prepareNotebookData(posts: readonly Post[], cfg: NotebookDataConfig): NotebookData {
  const cleaned = cleanPosts(posts);
  if (cleaned.posts.filter((p) => p.text !== '').length < 2) throw new TweetlabError('At least two posts with words are needed to train and validate');
  const data = prepareRun({ source: { kind: 'notebook', name: 'notebook posts' }, posts: [...posts] }, {
    seqLength: cfg.seqLength,
    validationShare: cfg.validationShare,
    minCount: cfg.minCount,
    devShare: cfg.devShare ?? OWN_MODEL_DEFAULTS.devShare,
    require: [], // a training set without windows is shown as empty; training it says why
    seed: cfg.seed,
  });
  return { ...data, droppedPosts: data.cleaned.dropped.length };
}

/** restart: fresh weights, older checkpoints of this model removed. continue: from its last checkpoint, for `epochs` more. */
export type TrainMode = 'restart' | 'continue';

export interface NotebookTrainOptions {
  /** Folder of the models; model n saves to `<outDir>/model-<n>/epoch-<e>/`. */
  outDir: string;
  /** Default "restart". */
  mode?: TrainMode;
  /** Engine to train on. Default: the fastest available. */
  engine?: Engine;
  /** Where progress goes. Default: an updating notebook output (a line per update outside a notebook). */
  progress?: ProgressDisplay;
}

async function latestEpoch(modelDir: string): Promise<number> {
  let names: string[];
  try {
    names = await fsp.readdir(modelDir);
  } catch {
    return 0;
  }
  let best = 0;
  for (const n of names) {
    const m = /^epoch-(\d+)$/.exec(n);
    if (m && Number(m[1]) > best) best = Number(m[1]);
  }
  return best;
}

/**
 * Trains one of the four models with a progress output that updates in place (epoch, batch, loss, elapsed,
 * ETA, then a line per finished epoch and checkpoint). "restart" starts from fresh weights and removes this
 * model's older checkpoints; "continue" resumes from its latest `epoch-<e>` checkpoint and trains the plan's
 * epoch count again on top (checkpoints shifted by the same amount). The title of the output says which.
 */
export async function trainInNotebook(plan: ModelPlan, data: NotebookData, opts: NotebookTrainOptions): Promise<TrainResult> {
  const modelDir = path.join(opts.outDir, `model-${plan.number}`);
  const windows = data.windows[plan.dataset];
  if (windows.train.count === 0) {
    throw new TweetlabError(`${plan.name}: dataset ${plan.dataset} has no training windows (posts shorter than seqLength + 1 words)`);
  }
  // One training per model folder; a kernel interrupt stops this one after its batch (notebook/stop.ts).
  let onInterrupt = () => {};
  return runStoppable(modelDir, plan.name, (signal) => trainLocked(signal), () => onInterrupt());

  async function trainLocked(signal: StopSignal): Promise<TrainResult> {
    const previous = opts.mode === 'continue' ? await latestEpoch(modelDir) : 0;
    const title =
      previous > 0
        ? `${plan.name}: continuing from epoch ${previous} for ${plan.train.epochs} more`
        : `${plan.name}: training from scratch for ${plural(plan.train.epochs, 'epoch')}` +
          (opts.mode === 'continue' ? ' (no checkpoint to continue from)' : '');
    if (previous === 0) {
      // A restart must not leave checkpoints of an older run next to the new ones.
      const names = await fsp.readdir(modelDir).catch(() => [] as string[]);
      for (const n of names) {
        if (/^epoch-\d+$/.test(n) || n === 'interrupted') await fsp.rm(path.join(modelDir, n), { recursive: true, force: true });
      }
    }
    const progress = opts.progress ?? createProgress(title);
    onInterrupt = () => progress.log('interrupted: stopping after the current batch (interrupt again to abandon the cell)');
    const epochs = previous + plan.train.epochs;
    const train = { ...plan.train, epochs, checkpoints: plan.train.checkpoints.map((e) => e + previous) };
    const result = await trainModel({
      ...(opts.engine ? { engine: opts.engine } : {}),
      ...(previous > 0 ? { resume: path.join(modelDir, `epoch-${previous}`) } : { modelConfig: plan.model }),
      train,
      data: windows.train,
      validation: windows.validation,
      vocab: data.vocab,
      outDir: modelDir,
      wordsPerPost: data.wordsPerPost,
      samplesPerCheckpoint: plan.samplesPerCheckpoint,
      sampler: checkpointSampler({ seed: plan.generationSeed }),
      modelNumber: plan.number,
      dataset: plan.dataset,
      onProgress: (p) =>
        progress.update({ label: plan.name, epoch: p.epoch, epochs: p.epochs, batch: p.batch, batches: p.batches, loss: p.epochLoss, elapsed: p.elapsed, eta: p.eta }),
      onEpoch: (r) => progress.log(formatEpoch(r, epochs)),
      onCheckpoint: (c) => progress.log(`  checkpoint at epoch ${c.epoch}${c.dir ? `: saved to ${c.dir}` : ''}`),
      shouldStop: signal.shouldStop,
    });
    progress.done(
      result.stopped
        ? `stopped (${signal.why}) after ${plural(result.epoch, 'full epoch')}; partial state saved to ${result.lastSaved ?? 'nowhere (no batch finished)'}`
        : `done: ${plural(result.epoch, 'epoch')} in total, ${result.seconds.toFixed(0)} s on ${result.engine}`,
    );
    return result;
  }
}

/** A model's name and its per-epoch history (a TrainResult has both). */
export interface NamedHistory {
  name: string;
  history: readonly EpochRecord[];
}

/** Loss curves of several models (the same figure as the report's: `lossCurvesFigure` of src/viz). */
export function trainingCurvesFigure(runs: readonly NamedHistory[], title?: string): Figure {
  return lossCurvesFigure(runs, title);
}

/** Rows of a "generated posts per checkpoint" table: one per sample post. */
export function checkpointPostRows(result: Pick<TrainResult, 'checkpoints'>): { epoch: number; words: number; post: string }[] {
  return result.checkpoints.flatMap((c) => c.samples.map((s) => ({ epoch: c.epoch, words: s.words.length, post: s.text })));
}

export interface NotebookEvaluationOptions {
  /** Posts generated per model for the generation columns. Default 200 (the main job's default). */
  posts?: number;
  /** Base seed: the one of the config, so the figures equal the main job's. */
  seed: number;
  /** Engine of the models (scores windows with a twin when the window length differs). */
  engine: Engine;
  /** tweetlab's model, trained by trainOwnInNotebook. */
  own?: OwnRun;
}

/** Today's windowed table and the quality table (both evaluations, generation figures, can-you-tell). */
export interface NotebookEvaluation {
  windowed: EvaluationTable;
  quality: QualityTable;
}

/**
 * The pipeline's evaluation stage on the notebook's models: the same posts (one seed per model plan), the same
 * 3-gram and the same held-out targets as `npm start`, so the notebook prints the main job's numbers.
 */
export async function evaluateInNotebook(
  runs: readonly { plan: ModelPlan; result: Pick<TrainResult, 'model'> }[],
  data: NotebookData,
  opts: NotebookEvaluationOptions,
): Promise<NotebookEvaluation> {
  const count = opts.posts ?? EVALUATION_POSTS.default;
  const scored: ScoredModel[] = runs.map((r) => ({
    name: r.plan.name,
    kind: 'report',
    model: r.result.model,
    posts: evaluationPosts(r.result.model, data.vocab, r.plan, data.wordsPerPost, count),
  }));
  if (opts.own) scored.push(opts.own.scored);
  const { evaluation, quality } = await evaluateStage(scored, data, opts.seed, count, opts.engine);
  return { windowed: evaluation, quality };
}

/** What trainOwnInNotebook returns: the trained model and its posts, ready for evaluateInNotebook. */
export interface OwnRun {
  name: string;
  history: TrainedOwn['history'];
  bestEpoch: number;
  dir: string | null;
  scored: ScoredModel;
}

/**
 * Trains tweetlab's own model as the main job does (same config, seeds and posts), showing each epoch's
 * development perplexity as it goes; the best epoch is saved to `<outDir>/tweetlab/`.
 */
export async function trainOwnInNotebook(data: NotebookData, cfg: PipelineConfig, opts: { engine: Engine; outDir: string; progress?: ProgressDisplay }): Promise<OwnRun> {
  const progress = opts.progress ?? createProgress(`tweetlab LSTM: up to ${plural(cfg.own.maxEpochs, 'epoch')}, early stopping`);
  return runStoppable(path.join(opts.outDir, 'tweetlab'), 'tweetlab LSTM', async (signal) => {
    const r = await ownStage(data, cfg, opts.engine, opts.outDir, {
      onOwnEpoch: (e) => progress.log(`epoch ${e.epoch}: training loss ${e.loss.toFixed(3)}, development perplexity ${e.valPerplexity?.toFixed(1)}${e.best ? ' (best so far)' : ''}`),
      onOwnBatch: (epoch, b) => progress.update({ label: 'tweetlab LSTM', epoch, epochs: cfg.own.maxEpochs, batch: b.batch, batches: b.batches, loss: b.loss, elapsed: 0, eta: Number.NaN }),
      shouldStop: signal.shouldStop,
    });
    progress.done(`done: best epoch ${r.trained.bestEpoch} of ${r.trained.history.length}, ${r.trained.seconds.toFixed(0)} s`);
    return { name: r.scored.name, history: r.trained.history, bestEpoch: r.trained.bestEpoch, dir: r.trained.dir, scored: r.scored };
  });
}

/** Held-out perplexity of every row of an evaluation table, as bars (lower is better). */
export function perplexityComparisonFigure(table: EvaluationTable): Figure {
  return barChartFigure(
    table.rows.map((r) => r.name),
    [{ name: 'perplexity', values: table.rows.map((r) => r.perplexity) }],
    { title: 'Held-out perplexity per word (lower is better)', yTitle: 'perplexity' },
  );
}

/** An evaluation table as display rows (percentages and ratios rounded for reading). */
export function evaluationRows(table: EvaluationTable): Record<string, string | number>[] {
  const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
  const ratio = (v: number | null) => (v === null ? '—' : v.toFixed(3));
  return table.rows.map((r) => ({
    model: r.name,
    perplexity: Number(r.perplexity.toFixed(1)),
    'cross-entropy': Number(r.crossEntropy.toFixed(3)),
    [`copies ≥ ${table.memorisationN} training words`]: pct(r.memorisedShare),
    'distinct-1': ratio(r.distinct1),
    'distinct-2': ratio(r.distinct2),
    'posts generated': r.generatedPosts,
  }));
}

/** The quality table as display rows: both perplexities against the 3-gram and what the posts look like. */
export function qualityTableRows(q: QualityTable): Record<string, string | number>[] {
  return qualityRows(q).map((row) => Object.fromEntries(QUALITY_COLUMNS.map((c, i) => [i === 2 ? 'posts vs 3-gram' : i === 4 ? 'windows vs 3-gram' : c, row[i] ?? ''])));
}
