import { TweetlabError } from '../errors.js';
import { escapeHtml } from '../viz/html.js';
import type { Figure } from '../viz/types.js';
import { compareCodeUnits, numericColumn, textColumn, type DataTable } from './data.js';
import type { ElbowPoint } from './kmeans.js';
import type { SilhouetteResult } from './silhouette.js';

/**
 * Figure specs (plain plotly JSON) for the k-means lesson. Hover templates are HTML that the renderer passes
 * through (they hold <br> and <extra>), so text from the CSV is escaped here. They mirror the lesson's ggplot charts: the genre
 * bar chart, faceted box plots, the elbow line, the cluster scatter and a silhouette plot.
 */

/** d3's category10 (the lesson's "ggsci::category10_d3"). */
export const CATEGORY10 = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
/** Tableau 10 (the lesson's "ggthemes::Tableau_10"), for clusters. */
export const TABLEAU10 = ['#4E79A7', '#F28E2B', '#E15759', '#76B7B2', '#59A14F', '#EDC948', '#B07AA1', '#FF9DA7', '#9C755F', '#BAB0AC'];
/** Marker symbols for genres in the scatter, in genre order. */
export const GENRE_SYMBOLS = ['circle', 'triangle-up', 'square', 'diamond', 'cross', 'x', 'star', 'hexagon', 'pentagon', 'triangle-down'];

const colourAt = (palette: readonly string[], i: number) => palette[i % palette.length] as string;

/** Bar chart of how many songs each genre has (the lesson's "Top genres"). */
export function genreBarFigure(counts: readonly { value: string; n: number }[], title = 'Top genres'): Figure {
  return {
    data: counts.map((c, i) => ({
      type: 'bar',
      name: c.value,
      x: [c.value],
      y: [c.n],
      marker: { color: colourAt(CATEGORY10, i) },
      opacity: 0.8,
      hovertemplate: '%{x}: %{y} songs<extra></extra>',
    })),
    layout: {
      title: { text: title, x: 0.5 },
      xaxis: { title: { text: 'artist_top_genre' } },
      yaxis: { title: { text: 'n' } },
      height: 360,
      margin: { l: 60, r: 20, t: 50, b: 60 },
    },
  };
}

/**
 * One box plot per numeric column, in a grid of `ncol` columns with free y scales (ggplot's
 * facet_wrap(~ feature, ncol = 4, scales = "free")).
 */
export function boxPlotsFigure(table: DataTable, columns: readonly string[], ncol = 4): Figure {
  if (columns.length === 0) throw new TweetlabError('boxPlotsFigure: no columns to plot');
  const rows = Math.ceil(columns.length / ncol);
  const data = columns.map((col, i) => {
    const axis = i === 0 ? '' : String(i + 1);
    return {
      type: 'box',
      name: col,
      y: numericColumn(table, col),
      xaxis: `x${axis}`,
      yaxis: `y${axis}`,
      marker: { color: colourAt(CATEGORY10, i), size: 3 },
      line: { width: 1 },
      boxpoints: 'outliers',
      showlegend: false,
      hovertemplate: `${escapeHtml(col)}: %{y}<extra></extra>`,
    };
  });
  return {
    data,
    layout: {
      title: { text: 'Numeric features (box plots)', x: 0.5 },
      grid: { rows, columns: ncol, pattern: 'independent', ygap: 0.35, xgap: 0.25 },
      height: 240 * rows + 60,
      margin: { l: 50, r: 20, t: 50, b: 30 },
      showlegend: false,
    },
  };
}

/** tot.withinss against k (the elbow plot). */
export function elbowFigure(points: readonly ElbowPoint[], title = 'Elbow: total within-cluster sum of squares'): Figure {
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'tot.withinss',
        x: points.map((p) => p.k),
        y: points.map((p) => p.totWithinss),
        line: { color: '#FF7F0E', width: 3 },
        marker: { color: '#FF7F0E', size: 8 },
        hovertemplate: 'k = %{x}<br>tot.withinss = %{y:.1f}<extra></extra>',
      },
    ],
    layout: {
      title: { text: title, x: 0.5 },
      xaxis: { title: { text: 'k' }, dtick: 1 },
      yaxis: { title: { text: 'tot.withinss' }, rangemode: 'tozero' },
      height: 360,
      margin: { l: 70, r: 20, t: 50, b: 50 },
    },
  };
}

/**
 * Several elbow curves on one scale: each divided by its own value at k = 1 (its totss), so curves of data with
 * different units (say unscaled and scaled columns) can be compared by shape.
 */
export function elbowComparisonFigure(
  curves: readonly { name: string; points: readonly ElbowPoint[] }[],
  title = 'Elbow curves, each relative to its total sum of squares',
): Figure {
  return {
    data: curves.map((c, i) => {
      const first = c.points.find((p) => p.k === 1);
      if (!first) throw new TweetlabError(`elbowComparisonFigure: curve "${c.name}" has no k = 1 point to scale by`);
      return {
        type: 'scatter',
        mode: 'lines+markers',
        name: c.name,
        x: c.points.map((p) => p.k),
        y: c.points.map((p) => p.totWithinss / first.totWithinss),
        line: { color: colourAt(CATEGORY10, i + 1), width: 3 },
        marker: { color: colourAt(CATEGORY10, i + 1), size: 8 },
        hovertemplate: `${escapeHtml(c.name)}<br>k = %{x}<br>tot.withinss / totss = %{y:.3f}<extra></extra>`,
      };
    }),
    layout: {
      title: { text: title, x: 0.5 },
      xaxis: { title: { text: 'k' }, dtick: 1 },
      yaxis: { title: { text: 'tot.withinss / totss' }, range: [0, 1.05] },
      height: 380,
      margin: { l: 70, r: 20, t: 50, b: 50 },
    },
  };
}

export interface ClusterScatterInput {
  x: readonly number[];
  y: readonly number[];
  /** 1-based cluster of each point (colour). */
  cluster: readonly number[];
  /** Genre of each point (marker symbol). */
  genre: readonly string[];
  xTitle?: string;
  yTitle?: string;
  title?: string;
}

/**
 * Scatter coloured by cluster with genre as the marker symbol: one trace per (cluster, genre) pair, so the
 * legend reads like ggplot's colour + shape legends.
 */
export function clusterScatterFigure(input: ClusterScatterInput): Figure {
  const m = input.x.length;
  if (input.y.length !== m || input.cluster.length !== m || input.genre.length !== m) {
    throw new TweetlabError('clusterScatterFigure: x, y, cluster and genre must have the same length');
  }
  const genres = [...new Set(input.genre)].sort(compareCodeUnits);
  const clusters = [...new Set(input.cluster)].sort((a, b) => a - b);
  const data: Record<string, unknown>[] = [];
  for (const c of clusters) {
    for (const [gi, g] of genres.entries()) {
      const idx: number[] = [];
      for (let i = 0; i < m; i++) if (input.cluster[i] === c && input.genre[i] === g) idx.push(i);
      if (idx.length === 0) continue;
      data.push({
        type: 'scatter',
        mode: 'markers',
        name: `cluster ${c} · ${g}`,
        legendgroup: `cluster ${c}`,
        x: idx.map((i) => input.x[i]),
        y: idx.map((i) => input.y[i]),
        marker: { color: colourAt(TABLEAU10, c - 1), symbol: colourAt(GENRE_SYMBOLS, gi), size: 8, opacity: 0.8 },
        hovertemplate: `cluster ${c}<br>${escapeHtml(g)}<br>x = %{x}<br>y = %{y}<extra></extra>`,
      });
    }
  }
  return {
    data,
    layout: {
      title: { text: input.title ?? 'Clusters (colour) and genres (symbol)', x: 0.5 },
      xaxis: { title: { text: input.xTitle ?? 'x' } },
      yaxis: { title: { text: input.yTitle ?? 'y' } },
      height: 460,
      margin: { l: 60, r: 20, t: 50, b: 50 },
    },
  };
}

/** Cluster scatter of two named columns of a table (the lesson: popularity vs danceability). */
export function clusterScatterFromTable(
  table: DataTable,
  cluster: readonly number[],
  xColumn = 'popularity',
  yColumn = 'danceability',
  genreColumn = 'artist_top_genre',
): Figure {
  return clusterScatterFigure({
    x: numericColumn(table, xColumn),
    y: numericColumn(table, yColumn),
    cluster,
    genre: textColumn(table, genreColumn),
    xTitle: xColumn,
    yTitle: yColumn,
  });
}

/**
 * Silhouette plot (as factoextra's fviz_silhouette): one bar per point, grouped by cluster and sorted by width
 * within each cluster, with a dashed line at the mean width.
 */
export function silhouetteFigure(sil: SilhouetteResult, title?: string): Figure {
  const order = sil.widths
    .map((w, i) => ({ w, c: sil.cluster[i] as number }))
    .sort((a, b) => a.c - b.c || b.w - a.w);
  const clusters = [...new Set(order.map((o) => o.c))];
  const data: Record<string, unknown>[] = clusters.map((c) => {
    const xs: number[] = [];
    const ys: number[] = [];
    order.forEach((o, pos) => {
      if (o.c === c) {
        xs.push(pos + 1);
        ys.push(o.w);
      }
    });
    return {
      type: 'bar',
      name: `cluster ${c}`,
      x: xs,
      y: ys,
      marker: { color: colourAt(TABLEAU10, c - 1), line: { width: 0 } },
      hovertemplate: `cluster ${c}<br>width = %{y:.3f}<extra></extra>`,
    };
  });
  return {
    data,
    layout: {
      title: { text: title ?? `Silhouette widths (mean ${sil.mean.toFixed(3)})`, x: 0.5 },
      bargap: 0,
      xaxis: { title: { text: 'points, by cluster' }, showticklabels: false },
      yaxis: { title: { text: 'silhouette width' }, range: [Math.min(0, ...sil.widths) - 0.05, 1] },
      shapes: [
        {
          type: 'line',
          xref: 'paper',
          x0: 0,
          x1: 1,
          y0: sil.mean,
          y1: sil.mean,
          line: { color: '#d62728', dash: 'dash', width: 2 },
        },
      ],
      height: 360,
      margin: { l: 60, r: 20, t: 50, b: 40 },
    },
  };
}
