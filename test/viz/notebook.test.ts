import { describe, expect, it } from 'vitest';
import {
  NotebookDisplay,
  ProgressDisplay,
  formatDuration,
  formatProgress,
  inNotebook,
  type DisplaySink,
  type MimeBundle,
} from '../../src/viz/notebook.js';
import { histogramFigure, lineChartFigure } from '../../src/viz/figures.js';

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

interface Shown {
  bundle: MimeBundle;
  displayId?: string;
  update?: boolean;
}

function recordingSink(): DisplaySink & { shown: Shown[] } {
  const shown: Shown[] = [];
  return { shown, show: (bundle, displayId, update) => shown.push({ bundle, displayId, update }) };
}

describe('NotebookDisplay', () => {
  it('sends plotly.js once with setupPage(), never with a chart, and both MIME types with each chart', () => {
    const sink = recordingSink();
    const nb = new NotebookDisplay(sink);
    nb.setupPage();
    nb.figure(histogramFigure([1, 2, 3], { title: 'words per post' }));
    nb.figure(lineChartFigure([{ name: 'loss', y: [3, 2, 1] }]));
    nb.figure(lineChartFigure([{ name: 'loss', y: [3, 2, 1] }]));
    expect(sink.shown).toHaveLength(4);
    const htmls = sink.shown.map((s) => s.bundle['text/html'] as string);
    expect(htmls.map((h) => h.includes('data-tweetlab="plotly-bundle"'))).toEqual([true, false, false, false]);
    // The setup output also wraps long code lines in exported HTML.
    expect(htmls[0]).toMatch(/<style>[^<]*\.highlight pre\{white-space:pre-wrap/);
    expect(sink.shown[0]!.bundle['text/plain']).toMatch(/^Charts: plotly\.js 2\.35\.3 /);
    for (const s of sink.shown.slice(1)) {
      expect(s.bundle['application/vnd.plotly.v1+json']).toMatchObject({ data: expect.any(Array), layout: expect.any(Object) });
      expect(s.bundle['text/html']).toMatch(/class="tweetlab-plot"/);
    }
    expect(sink.shown[1]!.bundle['text/plain']).toBe('[chart: words per post]');
    // Chart div ids are unique on the page.
    const ids = htmls.slice(1).map((h) => /<div id="([^"]+)"/.exec(h)![1]);
    expect(new Set(ids).size).toBe(3);
  });

  it('re-running the setup cell sends plotly.js again (its output replaces the old one)', () => {
    const sink = recordingSink();
    const nb = new NotebookDisplay(sink);
    nb.setupPage();
    nb.setupPage();
    expect(sink.shown.map((s) => (s.bundle['text/html'] as string).includes('plotly-bundle'))).toEqual([true, true]);
  });

  it('without setupPage(), the first chart of every cell run carries plotly.js, so a re-run cell keeps it', () => {
    let cell = 1;
    const sink = { ...recordingSink(), cell: () => cell };
    const shown = sink.shown;
    const nb = new NotebookDisplay(sink);
    nb.figure(histogramFigure([1])); // cell 1: bundle
    nb.figure(histogramFigure([2])); // cell 1 again: none
    cell = 2;
    nb.figure(histogramFigure([3])); // cell 2: bundle
    cell = 3; // cell 1 re-run: a new execution, so its first chart carries it again
    nb.figure(histogramFigure([1]));
    expect(shown.map((s) => (s.bundle['text/html'] as string).includes('plotly-bundle'))).toEqual([true, false, true, true]);
  });

  it('escapes table cells and sends a plain-text fallback', () => {
    const sink = recordingSink();
    const nb = new NotebookDisplay(sink);
    nb.table([{ epoch: 20, post: '<script>alert(1)</script>' }]);
    const html = sink.shown[0]!.bundle['text/html'] as string;
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;');
    expect(sink.shown[0]!.bundle['text/plain']).toBe('epoch\tpost\n20\t<script>alert(1)</script>');
  });

  it('shows describe() with pandas row labels', () => {
    const sink = recordingSink();
    new NotebookDisplay(sink).describe({ count: 2, mean: 1, std: 0, min: 1, q25: 1, q50: 1, q75: 1, max: 1 });
    const html = sink.shown[0]!.bundle['text/html'] as string;
    expect([...html.matchAll(/<tr><th>([^<]+)<\/th>/g)].map((m) => m[1])).toEqual([
      'count',
      'mean',
      'std',
      'min',
      '25%',
      '50%',
      '75%',
      'max',
    ]);
  });

  it('shows an object as setting/value rows, nested values as JSON, undefined left out', () => {
    const sink = recordingSink();
    new NotebookDisplay(sink).keyValues({ epochs: 4, checkpoints: [2, 4], source: { kind: '<b>' }, none: undefined });
    const html = sink.shown[0]!.bundle['text/html'] as string;
    expect(count(html, '<tr>')).toBe(4);
    expect(html).toContain('<th>setting</th><th>value</th>');
    expect(html).toContain('<td>checkpoints</td><td>[2,4]</td>');
    expect(html).toContain('<td>{&quot;kind&quot;:&quot;&lt;b&gt;&quot;}</td>');
    expect(html).not.toContain('none');
  });

  it('escapes text()', () => {
    const sink = recordingSink();
    new NotebookDisplay(sink).text('<img src=x onerror=alert(1)>');
    expect(sink.shown[0]!.bundle['text/html']).toBe('<pre>&lt;img src=x onerror=alert(1)&gt;</pre>');
  });
});

describe('ProgressDisplay', () => {
  it('creates one display and then updates it in place under the same id', () => {
    const sink = recordingSink();
    const p = new ProgressDisplay(sink, 'progress-1', 'Training', 0);
    p.update({ label: 'Model 1', epoch: 1, epochs: 3, loss: 5 });
    p.update({ label: 'Model 1', epoch: 2, epochs: 3, loss: 4 });
    p.log('epoch 2 done');
    p.done('finished <ok>');
    expect(sink.shown.map((s) => s.displayId)).toEqual(['progress-1', 'progress-1', 'progress-1', 'progress-1']);
    expect(sink.shown.map((s) => s.update)).toEqual([false, true, true, true]);
    const last = sink.shown[3]!.bundle['text/html'] as string;
    expect(last).toContain('epoch 2 done\nfinished &lt;ok&gt;');
  });

  it('drops updates that come faster than the interval, but never done()', () => {
    const sink = recordingSink();
    const p = new ProgressDisplay(sink, 'progress-2', 'Training', 60_000);
    p.update('first');
    p.update('second'); // within the interval: dropped
    p.update('third', true); // forced
    p.done();
    expect(sink.shown.map((s) => s.bundle['text/plain'])).toEqual([
      'Training: first',
      'Training: third',
      'Training: done',
    ]);
  });
});

describe('formatting', () => {
  it('formats a progress line', () => {
    expect(
      formatProgress({ label: 'Model 2', epoch: 3, epochs: 20, batch: 40, batches: 120, loss: 5.12345, elapsed: 42, eta: 190 }),
    ).toBe('Model 2 · epoch 3/20 · batch 40/120 · loss 5.1235 · 0:42 elapsed · ETA 3:10');
  });

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(3661)).toBe('1:01:01');
    expect(formatDuration(Number.NaN)).toBe('?');
  });

  it('knows it is not inside a tslab kernel here', () => {
    expect(inNotebook()).toBe(false);
  });
});
