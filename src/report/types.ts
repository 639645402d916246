import type { EvaluationTable } from '../evaluate/evaluate.js';
import type { EpochRecord } from '../model/io.js';
import type { ModelConfig, TrainConfig } from '../model/types.js';
import type { Describe, ModelVariant, SourceInfo } from '../types.js';

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
  corpus: CorpusSummary;
  statistics: {
    chars: Describe;
    words: Describe;
    /** Share of raw posts with fewer than seqLength + 1 words (they give no variant-1 window). */
    shareShorterThanWindow: number;
  };
  datasets: DatasetSummary;
  models: ModelRunSummary[];
  /** Models not trained because the run was interrupted (Ctrl-C) before their turn. */
  skippedModels: string[];
  evaluation: EvaluationTable;
  /** Which held-out windows the evaluation table scores, in words. */
  evaluationSet: string;
  /** Seconds per stage (statistics, cleaning, tokens, datasets, model-1 … model-4, evaluation, report). */
  timings: Record<string, number>;
  totalSeconds: number;
  /** Paths relative to the run folder (and the run folder itself as given). */
  paths: { outDir: string; report: string; summary: string; generated: string; models: string };
}

export interface RunSeeds {
  base: number;
  split: number;
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

export interface CheckpointSummary {
  epoch: number;
  /** Folder of the saved model, relative to the run folder. */
  dir: string;
  /** How many posts were generated at this checkpoint (they are in generated.csv). */
  generated: number;
}

export interface ModelRunSummary {
  /** 1 … 4 as in the report. */
  id: number;
  name: string;
  /** Training set variant (1 = split by post, 2 = posts joined) and model variant (2 = with dropout). */
  dataset: 1 | 2;
  variant: ModelVariant;
  modelConfig: ModelConfig;
  trainConfig: TrainConfig;
  history: EpochRecord[];
  checkpoints: CheckpointSummary[];
  trainSeconds: number;
  /** True when training stopped early (Ctrl-C); the last checkpoint is still usable. */
  interrupted?: boolean;
}

/** One generated post, as it goes to generated.csv. */
export interface GeneratedPostRow {
  /** "Model 1" … "Model 4" or the baseline's name. */
  model: string;
  /** Checkpoint epoch (0 for the baseline). */
  epoch: number;
  /** Seed that generated this post. */
  seed: number;
  text: string;
  /** "checkpoint": a sample shown per checkpoint; "evaluation": scored for memorisation and distinct-n. */
  purpose: 'checkpoint' | 'evaluation';
}
