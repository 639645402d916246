import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DESCRIBE_ROW_LABELS,
  describeTableHtml,
  escapeHtml,
  htmlTable,
  jsonForScript,
  renderFigureHtml,
  renderHtmlPage,
  sanitizeFigure,
} from '../../src/viz/html.js';
import { barChartFigure, histogramFigure, lineChartFigure } from '../../src/viz/figures.js';
import type { Describe } from '../../src/types.js';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  '"><svg onload=alert(1)>',
  "' onmouseover='alert(1)",
  '</script><script>alert(2)</script>',
  '<!-- comment',
];

/** Tags that may only appear in our own markup, never from data. */
function foreignTags(html: string): string[] {
  return [...html.matchAll(/<(script|img|a|svg|iframe)\b/gi)].map((m) => m[0]);
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

const sampleDescribe: Describe = { count: 4, mean: 2.5, std: 1.2909944, min: 1, q25: 1.75, q50: 2.5, q75: 3.25, max: 4 };

describe('escapeHtml', () => {
  it('turns every payload into inert text', () => {
    for (const p of PAYLOADS) {
      const out = escapeHtml(p);
      expect(foreignTags(out)).toEqual([]);
      expect(out).not.toMatch(/[<>"']/);
    }
    expect(escapeHtml('<a href="javascript:x">')).toBe('&lt;a href=&quot;javascript:x&quot;&gt;');
  });

  it('round-trips any string and never leaves markup characters', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = escapeHtml(s);
        expect(out).not.toMatch(/[<>"']/);
        const back = out
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, '&');
        expect(back).toBe(s);
      }),
    );
  });

  it('prints null and undefined as empty text', () => {
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('jsonForScript', () => {
  it('cannot close a script element, whatever the strings hold', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom(...PAYLOADS))), (arr) => {
        const json = jsonForScript({ arr });
        expect(json).not.toMatch(/<|>|\u2028|\u2029/);
        expect(JSON.parse(json)).toEqual({ arr });
      }),
    );
  });
});

describe('htmlTable', () => {
  it('renders one row per object with escaped cells', () => {
    const rows = PAYLOADS.map((post, i) => ({ epoch: 20 * (i + 1), post }));
    const html = htmlTable(rows, { caption: '<b>Model 1</b>' });
    expect(count(html, '<tr>')).toBe(rows.length + 1); // header + rows
    expect(foreignTags(html)).toEqual([]);
    expect(html).toContain('<th>epoch</th><th>post</th>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('onerror=alert(1)'); // kept as visible text…
    expect(html).not.toMatch(/<[^>]*\sonerror=/i); // …never as an attribute
    expect(html).toContain('<caption>&lt;b&gt;Model 1&lt;/b&gt;</caption>');
  });

  it('escapes column names and takes the union of keys in first-seen order', () => {
    const html = htmlTable([{ a: 1 }, { b: 2, '<i>': 'x' }]);
    expect(html).toContain('<th>a</th><th>b</th><th>&lt;i&gt;</th>');
    expect(count(html, '<td')).toBe(6);
  });

  it('accepts array rows with explicit columns and formats numbers', () => {
    const html = htmlTable(
      [
        ['Model 1', 123.456789],
        ['3-gram', 98],
      ],
      { columns: ['model', 'perplexity'], digits: 2 },
    );
    expect(html).toContain('<td>Model 1</td><td class="num">123.46</td>');
    expect(html).toContain('<td class="num">98</td>');
  });

  it('prints numbers without trailing zeros (202.6, not 202.6000)', () => {
    const html = htmlTable([{ perplexity: 202.6, share: 0.381, tiny: 0.000004, big: 1.5e6 }]);
    expect([...html.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1])).toEqual(['202.6', '0.381', '0', '1500000']);
  });

  it('requires columns for array rows', () => {
    expect(() => htmlTable([[1, 2]])).toThrow(/columns/);
  });

  it('cuts long tables and says how many rows were left out', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ i }));
    const html = htmlTable(rows, { maxRows: 3 });
    expect(count(html, '<tr>')).toBe(1 + 3 + 1);
    expect(html).toContain('7 more rows not shown');
  });
});

describe('describeTableHtml', () => {
  it("has pandas' rows in pandas' order", () => {
    const html = describeTableHtml(sampleDescribe);
    const labels = [...html.matchAll(/<tr><th>([^<]*)<\/th><td/g)].map((m) => m[1]);
    expect(labels).toEqual([...DESCRIBE_ROW_LABELS]);
    expect(html).toContain('<tr><th>std</th><td class="num">1.290994</td></tr>');
    expect(html).toContain('class="tweetlab-table tweetlab-describe"');
  });

  it('puts several named series side by side, names escaped', () => {
    const html = describeTableHtml({ words: sampleDescribe, '<chars>': { ...sampleDescribe, max: 140 } }, { digits: 1 });
    expect(html).toContain('<th></th><th>words</th><th>&lt;chars&gt;</th>');
    expect(html).toContain('<tr><th>max</th><td class="num">4.0</td><td class="num">140.0</td></tr>');
  });

  it('rejects objects that are not describe() results', () => {
    expect(() => describeTableHtml({ words: { count: 1 } as unknown as Describe })).toThrow(/describe/);
  });
});

describe('renderFigureHtml', () => {
  const fig = histogramFigure([1, 2, 2, 3], { title: '</script><script>alert(1)</script>' });

  it('draws with window.Plotly only, never through require.js', () => {
    const html = renderFigureHtml(fig, { divId: 'words-hist' });
    expect(html).toContain('<div id="words-hist" class="tweetlab-plot"');
    expect(html).toContain('P.newPlot(');
    expect(html).not.toMatch(/\brequire\s*\(|\bdefine\s*\(|requirejs/);
  });

  it('keeps hostile strings inside the script as data', () => {
    const html = renderFigureHtml(fig, { divId: 'f1' });
    expect(count(html.toLowerCase(), '</script')).toBe(1);
    expect(count(html.toLowerCase(), '<script')).toBe(1);
  });

  it('makes plotly show < and > literally instead of as its HTML subset', () => {
    const safe = sanitizeFigure(lineChartFigure([{ name: '<a href="javascript:alert(1)">x</a>', y: [1, 2] }]));
    expect(JSON.stringify(safe)).not.toContain('<a');
    expect((safe.data[0] as { name: string }).name).toBe('&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;');
  });

  it('leaves hover templates (builder-written markup) alone', () => {
    const safe = sanitizeFigure({ data: [{ hovertemplate: 'k = %{x}<br>%{y}<extra></extra>', text: ['<b>x</b>'] }], layout: {} });
    expect(safe.data[0]).toEqual({ hovertemplate: 'k = %{x}<br>%{y}<extra></extra>', text: ['&lt;b&gt;x&lt;/b&gt;'] });
  });

  it('rejects div ids that could break out of the attribute', () => {
    expect(() => renderFigureHtml(fig, { divId: 'x" onload="alert(1)' })).toThrow(/div id/);
  });
});

describe('renderHtmlPage', () => {
  it('inlines the bundle once for many charts, numbers the chart divs and escapes all text', () => {
    const page = renderHtmlPage({
      title: 'Report <script>alert(1)</script>',
      subtitle: ['source: <img src=x onerror=alert(1)>'],
      sections: [
        {
          heading: '1. Statistics',
          blocks: [
            { text: PAYLOADS.join(' ') },
            { figure: histogramFigure([1, 2, 3]), caption: 'words per post' },
            { describe: { words: sampleDescribe } },
          ],
        },
        {
          heading: '<h1>2</h1>',
          blocks: [
            { figure: lineChartFigure([{ name: 'Model 1', y: [3, 2] }]) },
            { figure: barChartFigure(['Model 1', 'Model 2'], [{ name: 'perplexity', values: [120, 110] }]) },
            { table: PAYLOADS.map((p) => ({ post: p })), caption: 'generated' },
            { list: ['<script>x</script>'] },
          ],
        },
      ],
      footer: '<b>f</b>',
    });
    expect(count(page, 'data-tweetlab="plotly-bundle"')).toBe(1);
    expect(page).toContain('id="figure-1"');
    expect(page).toContain('id="figure-3"');
    expect(page).not.toContain('id="figure-4"');
    // Scripts: the bundle plus one per chart, nothing from data.
    expect(count(page.toLowerCase(), '<script')).toBe(4);
    // Our own markup, without the (third-party) bundle: nothing from data may become a tag or attribute.
    const ours = page.replace(/<script[^>]*data-tweetlab="plotly-bundle"[\s\S]*?<\/script>/, '');
    expect(ours.length).toBeLessThan(100_000);
    expect(ours).not.toMatch(/<img|<h1>2|<b>f<\/b>|<[^>]*\sonerror=/i);
    expect(page).toContain('<h2>&lt;h1&gt;2&lt;/h1&gt;</h2>');
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('leaves the bundle out when there are no charts', () => {
    const page = renderHtmlPage({ title: 't', sections: [{ heading: 'h', blocks: [{ text: 'x' }] }] });
    expect(page).not.toContain('plotly-bundle');
    expect(page.toLowerCase()).not.toContain('<script');
  });
});
