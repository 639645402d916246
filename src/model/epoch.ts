import { TweetlabError } from '../errors.js';
import { Random } from '../random.js';
import type { WindowSet } from '../types.js';
import type { BatchInfo, EpochOptions, EpochStats } from './types.js';

/**
 * Trains one batch: `rows` are window indices into the WindowSet, `dropoutSeed` seeds this batch's dropout
 * masks (engines without dropout ignore it). Returns the batch's mean loss.
 */
export type TrainBatch = (rows: number[], dropoutSeed: number) => number | Promise<number>;

/**
 * The epoch loop every engine shares: a seeded shuffle of the windows, batches in that order, a stop check
 * between batches (Ctrl-C), a divergence check, loss accounting, and a yield to the event loop after each
 * batch so timers, signals and progress output run. The engine supplies only the batch step.
 */
export async function runEpochBatches(
  data: WindowSet,
  opts: EpochOptions,
  trainBatch: TrainBatch,
  onBatch?: (b: BatchInfo) => void,
): Promise<EpochStats> {
  const started = performance.now();
  const rng = new Random(opts.seed);
  const order = rng.fork('batches').shuffle(Array.from({ length: data.count }, (_, i) => i));
  const dropoutRng = rng.fork('dropout');
  const batchSize = Math.max(1, Math.floor(opts.batchSize));
  const batches = Math.ceil(data.count / batchSize);
  // A resumed epoch skips the batches already trained; their dropout seeds are drawn and dropped so every
  // later batch gets the seed it would have had (issue 15: resume is exact).
  const start = Math.min(Math.max(0, Math.floor(opts.startAt?.batch ?? 0)), batches);
  for (let b = 0; b < start; b++) dropoutRng.int(2 ** 30);
  let lossSum = opts.startAt?.lossSum ?? 0;
  let windows = opts.startAt?.windows ?? 0;
  let done = 0;
  let stopped = false;
  for (let b = start; b < batches; b++) {
    if (opts.shouldStop?.()) {
      stopped = true;
      break;
    }
    const rows = order.slice(b * batchSize, (b + 1) * batchSize);
    const loss = await trainBatch(rows, dropoutRng.int(2 ** 30));
    if (!Number.isFinite(loss)) throw new TweetlabError(`Training diverged: the loss became ${loss} at batch ${b + 1}`);
    lossSum += loss * rows.length;
    windows += rows.length;
    done += 1;
    onBatch?.({ batch: b + 1, batches, loss });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return {
    loss: windows > 0 ? lossSum / windows : Number.NaN,
    batches: done,
    windows,
    seconds: (performance.now() - started) / 1000,
    ...(stopped ? { stopped: true, position: { batch: start + done, lossSum, windows } } : {}),
  };
}
