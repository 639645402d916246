import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

/** What every command module exports. `run` returns the process exit code. */
export interface Command {
  name: string;
  /** One line for `tweetlab --help`. */
  summary: string;
  /** Full usage text for `tweetlab <name> --help`. */
  usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Where a command writes; tests pass their own sinks. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal, so progress may redraw one line in place. */
  isTTY: boolean;
  /** Raw writes to stderr (no newline added), for a progress line redrawn with \r. Default process.stderr. */
  errRaw?(text: string): void;
  /** Width of the terminal, when it is one. */
  columns?: number;
}

export const processIO: CliIO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  isTTY: Boolean(process.stderr.isTTY),
  errRaw: (t) => void process.stderr.write(t),
  get columns() {
    return process.stderr.columns;
  },
};

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed flags: positionals, and typed getters for string and boolean flags. */
export interface ParsedFlags {
  positionals: string[];
  /** The value of a string flag, or undefined when it was not given. */
  str(name: string): string | undefined;
  /** True when a boolean flag was given. */
  bool(name: string): boolean;
}

/**
 * node:util parseArgs with strict checking, turning its errors into one-line usage errors that name the
 * command. `--help` is always accepted.
 */
export function parseFlags(command: string, argv: string[], options: Options): ParsedFlags {
  try {
    const parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
    const values = parsed.values as Record<string, string | boolean | undefined>;
    return {
      positionals: parsed.positionals,
      str: (name) => {
        const v = values[name];
        return typeof v === 'string' ? v : undefined;
      },
      bool: (name) => values[name] === true,
    };
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new UsageError(`${command}: ${msg} (see: tweetlab ${command} --help)`);
  }
}

/** parseFlags for a command that takes no positional argument: one is a usage error that names it. */
export function parseFlagsOnly(command: string, argv: string[], options: Options): ParsedFlags {
  const flags = parseFlags(command, argv, options);
  if (flags.positionals.length > 0) {
    throw new UsageError(`${command}: unexpected argument "${flags.positionals[0]}" (see: tweetlab ${command} --help)`);
  }
  return flags;
}

/** A required string flag. */
export function requireFlag(command: string, value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${command}: --${flag} is required`);
  return value;
}

/** Parses an integer flag, with bounds, into a number or a usage error naming the flag. */
export function intFlag(
  command: string,
  value: string | undefined,
  flag: string,
  fallback: number,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError(`${command}: --${flag} must be a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${command}: --${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Parses a finite number flag. */
export function numberFlag(command: string, value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${command}: --${flag} must be a number, got "${value}"`);
  return n;
}

/** Stable JSON for --json outputs: two-space indent, one trailing newline. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
