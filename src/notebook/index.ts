/**
 * What the notebooks need beyond the pipeline itself: their shared config (config.json), one value naming the
 * source of posts, the cells of notebook 03 as calls that follow the config (and can load earlier runs'
 * models), and the versions printed in each notebook's first cell.
 */
export { loadSourceCorpus, sourceCachePath, type SourceSpec, type LoadSourceOptions, type LoadedSource } from './source.js';
export { presetFromEnv, environmentInfo, type EnvironmentInfo } from './environment.js';
export { trainInNotebook, trainOwnInNotebook, CHECKPOINT_POSTS_FILE, type NotebookTrainOptions, type TrainMode } from './train.js';
export { labConfig, labConfigRows, checkLabSettings, LAB_CONFIG_FILE, type LabConfig, type LabSettings } from './lab-config.js';
export {
  labData,
  labPlans,
  labEngine,
  trainLabModel,
  trainLabOwn,
  reusePlan,
  evaluateLab,
  showLabConfig,
  type LabData,
  type LabRun,
  type LabTrainOptions,
} from './lab.js';
export { comparableConfig, configDifference, npmStartRuns, notebookRun, recordNotebookModel, LAB_RUN_FILE, type ComparableConfig, type PreviousRun } from './reuse.js';
export { choosePrevious, loadPreviousModel, loadPreviousOwn, type ReuseChoice } from './reuse-load.js';
export {
  prepareNotebookData,
  trainingCurvesFigure,
  checkpointPostRows,
  generatedPostRows,
  evaluateInNotebook,
  perplexityComparisonFigure,
  evaluationRows,
  qualityTableRows,
  qualityFigure,
  type OwnRun,
  type NotebookEvaluation,
  type NotebookData,
  type NotebookDataConfig,
  type NotebookEvaluationOptions,
  type NamedHistory,
} from './experiment.js';
export {
  StopSignal,
  beginTraining,
  endTraining,
  runStoppable,
  runningTrainings,
  stopTraining,
  withInterruptAsStop,
} from './stop.js';
