/** The run report: report.html, summary.json and generated.csv of one `tweetlab run`. */
export type {
  RunSummary,
  RunSeeds,
  CorpusSummary,
  WindowCounts,
  DatasetSummary,
  EpochRecord,
  CheckpointSummary,
  ModelRunSummary,
  GeneratedPost,
} from './types.js';
export {
  writeRunReport,
  renderRunReport,
  formatGeneratedCsv,
  lossCurvesFigure,
  perplexityFigure,
  REPORT_FILE,
  SUMMARY_FILE,
  GENERATED_FILE,
  type ReportFigure,
  type ReportExtras,
  type WrittenReport,
} from './report.js';
