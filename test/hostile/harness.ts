/**
 * Shared by every hostile-input test: run the CLI in-process, classify how a case ended, assert the promises of
 * issue 7 (one clear line naming the input, non-zero exit, no stack trace, no partial output), and count the
 * outcomes per reader. Each test file ends by comparing its counts with the table in test/README.md, so the
 * table always shows what the suite really observed; `node scripts/hostile-table.mjs` prints it afresh.
 */
import { existsSync, promises as fsp, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/common.js';
import { isTweetlabError } from '../../src/errors.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `tweetlab ...argv` in this process with captured sinks. */
export async function runCli(argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), isTTY: false };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Signs of a stack trace or an internal error leaking to the user. */
const LEAK = [/\n\s+at /, /^\s*at .+:\d+:\d+\)?$/m, /node:internal/, /\.ts:\d+/, /unexpected error/i, /TypeError|RangeError|SyntaxError|ReferenceError/];

/** How a case ended. "crash" covers stack traces, unexpected errors, multi-line errors and partial files. */
export type Outcome = 'error' | 'handled' | 'crash';

export interface Expectation {
  /** What the user must find in the one error line (the input's name, the field, the line …). */
  mentions?: (string | RegExp)[];
  /** Files that must not exist afterwards (outputs of a failing command). */
  noFiles?: string[];
  /** Folders that must hold no leftover temp files (`.name.pid.xxx.tmp`). */
  noTempIn?: string[];
}

/** Temp files writeFileAtomic leaves only when something went badly wrong. */
export function tempLeftovers(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const names: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tmp$/.test(e.name)) names.push(p);
    }
  };
  walk(dir);
  return names;
}

/** Classifies a CLI result without asserting (so the tally records even what fails). */
export function classify(res: CliResult, exp: Expectation = {}): { outcome: Outcome; why: string } {
  const lines = res.err.split('\n').filter((l) => l.trim() !== '');
  const leak = LEAK.find((re) => re.test(res.err) || re.test(res.out));
  if (leak) return { outcome: 'crash', why: `leak ${leak}: ${res.err.slice(0, 300)}` };
  const partial = (exp.noFiles ?? []).filter((f) => existsSync(f));
  const temps = (exp.noTempIn ?? []).flatMap(tempLeftovers);
  if (res.code === 0) {
    if (temps.length) return { outcome: 'crash', why: `temp files left: ${temps.join(', ')}` };
    return { outcome: 'handled', why: '' };
  }
  if (partial.length) return { outcome: 'crash', why: `partial output left: ${partial.join(', ')}` };
  if (temps.length) return { outcome: 'crash', why: `temp files left: ${temps.join(', ')}` };
  const errors = errorLines(res);
  if (errors.length !== 1) return { outcome: 'crash', why: `expected one error line, got: ${JSON.stringify(lines)}` };
  return { outcome: 'error', why: '' };
}

/** Progress lines a command may print to stderr before it stops (not errors). */
const PROGRESS = /^(rate limited: waiting|resuming an unfinished fetch|page \d+:|epoch\b|Epoch\b|backend\b|engine\b)/i;

/** The error lines of a result: those main() prefixes with "tweetlab", else every non-progress stderr line. */
export function errorLines(res: CliResult): string[] {
  const lines = res.err.split('\n').filter((l) => l.trim() !== '');
  const prefixed = lines.filter((l) => l.startsWith('tweetlab'));
  return prefixed.length > 0 ? prefixed : lines.filter((l) => !PROGRESS.test(l));
}

/** Asserts a failing case: one error line naming what it must name, non-zero exit, no partial files. */
export function expectCleanError(res: CliResult, exp: Expectation = {}): void {
  const { outcome, why } = classify(res, exp);
  expect(outcome, why || res.err).toBe('error');
  expect(res.code).not.toBe(0);
  const line = errorLines(res)[0] ?? '';
  for (const m of exp.mentions ?? []) {
    if (typeof m === 'string') expect(line).toContain(m);
    else expect(line).toMatch(m);
  }
}

/** Asserts a case the CLI handles: exit 0, no stack trace, no temp files. */
export function expectHandled(res: CliResult, exp: Expectation = {}): void {
  const { outcome, why } = classify(res, exp);
  expect(outcome, why || res.err).toBe('handled');
}

/** Classifies a library call (for the cases with no CLI flag, e.g. time-outs, model loading). */
export async function classifyCall(fn: () => Promise<unknown>): Promise<{ outcome: Outcome; message: string; value?: unknown }> {
  try {
    const value = await fn();
    return { outcome: 'handled', message: '', value };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (!isTweetlabError(err)) return { outcome: 'crash', message: `${(err as Error)?.name}: ${message}` };
    if (message.includes('\n') || LEAK.some((re) => re.test(message))) return { outcome: 'crash', message };
    return { outcome: 'error', message };
  }
}

// ---------------------------------------------------------------- the tally

export const README = path.join(__dirname, '..', 'README.md');
export const TALLY_DIR = path.join(os.tmpdir(), 'tweetlab-hostile-tally');

type Counts = Record<Outcome, number>;

/** Counts outcomes per reader for one test file. */
export class Tally {
  readonly counts = new Map<string, Counts>();
  constructor(readonly file: string) {}

  record(reader: string, outcome: Outcome): void {
    const c = this.counts.get(reader) ?? { error: 0, handled: 0, crash: 0 };
    c[outcome]++;
    this.counts.set(reader, c);
  }

  total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c.error + c.handled + c.crash;
    return n;
  }

  /** Writes this file's counts where scripts/hostile-table.mjs finds them. */
  async save(): Promise<void> {
    await fsp.mkdir(TALLY_DIR, { recursive: true });
    const rows = [...this.counts.entries()].map(([reader, c]) => ({ reader, ...c }));
    await fsp.writeFile(path.join(TALLY_DIR, `${this.file}.json`), JSON.stringify({ file: this.file, rows }, null, 2));
  }

  /** Asserts that test/README.md's table has exactly these counts for this file's readers. */
  expectReadmeMatches(): void {
    const table = readReadmeTable();
    for (const [reader, c] of this.counts) {
      const row = table.get(reader);
      expect(row, `test/README.md has no row for "${reader}" (run: node scripts/hostile-table.mjs --write)`).toBeDefined();
      expect(row, `test/README.md row "${reader}" is out of date (run: node scripts/hostile-table.mjs --write)`).toEqual({
        cases: c.error + c.handled + c.crash,
        ...c,
      });
    }
  }
}

/** The hostile-input table of test/README.md: reader → counts. */
export function readReadmeTable(): Map<string, { cases: number } & Counts> {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf('<!-- hostile-table:start -->');
  const end = text.indexOf('<!-- hostile-table:end -->');
  const rows = new Map<string, { cases: number } & Counts>();
  if (start < 0 || end < 0) return rows;
  for (const line of text.slice(start, end).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | reader | file | cases | clear error | handled | crash |
    if (cells.length < 8 || !/^\d+$/.test(cells[3] ?? '')) continue;
    rows.set(cells[1] as string, {
      cases: Number(cells[3]),
      error: Number(cells[4]),
      handled: Number(cells[5]),
      crash: Number(cells[6]),
    });
  }
  return rows;
}

/** A fresh temp folder. */
export function tempDir(label: string): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), `tweetlab-hostile-${label}-`));
}
