import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError } from '../errors.js';
import type { ModelPlan } from '../model/experiment.js';
import { readModelConfig } from '../model/config-file.js';
import { formatEpoch } from '../model/progress.js';
import type { CheckpointRecord, TrainResult } from '../model/train-types.js';
import type { Engine } from '../model/types.js';
import type { PipelineConfig } from '../pipeline/config.js';
import { ownStage } from '../pipeline/run.js';
import { trainPlanModel } from '../pipeline/train.js';
import { writeJsonAtomic } from '../util/fs.js';
import { LiveLossChart } from '../viz/live-loss.js';
import { createLiveFigure, createProgress, inNotebook, type ProgressDisplay } from '../viz/notebook.js';
import type { Figure } from '../viz/types.js';
import type { NotebookData, OwnRun } from './experiment.js';
import { runStoppable, type StopSignal } from './stop.js';

/**
 * Training in a notebook cell: one of the report's models (restart or continue) or tweetlab's own, each with a
 * progress output and a loss chart that update in place while it trains, stoppable by a kernel interrupt.
 */

/** "1 epoch", "2 epochs". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
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
  /** Where the live loss chart goes. Default: a chart output redrawn in place (nothing outside a notebook). */
  chart?: (fig: Figure) => void;
}

/** The checkpoint posts of a model folder, kept across "continue" runs (the model folders hold no posts). */
export const CHECKPOINT_POSTS_FILE = 'checkpoint-posts.json';

async function latestEpoch(modelDir: string): Promise<number> {
  const names = await fsp.readdir(modelDir).catch(() => [] as string[]);
  let best = 0;
  for (const n of names) {
    const m = /^epoch-(\d+)$/.exec(n);
    if (m && Number(m[1]) > best) best = Number(m[1]);
  }
  return best;
}

async function readCheckpointPosts(modelDir: string): Promise<CheckpointRecord[]> {
  try {
    return JSON.parse(await fsp.readFile(path.join(modelDir, CHECKPOINT_POSTS_FILE), 'utf8')) as CheckpointRecord[];
  } catch {
    return [];
  }
}

/** The default chart sink: a live notebook output, created on the first draw (nothing outside a notebook). */
export function liveChart(): (fig: Figure) => void {
  if (!inNotebook()) return () => undefined;
  let out: ReturnType<typeof createLiveFigure> | null = null;
  return (fig) => (out ??= createLiveFigure()).show(fig);
}

/** Checks that the plan fits the data before anything is deleted; one line naming the cell to re-run. */
export function checkPlanFitsData(plan: ModelPlan, data: NotebookData): void {
  const windows = data.windows[plan.dataset];
  if (plan.model.seqLength !== windows.train.seqLength) {
    throw new TweetlabError(`${plan.name} is built for windows of ${plan.model.seqLength} words but the data has windows of ${windows.train.seqLength}: re-run the data cell (section 5) with this config first (nothing was deleted).`);
  }
  if (plan.model.vocabSize !== data.vocab.words.length) {
    throw new TweetlabError(`${plan.name} is built for a vocabulary of ${plan.model.vocabSize} ids but the data has ${data.vocab.words.length}: re-run the data cell (section 5) first (nothing was deleted).`);
  }
  if (windows.train.count === 0) {
    throw new TweetlabError(`${plan.name}: dataset ${plan.dataset} has no training windows (posts shorter than seqLength + 1 words)`);
  }
}

/**
 * Where a notebook training starts: the latest checkpoint for "continue" (0 when there is none, or for
 * "restart", which first removes this model's older checkpoints and their posts), and the title that says which.
 */
async function startingPoint(plan: ModelPlan, modelDir: string, mode: TrainMode | undefined): Promise<{ previous: number; title: string }> {
  const previous = mode === 'continue' ? await latestEpoch(modelDir) : 0;
  if (previous > 0) return { previous, title: `${plan.name}: continuing from epoch ${previous} for ${plural(plan.train.epochs, 'more epoch')}` };
  // A restart must not leave checkpoints (or their posts) of an older run next to the new ones.
  const names = await fsp.readdir(modelDir).catch(() => [] as string[]);
  for (const n of names) {
    if (/^epoch-\d+$/.test(n) || n === 'interrupted' || n === CHECKPOINT_POSTS_FILE) await fsp.rm(path.join(modelDir, n), { recursive: true, force: true });
  }
  const title = `${plan.name}: training from scratch for ${plural(plan.train.epochs, 'epoch')}` + (mode === 'continue' ? ' (no checkpoint to continue from)' : '');
  return { previous, title };
}

/**
 * Trains one of the four models with a progress output and a loss chart that update in place. "restart"
 * starts from fresh weights and removes this model's older checkpoints (only once the plan is known to fit the
 * data); "continue" resumes from its latest `epoch-<e>` checkpoint and trains the plan's epoch count again on
 * top, keeping the earlier checkpoints' posts. The title of the output says which.
 */
export async function trainInNotebook(plan: ModelPlan, data: NotebookData, opts: NotebookTrainOptions): Promise<TrainResult> {
  const modelDir = path.join(opts.outDir, `model-${plan.number}`);
  checkPlanFitsData(plan, data);
  // One training per model folder; a kernel interrupt stops this one after its batch (notebook/stop.ts).
  let onInterrupt = () => {};
  const interruptible = (log: (line: string) => void) => (onInterrupt = () => log('interrupted: stopping after the current batch (interrupt again to abandon the cell)'));
  return runStoppable(modelDir, plan.name, (signal) => trainLocked({ plan, data, opts, modelDir, signal, interruptible }), () => onInterrupt());
}

interface LockedTraining {
  plan: ModelPlan;
  data: NotebookData;
  opts: NotebookTrainOptions;
  modelDir: string;
  signal: StopSignal;
  /** Called once the progress output exists, so an interrupt can say what happens in it. */
  interruptible: (log: (line: string) => void) => void;
}

/** The training itself, once this model's folder is ours: the pipeline's training step with notebook outputs. */
async function trainLocked({ plan, data, opts, modelDir, signal, interruptible }: LockedTraining): Promise<TrainResult> {
  const { previous, title } = await startingPoint(plan, modelDir, opts.mode);
  const earlier = previous > 0 ? (await readCheckpointPosts(modelDir)).filter((c) => c.epoch <= previous) : [];
  const progress = opts.progress ?? createProgress(title);
  const chart = new LiveLossChart(opts.chart ?? liveChart(), { title: `${plan.name}: loss while it trains` });
  if (previous > 0) chart.history((await readModelConfig(path.join(modelDir, `epoch-${previous}`))).history);
  interruptible((line) => progress.log(line));
  const epochs = previous + plan.train.epochs;
  const checkpoints = [...earlier];
  let writing = Promise.resolve();
  const result = await trainPlanModel({
    plan,
    ...(opts.engine ? { engine: opts.engine } : {}),
    vocab: data.vocab,
    train: data.windows[plan.dataset].train,
    validation: data.windows[plan.dataset].validation,
    wordsPerPost: data.wordsPerPost,
    modelDir,
    trainConfig: { ...plan.train, epochs, checkpoints: plan.train.checkpoints.map((e) => e + previous) },
    ...(previous > 0 ? { resume: path.join(modelDir, `epoch-${previous}`) } : {}),
    hooks: {
      onBatch: (_name, p) => {
        progress.update({ label: plan.name, epoch: p.epoch, epochs: p.epochs, batch: p.batch, batches: p.batches, loss: p.epochLoss, elapsed: p.elapsed, eta: p.eta });
        chart.batch(p.epoch, p.batch, p.batches, p.epochLoss);
      },
      onEpoch: (_name, r) => {
        progress.log(formatEpoch(r, epochs));
        chart.epoch(r);
      },
      onCheckpoint: (_name, c) => {
        progress.log(`  checkpoint at epoch ${c.epoch}${c.dir ? `: saved to ${c.dir}` : ''}`);
        checkpoints.push(c);
        const snapshot = [...checkpoints];
        writing = writing.then(() => writeJsonAtomic(path.join(modelDir, CHECKPOINT_POSTS_FILE), snapshot));
      },
      shouldStop: signal.shouldStop,
    },
  });
  await writing;
  progress.done(
    result.stopped
      ? `stopped (${signal.why}) after ${plural(result.epoch, 'full epoch')}; partial state saved to ${result.lastSaved ?? 'nowhere (no batch finished)'}`
      : `done: ${plural(result.epoch, 'epoch')} in total, ${result.seconds.toFixed(0)} s on ${result.engine}`,
  );
  return { ...result, checkpoints: [...earlier, ...result.checkpoints] };
}

/**
 * Trains tweetlab's own model as the main job does (same config, seeds and posts), showing each epoch's
 * development perplexity and a live loss chart as it goes; the best epoch is saved to `<outDir>/tweetlab/`.
 */
export async function trainOwnInNotebook(
  data: NotebookData,
  cfg: PipelineConfig,
  opts: { engine: Engine; outDir: string; progress?: ProgressDisplay; chart?: (fig: Figure) => void },
): Promise<OwnRun> {
  const progress = opts.progress ?? createProgress(`tweetlab LSTM: up to ${plural(cfg.own.maxEpochs, 'epoch')}, early stopping`);
  const chart = new LiveLossChart(opts.chart ?? liveChart(), { title: 'tweetlab LSTM: loss while it trains', heldOutName: 'development loss' });
  let epochSum = { epoch: 0, sum: 0, count: 0 };
  return runStoppable(path.join(opts.outDir, 'tweetlab'), 'tweetlab LSTM', async (signal) => {
    const r = await ownStage(data, cfg, opts.engine, opts.outDir, {
      onOwnEpoch: (e) => {
        progress.log(`epoch ${e.epoch}: training loss ${e.loss.toFixed(3)}, development perplexity ${e.valPerplexity?.toFixed(1)}${e.best ? ' (best so far)' : ''}${e.noised ? ', on noised posts' : ''}`);
        chart.epoch(e);
      },
      onOwnBatch: (epoch, b) => {
        if (epoch !== epochSum.epoch) epochSum = { epoch, sum: 0, count: 0 };
        epochSum.sum += b.loss;
        epochSum.count += 1;
        progress.update({ label: 'tweetlab LSTM', epoch, epochs: cfg.own.maxEpochs, batch: b.batch, batches: b.batches, loss: epochSum.sum / epochSum.count });
        chart.batch(epoch, b.batch, b.batches, epochSum.sum / epochSum.count);
      },
      shouldStop: signal.shouldStop,
    });
    progress.done(`done: best epoch ${r.trained.bestEpoch} of ${r.trained.history.length}, ${r.trained.seconds.toFixed(0)} s`);
    return { name: r.scored.name, history: r.trained.history, bestEpoch: r.trained.bestEpoch, dir: r.trained.dir, scored: r.scored, trained: r.trained };
  });
}
