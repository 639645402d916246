import { readFileSync } from 'node:fs';
import * as vm from 'node:vm';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { plotlyBundlePath, plotlyBundleScript, plotlyLoaderScript, renderFigureHtml } from '../../src/viz/plotly.js';
import { histogramFigure } from '../../src/viz/figures.js';

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** The JavaScript inside every <script> of an HTML fragment, in page order. */
function scripts(html: string): string[] {
  return [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] as string);
}

/**
 * A page with the given element ids, run in a vm context with Node's own atob, Blob, Response and
 * DecompressionStream (the browser APIs the loader uses). `draws` records every Plotly.newPlot call.
 */
function fakePage(ids: string[]) {
  const elements = new Map(ids.map((id) => [id, { id, textContent: '' }]));
  const page = {
    draws: [] as { id: string; data: unknown }[],
    elements,
    context: vm.createContext({
      atob,
      Blob,
      Response,
      DecompressionStream,
      Uint8Array,
      Promise,
      setTimeout: (fn: () => void) => setTimeout(fn, 1),
      document: { getElementById: (id: string) => elements.get(id) ?? null },
    }),
  };
  vm.runInContext('var window = this;', page.context);
  return page;
}

/** Runs every script of `html` in the page, then lets its timers and promises settle. */
async function run(page: ReturnType<typeof fakePage>, html: string): Promise<void> {
  for (const code of scripts(html)) vm.runInContext(code, page.context);
  await new Promise((r) => setTimeout(r, 300));
}

/** A stand-in for plotly.js with the same UMD shape: it sets window.Plotly only when define/module are absent. */
function fakePlotly(): string {
  return `!function (t) { if (typeof module === 'object' && module) module.exports = t(); else if (typeof define === 'function') define([], t); else window.Plotly = t(); }
    (function () { return { newPlot: function (el, data) { window.__draws = (window.__draws || []).concat([{ id: el.id, data: data }]); } }; });`;
}

describe('plotlyBundleScript', () => {
  it('carries the minified bundle gzip-compressed in base64, in one script with no markup inside', () => {
    const script = plotlyBundleScript();
    const minified = readFileSync(require.resolve('plotly.js-dist-min/plotly.min.js'));
    expect(plotlyBundlePath()).toMatch(/plotly\.js-dist-min[\\/]plotly\.min\.js$/);
    const packed = /var packed = "([A-Za-z0-9+/=]+)";/.exec(script)![1] as string;
    expect(gunzipSync(Buffer.from(packed, 'base64')).equals(minified)).toBe(true);
    // Well under half the minified bundle's 4.6 MB, so a notebook with it stays under 4 MB.
    expect(script.length).toBeLessThan(2_000_000);
    expect(count(script.toLowerCase(), '</script')).toBe(1);
    expect(count(script.toLowerCase(), '<script')).toBe(1);
    expect(scripts(script)[0]).not.toMatch(/</);
  });
});

describe('the chart loader', () => {
  it('draws charts whose scripts run before and after the bundle, even with require.js on the page', async () => {
    const page = fakePage(['early', 'late']);
    // require.js defines a global define(): the bundle must still set window.Plotly.
    vm.runInContext('var define = function () { throw new Error("define called"); }; define.amd = {};', page.context);
    const early = renderFigureHtml(histogramFigure([1, 2]), { divId: 'early' });
    const late = renderFigureHtml(histogramFigure([3]), { divId: 'late' });
    await run(page, early + plotlyLoaderScript(fakePlotly()) + late);
    const draws = vm.runInContext('window.__draws', page.context) as { id: string }[];
    expect(draws.map((d) => d.id).sort()).toEqual(['early', 'late']);
    expect(page.elements.get('early')!.textContent).toBe('');
  });

  it('a second copy of the bundle on the page is skipped', async () => {
    const page = fakePage(['c']);
    await run(page, plotlyLoaderScript(fakePlotly()) + plotlyLoaderScript('window.Plotly = null; window.__second = true;'));
    await run(page, renderFigureHtml(histogramFigure([1]), { divId: 'c' }));
    expect(vm.runInContext('window.__second', page.context)).toBeUndefined();
    expect((vm.runInContext('window.__draws', page.context) as unknown[]).length).toBe(1);
  });

  it('says inside the chart, in one sentence, what to run when plotly.js never arrives', async () => {
    const page = fakePage(['lonely']);
    // A bundle that fails to define Plotly: the chart must not spin forever.
    await run(page, plotlyLoaderScript('/* nothing */') + renderFigureHtml(histogramFigure([1]), { divId: 'lonely' }));
    expect(page.elements.get('lonely')!.textContent).toMatch(/^Chart not drawn: plotly\.js is not on this page\. .*tl\.setupPage\(\)/);
  });
});
