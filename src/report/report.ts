import { qualitySection } from './quality-section.js';
import type { AblationResult } from '../pipeline/ablation-types.js';
import * as path from 'node:path';
import { formatCsv } from '../util/csv.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/fs.js';
import { barChartFigure, lossCurvesFigure } from '../viz/figures.js';
import { renderHtmlPage, type PageBlock, type PageSection } from '../viz/html.js';
import type { Figure } from '../viz/types.js';
import type { GeneratedPostRow, RunSummary } from './types.js';

/** A chart the caller built (e.g. the words-per-post histogram), shown in the statistics section. */
export interface ReportFigure {
  figure: Figure;
  caption?: string;
}

/** What the report shows beside the summary: the posts themselves and the caller's charts. */
export interface ReportExtras {
  /** Every generated post (also written to generated.csv). */
  generated: readonly GeneratedPostRow[];
  /** Charts of the statistics section (histograms of words and characters per post). */
  figures?: readonly ReportFigure[];
  /** A few raw posts beside their cleaned text, to show what cleaning did (with the rule they illustrate). */
  cleaningExamples?: readonly { rule?: string; before: string; after: string }[];
  /** The ablation measured by `tweetlab ablation` for this corpus, if any. */
  ablation?: AblationResult;
}

export interface WrittenReport {
  /** Absolute paths of the three files. */
  report: string;
  summary: string;
  generated: string;
}

export const REPORT_FILE = 'report.html';
export const SUMMARY_FILE = 'summary.json';
export const GENERATED_FILE = 'generated.csv';

/** Evaluation posts shown per model in the report (the rest are in generated.csv). */
const SCORED_SHOWN = 10;

/** generated.csv: one row per generated post with the columns model, epoch, seed, text, purpose (RFC 4180). */
export function formatGeneratedCsv(posts: readonly GeneratedPostRow[]): string {
  return formatCsv(
    ['model', 'epoch', 'seed', 'text', 'purpose'],
    posts.map((p) => [p.model, String(p.epoch), String(p.seed), p.text, p.purpose]),
    { neutraliseFormulas: true }, // generated text is built from untrusted posts' words
  );
}

/**
 * Writes report.html, summary.json and generated.csv into `outDir`, each atomically (temp file + rename), so an
 * interrupted run never leaves half a report.
 */
export async function writeRunReport(outDir: string, summary: RunSummary, extras: ReportExtras): Promise<WrittenReport> {
  const files: WrittenReport = {
    report: path.resolve(outDir, REPORT_FILE),
    summary: path.resolve(outDir, SUMMARY_FILE),
    generated: path.resolve(outDir, GENERATED_FILE),
  };
  await writeFileAtomic(files.generated, formatGeneratedCsv(extras.generated));
  await writeJsonAtomic(files.summary, summary);
  await writeFileAtomic(files.report, renderRunReport(summary, extras));
  return files;
}

function fmt(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

function pct(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

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

/** The whole report page as HTML (pure; writeRunReport writes it). Every text is escaped by the viz renderer. */
export function renderRunReport(summary: RunSummary, extras: ReportExtras): string {
  const { generated, figures = [], cleaningExamples = [] } = extras;
  const c = summary.corpus;
  const d = summary.datasets;
  const sections: PageSection[] = [qualitySection(summary, extras.ablation)];

  sections.push({
    heading: '1. Corpus and statistics',
    blocks: [
      {
        text:
          `Source: ${c.source.kind} — ${c.source.name}. ${c.posts} posts read; ${c.cleanedPosts} left after cleaning ` +
          `(${c.droppedPosts} empty after cleaning dropped). ${c.words} words, ${c.uniqueWords} distinct; ` +
          `vocabulary of ${c.vocabSize} ids.`,
      },
      ...figures.map((f): PageBlock => ({ figure: f.figure, caption: f.caption })),
      {
        describe: { 'characters per post': summary.statistics.chars, 'words per post': summary.statistics.words },
        caption: 'describe() of the raw posts (before cleaning)',
      },
      {
        text:
          `${pct(summary.statistics.shareShorterThanWindow)} of the raw posts have fewer than seqLength + 1 = ` +
          `${d.seqLength + 1} words and give no window in training set variant 1.`,
      },
    ],
  });

  const ruleCounts = Object.entries(c.cleaningRuleCounts);
  sections.push({
    heading: '2. Cleaning and tokens',
    blocks: [
      ruleCounts.length > 0
        ? { table: ruleCounts.map(([rule, n]) => [rule, n]), columns: ['rule', 'posts changed'] }
        : { text: 'No cleaning rule was active.' },
      cleaningExamples.length > 0
        ? {
            table: cleaningExamples.map((e) => [e.rule ?? '', e.before, e.after]),
            columns: ['rule', 'raw post', 'cleaned'],
            caption: 'Examples: for each rule, the first post it changes (raw, and after all rules)',
          }
        : { text: 'Cleaning changed no post.' },
    ],
  });

  sections.push({
    heading: '3. Training sets',
    blocks: [
      {
        text:
          `${c.trainPosts} posts for training and ${c.validationPosts} held out for validation, split by post ` +
          `before windowing, so no window of a held-out post is trained on. Window length ${d.seqLength} words.`,
      },
      {
        table: [
          ['1 (split by post)', d.variant1.train.windows, d.variant1.train.excludedPosts, d.variant1.validation.windows],
          ['2 (posts joined)', d.variant2.train.windows, d.variant2.train.excludedPosts, d.variant2.validation.windows],
        ],
        columns: ['variant', 'training windows', 'posts excluded (too short)', 'validation windows'],
      },
    ],
  });

  const interruptedNames = summary.models.filter((m) => m.interrupted).map((m) => m.name);
  sections.push({
    heading: '4. Models and training',
    blocks: [
      ...(interruptedNames.length > 0 || summary.skippedModels.length > 0
        ? [
            {
              text:
                `This run was interrupted: ${interruptedNames.join(', ') || 'no model'} stopped early` +
                (summary.skippedModels.length > 0 ? `; ${summary.skippedModels.join(', ')} not trained` : '') +
                (summary.finishedModels ? `; finished: ${summary.finishedModels.join(', ') || 'none'}.` : '.'),
            },
          ]
        : []),
      {
        table: summary.models.map((m) => [
          m.name,
          m.dataset,
          m.variant === 2 ? `${m.variant} (dropout ${m.modelConfig.dropout})` : String(m.variant),
          `${m.modelConfig.layers} × ${m.modelConfig.hidden}`,
          m.modelConfig.embedding,
          m.trainConfig.epochs,
          m.trainConfig.batchSize,
          `${m.trainConfig.optimizer} ${m.trainConfig.learningRate}`,
          m.modelConfig.seed,
          fmt(m.trainSeconds, 1),
        ]),
        columns: ['model', 'dataset', 'variant', 'LSTM', 'embedding', 'epochs', 'batch', 'optimizer', 'seed', 'seconds'],
        caption: `Backend ${summary.backend}, engine ${summary.engine}, initializer ${summary.models[0]?.modelConfig.initializer ?? '—'}`,
      },
      { figure: lossCurvesFigure(summary.models), caption: 'Validation loss is measured on the held-out posts of each model’s own training-set variant.' },
      {
        table: summary.models.map((m) => {
          const last = m.history[m.history.length - 1];
          return [m.name, last?.epoch ?? 0, fmt(last?.loss, 4), fmt(last?.valLoss, 4), fmt(last?.valPerplexity, 2)];
        }),
        columns: ['model', 'last epoch', 'training loss', 'validation loss', 'validation perplexity'],
      },
    ],
  });

  const ev = summary.evaluation;
  sections.push({
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
  });

  const byModel = new Map<string, GeneratedPostRow[]>();
  for (const p of generated) {
    const list = byModel.get(p.model) ?? [];
    list.push(p);
    byModel.set(p.model, list);
  }
  const genBlocks: PageBlock[] = [];
  for (const [model, posts] of byModel) {
    const samples = posts.filter((p) => p.purpose === 'checkpoint');
    const scored = posts.filter((p) => p.purpose === 'evaluation');
    if (samples.length > 0) {
      genBlocks.push({
        table: samples.map((p) => [p.epoch, p.seed, p.text]),
        columns: ['epoch', 'seed', 'post'],
        caption: `${model}: samples at each checkpoint`,
      });
    }
    if (scored.length > 0) {
      genBlocks.push({
        table: scored.map((p) => [p.epoch, p.seed, p.text]),
        columns: ['epoch', 'seed', 'post'],
        caption: `${model}: posts scored in the evaluation (${scored.length})${scored.length > SCORED_SHOWN ? ` (first ${SCORED_SHOWN} shown; all in ${summary.paths.generated})` : ''}`,
        maxRows: SCORED_SHOWN,
      });
    }
  }
  sections.push({ heading: '6. Generated posts per checkpoint', blocks: genBlocks });

  sections.push({
    heading: '7. Run',
    blocks: [
      {
        table: Object.entries(summary.timings).map(([stage, s]) => [stage, fmt(s, 1)]),
        columns: ['stage', 'seconds'],
        caption: `Total ${fmt(summary.totalSeconds, 1)} s`,
      },
      {
        list: [
          `Run id: ${summary.runId}`,
          `Preset: ${summary.preset}`,
          `Backend: ${summary.backend} (${summary.backendReason})`,
          `Seeds: base ${summary.seeds.base}, split ${summary.seeds.split}`,
          `Versions: node ${summary.versions.node}, tfjs ${summary.versions.tfjs}, tweetlab ${summary.versions.tweetlab}`,
          `Models saved under ${summary.paths.models}; all generated posts in ${summary.paths.generated}`,
        ],
      },
    ],
  });

  return renderHtmlPage({
    title: 'tweetlab run report',
    subtitle: [
      `${c.source.kind}: ${c.source.name}`,
      `${summary.startedAt} · preset ${summary.preset} · backend ${summary.backend}`,
    ],
    sections,
    footer: `tweetlab ${summary.versions.tweetlab} · run ${summary.runId}`,
  });
}
