/**
 * The descriptive sections of the run report (src/report/report.ts composes them): the corpus and its
 * statistics, cleaning, the training sets, the models and their training, the generated posts, and the run.
 */
import { lossCurvesFigure } from '../viz/figures.js';
import type { PageBlock, PageSection } from '../viz/html.js';
import { fmt, pct } from './cells.js';
import type { GeneratedPostRow, ReportExtras, RunSummary } from './types.js';

/** Evaluation posts shown per model in the report (the rest are in generated.csv). */
const SCORED_SHOWN = 10;

/** 1: where the posts came from, with describe() of their lengths and the caller's charts. */
export function corpusSection(summary: RunSummary, figures: ReportExtras['figures'] = []): PageSection {
  const c = summary.corpus;
  const d = summary.datasets;
  return {
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
  };
}

/** 2: how many posts each cleaning rule changed, with one example per rule. */
export function cleaningSection(summary: RunSummary, cleaningExamples: ReportExtras['cleaningExamples'] = []): PageSection {
  const c = summary.corpus;
  const ruleCounts = Object.entries(c.cleaningRuleCounts);
  return {
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
  };
}

/** 3: the split by post and the windows of both training-set variants. */
export function trainingSetsSection(summary: RunSummary): PageSection {
  const c = summary.corpus;
  const d = summary.datasets;
  return {
    heading: '3. Training sets',
    blocks: [
      {
        text:
          `${c.trainPosts} posts for training and ${c.validationPosts} held out for validation, split by post ` +
          `before windowing, so no window of a held-out post is trained on. ` +
          (c.repeatsMoved ? `${c.repeatsMoved} posts drawn for validation repeat a training post (the same words), so they went to training. ` : '') +
          `Window length ${d.seqLength} words.`,
      },
      {
        table: [
          ['1 (split by post)', d.variant1.train.windows, d.variant1.train.excludedPosts, d.variant1.validation.windows],
          ['2 (posts joined)', d.variant2.train.windows, d.variant2.train.excludedPosts, d.variant2.validation.windows],
        ],
        columns: ['variant', 'training windows', 'posts excluded (too short)', 'validation windows'],
      },
    ],
  };
}

/** 4: each model's settings, loss curves and last epoch (and what an interruption left out). */
export function modelsSection(summary: RunSummary): PageSection {
  const interruptedNames = summary.models.filter((m) => m.interrupted).map((m) => m.name);
  return {
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
  };
}

/** 6: the posts of every checkpoint and the first scored posts, per model. */
export function generatedSection(summary: RunSummary, generated: readonly GeneratedPostRow[]): PageSection {
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
  return { heading: '6. Generated posts per checkpoint', blocks: genBlocks };
}

/** 7: timings, seeds, versions and where the files are. */
export function runSection(summary: RunSummary): PageSection {
  return {
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
  };
}
