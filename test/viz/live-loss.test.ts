import { describe, expect, it } from 'vitest';
import { LiveLossChart } from '../../src/viz/live-loss.js';
import { NotebookDisplay, type DisplaySink, type MimeBundle } from '../../src/viz/notebook.js';
import type { Figure } from '../../src/viz/types.js';

/** A LiveLossChart on a fake clock that records every figure it draws. */
function harness(everyMs = 1000, maxPoints?: number) {
  let t = 0;
  const drawn: Figure[] = [];
  const chart = new LiveLossChart((f) => drawn.push(f), { title: 'Model 1: loss while it trains', everyMs, now: () => t, ...(maxPoints ? { maxPoints } : {}) });
  return { chart, drawn, advance: (ms: number) => void (t += ms) };
}

const trace = (fig: Figure, i: number) => fig.data[i] as { name: string; x: number[]; y: number[] };

describe('LiveLossChart', () => {
  it('redraws for batches at most every everyMs, and always after an epoch, growing each time', () => {
    const { chart, drawn, advance } = harness(1000);
    for (let b = 1; b <= 10; b++) {
      advance(300);
      chart.batch(1, b, 10, 5 - b / 10);
    }
    // Batches at 300 … 3000 ms: the first draws (nothing drawn yet), then one per second.
    expect(drawn).toHaveLength(3);
    chart.epoch({ epoch: 1, loss: 4.1, valLoss: 4.5 });
    expect(drawn).toHaveLength(4);
    const last = drawn[3]!;
    expect(trace(last, 0).name).toBe('training loss (running mean in the epoch)');
    expect(trace(last, 0).x).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(trace(last, 0).y[9]).toBeCloseTo(4);
    expect(trace(last, 1)).toMatchObject({ name: 'training loss per epoch', x: [1], y: [4.1] });
    expect(trace(last, 2)).toMatchObject({ name: 'validation loss', x: [1], y: [4.5] });
    // Each drawn figure holds at least as many batch points as the one before.
    const sizes = drawn.map((f) => trace(f, 0).x.length);
    expect([...sizes].sort((a, b) => a - b)).toEqual(sizes);
    advance(10);
    chart.batch(2, 1, 10, 3.9);
    expect(drawn).toHaveLength(4); // within everyMs of the epoch's redraw
    chart.epoch({ epoch: 2, loss: 3.8, valLoss: null });
    expect(trace(drawn[4]!, 0).x.at(-1)).toBeCloseTo(1.1);
    expect(trace(drawn[4]!, 1).y).toEqual([4.1, 3.8]);
    expect(trace(drawn[4]!, 2).x).toEqual([1]); // no held-out loss for epoch 2
  });

  it('starts from the history of a continued model and keeps at most maxPoints batch points', () => {
    const { chart, drawn } = harness(0, 20);
    chart.history([
      { epoch: 1, loss: 5, valLoss: 5.5 },
      { epoch: 2, loss: 4.5, valLoss: 5.2 },
    ]);
    expect(trace(drawn[0]!, 1).x).toEqual([1, 2]);
    for (let b = 1; b <= 100; b++) chart.batch(3, b, 100, 4);
    const points = trace(drawn[drawn.length - 1]!, 0).x;
    expect(points.length).toBeLessThanOrEqual(20);
    expect(points.length).toBeGreaterThanOrEqual(10);
    expect(points[0]).toBeCloseTo(2.01);
    // Thinned evenly: the points stay in order and spread over the whole epoch.
    expect(points.at(-1)).toBeGreaterThan(2.8);
  });
});

function recorder(cell: () => unknown = () => 'cell-1') {
  const shown: { bundle: MimeBundle; id?: string; update?: boolean }[] = [];
  const sink: DisplaySink = { show: (bundle, id, update) => void shown.push({ bundle, id, update }), cell };
  return { sink, shown };
}

describe('a live chart output', () => {
  const fig = (n: number): Figure => ({ data: [{ type: 'scatter', y: Array.from({ length: n }, (_, i) => i) }], layout: { title: { text: `chart ${n}` } } });

  it('is one output: shown once, then replaced in place with the same display id, each state with its own div', () => {
    const { sink, shown } = recorder();
    const display = new NotebookDisplay(sink);
    display.setupPage();
    const live = display.liveFigure();
    live.show(fig(1));
    live.show(fig(2));
    live.show(fig(3));
    const chart = shown.slice(1);
    expect(chart.map((s) => s.update)).toEqual([false, true, true]);
    expect(new Set(chart.map((s) => s.id)).size).toBe(1);
    expect(chart[0]!.id).toMatch(/^tweetlab-live-/);
    const divs = chart.map((s) => /<div id="([^"]+)"/.exec(s.bundle['text/html'] as string)?.[1]);
    expect(new Set(divs).size).toBe(3);
    expect(chart[2]!.bundle['text/plain']).toBe('[chart: chart 3]');
    expect(chart[2]!.bundle['application/vnd.plotly.v1+json']).toMatchObject({ layout: { title: { text: 'chart 3' } } });
    // setupPage() sent plotly.js once; the chart's states do not carry it again.
    expect(chart.every((s) => !(s.bundle['text/html'] as string).includes('data-tweetlab="plotly-bundle"'))).toBe(true);
  });

  it('without setupPage() carries plotly.js in every state, so the last one saved still draws', () => {
    const { sink, shown } = recorder();
    const live = new NotebookDisplay(sink).liveFigure();
    live.show(fig(1));
    live.show(fig(2));
    expect(shown.every((s) => (s.bundle['text/html'] as string).includes('data-tweetlab="plotly-bundle"'))).toBe(true);
  });
});
