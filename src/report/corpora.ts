/**
 * `tweetlab corpora`: tweetlab's own model and the 3-gram, at default settings, on several corpora (issue 11:
 * the same defaults must beat the 3-gram beyond the default corpus). Each corpus runs through the pipeline with
 * none of the report's models; the table goes to `<outDir>/corpora.json` and `corpora.md`, rewritten (atomically)
 * after every corpus so a long measurement shows what it has so far.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { isTweetlabError, errorMessage } from '../errors.js';
import type { GapRow, ScoreGap } from '../evaluate/gap.js';
import { compareOnCorpus, machineState, type CorporaResult, type CorpusRow, type SkippedCorpus } from '../pipeline/corpora.js';
import { resolvePipelineConfig, type PipelineConfig } from '../pipeline/config.js';
import type { PipelineHooks } from '../pipeline/run.js';
import { startModelBackend } from '../pipeline/train.js';
import { loadCorpus } from '../sources/index.js';
import { parseCorpusSpec } from '../sources/spec.js';
import type { Corpus } from '../types.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/fs.js';

/** Debian's `fortunes-ru` puts its Russian fortunes here. */
export const RUSSIAN_FORTUNES = '/usr/share/games/fortunes/ru';
/**
 * Four other presidents with at least 2,000 sentences of ≤ 280 characters (`tweetlab corpora --presidents`
 * lists them all), from 1945 to 2008, and the Russian fortunes when installed.
 */
export const DEFAULT_CORPORA: readonly string[] = [
  'sotu:Harry S Truman',
  'sotu:Dwight D Eisenhower',
  'sotu:William J Clinton',
  'sotu:George W Bush',
  `fortune:${RUSSIAN_FORTUNES}`,
];
/** X returns at most 3,200 posts of a timeline: an account's worth. Larger corpora are sampled down to it. */
export const DEFAULT_MAX_POSTS = 3200;

export interface CorporaJobOptions {
  /** Corpus specs (sotu:NAME, fortune:PATH, a posts file). Default DEFAULT_CORPORA. */
  specs?: readonly string[];
  /** quick | default | report. Default "default". */
  preset?: string;
  /** Base seed. Default 42. */
  seed?: number;
  /** Cap on posts per corpus (seeded sample); 0 = none. Default 3200. */
  maxPosts?: number;
  /** Engine. Default "auto". */
  backend?: string;
  /** Folder of corpora.json, corpora.md and the models. Default "out/corpora". */
  outDir?: string;
  /** The command line, recorded in the result. */
  command: string;
}

export interface CorporaJobHooks extends PipelineHooks {
  onBackend?: (backend: string, engine: string, reason: string) => void;
  onCorpus?: (spec: string, corpus: Corpus) => void;
  onRow?: (row: CorpusRow) => void;
  onSkip?: (skipped: SkippedCorpus) => void;
}

/** The files a job wrote. */
export interface CorporaFiles {
  json: string;
  markdown: string;
}

const fixed = (v: number | null | undefined, d: number) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));
const int = (v: number) => v.toLocaleString('en-US');
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const withRatio = (p: number, r: number) => (Number.isFinite(p) ? `${fixed(p, 1)} (${fixed(r, 2)}×)` : '–');

/** The result as markdown: a header, the main table, the seeds, and how many corpora each model beat the 3-gram on. */
export function corporaMarkdown(r: CorporaResult): string {
  const lines = [
    '# tweetlab LSTM against the Kneser–Ney 3-gram on other corpora',
    '',
    `Measured ${r.date} with \`${r.command}\`: engine ${r.engine}, preset ${r.preset}, base seed ${r.seed}, ` +
      `${r.maxPosts > 0 ? `at most ${int(r.maxPosts)} posts per corpus (a seeded sample of larger ones)` : 'every post of each corpus'}; ` +
      `${r.cpus} cores, load average ${r.load.start.join(' ')} at the start and ${r.load.end.join(' ')} at the end; Node ${r.node}.`,
    `tweetlab LSTM's settings, the same for every corpus: \`${JSON.stringify(r.own)}\`.`,
    'Perplexity per word target, with the ratio to the 3-gram: "posts" scores every held-out post once from `<eos>` to its `<eos>`; "windows" is the report\'s 10-word windows.',
    '',
    '| corpus | posts | words | vocabulary | `<unk>` | 3-gram, posts | 3-gram, windows | LSTM, posts | LSTM, windows | LSTM + 3-gram, posts | LSTM + 3-gram, windows | λ | best epoch | training s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const w of r.rows) {
    const m = w.mixture;
    const posts = w.posts === w.availablePosts ? int(w.posts) : `${int(w.posts)} of ${int(w.availablePosts)}`;
    lines.push(`| ${w.corpus} | ${posts} | ${int(w.words)} | ${int(w.vocabulary)} | ${pct(w.unknownShare)} | ${fixed(w.kn3.postPerplexity, 1)} | ${fixed(w.kn3.windowedPerplexity, 1)} | ` +
      `${withRatio(w.lstm.postPerplexity, w.lstm.postRatio)} | ${withRatio(w.lstm.windowedPerplexity, w.lstm.windowedRatio)} | ` +
      `${m ? withRatio(m.postPerplexity, m.postRatio) : '–'} | ${m ? withRatio(m.windowedPerplexity, m.windowedRatio) : '–'} | ${fixed(m?.lambda, 2)} | ` +
      `${w.bestEpoch} of ${w.epochs} | ${fixed(w.trainSeconds, 0)} |`);
  }
  if (r.rows.length > 0) {
    const beat = (f: (w: CorpusRow) => number | undefined) => r.rows.filter((w) => (f(w) ?? Infinity) < 1).length;
    const n = r.rows.length;
    lines.push('', `Below the 3-gram (ratio < 1): LSTM on ${beat((w) => w.lstm.postRatio)} of ${n} corpora (posts) and ${beat((w) => w.lstm.windowedRatio)} of ${n} (windows); ` +
      `LSTM + 3-gram on ${beat((w) => w.mixture?.postRatio)} of ${n} (posts) and ${beat((w) => w.mixture?.windowedRatio)} of ${n} (windows).`);
    lines.push(...gapTable(r.rows));
    lines.push('', '| corpus | training / held-out posts | repeats moved to training | targets, posts / windows | split seed | development seed | model seed | training seed | sample seed | engine | seconds, whole corpus |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|');
    for (const w of r.rows) {
      lines.push(`| ${w.corpus} | ${int(w.trainPosts)} / ${int(w.heldOutPosts)} | ${int(w.repeatsMoved)} | ${int(w.targets.posts)} / ${int(w.targets.windows)} | ${w.seeds.split} | ${w.seeds.development} | ${w.seeds.model} | ${w.seeds.train} | ${w.seeds.sample ?? '–'} | ${w.engine} | ${fixed(w.seconds, 0)} |`);
    }
  }
  if (r.skipped.length > 0) lines.push('', 'Skipped:', ...r.skipped.map((s) => `- \`${s.spec}\`: ${s.reason}`));
  return lines.join('\n') + '\n';
}

/** Where the LSTM wins and loses against the 3-gram: nats per target (LSTM − 3-gram) and the group's share of targets. */
function gapTable(rows: readonly CorpusRow[]): string[] {
  const withGap = rows.filter((w) => w.gap !== null && w.gap !== undefined);
  if (withGap.length === 0) return [];
  // Signed to three decimals; a difference that rounds to zero is shown unsigned (no "-0.000").
  const signed = (d: number) => (Math.abs(d) < 0.0005 ? '0.000' : `${d > 0 ? '+' : ''}${d.toFixed(3)}`);
  const cell = (g: GapRow<string>, total: number) => (g.targets === 0 ? '–' : `${signed(g.modelNats - g.baselineNats)} (${pct(g.targets / total)})`);
  const lines = [
    '',
    'Where the LSTM wins (−) and loses (+) against the 3-gram on whole posts: nats per target, LSTM minus 3-gram, with the share of the targets; ' +
      'first by what is predicted, then by the word before it.',
    '',
    '| corpus | known word | `<unk>` | `<eos>` | start of post | after a known word | after `<unk>` |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const w of withGap) {
    const gap = w.gap as ScoreGap;
    const total = gap.byTarget.reduce((s, g) => s + g.targets, 0);
    lines.push(`| ${w.corpus} | ${[...gap.byTarget, ...gap.byContext].map((g) => cell(g, total)).join(' | ')} |`);
  }
  return lines;
}

/** A folder name for a corpus spec: its position and the end of its letters and digits (a path's end says most). */
function corpusFolder(spec: string, i: number): string {
  const slug = spec.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(-60).replace(/^-|-$/g, '');
  return `${i + 1}-${slug || 'corpus'}`;
}

/**
 * Why a corpus is skipped: the loader's one-line message, or, when the Russian fortunes of the default list are
 * not installed, how to install them.
 */
export function skipReason(spec: string, message: string, russianFortunesInstalled: boolean): string {
  const parsed = parseCorpusSpec(spec);
  if (parsed.kind === 'fortune' && path.resolve(parsed.path) === RUSSIAN_FORTUNES && !russianFortunesInstalled) {
    return `${RUSSIAN_FORTUNES} does not exist; install Debian's fortunes-ru (apt-get install fortunes-ru)`;
  }
  return message;
}

/** Loads a spec; a user error (missing file, no entries, unknown president) becomes a skip with its reason. */
async function loadOrSkip(spec: string): Promise<Corpus | SkippedCorpus> {
  try {
    return await loadCorpus({ input: spec });
  } catch (err) {
    if (!isTweetlabError(err)) throw err;
    const installed = (await fsp.stat(RUSSIAN_FORTUNES).catch(() => null)) !== null;
    return { spec, reason: skipReason(spec, errorMessage(err), installed) };
  }
}

/** Writes both files, atomically. */
async function writeCorpora(outDir: string, result: CorporaResult): Promise<CorporaFiles> {
  const files = { json: path.join(outDir, 'corpora.json'), markdown: path.join(outDir, 'corpora.md') };
  await writeJsonAtomic(files.json, result);
  await writeFileAtomic(files.markdown, corporaMarkdown(result));
  return files;
}

/** Measures every corpus in turn; a corpus that cannot be loaded or prepared is skipped with its reason. */
export async function runCorporaJob(opts: CorporaJobOptions, hooks: CorporaJobHooks = {}): Promise<{ result: CorporaResult; files: CorporaFiles }> {
  const cfg: PipelineConfig = resolvePipelineConfig({ preset: opts.preset ?? 'default', ...(opts.seed === undefined ? {} : { seed: opts.seed }), models: [] });
  const outDir = opts.outDir ?? path.join('out', 'corpora');
  const maxPosts = opts.maxPosts ?? DEFAULT_MAX_POSTS;
  const backend = await startModelBackend(opts.backend);
  hooks.onBackend?.(backend.backend, backend.engine, backend.reason);
  const machine = machineState();
  const result: CorporaResult = {
    command: opts.command, date: new Date().toISOString(), engine: backend.engine, backend: backend.backend, preset: cfg.preset,
    seed: cfg.experiment.seed, maxPosts, load: { start: machine.load, end: machine.load }, cpus: machine.cpus, node: machine.node,
    own: cfg.own, rows: [], skipped: [],
  };
  const skip = (s: SkippedCorpus) => {
    result.skipped.push(s);
    hooks.onSkip?.(s);
  };
  let files = await writeCorpora(outDir, result);
  const specs = opts.specs ?? DEFAULT_CORPORA;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i] as string;
    const loaded = await loadOrSkip(spec);
    if (!('posts' in loaded)) skip(loaded);
    else {
      hooks.onCorpus?.(spec, loaded);
      try {
        const row = await compareOnCorpus({ spec, corpus: loaded, cfg, backend, runDir: path.join(outDir, 'runs', corpusFolder(spec, i)), maxPosts, hooks });
        result.rows.push(row);
        hooks.onRow?.(row);
      } catch (err) {
        if (!isTweetlabError(err)) throw err;
        skip({ spec, reason: errorMessage(err) });
      }
    }
    result.load.end = machineState().load;
    files = await writeCorpora(outDir, result);
  }
  return { result, files };
}
