import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { TweetlabError } from '../errors.js';
import { jsonForScript, sanitizeFigure } from './escape.js';
import type { Figure } from './types.js';

/**
 * Charts as HTML that draws anywhere a page can run scripts: a live notebook, a saved one reopened, nbconvert's
 * HTML export, the standalone report. plotly.js (the minified 2.35 bundle, 4.6 MB) travels once per page,
 * gzip-compressed and base64-encoded (about 1.8 MB), inside one <script> that unpacks it with the browser's
 * DecompressionStream; every chart carries a small script that waits for it. No require() or define() is
 * called, so require.js (classic notebook, nbconvert) cannot intercept anything.
 */

/** Shown inside a chart's div when plotly.js never arrived. */
const MISSING_BUNDLE = 'plotly.js is not on this page. In a notebook, run the first cell (it calls tl.setupPage()), then this cell again.';

/** A DOM id: letters, digits, `-` and `_` only, starting with a letter. */
function checkDivId(id: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(id)) {
    throw new TweetlabError(`Figure div id "${id}" must start with a letter and use only letters, digits, - and _.`);
  }
  return id;
}

export interface FigureHtmlOptions {
  /** Id of the chart's <div>; unique within the page. */
  divId: string;
}

/**
 * A chart as HTML: a <div class="tweetlab-plot"> plus a script that draws it with `window.Plotly`, waiting for
 * the page's bundle (plotlyBundleScript) while it unpacks. If none arrives within ten seconds it says so inside
 * the div instead of failing silently. The script holds no "<" at all, so nothing in it can end the element.
 */
export function renderFigureHtml(fig: Figure, opts: FigureHtmlOptions): string {
  const id = checkDivId(opts.divId);
  const safe = sanitizeFigure(fig);
  const height = typeof safe.layout.height === 'number' ? safe.layout.height : 360;
  return (
    `<div id="${id}" class="tweetlab-plot" style="width:100%;min-height:${height}px"></div>\n` +
    `<script type="text/javascript">\n` +
    `(function () {\n` +
    `  var fig = ${jsonForScript(safe)};\n` +
    `  var w = window, tries = 0;\n` +
    `  function el() { return document.getElementById(${jsonForScript(id)}); }\n` +
    `  function fail(why) { var e = el(); if (e) e.textContent = 'Chart not drawn: ' + why; }\n` +
    `  function plot(P) { var e = el(); if (e) P.newPlot(e, fig.data, fig.layout, fig.config || {}); }\n` +
    `  function draw() {\n` +
    `    if (w.Plotly && w.Plotly.newPlot) return plot(w.Plotly);\n` +
    `    if (w.tweetlabPlotly) return w.tweetlabPlotly.then(function (P) { if (P && P.newPlot) plot(P); else fail(${jsonForScript(MISSING_BUNDLE)}); },\n` +
    `      function (err) { fail(String((err && err.message) || err)); });\n` +
    `    if (tries++ !== 100) return void setTimeout(draw, 100);\n` +
    `    fail(${jsonForScript(MISSING_BUNDLE)});\n` +
    `  }\n` +
    `  draw();\n` +
    `})();\n` +
    `</script>`
  );
}

/** Path of the local minified plotly bundle (plotly.js-dist-min). */
export function plotlyBundlePath(): string {
  try {
    return require.resolve('plotly.js-dist-min/plotly.min.js');
  } catch {
    throw new TweetlabError('Cannot find the plotly bundle plotly.js-dist-min/plotly.min.js: run npm ci.');
  }
}

/**
 * A <script> that defines `window.tweetlabPlotly`, a promise of window.Plotly: it unpacks `code` (gzip, base64)
 * and runs it in a function whose `define`, `module`, `exports` and `require` are undefined, so the UMD bundle
 * sets window.Plotly even under require.js. Does nothing if the page already has Plotly or another copy.
 */
export function plotlyLoaderScript(code: string): string {
  const packed = gzipSync(Buffer.from(code, 'utf8'), { level: 9 }).toString('base64');
  return (
    `<script type="text/javascript" data-tweetlab="plotly-bundle">\n` +
    `(function () {\n` +
    `  var w = window;\n` +
    `  if (w.Plotly || w.tweetlabPlotly) return;\n` +
    `  var packed = "${packed}";\n` +
    `  w.tweetlabPlotly = (function () {\n` +
    `    if (typeof DecompressionStream === 'undefined') {\n` +
    `      return Promise.reject(new Error('this browser cannot unpack the page\\'s plotly.js (it needs Chrome 80, Firefox 113, Safari 16.4 or newer).'));\n` +
    `    }\n` +
    `    var bin = atob(packed), bytes = new Uint8Array(bin.length);\n` +
    `    for (var i = 0; i !== bin.length; i++) bytes[i] = bin.charCodeAt(i);\n` +
    `    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));\n` +
    `    return new Response(stream).text().then(function (source) {\n` +
    `      new Function('define', 'module', 'exports', 'require', source).call(w);\n` +
    `      return w.Plotly;\n` +
    `    });\n` +
    `  })();\n` +
    `  w.tweetlabPlotly.catch(function () {});\n` +
    `})();\n` +
    `</script>`
  );
}

let cachedBundle: { path: string; script: string } | undefined;

/** The local minified plotly.js as one loader <script> (plotlyLoaderScript); built once per process. */
export function plotlyBundleScript(): string {
  const file = plotlyBundlePath();
  if (!cachedBundle || cachedBundle.path !== file) {
    cachedBundle = { path: file, script: plotlyLoaderScript(readFileSync(file, 'utf8')) };
  }
  return cachedBundle.script;
}
