/**
 * What the notebooks need beyond the pipeline itself: one value naming the source of posts, the preset from
 * the environment, and the versions printed in each notebook's first cell.
 */
export { loadSourceCorpus, sourceCachePath, type SourceSpec, type LoadSourceOptions, type LoadedSource } from './source.js';
export { presetFromEnv, environmentInfo, type EnvironmentInfo } from './environment.js';
export {
  prepareNotebookData,
  trainInNotebook,
  trainingCurvesFigure,
  checkpointPostRows,
  evaluateInNotebook,
  perplexityComparisonFigure,
  evaluationRows,
  trainOwnInNotebook,
  qualityTableRows,
  qualityFigure,
  type OwnRun,
  type NotebookEvaluation,
  type NotebookData,
  type NotebookDataConfig,
  type NotebookTrainOptions,
  type NotebookEvaluationOptions,
  type NamedHistory,
  type TrainMode,
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
