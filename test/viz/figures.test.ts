import { describe, expect, it } from 'vitest';
import { barChartFigure, histogramFigure, lineChartFigure } from '../../src/viz/figures.js';

describe('figure specs', () => {
  it('bins integer data one bar per integer, centred on the integers', () => {
    const fig = histogramFigure([3, 5, 5, 9], { title: 'Words per post', xTitle: 'words' });
    const trace = fig.data[0] as Record<string, unknown>;
    expect(trace.type).toBe('histogram');
    expect(trace.x).toEqual([3, 5, 5, 9]);
    expect(trace.xbins).toEqual({ start: 2.5, size: 1 });
    expect(fig.layout.title).toEqual({ text: 'Words per post' });
    expect(fig.layout.yaxis).toMatchObject({ title: { text: 'count' } });
  });

  it('lets plotly choose bins for fractional data unless a bin size is given', () => {
    expect((histogramFigure([0.5, 1.25]).data[0] as Record<string, unknown>).xbins).toBeUndefined();
    expect((histogramFigure([0.5, 1.25], { binSize: 0.5 }).data[0] as Record<string, unknown>).xbins).toEqual({
      start: 0.5,
      size: 0.5,
    });
  });

  it('draws one line per series with epochs 1..n by default', () => {
    const fig = lineChartFigure(
      [
        { name: 'Model 1', y: [5, 4, 3] },
        { name: 'Model 1 (validation)', y: [5.5, 4.8, 4.6], dashed: true },
      ],
      { xTitle: 'epoch', logY: true },
    );
    expect(fig.data).toHaveLength(2);
    expect(fig.data[0]).toMatchObject({ type: 'scatter', x: [1, 2, 3], y: [5, 4, 3], name: 'Model 1' });
    expect(fig.data[1]).toMatchObject({ line: { dash: 'dash' } });
    expect(fig.data[0]!.line).not.toEqual(fig.data[2]?.line);
    expect(fig.layout.yaxis).toMatchObject({ type: 'log' });
  });

  it('groups bar series over named categories', () => {
    const fig = barChartFigure(
      ['Model 1', 'Model 2', '3-gram'],
      [
        { name: 'validation', values: [120.5, 110, 140] },
        { name: 'train', values: [80, 70, 60] },
      ],
    );
    expect(fig.data).toHaveLength(2);
    expect(fig.data[0]).toMatchObject({ type: 'bar', x: ['Model 1', 'Model 2', '3-gram'], text: ['120.50', '110', '140'] });
    expect(fig.layout.barmode).toBe('group');
    expect(fig.layout.showlegend).toBe(true);
  });

  it('produces plain JSON (no undefined values, survives a round trip)', () => {
    const fig = histogramFigure([1, 2]);
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig);
  });
});
