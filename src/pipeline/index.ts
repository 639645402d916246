export {
  OWN_MODEL_DEFAULTS,
  OWN_MODEL_QUICK,
  OWN_GENERATION_DEFAULTS,
  EVALUATION_POSTS,
  RUN_PRESET_NAMES,
  DEFAULT_RUN_SEED,
  resolvePipelineConfig,
  type OwnModelConfig,
  type OwnGenerationConfig,
  type PipelineConfig,
  type PipelineOverrides,
} from './config.js';
export { prepareRun, corpusStatistics, cleaningExamples, type PreparedRun, type DataConfig, type CorpusStatistics } from './prepare.js';
export { trainOwnStage, ownModelConfig, OWN_MODEL_NAME, OWN_MODEL_DIR, type TrainedOwn } from './own.js';
export { startModelBackend, trainRunModel, type RunBackend, type TrainProgressHooks } from './train.js';
export { evaluateQuality, fitMixture, type QualityRow, type QualityTable, type ScoredModel } from './quality.js';
export { generateOwnPosts, mixtureOf } from './generate.js';
export { preparePipeline, runPipeline, evaluateStage, ownStage, scoreOwnStage, type OwnStageResult, type PipelineHooks, type PipelineResult } from './run.js';
export { capPosts, compareOnCorpus, type CorporaResult, type CorpusRow, type ComparedModel, type SkippedCorpus, type CompareCorpusInput } from './corpora.js';
export type { ModelRunSummary, OwnModelSummary, GeneratedPostRow, CheckpointSummary, PlannedTraining } from './types.js';
