import { TweetlabError } from '../errors.js';
import type { EvaluationTable } from '../evaluate/evaluate.js';
import type { ModelPlan } from '../model/experiment.js';
import type { EpochRecord } from '../model/config-file.js';
import type { TrainResult } from '../model/train.js';
import type { Engine, LanguageModel } from '../model/types.js';
import { generatePosts, type GenerateOptions } from '../generate/generate.js';
import { startWordsWarning } from '../generate/start-words.js';
import { cleanPosts } from '../text/clean.js';
import type { Post, Vocabulary } from '../types.js';
import { barChartFigure, lossCurvesFigure } from '../viz/figures.js';
import type { Figure } from '../viz/types.js';
import { EVALUATION_POSTS, OWN_MODEL_DEFAULTS } from '../pipeline/config.js';
import type { TrainedOwn } from '../pipeline/own.js';
import { prepareRun, type PreparedRun } from '../pipeline/prepare.js';
import type { QualityTable, ScoredModel } from '../pipeline/quality.js';
import { evaluateStage } from '../pipeline/run.js';
import { evaluationPosts } from '../pipeline/train.js';
import { GAP_COLUMNS, QUALITY_COLUMNS, gapCaption, gapRows, qualityRows } from '../report/quality-section.js';

export { qualityFigure } from '../report/quality-section.js';

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

/** A model's name and its per-epoch history (a TrainResult has both). */
export interface NamedHistory {
  name: string;
  history: readonly EpochRecord[];
}

/** Loss curves of several models (the same figure as the report's: `lossCurvesFigure` of src/viz). */
export function trainingCurvesFigure(runs: readonly NamedHistory[], title?: string): Figure {
  return lossCurvesFigure(runs, title);
}

/**
 * Posts a model writes (generatePosts), as table rows. A start text with words the model never saw still
 * begins every post (read as <unk>): `say` gets a one-line warning naming them.
 */
export function generatedPostRows(
  model: LanguageModel,
  vocab: Vocabulary,
  opts: GenerateOptions,
  say: (line: string) => void = (line) => console.log(line),
): { words: number; post: string }[] {
  const warning = opts.start !== undefined ? startWordsWarning(opts.start, vocab) : null;
  if (warning) say(warning);
  return generatePosts(model, vocab, opts).map((p) => ({ words: p.words.length, post: p.text }));
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
  /** tweetlab's model, trained by trainOwnInNotebook (or loaded). */
  own?: OwnRun;
}

/** Today's windowed table and the quality table (both evaluations, generation figures, can-you-tell). */
export interface NotebookEvaluation {
  windowed: EvaluationTable;
  quality: QualityTable;
  /** Where tweetlab's model wins and loses against the 3-gram, as display rows with their caption; null without it. */
  gap: { rows: Record<string, string>[]; caption: string } | null;
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
  return { windowed: evaluation, quality, gap: quality.gap ? { rows: gapTableRows(quality), caption: gapCaption(quality.gap.model) } : null };
}

/** tweetlab's model trained (trainOwnInNotebook) or loaded (reuse): its posts, ready for evaluateInNotebook. */
export interface OwnRun {
  name: string;
  history: TrainedOwn['history'];
  bestEpoch: number;
  dir: string | null;
  scored: ScoredModel;
  /** The model as trained (or loaded), with its seeds and config. */
  trained: TrainedOwn;
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

/** Where tweetlab's model wins and loses against the 3-gram, as display rows (see gapCaption). */
function gapTableRows(q: QualityTable): Record<string, string>[] {
  return gapRows(q).map((row) => Object.fromEntries(GAP_COLUMNS.map((c, i) => [c, row[i] ?? ''])));
}
