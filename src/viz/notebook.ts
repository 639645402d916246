import * as path from 'node:path';
import type { Describe } from '../types.js';
import type { Figure } from './types.js';
import { describeFromFrame, frameRows, type FrameLike } from '../analysis/frame.js';
import { escapeHtml, sanitizeFigure } from './escape.js';
import { pageSetupHtml } from './page-setup.js';
import { renderFigureHtml } from './plotly.js';
import { TABLE_CSS, describeTableHtml, htmlTable, type DescribeTableOptions, type TableOptions, type TableRow } from './tables.js';
import { LiveFigure, ProgressDisplay, type DisplaySink, type MimeBundle } from './live-output.js';

/**
 * Notebook display: the second sink of the one renderer. Under the tslab kernel, outputs go to Jupyter as
 * display_data messages carrying several MIME types at once (text/html for the classic notebook and
 * nbconvert, application/vnd.plotly.v1+json that JupyterLab renders natively, text/plain as a fallback).
 * Outside a kernel (CLI, tests, plain node) the same calls print a short text line instead, so library code
 * may call them anywhere.
 */

export type { DisplaySink, MimeBundle } from './live-output.js';

type TslabWriter = (msg: { data: MimeBundle; metadata: object; transient: { display_id?: string } }, update?: boolean) => void;

let tslabJupyterKey: string | undefined;

/**
 * tslab's current display writer, if this process is a tslab kernel running a cell. Read from the module
 * cache rather than require('tslab'), so it is the very instance the kernel uses (local or global install) and
 * nothing heavy is loaded outside a kernel.
 */
function tslabWriter(): TslabWriter | undefined {
  const suffix = path.join('tslab', 'dist', 'jupyter.js');
  const cache = require.cache;
  if (tslabJupyterKey && cache[tslabJupyterKey]) {
    const w = (cache[tslabJupyterKey]!.exports as { lastWriteDisplayData?: TslabWriter }).lastWriteDisplayData;
    if (w) return w;
  }
  for (const [key, mod] of Object.entries(cache)) {
    if (!key.endsWith(suffix) || !mod) continue;
    const w = (mod.exports as { lastWriteDisplayData?: TslabWriter }).lastWriteDisplayData;
    if (w) {
      tslabJupyterKey = key;
      return w;
    }
  }
  return undefined;
}

/** True when running inside a tslab kernel cell (outputs become rich notebook outputs). */
export function inNotebook(): boolean {
  return tslabWriter() !== undefined;
}

/** The sink used when no other is given: tslab when present, else one text line per output on stdout. */
export const defaultSink: DisplaySink = {
  show(bundle, displayId, update) {
    const writer = tslabWriter();
    if (writer) {
      writer({ data: bundle, metadata: {}, transient: displayId ? { display_id: displayId } : {} }, update);
      return;
    }
    const text = bundle['text/plain'];
    if (typeof text === 'string' && text.length > 0) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  },
  cell: () => tslabWriter(),
};

let idCounter = 0;
/** A page-unique id: process id and start time keep outputs of different kernel sessions apart. */
function nextId(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${process.pid.toString(36)}${Date.now().toString(36)}-${idCounter}`;
}

/** No cell yet: differs from every value a sink's cell() returns. */
const NO_CELL = Symbol('no cell');

/**
 * Sends figures, tables and HTML to a sink. plotly.js goes out once per page, with setupPage() in the
 * notebook's first cell, so re-running any other cell never removes it. A notebook that never calls
 * setupPage() still draws: then the first chart of every cell run carries the bundle itself.
 */
export class NotebookDisplay {
  private pageReady = false;
  private bundleCell: unknown = NO_CELL;

  constructor(private readonly sink: DisplaySink = defaultSink) {}

  /**
   * The page's shared parts in one output: plotly.js for every chart below it, and the style that wraps long
   * code lines in exported HTML. Call it in the first cell; each run of that cell sends it again.
   */
  setupPage(): void {
    const { html, plain } = pageSetupHtml();
    this.sink.show({ 'text/html': html, 'text/plain': plain });
    this.pageReady = true;
  }

  /** The table styles go with every table: a few hundred bytes, and no table depends on another output. */
  private style(): string {
    return `<style>${TABLE_CSS}</style>`;
  }

  /** Shows a chart: HTML with a require.js-safe draw script, plus the plotly MIME type for JupyterLab. */
  figure(fig: Figure): void {
    this.sink.show(this.figureBundle(fig, false));
  }

  /**
   * A chart's MIME bundle. Without setupPage() the bundle travels with the first chart of each cell run, and with
   * every state of a live chart (an update replaces the output, so each state must be able to draw alone).
   */
  private figureBundle(fig: Figure, live: boolean): MimeBundle {
    let html = renderFigureHtml(fig, { divId: nextId('tweetlab-plot') });
    const cell = this.sink.cell ? this.sink.cell() : undefined;
    if (!this.pageReady && (live || cell !== this.bundleCell)) {
      html = pageSetupHtml().bundle + '\n' + html;
      if (!live) this.bundleCell = cell;
    }
    const title = figureTitle(fig);
    return {
      'text/html': html,
      'application/vnd.plotly.v1+json': sanitizeFigure(fig),
      'text/plain': `[chart${title ? ': ' + title : ''}]`,
    };
  }

  /** A chart that is redrawn in place (Jupyter's update_display_data): a loss curve while a model trains. */
  liveFigure(): LiveFigure {
    return new LiveFigure(this.sink, nextId('tweetlab-live'), (fig) => this.figureBundle(fig, true));
  }

  /** Shows rows as an HTML table (every cell escaped). */
  table(rows: TableRow[], opts: TableOptions = {}): void {
    this.sink.show({
      'text/html': this.style() + htmlTable(rows, opts),
      'text/plain': plainTable(rows, opts),
    });
  }

  /** Shows describe() results as pandas prints them (rows count … max, one column per series). */
  describe(describe: Describe | Record<string, Describe>, opts: DescribeTableOptions = {}): void {
    const html = describeTableHtml(describe, opts);
    this.sink.show({ 'text/html': this.style() + html, 'text/plain': '[describe() table]' });
  }

  /**
   * Shows a DataFrame (danfojs, or anything with index, columns and values) as pandas prints it: the index as
   * the first, unnamed column. `describe: true` marks it as a describe() table.
   */
  frame(frame: FrameLike, opts: TableOptions & { describe?: boolean } = {}): void {
    const { describe, ...table } = opts;
    if (describe) {
      this.describe(describeFromFrame(frame), { caption: table.caption, ...(table.digits !== undefined ? { digits: table.digits } : {}) });
      return;
    }
    const { columns, rows } = frameRows(frame);
    this.table(rows, { ...table, columns });
  }

  /** Shows an object as a two-column table (setting, value); nested values are shown as JSON. */
  keyValues(values: object, opts: { caption?: string; keyHeader?: string; valueHeader?: string } = {}): void {
    const keyHeader = opts.keyHeader ?? 'setting';
    const valueHeader = opts.valueHeader ?? 'value';
    const rows = Object.entries(values)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => ({ [keyHeader]: k, [valueHeader]: v }));
    this.table(rows, { columns: [keyHeader, valueHeader], caption: opts.caption });
  }

  /** Shows HTML produced by this module's renderers (never raw post text: use text() or escapeHtml). */
  html(html: string, plain = ''): void {
    this.sink.show({ 'text/html': html, 'text/plain': plain });
  }

  /** Shows text as-is (escaped in the HTML view). */
  text(text: string): void {
    this.sink.show({ 'text/html': `<pre>${escapeHtml(text)}</pre>`, 'text/plain': text });
  }

  /** An output that updates in place while a long cell runs (training progress). */
  progress(title = 'progress'): ProgressDisplay {
    return new ProgressDisplay(this.sink, nextId('tweetlab-progress'), title);
  }
}

function figureTitle(fig: Figure): string {
  const t = fig.layout.title;
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text;
  return '';
}

function plainCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && !(value instanceof Date)) return JSON.stringify(value);
  return String(value);
}

function plainTable(rows: TableRow[], opts: TableOptions): string {
  const columns = opts.columns ?? [...new Set(rows.flatMap((r) => (Array.isArray(r) ? [] : Object.keys(r))))];
  const lines = [columns.join('\t')];
  const shown = opts.maxRows !== undefined ? rows.slice(0, opts.maxRows) : rows;
  for (const row of shown) {
    lines.push(columns.map((c, i) => plainCell(Array.isArray(row) ? row[i] : (row as Record<string, unknown>)[c])).join('\t'));
  }
  return lines.join('\n');
}

export { formatDuration, formatProgress, type ProgressStatus } from '../util/format.js';
export { ProgressDisplay, LiveFigure } from './live-output.js';

/** The display used by the notebooks (tslab when present, stdout otherwise). */
export const notebook = new NotebookDisplay();

/** Sends plotly.js (once for the page) and the page's styles: the first line of every notebook. */
export function setupPage(): void {
  notebook.setupPage();
}

/** Shows a chart in the notebook (drawn by the plotly.js that setupPage() sent). */
export function display(fig: Figure): void {
  notebook.figure(fig);
}

/** Shows rows as an escaped HTML table in the notebook. */
export function displayTable(rows: TableRow[], opts: TableOptions = {}): void {
  notebook.table(rows, opts);
}

/** Shows a DataFrame (danfojs) as pandas prints it, index first; `describe: true` for describe() frames. */
export function displayFrame(frame: FrameLike, opts: TableOptions & { describe?: boolean } = {}): void {
  notebook.frame(frame, opts);
}

/** Shows an object (a configuration, versions) as a two-column table. */
export function displayKeyValues(values: object, opts: { caption?: string; keyHeader?: string; valueHeader?: string } = {}): void {
  notebook.keyValues(values, opts);
}

/** Shows describe() results with pandas' rows. */
export function displayDescribe(describe: Describe | Record<string, Describe>, opts: DescribeTableOptions = {}): void {
  notebook.describe(describe, opts);
}

/** Shows HTML made by the viz renderers. */
export function displayHtml(html: string): void {
  notebook.html(html);
}

/** A chart output that is redrawn in place while a cell runs. */
export function createLiveFigure(): LiveFigure {
  return notebook.liveFigure();
}

/** An output that updates in place while a cell runs. */
export function createProgress(title = 'progress'): ProgressDisplay {
  return notebook.progress(title);
}
