import type { EpochRecord } from './io.js';
import type { TrainProgress } from './train.js';

/**
 * A progress printer a person can watch: on a terminal one line redrawn in place (\r), elsewhere (CI logs,
 * pipes) one line per finished epoch. Pass its methods as trainModel's onProgress / onEpoch.
 */
export interface ProgressPrinter {
  onProgress(p: TrainProgress): void;
  onEpoch(r: EpochRecord): void;
  /** Ends an in-place line (call when training stops). */
  finish(): void;
}

export interface ProgressPrinterOptions {
  /** Writes raw text (no newline added), e.g. `(t) => process.stderr.write(t)`. */
  write: (text: string) => void;
  /** Redraw in place. Default: false (a line per epoch). */
  tty?: boolean;
  /** Prefix of every line, e.g. "Model 1". */
  label?: string;
  /** Minimum milliseconds between redraws on a terminal. Default 100. */
  intervalMs?: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(r).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** One progress line: "Model 1 epoch 3/10 batch 12/54 loss 5.1234 elapsed 01:02 eta 04:10". */
export function formatProgress(p: TrainProgress, label?: string): string {
  return (
    `${label ? label + ' ' : ''}epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches} ` +
    `loss ${p.epochLoss.toFixed(4)} elapsed ${formatDuration(p.elapsed)} eta ${formatDuration(p.eta)}`
  );
}

export function formatEpoch(r: EpochRecord, epochs?: number, label?: string): string {
  const val = r.valLoss === null ? '' : ` val_loss ${r.valLoss.toFixed(4)} val_ppl ${(r.valPerplexity ?? NaN).toFixed(1)}`;
  return `${label ? label + ' ' : ''}epoch ${r.epoch}${epochs ? '/' + epochs : ''} loss ${r.loss.toFixed(4)}${val} (${r.seconds.toFixed(1)} s)`;
}

export function createProgressPrinter(opts: ProgressPrinterOptions): ProgressPrinter {
  const interval = opts.intervalMs ?? 100;
  let last = 0;
  let open = false;
  let width = 0;
  let epochs: number | undefined;
  return {
    onProgress(p) {
      epochs = p.epochs;
      if (!opts.tty) return;
      const now = Date.now();
      if (now - last < interval && p.batch !== p.batches) return;
      last = now;
      const line = formatProgress(p, opts.label);
      opts.write('\r' + line.padEnd(width));
      width = line.length;
      open = true;
    },
    onEpoch(r) {
      const line = formatEpoch(r, epochs, opts.label);
      opts.write((open ? '\r' : '') + line.padEnd(open ? width : 0) + '\n');
      open = false;
      width = 0;
    },
    finish() {
      if (open) opts.write('\n');
      open = false;
    },
  };
}
