import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { charsPerPostFigure, wordsPerPostFigure } from '../analysis/figures.js';
import { loadCorpus } from '../sources/index.js';
import { resolvePipelineConfig, type PipelineOverrides } from '../pipeline/config.js';
import { preparePipeline, runPipeline, type PipelineHooks, type PipelineResult } from '../pipeline/run.js';
import { OWN_MODEL_NAME } from '../pipeline/own.js';
import { readAblation } from './ablation-file.js';
import { writeRunPage } from './run-page.js';
import { startModelBackend, type RunBackend } from '../pipeline/train.js';
import type { PipelineConfig } from '../pipeline/config.js';
import type { Corpus, WindowSet } from '../types.js';
import { writeRunReport, GENERATED_FILE, REPORT_FILE, SUMMARY_FILE, type WrittenReport } from './report.js';
import type { RunSummary, WindowCounts } from './types.js';
import { RunFolder } from './run-folder.js';

export { DEFAULT_RUN_SEED } from '../pipeline/config.js';

/** Options of the main job: the pipeline's overrides plus where the posts come from and where the run goes. */
export interface RunJobOptions extends PipelineOverrides {
  /** Posts file or archive (any input of loadCorpus). Default: the State of the Union corpus. */
  input?: string;
  /** President of the default corpus. Default: "Barack Obama". */
  president?: string;
  /** Text column of a CSV / key of a JSONL input. Default "text". */
  textColumn?: string;
  /** tfjs backend or engine name ("auto", "wasm", "cpu", "tensorflow", …). Default "auto". */
  backend?: string;
  /** Folder the run folder is created in. Default "out". */
  outRoot?: string;
  /** An ablation file of `tweetlab ablation` to show in the report. Default: none. */
  ablation?: string;
}

/** Where the job's progress goes (the CLI prints it; a notebook can show it). */
export interface RunJobHooks extends PipelineHooks {
  /** Called once the backend is chosen (the CLI prints it before anything slow happens). */
  onBackend?: (backend: string, engine: string, reason: string) => void;
}

export interface RunJobResult {
  summary: RunSummary;
  runDir: string;
  files: WrittenReport;
}

/** `<UTC timestamp>-<first 8 hex of sha256(config)>`, e.g. 20261122T181500Z-3fa2b1c0. */
export function makeRunId(config: unknown, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const hash = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 8);
  return `${stamp}-${hash}`;
}

function versions(): RunSummary['versions'] {
  const read = (spec: string): string => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return String((require(spec) as { version?: string }).version ?? 'unknown');
    } catch {
      return 'unknown';
    }
  };
  return { node: process.version, tfjs: read('@tensorflow/tfjs/package.json'), tweetlab: read('../../package.json') };
}

const counts = (w: WindowSet): WindowCounts => ({ windows: w.count, excludedPosts: w.excludedPosts });

/**
 * The main job (`tweetlab run`, `npm start`): the pipeline (src/pipeline/run.ts) on one corpus, then
 * `<outRoot>/<run-id>/` with report.html, summary.json, generated.csv and the model folders.
 */
export async function runMainJob(opts: RunJobOptions = {}, hooks: RunJobHooks = {}): Promise<RunJobResult> {
  const started = new Date();
  const t0 = performance.now();
  const cfg = resolvePipelineConfig(opts);
  const corpus = await loadCorpus({ input: opts.input, president: opts.president, textColumn: opts.textColumn });
  // The backend is chosen (and printed) right after the input is known to be readable, before anything slow.
  const backend = await startModelBackend(opts.backend);
  hooks.onBackend?.(backend.backend, backend.engine, backend.reason);
  hooks.log?.(`corpus: ${corpus.posts.length} posts from ${corpus.source.name}`);
  const preparing = performance.now();
  const prepared = preparePipeline(corpus, cfg);
  const prepareSeconds = (performance.now() - preparing) / 1000;
  // A run folder of its own (exclusive mkdir, so ids never collide), locked, with status.json running →
  // complete / incomplete / failed (run-folder.ts). Opened only once the input is readable: bad input leaves none.
  const planned = [...cfg.experiment.models.map((n) => `Model ${n}`), ...(cfg.own.enabled ? [OWN_MODEL_NAME] : [])];
  const folder = await RunFolder.open(opts.outRoot ?? 'out', makeRunId({ source: corpus.source.name, posts: corpus.posts.length, cfg, engine: backend.engine }, started), planned);
  try {
    const onModelFinished = async (name: string) => {
      await folder.modelFinished(name);
      await hooks.onModelFinished?.(name);
    };
    const result = await runPipeline(prepared, cfg, backend, folder.dir, { ...hooks, onModelFinished });
    const summary = runSummary({ runId: folder.runId, runDir: folder.dir, started, corpus, cfg, backend, result });
    summary.finishedModels = [...folder.finishedModels];
    summary.timings = { prepare: prepareSeconds, ...summary.timings };
    const figures = [
      { figure: wordsPerPostFigure(result.prepared.statistics.rawWords), caption: 'Words per post (raw text, whitespace tokens)' },
      { figure: charsPerPostFigure(result.prepared.statistics.rawChars), caption: 'Characters per post (raw text, Unicode code points)' },
    ];
    // The finish time and total are taken just before writing (the writing itself is not timed).
    summary.finishedAt = new Date().toISOString();
    summary.totalSeconds = (performance.now() - t0) / 1000;
    const page = await writeRunPage(folder.dir, summary, result);
    if (page) summary.paths.page = page;
    const ablation = await readAblation(opts.ablation);
    const files = await writeRunReport(folder.dir, summary, { generated: result.generated, figures, cleaningExamples: result.prepared.cleaningExamples, ...(ablation ? { ablation } : {}) });
    await folder.complete();
    return { summary, runDir: folder.dir, files };
  } catch (err) {
    await folder.fail(err);
    throw err;
  }
}

interface SummaryInput {
  runId: string;
  runDir: string;
  started: Date;
  corpus: Corpus;
  cfg: PipelineConfig;
  backend: RunBackend;
  result: PipelineResult;
}

/** summary.json of a run (finish time and total are filled in by the caller). */
function runSummary({ runId, runDir, started, corpus, cfg, backend, result }: SummaryInput): RunSummary {
  const p = result.prepared;
  const { heldOut, windows } = p;
  const T = cfg.experiment.seqLength;
  const evaluationSet =
    heldOut.count === 0
      ? 'There are no held-out windows (too few or too short held-out posts), so perplexity is not defined.'
      : heldOut.variant === 1
        ? `Perplexity is measured on the ${heldOut.count} windows of ${T} words inside the ${p.validationPosts.length} held-out posts (training-set variant 1 layout) for all models alike.`
        : `No held-out post is longer than ${T} words, so perplexity is measured on the ${heldOut.count} windows of the joined held-out posts.`;
  return {
    runId, startedAt: started.toISOString(), finishedAt: '', preset: cfg.preset,
    backend: backend.backend, engine: backend.engine, backendReason: backend.reason, versions: versions(),
    seeds: result.seeds,
    config: { experiment: cfg.experiment, own: cfg.own, generation: cfg.generation, evaluationPosts: cfg.evaluationPosts },
    corpus: {
      source: corpus.source, posts: corpus.posts.length, cleanedPosts: p.cleaned.posts.length, droppedPosts: p.cleaned.dropped.length,
      cleaningRuleCounts: p.cleaned.perRuleCounts, trainPosts: p.trainPosts.length, validationPosts: p.validationPosts.length, repeatsMoved: p.repeatsMoved,
      words: p.totals.words, uniqueWords: p.totals.uniqueWords, vocabSize: p.vocab.words.length,
    },
    statistics: { chars: p.statistics.chars, words: p.statistics.words, shareShorterThanWindow: p.statistics.shareShorterThanWindow },
    datasets: {
      seqLength: T,
      variant1: { train: counts(windows[1].train), validation: counts(windows[1].validation) },
      variant2: { train: counts(windows[2].train), validation: counts(windows[2].validation) },
    },
    models: result.models,
    own: result.own === null ? null : {
      name: result.own.config.variant === 3 ? 'tweetlab LSTM' : 'tweetlab',
      modelConfig: result.own.config, history: result.own.history, bestEpoch: result.own.bestEpoch,
      bestDevPerplexity: result.own.bestDevPerplexity, trainSeconds: result.own.seconds, lambda: result.own.lambdaPosts,
      lengthCalibration: result.own.lengthCalibration,
      dir: result.own.dir === null ? '' : path.relative(runDir, result.own.dir).split(path.sep).join('/'),
      ...(result.own.stopped ? { interrupted: true } : {}),
    },
    skippedModels: result.skippedModels,
    evaluation: result.evaluation,
    quality: result.quality,
    evaluationSet,
    timings: result.timings,
    totalSeconds: 0,
    paths: { outDir: runDir, report: REPORT_FILE, summary: SUMMARY_FILE, generated: GENERATED_FILE, models: 'models' },
  };
}
