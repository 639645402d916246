import * as path from 'node:path';
import { TweetlabError } from '../errors.js';

/**
 * Stopping a training that runs in a notebook. Jupyter's "interrupt kernel" sends SIGINT to the kernel
 * process; tslab's own SIGINT listener then rejects the running cell at once ("Interrupted asynchronously")
 * while the training it awaited goes on in the background. So while a training runs, its SIGINT is turned into a
 * stop request instead: the training ends after its current batch, saves `interrupted/`, and the cell returns
 * the partial result. A second interrupt hands over to the listeners set aside (tslab abandons the cell; the
 * training still stops after its batch). One training per model folder at a time.
 */

/** A stop request shared by one training and whoever may stop it (a kernel interrupt, stopTraining()). */
export class StopSignal {
  private reason: string | null = null;

  constructor(
    /** What is being trained, for messages ("Model 1"). */
    readonly label: string,
  ) {}

  /** Asks the training to stop after its current batch (later calls keep the first reason). */
  request(reason = 'stop requested'): void {
    if (this.reason === null) this.reason = reason;
  }

  /** True once a stop was requested. */
  get requested(): boolean {
    return this.reason !== null;
  }

  /** Why it was asked to stop, or null. */
  get why(): string | null {
    return this.reason;
  }

  /** The poll a training loop calls between batches (TrainOptions.shouldStop); safe to pass around unbound. */
  readonly shouldStop = (): boolean => this.reason !== null;
}

/** Trainings running in this process, by the resolved folder they write to. */
const running = new Map<string, StopSignal>();

/** Registers a training of `folder`; throws a one-line TweetlabError if one is already running there. */
export function beginTraining(folder: string, label: string): StopSignal {
  const key = path.resolve(folder);
  const current = running.get(key);
  if (current) {
    throw new TweetlabError(
      `${current.label} is already training into ${folder}: wait for it to finish, or interrupt the kernel (■) to stop it after its current batch.`,
    );
  }
  const signal = new StopSignal(label);
  running.set(key, signal);
  return signal;
}

/** Unregisters a training begun with beginTraining (only if `signal` is still the one registered). */
export function endTraining(folder: string, signal: StopSignal): void {
  const key = path.resolve(folder);
  if (running.get(key) === signal) running.delete(key);
}

/** Labels of the trainings running now. */
export function runningTrainings(): string[] {
  return [...running.values()].map((s) => s.label);
}

/**
 * Asks every running training (or those whose label is `label`) to stop after its current batch; returns how
 * many were asked. A notebook cell that started a training without awaiting it can call this.
 */
export function stopTraining(label?: string): number {
  let n = 0;
  for (const signal of running.values()) {
    if (label !== undefined && signal.label !== label) continue;
    signal.request('stopTraining() was called');
    n += 1;
  }
  return n;
}

type SigintListener = (signal: NodeJS.Signals) => void;

/**
 * Runs `fn` with SIGINT turned into `signal.request()`: the SIGINT listeners present before (tslab's) are set
 * aside and put back afterwards. `onInterrupt` runs on the first SIGINT (to say "stopping after this batch").
 * A second SIGINT hands over to the listeners set aside; with none (plain node), it ends the process as Ctrl-C
 * normally would.
 */
export async function withInterruptAsStop<T>(signal: StopSignal, fn: () => Promise<T>, onInterrupt?: () => void): Promise<T> {
  // tslab runs a cell's synchronous part in vm.runInThisContext({ breakOnSigint: true }), which sets every
  // SIGINT listener aside and, when it ends, leaves a listener added meanwhile without an OS signal handler
  // (a SIGINT would then kill the kernel). So the listeners are swapped only once that part is over.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const before = process.listeners('SIGINT') as SigintListener[];
  let handedOver = false;
  const restore = () => {
    process.off('SIGINT', onSigint);
    if (handedOver) return;
    handedOver = true;
    for (const l of before) if (!process.listeners('SIGINT').includes(l)) process.on('SIGINT', l);
  };
  function onSigint(sig: NodeJS.Signals): void {
    if (!signal.requested) {
      signal.request('the kernel was interrupted');
      onInterrupt?.();
      return;
    }
    restore();
    if (before.length === 0) process.kill(process.pid, 'SIGINT');
    else for (const l of before) l(sig);
  }
  for (const l of before) process.off('SIGINT', l);
  process.on('SIGINT', onSigint);
  try {
    return await fn();
  } finally {
    restore();
  }
}

/**
 * One stoppable training of `folder`: registers it (refusing a second one), turns SIGINT into a stop request
 * while it runs, and unregisters it however it ends. `fn` receives the signal to poll between batches.
 */
export async function runStoppable<T>(
  folder: string,
  label: string,
  fn: (signal: StopSignal) => Promise<T>,
  onInterrupt?: () => void,
): Promise<T> {
  const signal = beginTraining(folder, label);
  try {
    return await withInterruptAsStop(signal, () => fn(signal), onInterrupt);
  } finally {
    endTraining(folder, signal);
  }
}
