import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { charsPerPostFigure, wordsPerPostFigure } from '../analysis/figures.js';
import { describe } from '../analysis/describe.js';
import { charsPerPost, shareShorterThan, wordsPerPost } from '../analysis/lengths.js';
import { prepareDatasets } from '../dataset/prepare.js';
import { TweetlabError } from '../errors.js';
import { BASELINE_NAME, evaluateWithBaseline } from '../evaluate/evaluate.js';
import { deriveSeed } from '../random.js';
import { loadCorpus } from '../sources/index.js';
import { activeRules, cleanPosts } from '../text/clean.js';
import { tokenizeWords, wordTotals } from '../text/tokenize.js';
import type { LanguageModel } from '../model/types.js';
import type { Post, WindowSet } from '../types.js';
import { writeRunReport, GENERATED_FILE, REPORT_FILE, SUMMARY_FILE, type WrittenReport } from './report.js';
import type { DatasetSummary, GeneratedPostRow, ModelRunSummary, RunSummary, WindowCounts } from './types.js';
import { modelSpec, requireVocabularyWords } from '../model/experiment.js';
import { planModels, resolveRunPlan, startModelBackend, trainRunModel, type TrainProgressHooks } from './models.js';
import { RunFolder } from './run-folder.js';

/** Options of the main job; every field has a default, flags and notebook cells override them. */
export interface RunJobOptions {
  /** Posts file or archive (any input of loadCorpus). Default: the State of the Union corpus. */
  input?: string;
  /** President of the default corpus. Default: "Barack Obama". */
  president?: string;
  /** Text column of a CSV / key of a JSONL input. Default "text". */
  textColumn?: string;
  /** Preset name: quick | default | report. Default "default". */
  preset?: string;
  /** Overrides of the preset. */
  epochs?: number;
  seqLength?: number;
  /** tfjs backend or engine name ("auto", "wasm", "cpu", "tensorflow", …). Default "auto". */
  backend?: string;
  /** Base seed; every other seed derives from it. Default 42. */
  seed?: number;
  /** Folder the run folder is created in. Default "out". */
  outRoot?: string;
  /** Which of the four models to train (1 … 4). Default all. */
  models?: number[];
}

/** Where the job's progress goes (the CLI prints it; a notebook can show it). */
export interface RunJobHooks extends TrainProgressHooks {
  /** One line per stage. */
  log?: (line: string) => void;
  /** Called once the backend is chosen (the CLI prints it before anything slow happens). */
  onBackend?: (backend: string, engine: string, reason: string) => void;
}

export interface RunJobResult {
  summary: RunSummary;
  runDir: string;
  files: WrittenReport;
}

export const DEFAULT_RUN_SEED = 42;

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
 * The main job (`tweetlab run`, `npm start`): statistics → cleaning → tokens → both training sets (validation
 * split by post before windowing) → the four models with checkpoints and generated posts → evaluation against
 * a Kneser–Ney baseline → `<outRoot>/<run-id>/` with report.html, summary.json, generated.csv and the models.
 */
export async function runMainJob(opts: RunJobOptions = {}, hooks: RunJobHooks = {}): Promise<RunJobResult> {
  const log = hooks.log ?? (() => undefined);
  const started = new Date();
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    timings[stage] = (now - mark) / 1000;
    mark = now;
  };

  const baseSeed = opts.seed ?? DEFAULT_RUN_SEED;
  const plan = resolveRunPlan({
    preset: opts.preset ?? 'default',
    epochs: opts.epochs,
    seqLength: opts.seqLength,
    seed: baseSeed,
    models: opts.models,
  });
  const experiment = plan.experiment;
  const seqLength = experiment.seqLength;

  // Statistics on the raw posts (as the report does, before cleaning).
  const corpus = await loadCorpus({ input: opts.input, president: opts.president, textColumn: opts.textColumn });
  if (corpus.posts.length === 0) throw new TweetlabError(`${corpus.source.name}: the corpus has no posts`);
  // The backend is chosen (and printed) right after the input is known to be readable, before anything slow.
  const backend = await startModelBackend(opts.backend);
  hooks.onBackend?.(backend.backend, backend.engine, backend.reason);
  const rawChars = charsPerPost(corpus.posts);
  const rawWords = wordsPerPost(corpus.posts);
  const statistics = {
    chars: describe(rawChars),
    words: describe(rawWords),
    shareShorterThanWindow: shareShorterThan(rawWords, seqLength),
  };
  log(`corpus: ${corpus.posts.length} posts from ${corpus.source.name}`);
  lap('corpus, backend and statistics');

  // Cleaning.
  const cleaned = cleanPosts(corpus.posts);
  if (cleaned.posts.length === 0) {
    throw new TweetlabError(`${corpus.source.name}: every post is empty after cleaning, nothing to train on`);
  }
  // One example per cleaning rule: the first post that rule changes on its own, shown raw and fully cleaned.
  // cleanPosts keeps the order and returns dropped posts as the original objects, so raw and cleaned posts
  // pair up by walking both lists (ids need not be unique in a user's file).
  const cleanedText = new Map<Post, string>();
  const droppedPosts = new Set<Post>(cleaned.dropped);
  let k = 0;
  for (const raw of corpus.posts) if (!droppedPosts.has(raw)) cleanedText.set(raw, cleaned.posts[k++]?.text ?? '');
  const cleaningExamples: { rule: string; before: string; after: string }[] = [];
  for (const rule of activeRules()) {
    const raw = corpus.posts.find((p) => rule.apply(p.text) !== p.text);
    if (raw) cleaningExamples.push({ rule: rule.name, before: raw.text, after: cleanedText.get(raw) ?? '(empty: dropped)' });
  }
  log(`cleaning: ${cleaned.posts.length} posts kept, ${cleaned.dropped.length} empty after cleaning dropped`);
  lap('cleaning');

  // Tokens, then the split by post, then the vocabulary of the training posts only (held-out words the model
  // never saw become the out-of-vocabulary id, for the LSTMs and the baseline alike).
  const runConfig = { source: corpus.source.name, posts: corpus.posts.length, preset: plan.preset, experiment, engine: backend.engine };

  const tokenized = cleaned.posts.map((p) => tokenizeWords(p.text));
  const totals = wordTotals(tokenized);
  const prepared = prepareDatasets(tokenized, {
    seqLength,
    validationShare: experiment.validationShare,
    splitSeed: deriveSeed(baseSeed, 'validation-split'),
    minCount: experiment.minCount,
    // Only the training sets of the models being trained must have windows.
    require: [...new Set(experiment.models.map((n) => modelSpec(n).dataset))],
  });
  const { vocab, windows, heldOut, splitSeed } = prepared;
  requireVocabularyWords(
    vocab.words.length,
    corpus.source.name,
    experiment.minCount,
    `minimum count ${experiment.minCount} of preset "${plan.preset}"`,
    'use a larger corpus, or --preset report (minimum count 1)',
  );
  const split = { train: prepared.trainPosts, validation: prepared.validationPosts };
  log(`tokens: ${totals.words} words, ${totals.uniqueWords} distinct; vocabulary ${vocab.words.length} ids (minCount ${experiment.minCount})`);
  lap('tokens');

  // The two training sets, and the held-out windows of each variant (built above, from the same split).
  const datasets: DatasetSummary = {
    seqLength,
    variant1: { train: counts(windows[1].train), validation: counts(windows[1].validation) },
    variant2: { train: counts(windows[2].train), validation: counts(windows[2].validation) },
  };
  log(`datasets: variant 1 ${windows[1].train.count} windows (${windows[1].train.excludedPosts} posts too short), variant 2 ${windows[2].train.count} windows`);
  lap('datasets');

  // Issue 15: a run folder of its own (exclusive mkdir, so ids never collide), locked, with status.json
  // running → complete / incomplete / failed (src/report/run-folder.ts). Opened only once the input is known
  // to be usable, so bad input leaves no folder.
  const runFolder = await RunFolder.open(opts.outRoot ?? 'out', makeRunId(runConfig, started), experiment.models.map((n) => `Model ${n}`));
  const runId = runFolder.runId;
  const runDir = runFolder.dir;
  try {
    // The four models, trained one after the other (two cores: parallel training would only compete).
    const modelPlans = planModels(plan, vocab.words.length);
    const trainWordsPerPost = prepared.wordsPerPost;
    const generated: GeneratedPostRow[] = [];
    const models: ModelRunSummary[] = [];
    const finalModels: { name: string; model: LanguageModel; posts: string[] }[] = [];
    let interrupted = false;
    const skippedModels: string[] = [];
    for (const m of modelPlans) {
      if (interrupted) {
        log(`${m.name}: skipped (interrupted)`);
        skippedModels.push(m.name);
        continue;
      }
      log(`${m.name}: dataset ${m.dataset}, variant ${m.model.variant}, ${m.train.epochs} epochs, checkpoints ${m.train.checkpoints.join(', ')}`);
      const result = await trainRunModel({
        plan: m,
        backend,
        vocab,
        train: windows[m.dataset].train,
        validation: windows[m.dataset].validation,
        runDir,
        wordsPerPost: trainWordsPerPost,
        evaluationPosts: plan.evaluationPosts,
        hooks,
      });
      generated.push(...result.generated);
      models.push(result.summary);
      if (!result.stopped) await runFolder.modelFinished(m.name); // issue 15
      finalModels.push({ name: m.name, model: result.model, posts: result.finalPosts });
      interrupted = result.stopped;
      if (result.stopped) log(`${m.name}: interrupted after epoch ${result.summary.history.length}; its last state is saved`);
      lap(`model-${m.number}`);
    }
    // Evaluation: every model and the baseline on the same held-out targets. Variant-1 windows of the held-out
    // posts (no window crosses two posts); if no held-out post is long enough, the joined windows instead.
    const evaluationSet =
      heldOut.count === 0
        ? 'There are no held-out windows (too few or too short held-out posts), so perplexity is not defined.'
        : heldOut.variant === 1
          ? `Perplexity is measured on the ${heldOut.count} windows of ${seqLength} words inside the ${split.validation.length} held-out posts (training-set variant 1 layout) for all models alike.`
          : `No held-out post is longer than ${seqLength} words, so perplexity is measured on the ${heldOut.count} windows of the joined held-out posts.`;
    const { table: evaluation, baselinePosts, baselineSeed } = await evaluateWithBaseline({
      models: finalModels.map((f) => ({ name: f.name, model: f.model, generated: f.posts })),
      prepared,
      seed: baseSeed,
      posts: plan.evaluationPosts,
    });
    for (const p of baselinePosts) generated.push({ model: BASELINE_NAME, epoch: 0, seed: p.seed, text: p.text, purpose: 'evaluation' });
    for (const f of finalModels) f.model.dispose();
    lap('evaluation');

    const summary: RunSummary = {
      runId,
      startedAt: started.toISOString(),
      finishedAt: '',
      preset: plan.preset,
      backend: backend.backend,
      engine: backend.engine,
      backendReason: backend.reason,
      versions: versions(),
      seeds: {
        base: baseSeed,
        split: splitSeed,
        baselineGeneration: baselineSeed,
        models: Object.fromEntries(
          modelPlans.map((m) => [m.name, { model: m.model.seed, train: m.train.seed, generation: m.generationSeed }]),
        ),
      },
      corpus: {
        source: corpus.source,
        posts: corpus.posts.length,
        cleanedPosts: cleaned.posts.length,
        droppedPosts: cleaned.dropped.length,
        cleaningRuleCounts: cleaned.perRuleCounts,
        trainPosts: split.train.length,
        validationPosts: split.validation.length,
        words: totals.words,
        uniqueWords: totals.uniqueWords,
        vocabSize: vocab.words.length,
      },
      statistics,
      datasets,
      models,
      skippedModels,
      finishedModels: [...runFolder.finishedModels], // issue 15
      evaluation,
      evaluationSet,
      timings,
      totalSeconds: 0,
      paths: { outDir: runDir, report: REPORT_FILE, summary: SUMMARY_FILE, generated: GENERATED_FILE, models: 'models' },
    };
    const figures = [
      { figure: wordsPerPostFigure(rawWords), caption: 'Words per post (raw text, whitespace tokens)' },
      { figure: charsPerPostFigure(rawChars), caption: 'Characters per post (raw text, Unicode code points)' },
    ];
    // The finish time and total are taken just before writing (the writing itself is not timed).
    summary.finishedAt = new Date().toISOString();
    summary.totalSeconds = (performance.now() - t0) / 1000;
    const files = await writeRunReport(runDir, summary, { generated, figures, cleaningExamples });
    await runFolder.complete();
    return { summary, runDir, files };
  } catch (err) {
    await runFolder.fail(err);
    throw err;
  }
}
