import { formatDuration } from '../util/format.js';

/**
 * The main job's progress inside an epoch. On a terminal: one line redrawn in place with `\r` — a bar over the
 * epoch's batches, the running loss, the time left in this epoch and in the whole run. Elsewhere (CI logs, a
 * pipe): plain lines, at most one every `plainEverySeconds`. Formatting is pure; TerminalProgress only decides
 * when to write.
 */

/** Where one batch of one model stands. */
export interface BatchStatus {
  /** Which model ("Model 1"). */
  label?: string;
  epoch: number;
  epochs: number;
  /** Batches done in this epoch (1-based). */
  batch: number;
  batches: number;
  /** Running mean loss of this epoch. */
  loss: number;
}

/** A BatchStatus with the estimates the renderer adds. */
export interface BatchLine extends BatchStatus {
  /** Seconds left in this epoch, if known. */
  epochEta?: number;
  /** Seconds left in the whole run, if known. */
  runEta?: number;
  /** The run's time left is an upper bound (a model with early stopping may end sooner): shown as "≤". */
  runEtaBound?: boolean;
}

/** "[██████░░░░]": `width` cells, the done share filled. */
export function formatBar(fraction: number, width: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.round(f * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(Math.max(0, width - filled))}]`;
}

/** Seconds left when `done` of `total` units took `elapsed` seconds; undefined before the first unit. */
export function etaSeconds(done: number, total: number, elapsed: number): number | undefined {
  if (done <= 0 || !Number.isFinite(elapsed)) return undefined;
  return (elapsed / done) * Math.max(0, total - done);
}

/** The words of a progress line after the bar: "40/120 · loss 5.1234 · epoch 0:32 left · run 6:10 left". */
function details(s: BatchLine): string {
  const parts = [`${s.batch}/${s.batches}`, `loss ${s.loss.toFixed(4)}`];
  if (s.epochEta !== undefined) parts.push(`epoch ${formatDuration(s.epochEta)} left`);
  if (s.runEta !== undefined) parts.push(`run ${s.runEtaBound ? '≤ ' : ''}${formatDuration(s.runEta)} left`);
  return parts.join(' · ');
}

/**
 * One terminal line of at most `columns` characters:
 * "Model 1 · epoch 2/6 [██████░░░░] 40/120 · loss 5.1234 · epoch 0:32 left · run 6:10 left".
 * The bar shrinks (down to 10 cells, then disappears) before anything else is cut.
 */
export function formatBatchLine(s: BatchLine, columns = 100): string {
  const head = `${s.label ? `${s.label} · ` : ''}epoch ${s.epoch}/${s.epochs}`;
  const tail = details(s);
  const room = columns - head.length - tail.length - 4; // spaces and the bar's brackets
  if (room >= 10) return `${head} ${formatBar(s.batch / s.batches, Math.min(30, room))} ${tail}`;
  const plain = `${head} · ${tail}`;
  return plain.length > columns ? plain.slice(0, Math.max(0, columns - 1)) + '…' : plain;
}

export interface TerminalProgressOptions {
  write: (text: string) => void;
  /** A terminal: redraw one line with `\r`. Otherwise plain lines. */
  isTTY: boolean;
  /** Terminal width. Default (also for 0: a pseudo-terminal that reports no size, such as `script`'s) 100. */
  columns?: number;
  /** Batches of the whole run (every model, every epoch), for the run's time left. */
  runBatches?: number;
  /** Milliseconds clock. Default performance.now. */
  now?: () => number;
  /** Not a terminal: at most one plain line this often. Default 30. */
  plainEverySeconds?: number;
  /** A terminal: at most one redraw this often. Default 100 ms. */
  redrawMs?: number;
}

/** Draws BatchStatus updates; `line()` prints a finished line (e.g. an epoch summary) above the bar. */
export class TerminalProgress {
  private readonly now: () => number;
  private runStart: number;
  private runDone = 0;
  private epochKey = '';
  private epochStart = 0;
  private epochFirstBatch = 0;
  private lastDraw = -Infinity;
  private barShown = false;
  private runBatches: number | undefined;
  private runBound = false;

  constructor(private readonly opts: TerminalProgressOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.runStart = this.now();
    this.runBatches = opts.runBatches;
  }

  /** Sets the batches of the whole run once they are known; `upperBound`: the run may need fewer. */
  planRun(runBatches: number, upperBound = false): void {
    this.runBatches = runBatches > 0 ? runBatches : undefined;
    this.runBound = upperBound;
    // The run's rate is measured from here: loading and preparing the data are not batches.
    this.runStart = this.now();
    this.runDone = 0;
  }

  /** Records one finished batch and redraws (throttled). The last batch of an epoch always draws. */
  batch(status: BatchStatus): void {
    const t = this.now();
    const key = `${status.label ?? ''}/${status.epoch}`;
    if (key !== this.epochKey) {
      // The epoch's rate is measured from the end of its first batch (validation and checkpoints between
      // epochs would otherwise count as batch time), so its first estimate comes with the second batch.
      this.epochKey = key;
      this.epochStart = t;
      this.epochFirstBatch = status.batch;
    }
    this.runDone += 1;
    const line: BatchLine = {
      ...status,
      epochEta: etaSeconds(status.batch - this.epochFirstBatch, status.batches - this.epochFirstBatch, (t - this.epochStart) / 1000),
      runEta: this.runBatches ? etaSeconds(this.runDone, this.runBatches, (t - this.runStart) / 1000) : undefined,
      runEtaBound: this.runBound,
    };
    const last = status.batch >= status.batches;
    const interval = this.opts.isTTY ? (this.opts.redrawMs ?? 100) : (this.opts.plainEverySeconds ?? 30) * 1000;
    if (!last && t - this.lastDraw < interval) return;
    this.lastDraw = t;
    if (this.opts.isTTY) {
      this.opts.write(`\r${formatBatchLine(line, this.width() - 1)}\x1b[K`);
      this.barShown = true;
    } else if (!last) {
      // The epoch's own summary line follows its last batch, so a plain line then would say nothing new.
      this.opts.write(formatBatchLine(line, Number.MAX_SAFE_INTEGER) + '\n');
    }
  }

  /** The width to draw in: the terminal's when it reports one, else 100. */
  private width(): number {
    const c = this.opts.columns;
    return c !== undefined && Number.isFinite(c) && c > 0 ? c : 100;
  }

  /** Prints a finished line: on a terminal it replaces the bar, which the next batch draws again below it. */
  line(text: string): void {
    this.clear();
    this.opts.write(text.endsWith('\n') ? text : text + '\n');
  }

  /** Removes the bar (call before other output, or at the end). */
  clear(): void {
    if (this.opts.isTTY && this.barShown) this.opts.write('\r\x1b[K');
    this.barShown = false;
  }
}
