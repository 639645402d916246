/**
 * Charts and tables: figure specs (figures.ts), one HTML renderer (html.ts) and its two sinks — notebook
 * outputs under tslab (notebook.ts) and the standalone report page (renderHtmlPage).
 */
export type { Figure } from './types.js';
export {
  SERIES_COLOURS,
  histogramFigure,
  lineChartFigure,
  lossCurvesFigure,
  barChartFigure,
  formatNumber,
  type ChartOptions,
  type HistogramOptions,
  type LineSeries,
  type LossHistory,
  type BarSeries,
} from './figures.js';
export {
  escapeHtml,
  jsonForScript,
  sanitizeFigure,
  renderFigureHtml,
  plotlyBundlePath,
  plotlyBundleScript,
  plotlyLoaderScript,
  htmlTable,
  describeTableHtml,
  renderHtmlPage,
  DESCRIBE_ROW_LABELS,
  TABLE_CSS,
  type FigureHtmlOptions,
  type TableRow,
  type TableOptions,
  type DescribeTableOptions,
  type PageBlock,
  type PageSection,
  type HtmlPageOptions,
} from './html.js';
export { formatDecimal } from './tables.js';
export { plotlyVersion } from './page-setup.js';
export { LiveLossChart, type LiveLossChartOptions, type LossPoint } from './live-loss.js';
export {
  NotebookDisplay,
  ProgressDisplay,
  notebook,
  inNotebook,
  defaultSink,
  display,
  displayTable,
  displayFrame,
  displayDescribe,
  displayKeyValues,
  displayHtml,
  createProgress,
  createLiveFigure,
  LiveFigure,
  setupPage,
  formatProgress,
  formatDuration,
  type DisplaySink,
  type MimeBundle,
  type ProgressStatus,
} from './notebook.js';
