import * as path from 'node:path';
import { TweetlabError } from '../errors.js';
import { getEngine } from '../model/backend.js';
import { buildExperiment, type ModelNumber, type ModelPlan } from '../model/experiment.js';
import type { TrainResult } from '../model/train.js';
import type { Engine } from '../model/types.js';
import { OWN_MODEL_NAME } from '../pipeline/own.js';
import type { Corpus } from '../types.js';
import { LiveLossChart } from '../viz/live-loss.js';
import { displayTable, type ProgressDisplay } from '../viz/notebook.js';
import type { Figure } from '../viz/types.js';
import { evaluateInNotebook, prepareNotebookData, type NotebookData, type NotebookEvaluation, type OwnRun } from './experiment.js';
import { environmentInfo } from './environment.js';
import { labConfigRows, type LabConfig } from './lab-config.js';
import { choosePrevious, loadedLine, loadPreviousModel, loadPreviousOwn } from './reuse-load.js';
import { comparableConfig, recordNotebookModel } from './reuse.js';
import { loadSourceCorpus } from './source.js';
import { checkPlanFitsData, liveChart, trainInNotebook, trainOwnInNotebook } from './train.js';

/**
 * Notebook 03's cells as calls that read the config every time they run: the data, each model's training (or
 * loading, with `reuse`), tweetlab's model and the evaluation. Each value remembers the config fields it was
 * made from; a cell handed a value made under other settings stops with one line naming the field and the
 * cell to re-run, before it deletes or trains anything. So re-running "from here" after a change gives what a
 * fresh run gives, and a partial re-run says what else to re-run.
 */

/** The data of notebook 03: the pipeline's prepared data and the corpus it came from. */
export interface LabData extends NotebookData {
  corpus: Corpus;
  /** One line on where the posts came from. */
  note: string;
}

/** A model of the report as a training cell returns it: trained here, or loaded from an earlier run. */
export interface LabRun extends TrainResult {
  name: string;
  number: ModelNumber;
  /** The folder it was loaded from (reuse), or null when it was trained in this cell. */
  reusedFrom: string | null;
}

/** Options of the training cells (tests pass their own sinks). */
export interface LabTrainOptions {
  /** One-line messages (loaded, or why it trains). Default console.log. */
  say?: (line: string) => void;
  progress?: ProgressDisplay;
  chart?: (fig: Figure) => void;
}

interface Made {
  what: string;
  cell: string;
  fields: Record<string, unknown>;
}
const made = new WeakMap<object, Made>();

const DATA_CELL = 'the data cell (section 5, `const data = await tl.labData(config)`)';

function dataFields(cfg: LabConfig): Record<string, unknown> {
  const x = cfg.experiment;
  return { source: cfg.source, seqLength: x.seqLength, validationShare: x.validationShare, minCount: x.minCount, seed: x.seed, 'own.devShare': cfg.pipeline.own.devShare };
}

function modelFields(cfg: LabConfig): Record<string, unknown> {
  const x = cfg.experiment;
  const { epochs, checkpoints, layers, hidden, embedding, dropout, batchSize, optimizer, learningRate, windowsPerEpoch, samplesPerCheckpoint } = x;
  return { ...dataFields(cfg), epochs, checkpoints, layers, hidden, embedding, dropout, batchSize, optimizer, learningRate, windowsPerEpoch, samplesPerCheckpoint };
}

function ownFields(cfg: LabConfig): Record<string, unknown> {
  return { ...dataFields(cfg), own: cfg.pipeline.own, generation: cfg.pipeline.generation, evaluationPosts: cfg.pipeline.evaluationPosts };
}

function stamp<T extends object>(value: T, what: string, cell: string, fields: Record<string, unknown>): T {
  made.set(value, { what, cell, fields });
  return value;
}

/** Throws one line when `value` was made under other settings than `now`: the field, both values, the cell. */
function requireCurrent(value: object, now: Record<string, unknown>): void {
  const m = made.get(value);
  if (!m) return;
  for (const [field, then] of Object.entries(m.fields)) {
    if (!(field in now) || JSON.stringify(now[field]) === JSON.stringify(then)) continue;
    throw new TweetlabError(`${field} is ${JSON.stringify(now[field])} in the config but was ${JSON.stringify(then)} when ${m.what}: re-run ${m.cell} first.`);
  }
}

/** The posts of the config's source, cleaned, split and windowed as `npm start` does (section 5's cell). */
export async function labData(cfg: LabConfig): Promise<LabData> {
  const loaded = await loadSourceCorpus(cfg.source, { dataDir: cfg.dataDir });
  const x = cfg.experiment;
  const data = prepareNotebookData(loaded.corpus.posts, { seqLength: x.seqLength, validationShare: x.validationShare, minCount: x.minCount, seed: x.seed, devShare: cfg.pipeline.own.devShare });
  return stamp({ ...data, corpus: loaded.corpus, note: loaded.note }, '`data` was prepared', DATA_CELL, dataFields(cfg));
}

/** The report's models of the config, built for the data's vocabulary. */
export function labPlans(cfg: LabConfig, data: LabData): ModelPlan[] {
  requireCurrent(data, dataFields(cfg));
  return buildExperiment(cfg.experiment, data.vocab.words.length);
}

function planFor(cfg: LabConfig, data: LabData, n: number): ModelPlan {
  if (![1, 2, 3, 4].includes(n)) throw new TweetlabError(`The report has models 1, 2, 3 and 4, not ${JSON.stringify(n)}`);
  return buildExperiment({ ...cfg.experiment, models: [n as ModelNumber] }, data.vocab.words.length)[0] as ModelPlan;
}

/** The engine the config names ("auto": the fastest available). */
export function labEngine(cfg: LabConfig): Promise<Engine> {
  return getEngine(cfg.engine);
}

function drawHistory(title: string, history: readonly { epoch: number; loss: number; valLoss: number | null }[], chart?: (fig: Figure) => void, heldOutName?: string): void {
  new LiveLossChart(chart ?? liveChart(), { title, ...(heldOutName ? { heldOutName } : {}) }).history(history);
}

/**
 * Model `n` of the report, as the config says: loaded from an earlier run with this very config when `reuse`
 * is on and one exists (one line says from where, or why not), else trained here (trainInNotebook).
 */
export async function trainLabModel(cfg: LabConfig, data: LabData, n: number, opts: LabTrainOptions = {}): Promise<LabRun> {
  requireCurrent(data, dataFields(cfg));
  const plan = planFor(cfg, data, n);
  checkPlanFitsData(plan, data);
  const engine = await labEngine(cfg);
  const say = opts.say ?? ((line: string) => console.log(line));
  const comparable = comparableConfig(cfg.pipeline, data.corpus);
  const done = (result: TrainResult, from: string | null): LabRun =>
    stamp({ ...result, name: plan.name, number: plan.number, reusedFrom: from }, `${plan.name} was trained`, `the training cell of ${plan.name}`, modelFields(cfg));
  if (cfg.reuse && cfg.trainMode === 'continue') say(`${plan.name}: reuse is skipped in trainMode "continue" (it trains on from this notebook's own checkpoints).`);
  if (cfg.reuse && cfg.trainMode === 'restart') {
    const choice = await choosePrevious(comparable, cfg, plan.number);
    if (choice.found) {
      const result = await loadPreviousModel(choice.found as Parameters<typeof loadPreviousModel>[0], plan, data, engine);
      say(loadedLine(plan.name, choice.run, choice.found.dir));
      drawHistory(`${plan.name}: loss per epoch (loaded)`, result.history, opts.chart);
      return done(result, choice.found.dir);
    }
    say(`${plan.name}: training it here (reuse: ${choice.why}).`);
  }
  if (cfg.trainMode === 'restart') await recordNotebookModel(cfg.outDir, comparable, String(plan.number), null);
  const result = await trainInNotebook(plan, data, {
    outDir: cfg.outDir, mode: cfg.trainMode, engine,
    ...(opts.progress ? { progress: opts.progress } : {}), ...(opts.chart ? { chart: opts.chart } : {}),
  });
  if (!result.stopped && cfg.trainMode === 'restart') {
    const checkpoints = result.checkpoints.flatMap((c) => (c.dir ? [{ epoch: c.epoch, dir: c.dir, samples: c.samples.map((s) => ({ seed: s.seed, text: s.text })) }] : []));
    const dir = path.join(cfg.outDir, `model-${plan.number}`, `epoch-${result.epoch}`);
    await recordNotebookModel(cfg.outDir, comparable, String(plan.number), { dir, history: result.history, checkpoints, seconds: result.seconds });
  }
  return done(result, null);
}

/** tweetlab's own model, as the config says: loaded (reuse) or trained here; null when `own.enabled` is false. */
export async function trainLabOwn(cfg: LabConfig, data: LabData, opts: LabTrainOptions = {}): Promise<OwnRun | null> {
  requireCurrent(data, dataFields(cfg));
  const say = opts.say ?? ((line: string) => console.log(line));
  if (!cfg.pipeline.own.enabled) {
    say(`${OWN_MODEL_NAME}: not trained (own.enabled is false in the config).`);
    return null;
  }
  const engine = await labEngine(cfg);
  const comparable = comparableConfig(cfg.pipeline, data.corpus);
  const done = (own: OwnRun) => stamp(own, `${OWN_MODEL_NAME} was trained`, `the training cell of ${OWN_MODEL_NAME}`, ownFields(cfg));
  if (cfg.reuse) {
    const choice = await choosePrevious(comparable, cfg, 'own');
    if (choice.found) {
      const own = await loadPreviousOwn(choice.found as Parameters<typeof loadPreviousOwn>[0], data, cfg.pipeline, engine);
      say(loadedLine(OWN_MODEL_NAME, choice.run, choice.found.dir));
      drawHistory(`${OWN_MODEL_NAME}: loss per epoch (loaded)`, own.history, opts.chart, 'development loss');
      return done(own);
    }
    say(`${OWN_MODEL_NAME}: training it here (reuse: ${choice.why}).`);
  }
  await recordNotebookModel(cfg.outDir, comparable, 'own', null);
  const own = await trainOwnInNotebook(data, cfg.pipeline, {
    engine, outDir: cfg.outDir, ...(opts.progress ? { progress: opts.progress } : {}), ...(opts.chart ? { chart: opts.chart } : {}),
  });
  const t = own.trained;
  if (!t.stopped && t.dir) {
    await recordNotebookModel(cfg.outDir, comparable, 'own', { dir: t.dir, history: t.history, bestEpoch: t.bestEpoch, bestDevPerplexity: t.bestDevPerplexity, seconds: t.seconds, config: t.config, seeds: t.seeds });
  }
  return done(own);
}

/** What each training cell will do with this config: load (from where) or train (and why). */
export async function reusePlan(cfg: LabConfig, data: LabData): Promise<{ model: string; 'training cell': string }[]> {
  requireCurrent(data, dataFields(cfg));
  const comparable = comparableConfig(cfg.pipeline, data.corpus);
  const rows: { model: string; 'training cell': string }[] = [];
  for (const which of [...cfg.experiment.models, ...(cfg.pipeline.own.enabled ? ['own' as const] : [])]) {
    const model = which === 'own' ? OWN_MODEL_NAME : `Model ${which}`;
    if (!cfg.reuse) {
      rows.push({ model, 'training cell': 'trains (reuse is off)' });
      continue;
    }
    const choice = await choosePrevious(comparable, cfg, which);
    rows.push({ model, 'training cell': choice.found ? `loads ${choice.found.dir}` : `trains: ${choice.why}` });
  }
  return rows;
}

/** The evaluation of the report's models and tweetlab's (the pipeline's evaluation stage), after checking each is current. */
export async function evaluateLab(cfg: LabConfig, data: LabData, runs: readonly LabRun[], own: OwnRun | null): Promise<NotebookEvaluation> {
  requireCurrent(data, dataFields(cfg));
  for (const r of runs) requireCurrent(r, modelFields(cfg));
  if (own) requireCurrent(own, ownFields(cfg));
  const engine = await labEngine(cfg);
  const trained = runs.map((r) => ({ plan: planFor(cfg, data, r.number), result: r }));
  return evaluateInNotebook(trained, data, { seed: cfg.experiment.seed, engine, posts: cfg.pipeline.evaluationPosts, ...(own ? { own } : {}) });
}

/**
 * The config cell's table: every setting with where it comes from (config.json, this cell, the preset), then
 * the versions; `engine: true` loads the engine and names it (notebooks that train).
 */
export async function showLabConfig(cfg: LabConfig, opts: { engine?: boolean } = {}): Promise<void> {
  const engine = opts.engine ? (await labEngine(cfg)).name : 'none (no model is trained in this notebook)';
  const versions = Object.entries(environmentInfo({ engine })).map(([setting, value]) => ({ setting, value: String(value), from: 'this machine' }));
  displayTable([...labConfigRows(cfg), ...versions], {
    columns: ['setting', 'value', 'from'],
    caption: `Configuration: ${cfg.file} (shared by notebooks 01–03; a field set in the config cell applies to this notebook only) and versions`,
  });
}
