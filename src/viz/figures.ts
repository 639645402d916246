import type { Figure } from './types.js';

/**
 * Figure-spec builders: plain plotly JSON, no rendering. The same spec goes to a notebook (display) and to the
 * standalone HTML report (renderHtmlPage), so every chart is described once.
 */

/** Colours of the series, in order (plotly's default palette, so charts look familiar). */
export const SERIES_COLOURS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** Options shared by every chart. */
export interface ChartOptions {
  /** Chart title shown above the plot. */
  title?: string;
  /** Label of the x axis. */
  xTitle?: string;
  /** Label of the y axis. */
  yTitle?: string;
  /** Plot height in pixels. Default 360. */
  height?: number;
}

function baseLayout(opts: ChartOptions): Record<string, unknown> {
  return {
    title: opts.title === undefined ? undefined : { text: opts.title },
    xaxis: { title: opts.xTitle === undefined ? undefined : { text: opts.xTitle }, automargin: true },
    yaxis: { title: opts.yTitle === undefined ? undefined : { text: opts.yTitle }, automargin: true },
    height: opts.height ?? 360,
    margin: { l: 60, r: 20, t: opts.title === undefined ? 20 : 50, b: 50 },
  };
}

function withoutUndefined<T>(value: T): T {
  // JSON.stringify drops undefined anyway; this keeps specs tidy for tests and JSON output.
  return JSON.parse(JSON.stringify(value)) as T;
}

export interface HistogramOptions extends ChartOptions {
  /** Name of the series (legend and hover). */
  name?: string;
  /**
   * Width of one bin in x units. Default: integer values get one bin per integer (words per post), others let
   * plotly choose.
   */
  binSize?: number;
  /** Show the y axis as a share of all values (probability) instead of counts. Default false. */
  normalise?: boolean;
}

/**
 * Histogram of raw values (e.g. words per post). Integer data gets one bar per integer so the shape of short
 * posts is not smoothed away.
 */
export function histogramFigure(values: ArrayLike<number>, opts: HistogramOptions = {}): Figure {
  const x = Array.from(values);
  const allIntegers = x.length > 0 && x.every((v) => Number.isInteger(v));
  const binSize = opts.binSize ?? (allIntegers ? 1 : undefined);
  const trace: Record<string, unknown> = {
    type: 'histogram',
    x,
    name: opts.name ?? 'values',
    marker: { color: SERIES_COLOURS[0] },
    histnorm: opts.normalise ? 'probability' : undefined,
  };
  if (binSize !== undefined) {
    const min = x.length > 0 ? Math.min(...x) : 0;
    trace.xbins = { start: (allIntegers ? min - 0.5 : min), size: binSize };
    trace.autobinx = false;
  }
  const layout = baseLayout({ yTitle: opts.normalise ? 'share of posts' : 'count', ...opts });
  layout.bargap = 0.05;
  return withoutUndefined({ data: [trace], layout, config: { responsive: true, displaylogo: false } });
}

/** One line of a line chart. */
export interface LineSeries {
  name: string;
  /** x values; default 1, 2, 3, … (epochs). */
  x?: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Dashed line (e.g. validation loss beside training loss). */
  dashed?: boolean;
  /** Colour; default the palette colour of the series' position. */
  colour?: string;
}

/** Line chart of several series, e.g. the loss curves of the four models. */
export function lineChartFigure(series: LineSeries[], opts: ChartOptions & { logY?: boolean } = {}): Figure {
  const data = series.map((s, i) => {
    const y = Array.from(s.y);
    const x = s.x ? Array.from(s.x) : y.map((_, j) => j + 1);
    return {
      type: 'scatter',
      mode: y.length <= 1 ? 'markers' : 'lines+markers',
      name: s.name,
      x,
      y,
      line: { color: s.colour ?? SERIES_COLOURS[i % SERIES_COLOURS.length], dash: s.dashed ? 'dash' : 'solid' },
      marker: { size: 4 },
    };
  });
  const layout = baseLayout(opts);
  if (opts.logY) (layout.yaxis as Record<string, unknown>).type = 'log';
  layout.legend = { orientation: 'h', y: -0.2 };
  return withoutUndefined({ data, layout, config: { responsive: true, displaylogo: false } });
}

/** One model's per-epoch losses, as a model's training history holds them. */
export interface LossHistory {
  name: string;
  history: readonly { epoch: number; loss: number; valLoss: number | null }[];
}

/** Loss curves of several models: training loss solid, validation loss dashed, one colour per model. */
export function lossCurvesFigure(runs: readonly LossHistory[], title = 'Loss per epoch (solid: training, dashed: validation)'): Figure {
  const series: LineSeries[] = [];
  runs.forEach((run, i) => {
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
    series.push({ name: `${run.name} training`, x: run.history.map((h) => h.epoch), y: run.history.map((h) => h.loss), colour });
    const val = run.history.filter((h) => h.valLoss !== null);
    if (val.length > 0) {
      series.push({ name: `${run.name} validation`, x: val.map((h) => h.epoch), y: val.map((h) => h.valLoss as number), colour, dashed: true });
    }
  });
  const fig = lineChartFigure(series, { title, xTitle: 'epoch', yTitle: 'cross-entropy (nats per word)', height: 420 });
  // Epochs are whole numbers: no ticks at 1.5, 2.5 … on short runs.
  fig.layout.xaxis = { ...(fig.layout.xaxis as Record<string, unknown>), tickmode: 'linear', dtick: 1 };
  return fig;
}

/** One group of bars of a bar chart. */
export interface BarSeries {
  name: string;
  /** One value per category. */
  values: ArrayLike<number>;
  colour?: string;
}

/**
 * Bar chart of named categories (e.g. perplexity of the four models and the n-gram baseline). Several series
 * are drawn side by side.
 */
export function barChartFigure(
  categories: string[],
  series: BarSeries[],
  opts: ChartOptions & { showValues?: boolean } = {},
): Figure {
  const data = series.map((s, i) => {
    const y = Array.from(s.values);
    return {
      type: 'bar',
      name: s.name,
      x: categories,
      y,
      marker: { color: s.colour ?? SERIES_COLOURS[i % SERIES_COLOURS.length] },
      text: opts.showValues === false ? undefined : y.map((v) => formatNumber(v)),
      textposition: opts.showValues === false ? undefined : 'auto',
    };
  });
  const layout = baseLayout(opts);
  layout.barmode = 'group';
  layout.showlegend = series.length > 1;
  return withoutUndefined({ data, layout, config: { responsive: true, displaylogo: false } });
}

/** Numbers for tables and labels: integers as is, others with up to `digits` decimals. */
export function formatNumber(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(digits);
}
