export type {
  ModelConfig,
  TrainConfig,
  EpochOptions,
  BatchInfo,
  EpochStats,
  RecurrentState,
  LanguageModel,
  Engine,
  OptimizerSettings,
  OptimizerState,
  NamedWeight,
} from './types.js';
export {
  selectBackend,
  activateBackend,
  getEngine,
  registerEngine,
  engineNames,
  normaliseEngineName,
  tryLoadTfjsNode,
  registerWasmUnsortedSegmentSum,
  ENGINE_OF_BACKEND,
  backendOfEngine,
  type BackendName,
  type BackendPreference,
  type BackendChoice,
  type EngineEntry,
} from './backend.js';
export {
  weightSpecs,
  layersTopology,
  nodeFileIO,
  writeLayersModel,
  readLayersWeights,
  checkWeights,
  type WeightSpec,
} from './format.js';
export { initialWeights, orthogonal, INITIALIZER } from './init.js';
export { TfjsLanguageModel, createTfjsEngine } from './tfjs-engine.js';
export { lstmStep } from './lstm-step.js';
export { sparseSoftmaxCrossEntropy } from './tfjs-ops.js';
export {
  saveModel,
  loadModel,
  readModelVocabulary,
  type LoadedModel,
  type LoadModelOptions,
} from './io.js';
export { readModelConfig, MODEL_FORMAT_VERSION, type EpochRecord, type ModelFileConfig, type ModelSaveInfo } from './config-file.js';
export {
  PRESETS,
  PRESET_NAMES,
  DEFAULT_EXPERIMENT,
  presetConfig,
  buildExperiment,
  validateExperiment,
  modelSpec,
  modelNumberOf,
  optimizerSettings,
  type ExperimentConfig,
  type ModelPlan,
  type ModelNumber,
  type PresetName,
} from './experiment.js';
export {
  trainModel,
  resolveResumeDir,
  sampleWindows,
  DEFAULT_TRAIN,
  type TrainOptions,
  type TrainResult,
  type TrainProgress,
  type CheckpointRecord,
} from './train.js';
export {
  createProgressPrinter,
  formatProgress,
  formatEpoch,
  formatDuration,
  type ProgressPrinter,
  type ProgressPrinterOptions,
} from './progress.js';
export { prepareTrainingData, type TrainingData, type TrainingDataOptions } from './data.js';
