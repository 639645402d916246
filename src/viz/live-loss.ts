import { lineChartFigure, SERIES_COLOURS } from './figures.js';
import type { Figure } from './types.js';

/**
 * A loss chart that grows while a model trains: the running mean of the training loss inside each epoch (a
 * point per batch, thinned to at most `maxPoints`), the training loss of every finished epoch, and its
 * validation (or development) loss. It only builds figures; `draw` puts them somewhere (a live notebook output,
 * LiveFigure). Batches redraw at most every `everyMs`; a finished epoch always redraws.
 */
export interface LiveLossChartOptions {
  title: string;
  /** Name of the held-out series. Default "validation loss". */
  heldOutName?: string;
  /** Minimum milliseconds between two redraws for batches. Default 2000. */
  everyMs?: number;
  /** Most batch points kept (older ones are thinned). Default 300. */
  maxPoints?: number;
  /** Milliseconds clock (tests). Default performance.now. */
  now?: () => number;
}

/** One finished epoch as the chart needs it. */
export interface LossPoint {
  epoch: number;
  loss: number;
  valLoss: number | null;
}

export class LiveLossChart {
  private batchX: number[] = [];
  private batchY: number[] = [];
  /** Keep every `stride`-th batch point (doubles whenever the points would exceed maxPoints). */
  private stride = 1;
  private seen = 0;
  private readonly epochs: LossPoint[] = [];
  private lastDraw = -Infinity;
  private readonly now: () => number;

  constructor(
    private readonly draw: (fig: Figure) => void,
    private readonly opts: LiveLossChartOptions,
  ) {
    this.now = opts.now ?? (() => performance.now());
  }

  /** Epochs trained before (a continued model): shown at once. */
  history(points: readonly LossPoint[]): void {
    this.epochs.push(...points.map((p) => ({ epoch: p.epoch, loss: p.loss, valLoss: p.valLoss })));
    this.redraw();
  }

  /** A finished batch: `loss` is the running mean of the epoch so far. */
  batch(epoch: number, batch: number, batches: number, loss: number): void {
    if (!Number.isFinite(loss)) return;
    if (this.seen++ % this.stride === 0) {
      this.batchX.push(epoch - 1 + batch / Math.max(1, batches));
      this.batchY.push(loss);
      if (this.batchX.length > (this.opts.maxPoints ?? 300)) this.thin();
    }
    if (this.now() - this.lastDraw >= (this.opts.everyMs ?? 2000)) this.redraw();
  }

  /** A finished epoch with its held-out loss. */
  epoch(point: LossPoint): void {
    this.epochs.push({ epoch: point.epoch, loss: point.loss, valLoss: point.valLoss });
    this.redraw();
  }

  /** The chart as it stands. */
  figure(): Figure {
    const colour = SERIES_COLOURS[0];
    const held = this.epochs.filter((e) => e.valLoss !== null);
    const fig = lineChartFigure(
      [
        { name: 'training loss (running mean in the epoch)', x: this.batchX, y: this.batchY, colour: '#9ecae1' },
        { name: 'training loss per epoch', x: this.epochs.map((e) => e.epoch), y: this.epochs.map((e) => e.loss), colour },
        { name: this.opts.heldOutName ?? 'validation loss', x: held.map((e) => e.epoch), y: held.map((e) => e.valLoss as number), colour, dashed: true },
      ],
      { title: this.opts.title, xTitle: 'epoch', yTitle: 'cross-entropy (nats per word)', height: 360 },
    );
    // The batch curve is a plain line (hundreds of points); epochs keep their markers.
    const first = fig.data[0] as Record<string, unknown> | undefined;
    if (first && this.batchX.length > 1) first.mode = 'lines';
    return fig;
  }

  private thin(): void {
    this.batchX = this.batchX.filter((_, i) => i % 2 === 0);
    this.batchY = this.batchY.filter((_, i) => i % 2 === 0);
    this.stride *= 2;
  }

  private redraw(): void {
    this.lastDraw = this.now();
    this.draw(this.figure());
  }
}
