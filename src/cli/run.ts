import * as path from 'node:path';
import { UsageError } from '../errors.js';
import { runMainJob, type RunJobOptions } from '../report/job.js';
import { RUN_PRESET_NAMES } from '../pipeline/config.js';
import { intFlag, parseFlags, toJson, type Command } from './common.js';

const usage = `Usage: tweetlab run [--input F] [--president NAME] [--preset quick|default|report] [--quick]
                    [--epochs N] [--seq-length N] [--backend B] [--seed N] [--out DIR] [--models 1,2,3,4] [--json]

The main job (npm start): statistics → cleaning → tokens → both training sets (validation split by post,
before windowing) → the four models (checkpoints with generated posts) → evaluation against a Kneser–Ney
3-gram baseline. Writes DIR/<run-id>/ with report.html, summary.json, generated.csv and
models/model-<n>/epoch-<e>/.

Flags:
  --input F             posts file (.csv, .jsonl) or Twitter archive (tweets.js or its folder)
                        (default: the State of the Union corpus)
  --president NAME      president of the default corpus (default "Barack Obama")
  --text-column C       column (CSV) or key (JSONL) holding the post text (default "text")
  --preset P            quick | default | report (default "default", which finishes in under 15 minutes
                        on two cores; "report" uses the report's sizes and epochs)
  --quick               same as --preset quick
  --epochs N            epochs of every model (checkpoints beyond N are dropped, N itself is one)
  --seq-length N        window length in words
  --backend B           auto (tfjs-node if installed, else fast-wasm) | tensorflow | wasm | cpu, or an engine
                        name (default auto)
  --seed N              base seed; every other seed derives from it (default 42)
  --out DIR             folder the run folder is created in (default "out")
  --models LIST         which models to train, e.g. 1,3 (default 1,2,3,4)
  --json                print {"runId", "runDir", "report", "summary", "generated", "backend", "engine",
                        "preset", "totalSeconds", "models": [{name, perplexity, memorisedShare, distinct1,
                        distinct2, trainLoss, valLoss}], "baseline": {name, perplexity, …}} on stdout;
                        progress goes to stderr`;

/** The stable --json shape of `tweetlab run`. */
export interface RunJson {
  runId: string;
  runDir: string;
  report: string;
  summary: string;
  generated: string;
  backend: string;
  engine: string;
  preset: string;
  totalSeconds: number;
  models: {
    name: string;
    perplexity: number | null;
    memorisedShare: number | null;
    distinct1: number | null;
    distinct2: number | null;
    trainLoss: number | null;
    valLoss: number | null;
  }[];
  baseline: { name: string; perplexity: number | null; memorisedShare: number | null; distinct1: number | null; distinct2: number | null } | null;
}

/** NaN and ±Infinity are not JSON: they become null. */
const num = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

function parseModels(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const ids = parts.map((s) => (/^[1-4]$/.test(s) ? Number(s) : Number.NaN));
  if (ids.length === 0 || ids.some((n) => Number.isNaN(n))) {
    throw new UsageError(`run: --models must be a comma-separated list of 1, 2, 3, 4, got "${value}"`);
  }
  return [...new Set(ids)].sort((a, b) => a - b);
}

export const command: Command = {
  name: 'run',
  summary: 'the main job: statistics, cleaning, four models, evaluation, HTML report',
  usage,
  async run(argv, io) {
    const flags = parseFlags('run', argv, {
      input: { type: 'string' },
      president: { type: 'string' },
      'text-column': { type: 'string' },
      preset: { type: 'string' },
      quick: { type: 'boolean' },
      epochs: { type: 'string' },
      'seq-length': { type: 'string' },
      backend: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      models: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (flags.positionals.length > 0) throw new UsageError(`run: unexpected argument "${flags.positionals[0]}" (see: tweetlab run --help)`);
    let preset = flags.str('preset');
    if (flags.bool('quick')) {
      if (preset !== undefined && preset !== 'quick') throw new UsageError(`run: --quick contradicts --preset ${preset}`);
      preset = 'quick';
    }
    if (preset !== undefined && !RUN_PRESET_NAMES.includes(preset)) {
      throw new UsageError(`run: --preset must be one of ${RUN_PRESET_NAMES.join(', ')}, got "${preset}"`);
    }
    const opts: RunJobOptions = {
      input: flags.str('input'),
      president: flags.str('president'),
      textColumn: flags.str('text-column'),
      preset: preset ?? 'default',
      epochs: flags.str('epochs') === undefined ? undefined : intFlag('run', flags.str('epochs'), 'epochs', 1, 1, 10_000),
      seqLength:
        flags.str('seq-length') === undefined ? undefined : intFlag('run', flags.str('seq-length'), 'seq-length', 1, 1, 1_000),
      backend: flags.str('backend'),
      seed: flags.str('seed') === undefined ? undefined : intFlag('run', flags.str('seed'), 'seed', 0, 0, 0xffffffff),
      outRoot: flags.str('out') ?? 'out',
      models: parseModels(flags.str('models')),
    };
    const json = flags.bool('json');
    // Human text goes to stdout; with --json, stdout holds only the JSON and progress goes to stderr.
    const say = json ? io.err : io.out;
    // Ctrl-C once: the current model stops after its batch (its last state is saved), later models are skipped,
    // and the report is still written. A second Ctrl-C exits at once.
    let stopRequested = false;
    const onSigint = () => {
      if (stopRequested) process.exit(130);
      stopRequested = true;
      io.err('\nstopping after the current batch (Ctrl-C again to quit now)…');
    };
    process.on('SIGINT', onSigint);
    let result: Awaited<ReturnType<typeof runMainJob>>;
    try {
      result = await runMainJob(opts, {
        log: (line) => say(line),
        onBackend: (backend, engine, reason) => say(`backend: ${backend} (engine ${engine}; ${reason})`),
        // On a terminal the printer redraws one line with \r, which needs raw writes to stderr (CliIO.err adds a
        // newline); elsewhere it prints whole lines, which go through io.err like everything else.
        progressSink: {
          isTTY: io.isTTY,
          write: (text) => (io.isTTY ? process.stderr.write(text) : io.err(text.replace(/\n$/, ''))),
        },
        shouldStop: () => stopRequested,
      });
    } finally {
      process.off('SIGINT', onSigint);
    }
    const s = result.summary;
    const rel = (p: string) => path.relative(process.cwd(), p) || p;
    if (json) {
      const lstm = s.evaluation.rows.filter((r) => r.kind === 'lstm');
      const base = s.evaluation.rows.find((r) => r.kind === 'baseline');
      const out: RunJson = {
        runId: s.runId,
        runDir: result.runDir,
        report: result.files.report,
        summary: result.files.summary,
        generated: result.files.generated,
        backend: s.backend,
        engine: s.engine,
        preset: s.preset,
        totalSeconds: s.totalSeconds,
        models: s.models.map((m) => {
          const row = lstm.find((r) => r.name === m.name);
          const last = m.history[m.history.length - 1];
          return {
            name: m.name,
            perplexity: num(row?.perplexity),
            memorisedShare: num(row?.memorisedShare),
            distinct1: num(row?.distinct1),
            distinct2: num(row?.distinct2),
            trainLoss: num(last?.loss),
            valLoss: num(last?.valLoss),
          };
        }),
        baseline: base
          ? {
              name: base.name,
              perplexity: num(base.perplexity),
              memorisedShare: num(base.memorisedShare),
              distinct1: num(base.distinct1),
              distinct2: num(base.distinct2),
            }
          : null,
      };
      io.out(toJson(out));
    } else {
      const lines = ['', 'held-out perplexity (same targets for every row):'];
      for (const r of s.evaluation.rows) {
        lines.push(
          `  ${r.name.padEnd(20)} ${Number.isFinite(r.perplexity) ? r.perplexity.toFixed(2).padStart(10) : '         —'}` +
            (r.memorisedShare === null ? '' : `   memorised ${(r.memorisedShare * 100).toFixed(1)}%`) +
            (r.distinct2 === null ? '' : `   distinct-2 ${r.distinct2.toFixed(3)}`),
        );
      }
      lines.push('', `finished in ${s.totalSeconds.toFixed(1)} s`, `report: ${rel(result.files.report)}`, `summary: ${rel(result.files.summary)}`);
      io.out(lines.join('\n'));
    }
    const stopped = s.models.some((m) => m.interrupted) || s.skippedModels.length > 0;
    if (stopped) io.err('run interrupted: the report covers what was trained before Ctrl-C');
    return stopped ? 130 : 0;
  },
};
