import type { EvaluationTable } from '../evaluate/evaluate.js';
import type { Describe, SourceInfo } from '../types.js';
import type { PipelineConfig } from '../pipeline/config.js';
import type { QualityTable } from '../pipeline/quality.js';
import type { GeneratedPostRow, ModelRunSummary, OwnModelSummary } from '../pipeline/types.js';
import type { AblationResult } from '../pipeline/ablation-types.js';
import type { Figure } from '../viz/types.js';

export type { CheckpointSummary, GeneratedPostRow, ModelRunSummary, OwnModelSummary } from '../pipeline/types.js';

/**
 * Everything `summary.json` of a run holds: what was run (configs, seeds, backend, versions), on what
 * (corpus and dataset counts), what came out (history, metrics, paths) and how long it took.
 */
export interface RunSummary {
  /** `<UTC timestamp>-<short config hash>`, also the folder name under out/. */
  runId: string;
  /** ISO time the run started. */
  startedAt: string;
  /** ISO time the run finished. */
  finishedAt: string;
  /** quick | default | report (after flag overrides). */
  preset: string;
  /** Backend tfjs ran on ("tensorflow", "wasm", "cpu") and the engine name of the models. */
  backend: string;
  engine: string;
  /** Why this backend: "requested", "tfjs-node loaded", or the measured comparison of the candidates. */
  backendReason: string;
  versions: { node: string; tfjs: string; tweetlab: string };
  /** The run's base seed and the seeds derived from it. */
  seeds: RunSeeds;
  /** The pipeline config the run used (every field, defaults filled in). */
  config: Pick<PipelineConfig, 'experiment' | 'own' | 'generation' | 'evaluationPosts'>;
  corpus: CorpusSummary;
  statistics: {
    chars: Describe;
    words: Describe;
    /** Share of raw posts with fewer than seqLength + 1 words (they give no variant-1 window). */
    shareShorterThanWindow: number;
  };
  datasets: DatasetSummary;
  models: ModelRunSummary[];
  /** tweetlab's own model; null when it was not trained. */
  own: OwnModelSummary | null;
  /** Models not trained because the run was interrupted (Ctrl-C) before their turn. */
  skippedModels: string[];
  /** Models whose training finished (issue 15; status.json of the run folder says the same). */
  finishedModels?: string[];
  evaluation: EvaluationTable;
  /** Both evaluations (windows, whole posts) and the generation figures of every model, the mixture and the 3-gram. */
  quality: QualityTable;
  /** Which held-out windows the evaluation table scores, in words. */
  evaluationSet: string;
  /** Seconds per stage (statistics, cleaning, tokens, datasets, model-1 … model-4, evaluation, report). */
  timings: Record<string, number>;
  totalSeconds: number;
  /** Paths relative to the run folder (and the run folder itself as given). */
  /** `page`: the browser page of the best model (relative), when one was written. */
  paths: { outDir: string; report: string; summary: string; generated: string; models: string; page?: string };
}

export interface RunSeeds {
  base: number;
  split: number;
  /** Split of the training posts into tweetlab's model's training and development posts. */
  development: number;
  baselineGeneration: number;
  /** Per model: initialiser/dropout seed, training (shuffle) seed, generation seed. */
  models: Record<string, { model: number; train: number; generation: number }>;
}

export interface CorpusSummary {
  source: SourceInfo;
  /** Raw posts read. */
  posts: number;
  /** Posts left after cleaning, and those dropped as empty. */
  cleanedPosts: number;
  droppedPosts: number;
  /** How many posts each cleaning rule changed. */
  cleaningRuleCounts: Record<string, number>;
  trainPosts: number;
  validationPosts: number;
  /** Posts drawn for validation that went to training because a training post has the same words (absent in older runs). */
  repeatsMoved?: number;
  /** Words of the cleaned corpus (whitespace tokens) and distinct words. */
  words: number;
  uniqueWords: number;
  /** Vocabulary size the models use, special ids included. */
  vocabSize: number;
}

export interface WindowCounts {
  windows: number;
  /** Posts too short to give a window (variant 1 only). */
  excludedPosts: number;
}

export interface DatasetSummary {
  seqLength: number;
  variant1: { train: WindowCounts; validation: WindowCounts };
  variant2: { train: WindowCounts; validation: WindowCounts };
}

/** A chart the caller built (e.g. the words-per-post histogram), shown in the statistics section. */
export interface ReportFigure {
  figure: Figure;
  caption?: string;
}

/** What the report shows beside the summary: the posts themselves and the caller's charts. */
export interface ReportExtras {
  /** Every generated post (also written to generated.csv). */
  generated: readonly GeneratedPostRow[];
  /** Charts of the statistics section (histograms of words and characters per post). */
  figures?: readonly ReportFigure[];
  /** A few raw posts beside their cleaned text, to show what cleaning did (with the rule they illustrate). */
  cleaningExamples?: readonly { rule?: string; before: string; after: string }[];
  /** The ablation measured by `tweetlab ablation` for this corpus, if any. */
  ablation?: AblationResult;
}
