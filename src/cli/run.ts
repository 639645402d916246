import { UsageError } from '../errors.js';
import { runMainJob, type RunJobHooks, type RunJobOptions } from '../report/job.js';
import { OWN_MODEL_DEFAULTS, RUN_PRESET_NAMES } from '../pipeline/config.js';
import { intFlag, parseFlagsOnly, toJson, type CliIO, type Command, type ParsedFlags } from './common.js';
import { runJson, runText } from './run-output.js';
import { RunProgress } from './run-progress.js';
import { progressSink, stopOnCtrlC } from './training-io.js';

export type { RunJson, RunJsonModel } from './run-output.js';

const usage = `Usage: tweetlab run [--input F] [--president NAME] [--preset quick|default|report] [--quick]
                    [--epochs N] [--seq-length N] [--backend B] [--seed N] [--out DIR] [--models 1,2,3,4]
                    [--no-own] [--own-epochs N] [--ablation FILE] [--json]

The main job (npm start): statistics → cleaning → tokens → both training sets (validation split by post,
before windowing) → the four models (checkpoints with generated posts) → evaluation against a Kneser–Ney
3-gram baseline. Writes DIR/<run-id>/ with report.html, summary.json, generated.csv and
models/model-<n>/epoch-<e>/.

Flags:
  --input F             posts file (.csv, .jsonl) or Twitter archive (tweets.js or its folder), or
                        sotu:NAME (a president's sentences) or fortune:PATH (fortune file or folder)
                        (default: the State of the Union corpus)
  --president NAME      president of the default corpus (default "Barack Obama")
  --text-column C       column (CSV) or key (JSONL) holding the post text (default "text")
  --preset P            quick | default | report (default "default", which finishes in under 10 minutes
                        on two cores; "report" uses the report's sizes and epochs)
  --quick               same as --preset quick
  --epochs N            epochs of every model (checkpoints beyond N are dropped, N itself is one)
  --seq-length N        window length in words
  --backend B           auto (tfjs-node if installed, else fast-wasm) | tensorflow | wasm | cpu, or an engine
                        name (default auto)
  --seed N              base seed; every other seed derives from it (default 42)
  --out DIR             folder the run folder is created in (default "out")
  --models LIST         which of the report's models to train, e.g. 1,3 (default 1,2,3,4)
  --no-own              skip tweetlab's own model (tied LSTM with early stopping, and its 3-gram mixture)
  --own-epochs N        most epochs of tweetlab's model (default ${OWN_MODEL_DEFAULTS.maxEpochs}; early stopping may end sooner)
  --ablation FILE       show this ablation table (tweetlab ablation --out FILE) in the report
  --json                print {"runId", "runDir", "report", "summary", "generated", "backend", "engine",
                        "preset", "totalSeconds", "unknownShare", "models": [{name, kind, perplexity, ratio,
                        postPerplexity, postRatio, memorisedShare, distinct1, distinct2, naturalEndShare,
                        meanLength, lengthRatio, canYouTell, lambda?, trainLoss, valLoss}], "baseline": {…}}
                        on stdout (perplexity/ratio: today's windows; post*: whole posts; ratios to the
                        3-gram); progress goes to stderr`;

function parseModels(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const ids = parts.map((s) => (/^[1-4]$/.test(s) ? Number(s) : Number.NaN));
  if (ids.length === 0 || ids.some((n) => Number.isNaN(n))) {
    throw new UsageError(`run: --models must be a comma-separated list of 1, 2, 3, 4, got "${value}"`);
  }
  return [...new Set(ids)].sort((a, b) => a - b);
}

const RUN_FLAGS = {
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
  'no-own': { type: 'boolean' },
  'own-epochs': { type: 'string' },
  ablation: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** --preset, or --quick (which must not contradict it). */
function presetFrom(flags: ParsedFlags): string {
  let preset = flags.str('preset');
  if (flags.bool('quick')) {
    if (preset !== undefined && preset !== 'quick') throw new UsageError(`run: --quick contradicts --preset ${preset}`);
    preset = 'quick';
  }
  if (preset !== undefined && !RUN_PRESET_NAMES.includes(preset)) {
    throw new UsageError(`run: --preset must be one of ${RUN_PRESET_NAMES.join(', ')}, got "${preset}"`);
  }
  return preset ?? 'default';
}

/** The main job's options from the flags; a flag left out leaves the preset's value. */
function runOptions(flags: ParsedFlags): RunJobOptions {
  const int = (flag: string, min: number, max: number) => (flags.str(flag) === undefined ? undefined : intFlag('run', flags.str(flag), flag, min, min, max));
  return {
    input: flags.str('input'),
    president: flags.str('president'),
    textColumn: flags.str('text-column'),
    preset: presetFrom(flags),
    epochs: int('epochs', 1, 10_000),
    seqLength: int('seq-length', 1, 1_000),
    backend: flags.str('backend'),
    seed: int('seed', 0, 0xffffffff),
    outRoot: flags.str('out') ?? 'out',
    models: parseModels(flags.str('models')),
    ablation: flags.str('ablation'),
    own: {
      ...(flags.bool('no-own') ? { enabled: false } : {}),
      ...(flags.str('own-epochs') === undefined ? {} : { maxEpochs: intFlag('run', flags.str('own-epochs'), 'own-epochs', 1, 1, 10_000) }),
    },
  };
}

/** One line per epoch of tweetlab's own model. */
function ownEpochLine(e: Parameters<NonNullable<RunJobHooks['onOwnEpoch']>>[0]): string {
  const perplexity = (e.valPerplexity ?? Number.NaN).toFixed(1);
  return `epoch ${e.epoch} of tweetlab LSTM · loss ${e.loss.toFixed(4)} · development perplexity ${perplexity}${e.best ? ' (best)' : ''}${e.noised ? ' · noised' : ''} · lr ${e.learningRate} · ${e.seconds.toFixed(1)} s`;
}

export const command: Command = {
  name: 'run',
  summary: 'the main job: statistics, cleaning, four models, evaluation, HTML report',
  usage,
  async run(argv, io) {
    const flags = parseFlagsOnly('run', argv, RUN_FLAGS);
    const opts = runOptions(flags);
    const json = flags.bool('json');
    // Human text goes to stdout; with --json, stdout holds only the JSON and progress goes to stderr.
    const say = json ? io.err : io.out;
    // On a terminal a bar inside each epoch (batches, loss, time left in the epoch and the run) with the epoch
    // lines above it; elsewhere (CI, pipes) the plain lines: one per epoch.
    const bar = io.isTTY ? new RunProgress({ write: (t) => (io.errRaw ? io.errRaw(t) : process.stderr.write(t)), columns: io.columns }) : null;
    const print = (line: string) => {
      bar?.clear();
      say(line);
    };
    // Ctrl-C once: the current model stops after its batch (its last state is saved), later models are skipped,
    // and the report is still written. A second Ctrl-C exits at once.
    const stop = stopOnCtrlC(io, () => bar?.clear());
    let result: Awaited<ReturnType<typeof runMainJob>>;
    try {
      result = await runMainJob(opts, {
        log: print,
        onBackend: (backend, engine, reason) => print(`backend: ${backend} (engine ${engine}; ${reason})`),
        ...progressHooks(bar, io),
        shouldStop: stop.shouldStop,
        onOwnEpoch: (e) => print(ownEpochLine(e)),
      });
    } finally {
      bar?.clear();
      stop.release();
    }
    const s = result.summary;
    io.out(json ? toJson(runJson(result)) : runText(result));
    const stopped = s.models.some((m) => m.interrupted) || s.own?.interrupted === true || s.skippedModels.length > 0;
    if (stopped) io.err('run interrupted: the report covers what was trained before Ctrl-C');
    return stopped ? 130 : 0;
  },
};

/** On a terminal the bar's hooks; elsewhere the plain progress lines of each epoch. */
function progressHooks(bar: RunProgress | null, io: CliIO): Partial<RunJobHooks> {
  if (!bar) return { progressSink: progressSink(io) };
  return {
    onPlan: (models) => bar.plan(models),
    onBatch: (model, p) => bar.reportBatch(model, p),
    onEpoch: (model, r) => bar.reportEpoch(model, r),
    onOwnBatch: (epoch, b) => bar.ownBatch(epoch, b),
  };
}
