/**
 * The first section of the run report: tweetlab's own model against the report's four and the 3-gram — both
 * perplexities as ratios to the 3-gram, and what the generated posts look like — plus the ablation table when
 * one was measured (`tweetlab ablation`).
 */
import { gapNats, type GapRow } from '../evaluate/gap.js';
import type { QualityRow, QualityTable } from '../pipeline/quality.js';
import { barChartFigure } from '../viz/figures.js';
import type { PageBlock, PageSection } from '../viz/html.js';
import type { Figure } from '../viz/types.js';
import type { AblationResult } from '../pipeline/ablation-types.js';
import type { RunSummary } from './types.js';

const fmt = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const pct = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)}%`);
const ratio = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '—');

/** The quality table as rows for the report and the notebooks. */
export function qualityRows(q: QualityTable): (string | number)[][] {
  return q.rows.map((r) => [
    r.name,
    fmt(r.postPerplexity),
    ratio(r.postRatio),
    fmt(r.windowedPerplexity),
    ratio(r.windowedRatio),
    pct(r.memorisedShare),
    fmt(r.distinct1, 3),
    fmt(r.distinct2, 3),
    pct(r.naturalEndShare),
    r.meanLength === null ? '—' : `${fmt(r.meanLength)} (${ratio(r.lengthRatio ?? Number.NaN)})`,
    pct(r.canYouTell),
  ]);
}

export const QUALITY_COLUMNS = [
  'model',
  'perplexity, whole posts',
  'vs 3-gram',
  'perplexity, windows',
  'vs 3-gram',
  'copies ≥ 6 training words',
  'distinct-1',
  'distinct-2',
  'ends by itself',
  'mean length (vs real)',
  'can you tell? (50% = no)',
];

/** Both perplexities of every row as grouped bars (lower is better). */
export function qualityFigure(q: QualityTable): Figure {
  return barChartFigure(
    q.rows.map((r) => r.name),
    [
      { name: 'whole posts', values: q.rows.map((r) => r.postPerplexity) },
      { name: 'windows', values: q.rows.map((r) => r.windowedPerplexity) },
    ],
    { title: 'Held-out perplexity per word (lower is better)', yTitle: 'perplexity' },
  );
}

/** One sentence per evaluation: the best tweetlab row against the 3-gram. */
export function qualityVerdict(q: QualityTable): string {
  const base = q.rows.find((r) => r.kind === 'baseline');
  const ours = q.rows.filter((r) => r.kind === 'tweetlab' || r.kind === 'mixture');
  if (!base || ours.length === 0) return 'tweetlab’s model was not trained in this run.';
  const best = (key: 'postRatio' | 'windowedRatio'): QualityRow => ours.reduce((a, b) => (b[key] < a[key] ? b : a));
  const say = (r: QualityRow, key: 'postRatio' | 'windowedRatio', what: string) =>
    `${what}: ${r.name} reaches ${ratio(r[key])} the 3-gram’s perplexity (${r[key] < 1 ? 'better' : 'worse'} than counting word triples).`;
  return `${say(best('postRatio'), 'postRatio', 'Whole posts')} ${say(best('windowedRatio'), 'windowedRatio', 'Windows')}`;
}

export const GAP_COLUMNS = ['targets', 'share', 'model, nats per target', '3-gram, nats per target', 'difference', 'difference × targets'];

/**
 * Where tweetlab's model wins and loses against the 3-gram: one row per group of targets (by what is predicted,
 * then by the word before it); none when the run has no model of its own.
 */
export function gapRows(q: QualityTable): string[][] {
  if (!q.gap) return [];
  const total = q.postTargets || 1;
  const row = (r: GapRow<string>) => [r.group, pct(r.targets / total), fmt(r.modelNats, 3), fmt(r.baselineNats, 3), fmt(r.modelNats - r.baselineNats, 3), fmt(gapNats(r), 0)];
  return [...q.gap.byTarget.map(row), ...q.gap.byContext.map(row)];
}

/** What the gap table shows, in words (the report's caption and the notebook's). */
export function gapCaption(model: string): string {
  return (
    `Where ${model} wins (negative difference) and loses (positive) against the 3-gram on the whole held-out posts: the first three rows split ` +
    'the targets by what is predicted, the last three by the word before it. The last column sums the difference over the group: where the total comes from.'
  );
}

function gapBlocks(q: QualityTable): PageBlock[] {
  return q.gap ? [{ table: gapRows(q), columns: GAP_COLUMNS, caption: gapCaption(q.gap.model) }] : [];
}

function ablationBlocks(ablation: AblationResult | undefined): PageBlock[] {
  if (!ablation) return [{ text: 'No ablation was measured for this corpus (run `tweetlab ablation` to add one).' }];
  return [
    {
      table: ablation.rows.map((r) => [r.step, fmt(r.postPerplexity), ratio(r.postRatio), fmt(r.windowedPerplexity), ratio(r.windowedRatio), r.bestEpoch, fmt(r.seconds, 0)]),
      columns: ['technique added', 'perplexity, whole posts', 'vs 3-gram', 'perplexity, windows', 'vs 3-gram', 'best epoch', 'training s'],
      caption: `Ablation: each technique added one at a time (${ablation.command}, ${ablation.date}, engine ${ablation.engine}).`,
    },
  ];
}

/** The report's first section. */
export function qualitySection(summary: RunSummary, ablation?: AblationResult): PageSection {
  const q = summary.quality;
  const own = summary.own;
  const blocks: PageBlock[] = [
    { text: qualityVerdict(q) },
    { figure: qualityFigure(q) },
    {
      table: qualityRows(q),
      columns: QUALITY_COLUMNS,
      caption:
        `Whole posts: each of the held-out posts scored once from <eos> through its <eos> (${q.postTargets} targets, ` +
        `${pct(q.unknownShare)} of them <unk>). Windows: the report’s evaluation (${q.windowedTargets} targets; ` +
        `every target is a word inside a post, so a model that knows where posts end is asked for the next word given the post goes on, p / (1 − p(<eos>))). ` +
        `Real held-out posts average ${fmt(q.realMeanLength)} words.`,
    },
    ...gapBlocks(q),
  ];
  if (own) {
    const c = own.modelConfig;
    blocks.push({
      text:
        `tweetlab LSTM: ${c.layers} × LSTM ${c.hidden}, tied embeddings ${c.tied ? 'on' : 'off'}, dropouts embedding ${c.embeddingDropout ?? 0}, ` +
        `input ${c.inputDropout ?? 0}, output ${c.outputDropout ?? 0}, recurrent weights ${c.recurrentDropout ?? 0}; best epoch ${own.bestEpoch} ` +
        `of ${own.history.length} (development perplexity ${fmt(own.bestDevPerplexity)}), ${fmt(own.trainSeconds, 0)} s` +
        (own.lambda === null ? '.' : `; mixture weight of the LSTM with the 3-gram ${fmt(own.lambda, 2)} (fitted on development posts).`),
    });
  }
  if (summary.paths.page) {
    blocks.push({ text: `Write posts in your browser with this run's best model: open ${summary.paths.page} beside this report (it runs offline, no server).` });
  }
  return { heading: '0. Does it read like the account?', blocks: [...blocks, ...ablationBlocks(ablation)] };
}
