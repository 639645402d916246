/**
 * A problem with the user's input or environment (missing file, bad flag, malformed CSV …).
 * The CLI prints `message` as one line, without a stack trace, and exits with `exitCode`.
 */
export class TweetlabError extends Error {
  override name = 'TweetlabError';
  constructor(
    message: string,
    /** Process exit code for the CLI: 1 for bad input, 2 for bad usage. */
    readonly exitCode: number = 1,
  ) {
    super(message);
  }

  /**
   * How console.error and util.inspect show it: one line, no stack. A notebook kernel (tslab) prints a failed
   * cell's error this way, and a stack through the kernel's internals tells a student nothing.
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `${this.name}: ${this.message}`;
  }
}

/** A bad command-line flag or argument. */
export class UsageError extends TweetlabError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, 2);
  }
}

export function isTweetlabError(err: unknown): err is TweetlabError {
  return err instanceof TweetlabError;
}

/** The message of anything thrown, for one-line reports. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
