import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ExperimentConfig } from '../model/experiment.js';
import type { EpochRecord } from '../model/config-file.js';
import type { OwnEpochRecord } from '../pipeline/own-train.js';
import type { ModelConfig } from '../model/types.js';
import type { PipelineConfig } from '../pipeline/config.js';
import { OWN_MODEL_NAME } from '../pipeline/own.js';
import { readRunStatus } from '../report/run-folder.js';
import type { RunSummary } from '../report/types.js';
import type { Corpus } from '../types.js';
import { parseCsv, restoreFormula } from '../util/csv.js';
import { writeJsonAtomic } from '../util/fs.js';

/**
 * Finding models trained before with the same config, so notebook 03 can load them instead of training again:
 * the run folders of `npm start` (summary.json, status "complete") and the notebook's own record of what it
 * trained (`<outDir>/lab-run.json`). Two configs are the same when every field of the pipeline config and the
 * corpus (its source and number of posts) are equal.
 */

/** What two runs must share for the models of one to stand in for the training of the other. */
export interface ComparableConfig {
  /** The corpus' source name ("sotu:Barack Obama", a file) and its number of posts. */
  source: string;
  posts: number;
  experiment: ExperimentConfig;
  own: PipelineConfig['own'];
  generation: PipelineConfig['generation'];
  evaluationPosts: number;
}

export function comparableConfig(cfg: PipelineConfig, corpus: Corpus): ComparableConfig {
  return { source: corpus.source.name, posts: corpus.posts.length, experiment: cfg.experiment, own: cfg.own, generation: cfg.generation, evaluationPosts: cfg.evaluationPosts };
}

const show = (v: unknown) => (v === undefined ? 'unset' : JSON.stringify(v));

/** The first field where `there` differs from `here`, as `epochs (2 here, 6 there)`; null when equal. */
export function configDifference(here: unknown, there: unknown, at = ''): string | null {
  const name = at.replace(/^experiment\./, '');
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(here) && isObject(there)) {
    const a = here as Record<string, unknown>;
    const b = there as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
      const d = configDifference(a[key], b[key], at ? `${at}.${key}` : key);
      if (d) return d;
    }
    return null;
  }
  return JSON.stringify(here) === JSON.stringify(there) ? null : `${name} (${show(here)} here, ${show(there)} there)`;
}

/** A checkpoint of an earlier run: its folder and the posts written there. */
export interface PreviousCheckpoint {
  epoch: number;
  dir: string;
  samples: { seed: number; text: string }[];
}

/** One of the report's models as an earlier run left it. */
export interface PreviousModel {
  /** Folder of its final checkpoint. */
  dir: string;
  history: EpochRecord[];
  checkpoints: PreviousCheckpoint[];
  seconds: number;
}

/** tweetlab's model as an earlier run left it. */
export interface PreviousOwn {
  dir: string;
  history: OwnEpochRecord[];
  bestEpoch: number;
  bestDevPerplexity: number;
  seconds: number;
  config: ModelConfig;
  seeds: { model: number; train: number };
}

/** An earlier run whose models may be loaded. */
export interface PreviousRun {
  /** "npm start" (a run folder) or "notebook" (this notebook's earlier trainings). */
  kind: 'npm start' | 'notebook';
  /** The run folder, or the notebook's outDir. */
  dir: string;
  finishedAt: string;
  config: ComparableConfig;
  models: Record<string, PreviousModel>;
  own: PreviousOwn | null;
}

/** The notebook's record of its trainings, in its outDir. */
export const LAB_RUN_FILE = 'lab-run.json';

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Checkpoint posts of every report model of a run folder (generated.csv, purpose "checkpoint"). */
async function checkpointPosts(runDir: string, file: string): Promise<Map<string, { seed: number; text: string }[]>> {
  const out = new Map<string, { seed: number; text: string }[]>();
  let table: ReturnType<typeof parseCsv>;
  try {
    table = parseCsv(await fsp.readFile(path.join(runDir, file), 'utf8'), file);
  } catch {
    return out;
  }
  const col = (name: string) => table.header.indexOf(name);
  const [m, e, s, t, p] = [col('model'), col('epoch'), col('seed'), col('text'), col('purpose')];
  for (const row of table.rows) {
    if (row[p] !== 'checkpoint') continue;
    const key = `${row[m]}/${row[e]}`;
    const list = out.get(key) ?? [];
    list.push({ seed: Number(row[s]), text: restoreFormula(row[t] ?? '') });
    out.set(key, list);
  }
  return out;
}

/** A finished run folder of `npm start` as a PreviousRun (null when it is not complete or unreadable). */
async function npmStartRun(dir: string): Promise<PreviousRun | null> {
  const summary = await readJson<RunSummary>(path.join(dir, 'summary.json'));
  if (!summary?.config || !summary.corpus) return null;
  const status = await readRunStatus(dir, () => false);
  if (status.state !== 'complete') return null;
  const posts = await checkpointPosts(dir, path.basename(summary.paths?.generated ?? 'generated.csv'));
  const models: Record<string, PreviousModel> = {};
  for (const m of summary.models) {
    const last = m.checkpoints[m.checkpoints.length - 1];
    if (m.interrupted || !last) continue;
    models[String(m.id)] = {
      dir: path.join(dir, last.dir),
      history: m.history,
      checkpoints: m.checkpoints.map((c) => ({ epoch: c.epoch, dir: path.join(dir, c.dir), samples: posts.get(`${m.name}/${c.epoch}`) ?? [] })),
      seconds: m.trainSeconds,
    };
  }
  const o = summary.own;
  const seeds = summary.seeds.models[OWN_MODEL_NAME];
  const own: PreviousOwn | null =
    o && !o.interrupted && o.dir && seeds
      ? { dir: path.join(dir, o.dir), history: o.history, bestEpoch: o.bestEpoch, bestDevPerplexity: o.bestDevPerplexity, seconds: o.trainSeconds, config: o.modelConfig, seeds: { model: seeds.model, train: seeds.train } }
      : null;
  const config = { source: summary.corpus.source.name, posts: summary.corpus.posts, ...summary.config };
  return { kind: 'npm start', dir, finishedAt: summary.finishedAt, config, models, own };
}

/** The complete run folders of `npm start` under `runsDir`, newest first. */
export async function npmStartRuns(runsDir: string): Promise<PreviousRun[]> {
  const names = await fsp.readdir(runsDir).catch(() => [] as string[]);
  const runs: PreviousRun[] = [];
  for (const name of names) {
    const run = await npmStartRun(path.join(runsDir, name));
    if (run) runs.push(run);
  }
  return runs.sort((a, b) => b.finishedAt.localeCompare(a.finishedAt));
}

/** The notebook's record in `outDir` (paths made absolute), or null. */
export async function notebookRun(outDir: string): Promise<PreviousRun | null> {
  const record = await readJson<PreviousRun>(path.join(outDir, LAB_RUN_FILE));
  if (!record?.config) return null;
  const abs = (p: string) => path.resolve(outDir, p);
  const models: Record<string, PreviousModel> = {};
  for (const [n, m] of Object.entries(record.models ?? {})) models[n] = { ...m, dir: abs(m.dir), checkpoints: m.checkpoints.map((c) => ({ ...c, dir: abs(c.dir) })) };
  return { ...record, kind: 'notebook', dir: outDir, models, own: record.own ? { ...record.own, dir: abs(record.own.dir) } : null };
}

/**
 * Records in `<outDir>/lab-run.json` one model the notebook finished training (`entry` null: forgets it, before
 * its folders are rewritten). A record of another config is replaced. Written atomically.
 */
export async function recordNotebookModel(outDir: string, config: ComparableConfig, which: string, entry: PreviousModel | PreviousOwn | null): Promise<void> {
  const file = path.join(outDir, LAB_RUN_FILE);
  const old = await readJson<PreviousRun>(file);
  const same = old !== null && configDifference(config, old.config) === null;
  const record: PreviousRun = same ? old : { kind: 'notebook', dir: '.', finishedAt: '', config, models: {}, own: null };
  if (entry === null && !same) return;
  const rel = (p: string) => path.relative(outDir, p).split(path.sep).join('/');
  if (which === 'own') {
    record.own = entry === null ? null : { ...(entry as PreviousOwn), dir: rel(entry.dir) };
  } else if (entry === null) {
    delete record.models[which];
  } else {
    const m = entry as PreviousModel;
    record.models[which] = { ...m, dir: rel(m.dir), checkpoints: m.checkpoints.map((c) => ({ ...c, dir: rel(c.dir) })) };
  }
  record.finishedAt = new Date().toISOString();
  await writeJsonAtomic(file, record);
}
