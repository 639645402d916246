import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { prepareDatasets, type PreparedDatasets } from '../dataset/prepare.js';
import { TweetlabError } from '../errors.js';
import { evaluateWithBaseline, type EvaluationTable } from '../evaluate/evaluate.js';
import { checkpointSampler, generatePosts } from '../generate/generate.js';
import type { ModelPlan } from '../model/experiment.js';
import type { EpochRecord } from '../model/io.js';
import { trainModel, type TrainResult } from '../model/train.js';
import { formatEpoch } from '../model/progress.js';
import type { Engine } from '../model/types.js';
import { deriveSeed } from '../random.js';
import { cleanPosts } from '../text/clean.js';
import { tokenizeWords } from '../text/tokenize.js';
import type { Post } from '../types.js';
import { barChartFigure, lossCurvesFigure } from '../viz/figures.js';
import type { Figure } from '../viz/types.js';
import { createProgress, type ProgressDisplay } from '../viz/notebook.js';
import { runStoppable, type StopSignal } from './stop.js';

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
  /** Base seed; the split seed derives from it as in the main job. */
  seed: number;
}

/** The prepared datasets of notebook 03, plus how many posts cleaning emptied. */
export interface NotebookData extends PreparedDatasets {
  /** Posts empty after cleaning. */
  droppedPosts: number;
}

/** Posts → cleaned → words → split by post → vocabulary of the training posts → windows of both datasets. */
export function prepareNotebookData(posts: readonly Post[], cfg: NotebookDataConfig): NotebookData {
  const cleaned = cleanPosts(posts);
  const words = cleaned.posts.map((p) => tokenizeWords(p.text)).filter((w) => w.length > 0);
  if (words.length < 2) throw new TweetlabError('At least two posts with words are needed to train and validate');
  const data = prepareDatasets(words, {
    seqLength: cfg.seqLength,
    validationShare: cfg.validationShare,
    splitSeed: deriveSeed(cfg.seed, 'validation-split'),
    minCount: cfg.minCount,
    require: [], // a training set without windows is shown as empty; training it says why
  });
  return { ...data, droppedPosts: cleaned.dropped.length };
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
  /** Posts generated per model for memorisation and distinct-n. Default 50. */
  posts?: number;
  /** Base seed of the generated posts. */
  seed: number;
}

/**
 * Scores the trained models and a Kneser–Ney 3-gram baseline on the same held-out windows, with posts each
 * one generates for the memorisation and distinct-n columns.
 */
export async function evaluateInNotebook(
  runs: readonly { name: string; result: Pick<TrainResult, 'model'> }[],
  data: NotebookData,
  opts: NotebookEvaluationOptions,
): Promise<EvaluationTable> {
  const count = opts.posts ?? 50;
  const models = runs.map((r, i) => ({
    name: r.name,
    model: r.result.model,
    generated: generatePosts(r.result.model, data.vocab, {
      count,
      seed: deriveSeed(opts.seed, `evaluation-${i + 1}`),
      wordsPerPost: data.wordsPerPost,
    }).map((p) => p.text),
  }));
  return (await evaluateWithBaseline({ models, prepared: data, seed: opts.seed, posts: count })).table;
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
