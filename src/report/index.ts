/** The run report: report.html, summary.json and generated.csv of one `tweetlab run`. */
export type {
  RunSummary,
  RunSeeds,
  CorpusSummary,
  WindowCounts,
  DatasetSummary,
  CheckpointSummary,
  ModelRunSummary,
  GeneratedPostRow,
  ReportFigure,
  ReportExtras,
} from './types.js';
export {
  writeRunReport,
  renderRunReport,
  formatGeneratedCsv,
  REPORT_FILE,
  SUMMARY_FILE,
  GENERATED_FILE,
  type WrittenReport,
} from './report.js';
export { perplexityFigure, verdict } from './evaluation-section.js';
export { runMainJob, makeRunId, DEFAULT_RUN_SEED, type RunJobOptions, type RunJobHooks, type RunJobResult } from './job.js';

export {
  runCorporaJob,
  corporaMarkdown,
  skipReason,
  DEFAULT_CORPORA,
  DEFAULT_MAX_POSTS,
  RUSSIAN_FORTUNES,
  type CorporaJobOptions,
  type CorporaJobHooks,
  type CorporaFiles,
} from './corpora.js';
