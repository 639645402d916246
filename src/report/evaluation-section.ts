/** Section 5 of the run report: the windowed evaluation of the report's models against the 3-gram baseline. */
import { barChartFigure } from '../viz/figures.js';
import type { PageSection } from '../viz/html.js';
import type { Figure } from '../viz/types.js';
import { fmt, pct } from './cells.js';
import type { RunSummary } from './types.js';

/** One or two sentences that compare the best LSTM with the baseline, for readers who skip the table. */
export function verdict(summary: RunSummary): string {
  const rows = summary.evaluation.rows.filter((r) => Number.isFinite(r.perplexity));
  const lstms = rows.filter((r) => r.kind === 'lstm');
  const base = rows.find((r) => r.kind === 'baseline');
  if (lstms.length === 0 || !base) return 'No comparison with the baseline is possible for this run.';
  const best = lstms.reduce((a, b) => (b.perplexity < a.perplexity ? b : a));
  const ratio = best.perplexity / base.perplexity;
  const lstmSeconds = summary.models.reduce((t, m) => t + m.trainSeconds, 0);
  const baseSeconds = summary.timings['baseline'];
  const cost =
    baseSeconds === undefined ? '' : ` Training took ${fmt(lstmSeconds, 0)} s for the LSTMs and ${fmt(baseSeconds, 1)} s for the baseline.`;
  const comparison =
    ratio < 1
      ? `The best LSTM, ${best.name}, has ${fmt(best.perplexity)} perplexity: ${fmt(1 / ratio)}× lower than the 3-gram baseline's ${fmt(base.perplexity)}.`
      : `The best LSTM, ${best.name}, has ${fmt(best.perplexity)} perplexity: ${fmt(ratio)}× higher than the 3-gram baseline's ${fmt(base.perplexity)}, so with these settings the LSTMs do not beat counting word triples.`;
  return comparison + cost;
}

/** Held-out perplexity of every model and the baseline, as bars. */
export function perplexityFigure(summary: RunSummary): Figure {
  const rows = summary.evaluation.rows;
  return barChartFigure(
    rows.map((r) => r.name),
    [{ name: 'perplexity', values: rows.map((r) => r.perplexity) }],
    { title: 'Held-out per-word perplexity (lower is better)', yTitle: 'perplexity' },
  );
}

/** 5: perplexity, memorisation and diversity of every model and the baseline, with the verdict. */
export function evaluationSection(summary: RunSummary): PageSection {
  const ev = summary.evaluation;
  return {
    heading: '5. Evaluation',
    blocks: [
      { text: `${summary.evaluationSet} ${ev.note}` },
      {
        table: ev.rows.map((r) => [
          r.name,
          r.kind === 'baseline' ? 'n-gram baseline' : 'LSTM',
          fmt(r.perplexity, 2),
          fmt(r.crossEntropy, 4),
          pct(r.memorisedShare),
          fmt(r.distinct1, 3),
          fmt(r.distinct2, 3),
          r.generatedPosts,
        ]),
        columns: [
          'model',
          'kind',
          'perplexity',
          'cross-entropy',
          `memorised (≥ ${ev.memorisationN} training words)`,
          'distinct-1',
          'distinct-2',
          'posts scored',
        ],
        caption: 'Held-out perplexity, memorisation and diversity of the final checkpoint’s posts',
      },
      { text: verdict(summary) },
      { figure: perplexityFigure(summary) },
      ...(ev.rows.some((r) => r.memorisedExamples.length > 0)
        ? [
            { text: `Runs of ${ev.memorisationN} words copied from a training post (up to five per model):` },
            {
              list: ev.rows.flatMap((r) => r.memorisedExamples.map((x) => `${r.name}: “${x}”`)),
            },
          ]
        : [{ text: `No scored post copies ${ev.memorisationN} consecutive words of a training post.` }]),
    ],
  };
}
