import { describe, expect, it } from 'vitest';
import { charsPerPostFigure, wordsPerPostFigure } from '../../src/analysis/figures.js';

describe('length figures', () => {
  it('words per post: one bar per word count, titled and labelled', () => {
    const fig = wordsPerPostFigure([3, 1, 3, 5]);
    const trace = fig.data[0] as { type: string; x: number[]; y: number[] };
    expect(trace.type).toBe('bar');
    expect(trace.x).toEqual([1, 2, 3, 4, 5]);
    expect(trace.y).toEqual([1, 0, 2, 0, 1]);
    const layout = fig.layout as { title: { text: string }; xaxis: { title: { text: string } }; yaxis: { title: { text: string } } };
    expect(layout.title.text).toBe('Words per post');
    expect(layout.xaxis.title.text).toMatch(/words/i);
    expect(layout.yaxis.title.text).toMatch(/posts/i);
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig); // plain JSON
  });

  it('chars per post: binned bars whose heights add up to the post count', () => {
    const chars = Array.from({ length: 100 }, (_, i) => 40 + i * 2);
    const fig = charsPerPostFigure(chars, { title: 'Длина постов' });
    const trace = fig.data[0] as { x: number[]; y: number[]; text: string[] };
    expect(trace.y.reduce((a, b) => a + b, 0)).toBe(100);
    expect(trace.x.length).toBeLessThanOrEqual(40);
    expect(trace.text[0]).toMatch(/^\d+–\d+$/);
    expect((fig.layout as { title: { text: string } }).title.text).toBe('Длина постов');
  });
});
