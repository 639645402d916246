import type { EpochRecord } from './config-file.js';
import type { TrainProgress } from './train.js';
import { formatProgress as formatStatus } from '../util/format.js';

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

export { formatDuration } from '../util/format.js';

/** One progress line: "Model 1 · epoch 3/10 · batch 12/54 · loss 5.1234 · 1:02 elapsed · ETA 4:10". */
export function formatProgress(p: TrainProgress, label?: string): string {
  return formatStatus({
    ...(label ? { label } : {}),
    epoch: p.epoch,
    epochs: p.epochs,
    batch: p.batch,
    batches: p.batches,
    loss: p.epochLoss,
    elapsed: p.elapsed,
    eta: p.eta,
  });
}

/** One line per finished epoch: "Model 1 · epoch 3/10 · loss 5.1234 · val loss 5.3 · val perplexity 200.1 · 12.3 s". */
export function formatEpoch(r: EpochRecord, epochs?: number, label?: string): string {
  const val = r.valLoss === null ? '' : ` · val loss ${r.valLoss.toFixed(4)} · val perplexity ${(r.valPerplexity ?? NaN).toFixed(1)}`;
  const head = formatStatus({ ...(label ? { label } : {}), epoch: r.epoch, ...(epochs ? { epochs } : {}), loss: r.loss });
  return `${head}${val} · ${r.seconds.toFixed(1)} s`;
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
