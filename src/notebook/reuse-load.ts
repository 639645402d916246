import { TweetlabError } from '../errors.js';
import * as path from 'node:path';
import { backendOfEngine } from '../model/backend.js';
import type { ModelPlan } from '../model/experiment.js';
import { loadModel } from '../model/io.js';
import type { TrainResult } from '../model/train.js';
import type { Engine } from '../model/types.js';
import type { PipelineConfig } from '../pipeline/config.js';
import { scoreOwnStage } from '../pipeline/run.js';
import type { GeneratedPost } from '../types.js';
import type { NotebookData, OwnRun } from './experiment.js';
import {
  configDifference,
  notebookRun,
  npmStartRuns,
  type ComparableConfig,
  type PreviousModel,
  type PreviousOwn,
  type PreviousRun,
} from './reuse.js';

/** What reuse found for one model: where to load it from, or one line on why there is nothing to load. */
export type ReuseChoice<T> = { found: T; run: PreviousRun; why?: undefined } | { found?: undefined; run?: undefined; why: string };

const runName = (r: PreviousRun) => (r.kind === 'npm start' ? `npm start's run ${path.basename(r.dir)}` : `this notebook's earlier run (${r.dir})`);

/**
 * The newest earlier run with this very config that holds `which` (a report model's number, or "own"):
 * the notebook's own record in `outDir` or a complete run folder of `npm start` under `runsDir`.
 */
export async function choosePrevious(
  config: ComparableConfig,
  where: { runsDir: string; outDir: string },
  which: number | 'own',
): Promise<ReuseChoice<PreviousModel | PreviousOwn>> {
  const record = await notebookRun(where.outDir);
  const runs = [...(record ? [record] : []), ...(await npmStartRuns(where.runsDir))].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt));
  const entry = (r: PreviousRun) => (which === 'own' ? r.own : r.models[String(which)]);
  for (const run of runs) {
    const found = entry(run);
    if (found && configDifference(config, run.config) === null) return { found, run };
  }
  const newest = runs.find((r) => r.kind === 'npm start') ?? runs[0];
  if (!newest) return { why: `no finished run of npm start in ${where.runsDir} and no earlier run of this notebook` };
  const diff = configDifference(config, newest.config);
  if (diff) return { why: `the newest, ${runName(newest)}, differs in ${diff}` };
  return { why: `${runName(newest)} has the same config but did not finish this model` };
}

function samplePost(s: { seed: number; text: string }): GeneratedPost {
  const words = s.text === '' ? [] : s.text.split(' ');
  return { text: s.text, words, length: words.length, start: words.slice(0, 1), seed: s.seed, unknownStart: [], attempts: 1, accepted: true };
}

/** One of the report's models of an earlier run, as trainInNotebook would have returned it. */
export async function loadPreviousModel(found: PreviousModel, plan: ModelPlan, data: NotebookData, engine: Engine): Promise<TrainResult> {
  const loaded = await loadModel(found.dir, engine, { optimizer: false });
  const same = loaded.vocab.words.length === data.vocab.words.length && loaded.vocab.words.every((w, i) => w === data.vocab.words[i]);
  if (!same) {
    loaded.model.dispose();
    throw new TweetlabError(`${found.dir} has another vocabulary than this notebook's data: set reuse: false to train here`);
  }
  const last = found.history[found.history.length - 1];
  return {
    model: loaded.model,
    history: found.history,
    checkpoints: found.checkpoints.map((c) => ({ epoch: c.epoch, dir: c.dir, samples: c.samples.map(samplePost) })),
    seconds: found.seconds,
    engine: loaded.model.engine,
    backend: backendOfEngine(loaded.model.engine),
    epoch: last?.epoch ?? loaded.config.epoch,
    stopped: false,
    lastSaved: found.dir,
    modelConfig: loaded.model.config,
    trainConfig: loaded.config.train ?? plan.train,
  };
}

/** tweetlab's model of an earlier run, scored as trainOwnInNotebook would have (same seeds, posts, mixture). */
export async function loadPreviousOwn(found: PreviousOwn, data: NotebookData, cfg: PipelineConfig, engine: Engine): Promise<OwnRun> {
  const loaded = await loadModel(found.dir, engine, { optimizer: false });
  const trained = {
    model: loaded.model,
    history: found.history,
    bestEpoch: found.bestEpoch,
    bestDevPerplexity: found.bestDevPerplexity,
    seconds: found.seconds,
    stopped: false,
    config: found.config,
    dir: found.dir,
    seeds: found.seeds,
  };
  const r = await scoreOwnStage(trained, data, cfg, engine);
  return { name: r.scored.name, history: trained.history, bestEpoch: trained.bestEpoch, dir: found.dir, scored: r.scored, trained };
}

/** The line a training cell prints when it loads instead of training. */
export function loadedLine(name: string, run: PreviousRun, dir: string): string {
  return `${name}: loaded from ${dir} (${runName(run)}, same config) instead of training; set reuse: false to train it here.`;
}
