import { formatEpoch } from '../model/progress.js';
import type { EpochRecord } from '../model/config-file.js';
import type { TrainProgress } from '../model/train.js';
import type { BatchInfo } from '../model/types.js';
import { OWN_MODEL_NAME } from '../pipeline/own.js';
import type { PlannedTraining } from '../pipeline/types.js';
import { TerminalProgress } from './progress-bar.js';

/**
 * The main job's progress on a terminal: the pipeline's hooks (plan, batches and epochs of the report's models
 * and of tweetlab's model) drawn as one TerminalProgress bar inside each epoch — batches, running loss, the
 * epoch's time left and the run's — with each finished epoch printed as a line above it. Off a terminal the
 * job keeps its plain epoch lines (src/model/progress.ts) and this is not used.
 */
export interface RunProgressOptions {
  /** Raw writes to the terminal (no newline added). */
  write: (text: string) => void;
  /** Terminal width. Default 100. */
  columns?: number;
  /** Milliseconds clock (tests). Default performance.now. */
  now?: () => number;
  /** Minimum milliseconds between redraws. Default 100. */
  redrawMs?: number;
}

export class RunProgress {
  private readonly bar: TerminalProgress;
  private readonly epochsOf = new Map<string, number>();
  /** Running mean of tweetlab's model's batch losses in its current epoch. */
  private own = { epoch: 0, sum: 0, count: 0 };

  constructor(private readonly opts: RunProgressOptions) {
    this.bar = new TerminalProgress({
      write: opts.write,
      isTTY: true,
      columns: opts.columns ?? 100,
      ...(opts.now ? { now: opts.now } : {}),
      redrawMs: opts.redrawMs ?? 100,
    });
  }

  /** The models of the run: their batches make the run's time left (an upper bound with early stopping). */
  plan(models: readonly PlannedTraining[]): void {
    for (const m of models) this.epochsOf.set(m.name, m.epochs);
    const total = models.reduce((sum, m) => sum + m.epochs * m.batchesPerEpoch, 0);
    this.bar.planRun(total, models.some((m) => m.earlyStopping));
  }

  /** A batch of one of the report's models. */
  reportBatch(model: string, p: TrainProgress): void {
    this.bar.batch({ label: model, epoch: p.epoch, epochs: p.epochs, batch: p.batch, batches: p.batches, loss: p.epochLoss });
  }

  /** A finished epoch of one of the report's models: its line (as off a terminal) above the bar. */
  reportEpoch(model: string, r: EpochRecord): void {
    this.bar.line(formatEpoch(r, this.epochsOf.get(model), model));
  }

  /** A batch of tweetlab's model (its hook gives the batch's loss; the bar shows the epoch's running mean). */
  ownBatch(epoch: number, b: BatchInfo): void {
    if (epoch !== this.own.epoch) this.own = { epoch, sum: 0, count: 0 };
    this.own.sum += b.loss;
    this.own.count += 1;
    const epochs = this.epochsOf.get(OWN_MODEL_NAME) ?? epoch;
    this.bar.batch({ label: OWN_MODEL_NAME, epoch, epochs, batch: b.batch, batches: b.batches, loss: this.own.sum / this.own.count });
  }

  /** Prints a finished line above the bar (the bar comes back with the next batch). */
  line(text: string): void {
    this.bar.line(text);
  }

  /** Removes the bar before other output goes to the terminal (another stream) or at the end. */
  clear(): void {
    this.bar.clear();
  }
}
