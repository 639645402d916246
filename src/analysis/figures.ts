/**
 * Plotly figure specs for the length analysis (the report's figure 2). Bars over precomputed histogram
 * bins, so the figure holds a few dozen numbers however large the corpus is.
 */
import type { Figure } from '../types.js';
import { integerHistogram, lengthHistogram, type Histogram } from './lengths.js';

export interface LengthFigureOptions {
  /** Chart title. Default: "Words per post" / "Characters per post". */
  title?: string;
  /** Character histogram bin width. Default: automatic (see lengthHistogram). */
  binWidth?: number;
}

function barFigure(h: Histogram, title: string, xTitle: string, hoverUnit: string): Figure {
  const centres = h.counts.map((_, i) => (h.edges[i] as number) + (h.binWidth - 1) / 2); // integer data: bin 0–9 centres on 4.5
  const labels = h.counts.map((_, i) =>
    h.binWidth === 1 ? String(h.edges[i]) : `${h.edges[i]}–${(h.edges[i + 1] as number) - 1}`,
  );
  return {
    data: [
      {
        type: 'bar',
        x: centres,
        y: [...h.counts],
        width: h.binWidth === 1 ? 0.9 : h.binWidth * 0.95,
        text: labels,
        hovertemplate: `%{text} ${hoverUnit}: %{y} posts<extra></extra>`,
        marker: { color: '#4c78a8' },
        name: title,
      },
    ],
    layout: {
      title: { text: title },
      xaxis: { title: { text: xTitle } },
      yaxis: { title: { text: 'Number of posts' } },
      bargap: 0,
      showlegend: false,
    },
    config: { responsive: true },
  };
}

/** Histogram of words per post, one bar per word count. */
export function wordsPerPostFigure(wordsPerPostValues: ArrayLike<number>, opts: LengthFigureOptions = {}): Figure {
  return barFigure(integerHistogram(wordsPerPostValues), opts.title ?? 'Words per post', 'Words in the post', 'words');
}

/** Histogram of characters per post, in bins of `binWidth` characters. */
export function charsPerPostFigure(charsPerPostValues: ArrayLike<number>, opts: LengthFigureOptions = {}): Figure {
  return barFigure(
    lengthHistogram(charsPerPostValues, opts.binWidth),
    opts.title ?? 'Characters per post',
    'Characters in the post',
    'characters',
  );
}
