/**
 * What the commands that train (`run`, `train`) do alike with the terminal: Ctrl-C asks the training to stop
 * after its current batch, and progress is one line redrawn in place on a terminal, a line per epoch elsewhere.
 */
import type { CliIO } from './common.js';

/** A stop request wired to Ctrl-C until `release()`: once stops after the current batch, twice exits at once. */
export interface CtrlCStop {
  shouldStop: () => boolean;
  release: () => void;
}

export function stopOnCtrlC(io: CliIO, beforeMessage?: () => void): CtrlCStop {
  let requested = false;
  const onSigint = () => {
    if (requested) process.exit(130);
    requested = true;
    beforeMessage?.();
    io.err('\nstopping after the current batch (Ctrl-C again to quit at once)');
  };
  process.on('SIGINT', onSigint);
  return { shouldStop: () => requested, release: () => process.off('SIGINT', onSigint) };
}

/**
 * Where a progress printer writes: on a terminal it redraws one line with \r, which needs raw writes to stderr
 * (CliIO.err adds a newline); elsewhere it prints whole lines, which go through io.err like everything else.
 */
export function progressSink(io: CliIO): { isTTY: boolean; write: (text: string) => void } {
  return { isTTY: io.isTTY, write: (text) => (io.isTTY ? process.stderr.write(text) : io.err(text.replace(/\n$/, ''))) };
}
