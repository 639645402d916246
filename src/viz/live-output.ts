import { escapeHtml } from './escape.js';
import type { Figure } from './types.js';
import { formatProgress, type ProgressStatus } from '../util/format.js';

/**
 * Outputs that change while a cell runs: each is one Jupyter output, first sent with a display id and then
 * replaced in place (update_display_data), so the saved notebook keeps its last state.
 */

/** The MIME bundle of one display_data message. */
export type MimeBundle = Record<string, unknown>;

/**
 * Where outputs go. `displayId` makes an output updatable: a later call with the same id and `update: true`
 * replaces it in place (Jupyter's update_display_data).
 */
export interface DisplaySink {
  show(bundle: MimeBundle, displayId?: string, update?: boolean): void;
  /** The cell execution now running (under tslab: its display writer), so a display can tell a new run. */
  cell?(): unknown;
}

/** A chart redrawn in place; every state carries what it needs to draw on its own (see NotebookDisplay). */
export class LiveFigure {
  private started = false;

  constructor(
    private readonly sink: DisplaySink,
    private readonly displayId: string,
    private readonly bundleOf: (fig: Figure) => MimeBundle,
  ) {}

  /** Shows `fig`: the first call adds the output, later calls replace it. */
  show(fig: Figure): void {
    this.sink.show(this.bundleOf(fig), this.displayId, this.started);
    this.started = true;
  }
}

/**
 * One output that is replaced in place on each update (tslab sends update_display_data with a display id).
 * Updates are throttled to a few per second so a fast batch loop does not flood the notebook; outside a
 * notebook each update is a line on stdout, throttled the same way. Finished lines (done/log) always show.
 */
export class ProgressDisplay {
  private lastShown = 0;
  private started = false;
  private readonly history: string[] = [];

  constructor(
    private readonly sink: DisplaySink,
    private readonly displayId: string,
    private readonly title: string,
    /** Minimum milliseconds between two in-place updates. */
    private readonly intervalMs = 300,
  ) {}

  /** Replaces the live line (throttled). */
  update(status: ProgressStatus | string, force = false): void {
    const now = Date.now();
    if (!force && this.started && now - this.lastShown < this.intervalMs) return;
    this.lastShown = now;
    this.render(typeof status === 'string' ? status : formatProgress(status));
  }

  /** Keeps a line permanently above the live line (e.g. one per finished epoch). */
  log(line: string): void {
    this.history.push(line);
    this.render('', true);
  }

  /** Final state: the kept lines and a last message. */
  done(message = 'done'): void {
    this.render(message, true);
  }

  private render(live: string, always = false): void {
    if (!always && live === '') return;
    const lines = [...this.history, ...(live ? [live] : [])];
    const html =
      `<div class="tweetlab-progress"><b>${escapeHtml(this.title)}</b>` +
      `<pre style="margin:2px 0">${lines.map(escapeHtml).join('\n')}</pre></div>`;
    const plain = `${this.title}: ${live || this.history[this.history.length - 1] || ''}`;
    this.sink.show({ 'text/html': html, 'text/plain': plain }, this.displayId, this.started);
    this.started = true;
  }
}
