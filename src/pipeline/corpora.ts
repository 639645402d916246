/**
 * Issue 11's "no tuning to one corpus": tweetlab's own model, at the settings it ships with, against the
 * Kneser–Ney 3-gram on other corpora (other presidents, another language). A thin caller of the pipeline: each
 * corpus goes through preparePipeline/runPipeline with none of the report's models, and one row of figures is
 * taken from the run's quality table.
 */
import * as os from 'node:os';
import { TweetlabError } from '../errors.js';
import { Random, deriveSeed } from '../random.js';
import type { ScoreGap } from '../evaluate/gap.js';
import type { Corpus } from '../types.js';
import type { OwnModelConfig, PipelineConfig } from './config.js';
import { OWN_MODEL_NAME } from './own.js';
import type { PreparedRun } from './prepare.js';
import type { QualityRow } from './quality.js';
import { preparePipeline, runPipeline, type PipelineHooks } from './run.js';
import type { RunBackend } from './train.js';

/** Perplexities of one model under both evaluations, each with its ratio to the 3-gram's. */
export interface ComparedModel {
  postPerplexity: number;
  postRatio: number;
  windowedPerplexity: number;
  windowedRatio: number;
}

/** One corpus of the comparison. */
export interface CorpusRow {
  /** The spec it was loaded from ("sotu:Harry S Truman", "fortune:/usr/share/games/fortunes/ru"). */
  spec: string;
  /** The corpus's own name (its source name). */
  corpus: string;
  /** Posts used (after the cap) and posts the corpus had. */
  posts: number;
  availablePosts: number;
  trainPosts: number;
  heldOutPosts: number;
  /** Posts drawn for the held-out set that went to training as repeats of a training post. */
  repeatsMoved: number;
  /** Word tokens after cleaning, and the vocabulary size in ids (`<unk>` and `<eos>` included). */
  words: number;
  vocabulary: number;
  /** Share of `<unk>` among the whole-post targets of the held-out posts. */
  unknownShare: number;
  /** Word targets scored: whole held-out posts (each `<eos>` included) and the report's windows (posts > 10 words only). */
  targets: { posts: number; windows: number };
  /** The Kneser–Ney 3-gram: whole posts and the report's windows. */
  kn3: { postPerplexity: number; windowedPerplexity: number };
  lstm: ComparedModel;
  /** Where the LSTM wins and loses against the 3-gram on whole posts, by target and by the word before it. */
  gap: ScoreGap | null;
  /** tweetlab LSTM + 3-gram, with the LSTM's weight; null when the mixture is off. */
  mixture: (ComparedModel & { lambda: number | null }) | null;
  bestEpoch: number;
  epochs: number;
  trainSeconds: number;
  /** Seconds of the whole corpus: preparation, training, evaluation. */
  seconds: number;
  seeds: { base: number; split: number; development: number; model: number; train: number; sample: number | null };
  engine: string;
}

/** A corpus whose rows could not be measured (missing file, too small …), with why. */
export interface SkippedCorpus {
  spec: string;
  reason: string;
}

/** The whole table, as written to out/corpora/corpora.json. */
export interface CorporaResult {
  command: string;
  date: string;
  engine: string;
  backend: string;
  preset: string;
  seed: number;
  /** Corpora with more posts were cut to a seeded sample of this many (0 = never). */
  maxPosts: number;
  /** os.loadavg() (1, 5, 15 minutes) when the measurement started and ended: the machine is shared. */
  load: { start: number[]; end: number[] };
  cpus: number;
  node: string;
  /** tweetlab's own model's settings, the same for every corpus. */
  own: OwnModelConfig;
  rows: CorpusRow[];
  skipped: SkippedCorpus[];
}

/**
 * At most `max` posts of `corpus`: all of them when it has no more (or max is 0), else a sample drawn with
 * `seed`, in the corpus's order. A fixed cap for every corpus, not a setting tuned on any.
 */
export function capPosts(corpus: Corpus, max: number, seed: number): Corpus {
  if (max <= 0 || corpus.posts.length <= max) return corpus;
  const picked = new Random(seed).shuffle(corpus.posts.map((_, i) => i)).slice(0, max).sort((a, b) => a - b);
  return { ...corpus, posts: picked.map((i) => corpus.posts[i] as Corpus['posts'][number]) };
}

/**
 * A corpus as `tweetlab corpora` measures it: cut to a seeded sample of at most `maxPosts` posts (the seed derived
 * from the run's), then prepared as the main job prepares it. `sampleSeed` is null when nothing was cut.
 */
export function prepareCappedCorpus(corpus: Corpus, cfg: PipelineConfig, maxPosts: number): { corpus: Corpus; prepared: PreparedRun; sampleSeed: number | null } {
  const sampleSeed = deriveSeed(cfg.experiment.seed, 'corpus-sample');
  const capped = capPosts(corpus, maxPosts, sampleSeed);
  return { corpus: capped, prepared: preparePipeline(capped, cfg), sampleSeed: capped === corpus ? null : sampleSeed };
}

const compared = (r: QualityRow): ComparedModel => ({
  postPerplexity: r.postPerplexity, postRatio: r.postRatio, windowedPerplexity: r.windowedPerplexity, windowedRatio: r.windowedRatio,
});

export interface CompareCorpusInput {
  spec: string;
  corpus: Corpus;
  /** A config with no report models (`models: []`) and tweetlab's model on. */
  cfg: PipelineConfig;
  backend: RunBackend;
  /** Folder this corpus's model is saved under (`<runDir>/models/tweetlab`). */
  runDir: string;
  maxPosts: number;
  hooks?: PipelineHooks;
}

/** Runs the pipeline on one corpus and takes its row from the quality table. */
export async function compareOnCorpus(input: CompareCorpusInput): Promise<CorpusRow> {
  const started = performance.now();
  const { cfg, backend } = input;
  const seed = cfg.experiment.seed;
  const { corpus, prepared, sampleSeed } = prepareCappedCorpus(input.corpus, cfg, input.maxPosts);
  const result = await runPipeline(prepared, cfg, backend, input.runDir, input.hooks ?? {});
  if (result.own === null) throw new TweetlabError(`${input.spec}: ${OWN_MODEL_NAME} was not trained`);
  const q = result.quality;
  const row = (kind: QualityRow['kind']) => q.rows.find((r) => r.kind === kind);
  const kn = row('baseline') as QualityRow;
  const lstm = row('tweetlab') as QualityRow;
  const mix = row('mixture');
  const ownSeeds = result.seeds.models[OWN_MODEL_NAME] ?? { model: Number.NaN, train: Number.NaN };
  return {
    spec: input.spec, corpus: corpus.source.name, posts: corpus.posts.length, availablePosts: input.corpus.posts.length,
    trainPosts: prepared.trainPosts.length, heldOutPosts: prepared.validationPosts.length, repeatsMoved: prepared.repeatsMoved,
    words: prepared.totals.words, vocabulary: prepared.vocab.words.length, unknownShare: q.unknownShare,
    targets: { posts: q.postTargets, windows: q.windowedTargets },
    kn3: { postPerplexity: kn.postPerplexity, windowedPerplexity: kn.windowedPerplexity },
    lstm: compared(lstm),
    gap: q.gap ? { byTarget: q.gap.byTarget, byContext: q.gap.byContext } : null,
    mixture: mix ? { ...compared(mix), lambda: mix.lambda ?? null } : null,
    bestEpoch: result.own.bestEpoch, epochs: result.own.history.length, trainSeconds: result.own.seconds,
    seconds: (performance.now() - started) / 1000,
    seeds: {
      base: seed, split: result.seeds.split, development: result.seeds.development, model: ownSeeds.model, train: ownSeeds.train,
      sample: sampleSeed,
    },
    engine: backend.engine,
  };
}

/** The machine's state for the result's header. */
export function machineState(): { load: number[]; cpus: number; node: string } {
  return { load: os.loadavg().map((x) => Math.round(x * 100) / 100), cpus: os.cpus().length, node: process.version };
}
