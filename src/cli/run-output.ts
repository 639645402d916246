import * as path from 'node:path';
import type { QualityRow } from '../pipeline/quality.js';
import type { RunJobResult } from '../report/job.js';

/** The quality columns `tweetlab run --json` copies from the quality table (null where not a finite number). */
type QualityColumns = 'postPerplexity' | 'postRatio' | 'memorisedShare' | 'distinct1' | 'distinct2' | 'naturalEndShare' | 'meanLength' | 'lengthRatio' | 'canYouTell';

/**
 * One model (or the baseline) in `tweetlab run --json`: the quality table's columns (whole held-out posts from
 * <eos> through <eos>, and as a ratio to the 3-gram's; memorised share; distinct-1/2; natural ends; length;
 * "can you tell?"), under today's windowed perplexity and its ratio.
 */
export type RunJsonModel = { [K in QualityColumns]: number | null } & {
  name: string;
  /** report | tweetlab | mixture | baseline. */
  kind: QualityRow['kind'];
  /** Today's (windowed) held-out perplexity, and as a ratio to the 3-gram's. */
  perplexity: number | null;
  ratio: number | null;
  /** Mixture rows: the LSTM's weight. */
  lambda?: number;
  /** Last training and validation loss (trained models). */
  trainLoss: number | null;
  valLoss: number | null;
};

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
  /** Share of <unk> among the whole-post targets. */
  unknownShare: number | null;
  models: RunJsonModel[];
  baseline: RunJsonModel | null;
}

/** NaN and ±Infinity are not JSON: they become null. */
const num = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

export function runJson(result: RunJobResult): RunJson {
  const s = result.summary;
  const history = new Map(s.models.map((m) => [m.name, m.history]));
  if (s.own) history.set(s.own.name, s.own.history);
  const row = (r: QualityRow): RunJsonModel => {
    const last = history.get(r.name)?.at(-1);
    return {
      name: r.name, kind: r.kind, perplexity: num(r.windowedPerplexity), ratio: num(r.windowedRatio),
      postPerplexity: num(r.postPerplexity), postRatio: num(r.postRatio), memorisedShare: num(r.memorisedShare),
      distinct1: num(r.distinct1), distinct2: num(r.distinct2), naturalEndShare: num(r.naturalEndShare),
      meanLength: num(r.meanLength), lengthRatio: num(r.lengthRatio), canYouTell: num(r.canYouTell),
      ...(r.lambda !== undefined ? { lambda: r.lambda } : {}),
      trainLoss: num(last?.loss), valLoss: num(last?.valLoss),
    };
  };
  const base = s.quality.rows.find((r) => r.kind === 'baseline');
  return {
    runId: s.runId, runDir: result.runDir, report: result.files.report, summary: result.files.summary,
    generated: result.files.generated, backend: s.backend, engine: s.engine, preset: s.preset, totalSeconds: s.totalSeconds,
    unknownShare: num(s.quality.unknownShare),
    models: s.quality.rows.filter((r) => r.kind !== 'baseline').map(row),
    baseline: base ? row(base) : null,
  };
}

const cell = (v: number | null | undefined, digits: number, width: number) =>
  (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits)).padStart(width);
const share = (v: number | null | undefined, width: number) =>
  (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(0)}%`).padStart(width);

/** The human summary printed after a run. */
export function runText(result: RunJobResult): string {
  const s = result.summary;
  const q = s.quality;
  const rel = (p: string) => path.relative(process.cwd(), p) || p;
  const lines = [
    '',
    `held-out perplexity (whole posts: ${q.postTargets} targets, ${(q.unknownShare * 100).toFixed(1)}% <unk>; windows: ${q.windowedTargets} targets)`,
    `  ${'model'.padEnd(26)}${'posts'.padStart(8)}${'×3-gram'.padStart(9)}${'windows'.padStart(9)}${'×3-gram'.padStart(9)}${'copies'.padStart(8)}${'ends'.padStart(6)}${'length'.padStart(8)}${'tell?'.padStart(7)}`,
  ];
  for (const r of q.rows) {
    lines.push(
      `  ${r.name.padEnd(26)}${cell(r.postPerplexity, 1, 8)}${cell(r.postRatio, 2, 9)}${cell(r.windowedPerplexity, 1, 9)}${cell(r.windowedRatio, 2, 9)}` +
        `${share(r.memorisedShare, 8)}${share(r.naturalEndShare, 6)}${cell(r.meanLength, 1, 8)}${share(r.canYouTell, 7)}`,
    );
  }
  lines.push(`  (real held-out posts: ${q.realMeanLength.toFixed(1)} words; "tell?" is a classifier's accuracy at telling generated from real posts, 50% = cannot)`);
  lines.push('', `finished in ${s.totalSeconds.toFixed(1)} s`, `report: ${rel(result.files.report)}`, `summary: ${rel(result.files.summary)}`);
  return lines.join('\n');
}
