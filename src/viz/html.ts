import { readFileSync } from 'node:fs';
import type { Describe } from '../types.js';
import { TweetlabError } from '../errors.js';
import type { Figure } from './types.js';

/**
 * The one HTML renderer behind both sinks: notebook outputs (see notebook.ts) and the standalone report page.
 * Post text is untrusted, so every text that reaches HTML goes through escapeHtml, and every JSON that reaches
 * a <script> goes through jsonForScript.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Bidirectional controls (embeddings, overrides, isolates, LRM/RLM) let a post reorder the text around it
 * ("Trojan Source"); a post must be shown, not obeyed, so each becomes a visible `[U+202E]` (issue 15).
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F]/g;

/** Replaces every bidirectional control character by its visible code, e.g. `[U+202E]`. */
export function showBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** Escapes text for HTML element content and quoted attribute values (bidi controls shown, not obeyed). */
export function escapeHtml(text: unknown): string {
  return showBidiControls(String(text ?? '')).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON that is safe inside an inline <script>: no `</script>`, `<!--`, or line separators can end the script
 * or change how it parses, whatever the strings contain.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Plotly renders strings as a small HTML subset (<b>, <a href>, <br>). Strings in our figures may hold post
 * text, so `<` and `>` become entities that plotly shows literally instead of interpreting. Keys ending in
 * "template" (hovertemplate, texttemplate) are left alone: they are written by figure builders, which must
 * escape any data they interpolate into them (escapeHtml).
 */
export function sanitizeFigure(fig: Figure): Figure {
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') return showBidiControls(v).replace(/</g, '&lt;').replace(/>/g, '&gt;');
    if (Array.isArray(v)) return v.map(clean);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[k] = /template$/i.test(k) ? inner : clean(inner);
      return out;
    }
    return v;
  };
  return clean(fig) as Figure;
}

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
 * A chart as HTML: a <div class="tweetlab-plot"> plus a script that draws it with `window.Plotly`. It never
 * calls require() or define(), so require.js (classic notebook, nbconvert's HTML) cannot intercept it. If the
 * bundle is not there yet it retries for a few seconds, then says so inside the div instead of failing silently.
 * The bundle itself comes from plotlyBundleScript(), once per page.
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
    `  var tries = 0;\n` +
    `  function draw() {\n` +
    `    var el = document.getElementById(${jsonForScript(id)});\n` +
    `    if (!el) return;\n` +
    `    if (window.Plotly && window.Plotly.newPlot) {\n` +
    `      window.Plotly.newPlot(el, fig.data, fig.layout, fig.config || {});\n` +
    `    } else if (tries++ < 50) {\n` +
    `      setTimeout(draw, 100);\n` +
    `    } else {\n` +
    `      el.textContent = 'Chart not drawn: the plotly bundle was not loaded on this page (re-run the first chart cell).';\n` +
    `    }\n` +
    `  }\n` +
    `  draw();\n` +
    `})();\n` +
    `</script>`
  );
}

let cachedBundle: { path: string; text: string } | undefined;

/** Path of the local plotly bundle: plotly.js-dist-min when installed (smaller), else plotly.js-dist. */
export function plotlyBundlePath(): string {
  for (const candidate of ['plotly.js-dist-min/plotly.min.js', 'plotly.js-dist/plotly.js']) {
    try {
      return require.resolve(candidate);
    } catch {
      // try the next one
    }
  }
  throw new TweetlabError('Cannot find the plotly bundle: install plotly.js-dist (npm install plotly.js-dist).');
}

/**
 * The local plotly.js bundle as one inline <script>. The bundle is a UMD module: under require.js it would
 * call define() and never set window.Plotly, so it runs inside a function whose `define`, `module` and
 * `exports` are undefined, and it then sets `window.Plotly` itself. Skipped if Plotly is already on the page.
 */
export function plotlyBundleScript(): string {
  const file = plotlyBundlePath();
  if (!cachedBundle || cachedBundle.path !== file) {
    cachedBundle = { path: file, text: readFileSync(file, 'utf8') };
  }
  // Keep the bundle from closing the <script> element early (it contains neither today; this keeps it so).
  const body = cachedBundle.text.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
  return (
    `<script type="text/javascript" data-tweetlab="plotly-bundle">\n` +
    `if (!window.Plotly) {\n` +
    `(function (define, module, exports, require) {\n${body}\n}).call(window);\n` +
    `}\n` +
    `</script>`
  );
}

/** One table cell: numbers are formatted, everything else is escaped text. */
function formatCell(value: unknown, digits: number): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return escapeHtml(String(value));
    return Number.isInteger(value) ? String(value) : value.toFixed(digits);
  }
  if (value instanceof Date) return escapeHtml(value.toISOString());
  if (typeof value === 'object') return escapeHtml(JSON.stringify(value));
  return escapeHtml(value);
}

/** A row: an object keyed by column (any object type, e.g. Post) or an array in column order. */
export type TableRow = object | readonly unknown[];

export interface TableOptions {
  /** Column names, in order. Default: the keys of the object rows, in first-seen order. Required for array rows. */
  columns?: string[];
  /** Caption shown above the table. */
  caption?: string;
  /** Decimals for non-integer numbers. Default 4. */
  digits?: number;
  /** Show at most this many rows and say how many were left out. Default: all. */
  maxRows?: number;
  /** Extra CSS class of the <table>. */
  className?: string;
}

/** An HTML table of rows (objects keyed by column, or arrays in column order); every cell is escaped. */
export function htmlTable(rows: TableRow[], opts: TableOptions = {}): string {
  const digits = opts.digits ?? 4;
  let columns = opts.columns;
  if (!columns) {
    const seen = new Set<string>();
    for (const row of rows) {
      if (Array.isArray(row)) {
        throw new TweetlabError('htmlTable: rows given as arrays need the columns option.');
      }
      for (const key of Object.keys(row)) seen.add(key);
    }
    columns = [...seen];
  }
  const shown = opts.maxRows !== undefined ? rows.slice(0, Math.max(0, opts.maxRows)) : rows;
  const className = ['tweetlab-table', opts.className].filter(Boolean).join(' ');
  const parts: string[] = [`<table class="${escapeHtml(className)}">`];
  if (opts.caption !== undefined) parts.push(`<caption>${escapeHtml(opts.caption)}</caption>`);
  parts.push('<thead><tr>' + columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('') + '</tr></thead>');
  parts.push('<tbody>');
  for (const row of shown) {
    const cells = columns.map((c, i) => {
      const value = Array.isArray(row) ? row[i] : (row as Record<string, unknown>)[c];
      const numeric = typeof value === 'number' ? ' class="num"' : '';
      return `<td${numeric}>${formatCell(value, digits)}</td>`;
    });
    parts.push('<tr>' + cells.join('') + '</tr>');
  }
  parts.push('</tbody>');
  if (shown.length < rows.length) {
    parts.push(
      `<tfoot><tr><td colspan="${columns.length}">… ${rows.length - shown.length} more rows not shown</td></tr></tfoot>`,
    );
  }
  parts.push('</table>');
  return parts.join('');
}

/** pandas' describe() row labels, in pandas' order. */
export const DESCRIBE_ROW_LABELS = ['count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max'] as const;

const DESCRIBE_KEYS: Record<(typeof DESCRIBE_ROW_LABELS)[number], keyof Describe> = {
  count: 'count',
  mean: 'mean',
  std: 'std',
  min: 'min',
  '25%': 'q25',
  '50%': 'q50',
  '75%': 'q75',
  max: 'max',
};

function isDescribe(value: unknown): value is Describe {
  return (
    value !== null &&
    typeof value === 'object' &&
    (Object.keys(DESCRIBE_KEYS) as (keyof typeof DESCRIBE_KEYS)[]).every(
      (label) => typeof (value as Record<string, unknown>)[DESCRIBE_KEYS[label]] === 'number',
    )
  );
}

export interface DescribeTableOptions {
  /** Caption above the table. */
  caption?: string;
  /** Decimals, as pandas prints them. Default 6. */
  digits?: number;
}

/**
 * describe() as pandas shows it: one row per statistic (count, mean, std, min, 25%, 50%, 75%, max) and one
 * column per series. Pass one Describe (column "value") or several by name ({ words: d1, chars: d2 }).
 */
export function describeTableHtml(
  describe: Describe | Record<string, Describe>,
  opts: DescribeTableOptions = {},
): string {
  const digits = opts.digits ?? 6;
  const named: Record<string, Describe> = isDescribe(describe) ? { value: describe } : describe;
  const names = Object.keys(named);
  for (const name of names) {
    if (!isDescribe(named[name])) {
      throw new TweetlabError(`describeTableHtml: "${name}" is not a describe() result (count, mean, std, min, q25, q50, q75, max).`);
    }
  }
  const parts: string[] = ['<table class="tweetlab-table tweetlab-describe">'];
  if (opts.caption !== undefined) parts.push(`<caption>${escapeHtml(opts.caption)}</caption>`);
  parts.push('<thead><tr><th></th>' + names.map((n) => `<th>${escapeHtml(n)}</th>`).join('') + '</tr></thead>');
  parts.push('<tbody>');
  for (const label of DESCRIBE_ROW_LABELS) {
    const key = DESCRIBE_KEYS[label];
    const cells = names.map((n) => {
      const v = named[n]![key];
      return `<td class="num">${Number.isFinite(v) ? v.toFixed(digits) : escapeHtml(String(v))}</td>`;
    });
    parts.push(`<tr><th>${label}</th>${cells.join('')}</tr>`);
  }
  parts.push('</tbody></table>');
  return parts.join('');
}

/**
 * Styles shared by notebook outputs and the report page. The doubled class outranks JupyterLab's and nbconvert's
 * `:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td { text-align: right }`, which would right-align post text.
 */
export const TABLE_CSS =
  '.tweetlab-table.tweetlab-table{border-collapse:collapse;margin:0.5em 0;font-size:13px}' +
  '.tweetlab-table.tweetlab-table th,.tweetlab-table.tweetlab-table td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}' +
  '.tweetlab-table.tweetlab-table td.num{text-align:right;font-variant-numeric:tabular-nums}' +
  '.tweetlab-table.tweetlab-table thead th{background:#f3f3f3}' +
  '.tweetlab-table.tweetlab-table caption{text-align:left;font-weight:bold;padding:4px 0}';

/** A block of a report section. Text is always escaped; `html` must come from this module's renderers. */
export type PageBlock =
  | { text: string }
  | { list: string[] }
  | { figure: Figure; caption?: string }
  | { table: TableRow[]; columns?: string[]; caption?: string; digits?: number; maxRows?: number }
  | { describe: Describe | Record<string, Describe>; caption?: string; digits?: number }
  | { html: string };

export interface PageSection {
  heading: string;
  blocks: PageBlock[];
}

export interface HtmlPageOptions {
  title: string;
  /** Lines under the title (source, date, backend …); escaped. */
  subtitle?: string[];
  sections: PageSection[];
  /** Footer line; escaped. */
  footer?: string;
}

/**
 * A standalone offline HTML page (the run report): every text escaped, the plotly bundle inlined once, one
 * div per chart with ids figure-1, figure-2, … in page order.
 */
export function renderHtmlPage(page: HtmlPageOptions): string {
  let figureCount = 0;
  const body: string[] = [];
  body.push(`<h1>${escapeHtml(page.title)}</h1>`);
  for (const line of page.subtitle ?? []) body.push(`<p class="subtitle">${escapeHtml(line)}</p>`);
  const hasFigures = page.sections.some((s) => s.blocks.some((b) => 'figure' in b));
  if (hasFigures) body.push(plotlyBundleScript());
  page.sections.forEach((section, i) => {
    body.push(`<section id="section-${i + 1}">`);
    body.push(`<h2>${escapeHtml(section.heading)}</h2>`);
    for (const block of section.blocks) {
      if ('text' in block) body.push(`<p>${escapeHtml(block.text)}</p>`);
      else if ('list' in block) body.push('<ul>' + block.list.map((t) => `<li>${escapeHtml(t)}</li>`).join('') + '</ul>');
      else if ('figure' in block) {
        figureCount += 1;
        body.push('<figure>');
        body.push(renderFigureHtml(block.figure, { divId: `figure-${figureCount}` }));
        if (block.caption !== undefined) body.push(`<figcaption>${escapeHtml(block.caption)}</figcaption>`);
        body.push('</figure>');
      } else if ('table' in block) {
        body.push(
          htmlTable(block.table, {
            columns: block.columns,
            caption: block.caption,
            digits: block.digits,
            maxRows: block.maxRows,
          }),
        );
      } else if ('describe' in block) {
        body.push(describeTableHtml(block.describe, { caption: block.caption, digits: block.digits }));
      } else body.push(block.html);
    }
    body.push('</section>');
  });
  if (page.footer !== undefined) body.push(`<footer>${escapeHtml(page.footer)}</footer>`);
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${escapeHtml(page.title)}</title>\n` +
    '<style>' +
    'body{font-family:"Liberation Sans",Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}' +
    'h1{margin-bottom:0.2em}.subtitle{margin:0.1em 0;color:#555}section{margin-top:2em}' +
    'figure{margin:1em 0}figcaption{color:#555;font-size:13px}footer{margin-top:3em;color:#777;font-size:12px}' +
    TABLE_CSS +
    '</style>\n</head>\n<body>\n' +
    body.join('\n') +
    '\n</body>\n</html>\n'
  );
}
