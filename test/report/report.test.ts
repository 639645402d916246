import { resolvePipelineConfig } from '../../src/pipeline/config.js';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderRunReport, writeRunReport } from '../../src/report/report.js';
import type { GeneratedPostRow, ModelRunSummary, RunSummary } from '../../src/report/types.js';
import { parseCsv } from '../../src/util/csv.js';
import { histogramFigure } from '../../src/viz/figures.js';

const PAYLOADS = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', 'javascript:alert(1)'];

const describeOf = (mean: number) => ({ count: 3, mean, std: 1, min: 1, q25: 2, q50: 3, q75: 4, max: 5 });

function model(id: number): ModelRunSummary {
  return {
    id,
    name: `Model ${id}`,
    dataset: id % 2 === 1 ? 1 : 2,
    variant: id <= 2 ? 1 : 2,
    modelConfig: {
      variant: id <= 2 ? 1 : 2,
      layers: 2,
      hidden: 8,
      embedding: 4,
      dropout: id <= 2 ? 0 : 0.2,
      vocabSize: 10,
      seqLength: 3,
      initializer: 'glorotUniform',
      seed: 100 + id,
    },
    trainConfig: { epochs: 2, batchSize: 4, optimizer: 'rmsprop', learningRate: 0.01, checkpoints: [2], validationShare: 0.2, seed: 200 + id },
    history: [
      { epoch: 1, loss: 2.5, valLoss: 2.6, valPerplexity: 13.5, seconds: 0.1 },
      { epoch: 2, loss: 2.1, valLoss: 2.4, valPerplexity: 11.0, seconds: 0.1 },
    ],
    checkpoints: [{ epoch: 2, dir: `models/model-${id}/epoch-2`, generated: 1 }],
    trainSeconds: 0.2,
  };
}

function fakeSummary(): RunSummary {
  return {
    runId: '20260101T000000Z-abc123',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    preset: 'quick',
    backend: 'cpu',
    engine: 'tfjs-cpu',
    backendReason: 'requested',
    versions: { node: 'v20.0.0', tfjs: '4.22.0', tweetlab: '0.1.0' },
    seeds: { base: 1, split: 2, development: 4, baselineGeneration: 3, models: {} },
    config: resolvePipelineConfig({ preset: 'quick' }),
    corpus: {
      source: { kind: 'csv', name: 'fixture <b>bold</b>.csv' },
      posts: 30,
      cleanedPosts: 29,
      droppedPosts: 1,
      cleaningRuleCounts: { links: 3, mentions: 1 },
      trainPosts: 24,
      validationPosts: 5,
      words: 300,
      uniqueWords: 40,
      vocabSize: 42,
    },
    statistics: { chars: describeOf(60), words: describeOf(10), shareShorterThanWindow: 0.1 },
    datasets: {
      seqLength: 3,
      variant1: { train: { windows: 100, excludedPosts: 2 }, validation: { windows: 20, excludedPosts: 0 } },
      variant2: { train: { windows: 200, excludedPosts: 0 }, validation: { windows: 30, excludedPosts: 0 } },
    },
    models: [1, 2, 3, 4].map(model),
    own: {
      name: 'tweetlab LSTM',
      modelConfig: { variant: 3, layers: 1, hidden: 8, embedding: 8, dropout: 0, vocabSize: 42, seqLength: 3, initializer: 'test', seed: 5, tied: true },
      history: [{ epoch: 1, loss: 2.2, valLoss: 2.3, valPerplexity: 10, seconds: 0.1, learningRate: 0.003 }],
      bestEpoch: 1,
      bestDevPerplexity: 10,
      trainSeconds: 0.1,
      lambda: 0.6,
      dir: 'models/tweetlab',
    },
    quality: {
      rows: [
        { name: 'tweetlab LSTM <i>', kind: 'tweetlab', windowedPerplexity: 9, windowedRatio: 0.9, postPerplexity: 8, postRatio: 0.8, memorisedShare: 0, distinct1: 0.4, distinct2: 0.8, naturalEndShare: 0.95, meanLength: 10, lengthRatio: 1.02, canYouTell: 0.61 },
        { name: 'Kneser–Ney 3-gram', kind: 'baseline', windowedPerplexity: 10, windowedRatio: 1, postPerplexity: 10, postRatio: 1, memorisedShare: 0.05, distinct1: 0.3, distinct2: 0.7, naturalEndShare: null, meanLength: 9, lengthRatio: 0.9, canYouTell: 0.8 },
      ],
      windowedTargets: 60,
      postTargets: 55,
      unknownShare: 0.05,
      realMeanLength: 9.8,
      memorisationN: 6,
      gap: {
        model: 'tweetlab LSTM <i>',
        byTarget: [
          { group: 'known word', targets: 40, modelNats: 2.5, baselineNats: 2.25 },
          { group: '<unk>', targets: 5, modelNats: 1, baselineNats: 1.5 },
          { group: '<eos>', targets: 10, modelNats: 0.5, baselineNats: 1 },
        ],
        byContext: [
          { group: 'start of post', targets: 10, modelNats: 3, baselineNats: 3 },
          { group: 'after a known word', targets: 40, modelNats: 1.75, baselineNats: 1.5 },
          { group: 'after <unk>', targets: 5, modelNats: 1, baselineNats: 2 },
        ],
      },
    },
    skippedModels: [],
    evaluation: {
      rows: [
        ...[1, 2, 3, 4].map((id) => ({
          name: `Model ${id}`,
          kind: 'lstm' as const,
          perplexity: 10 + id,
          crossEntropy: Math.log(10 + id),
          memorisedShare: 0.25,
          distinct1: 0.5,
          distinct2: 0.75,
          generatedPosts: 4,
          memorisedExamples: [`copied ${PAYLOADS[0]}`],
        })),
        {
          name: 'Kneser–Ney 3-gram',
          kind: 'baseline' as const,
          perplexity: 17.5,
          crossEntropy: Math.log(17.5),
          memorisedShare: 0,
          distinct1: 0.9,
          distinct2: 0.95,
          generatedPosts: 4,
          memorisedExamples: [],
        },
      ],
      heldOutWindows: 20,
      heldOutTargets: 60,
      seqLength: 3,
      memorisationN: 6,
      note: 'Every row predicts the same targets.',
    },
    evaluationSet: 'Variant-1 windows of the held-out posts.',
    timings: { statistics: 0.01, 'model-1': 0.2 },
    totalSeconds: 1.5,
    paths: { outDir: '/tmp/x', report: 'report.html', summary: 'summary.json', generated: 'generated.csv', models: 'models' },
  };
}

const generated: GeneratedPostRow[] = [1, 2, 3, 4].flatMap((id) =>
  PAYLOADS.map((p, i) => ({
    model: `Model ${id}`,
    epoch: 2,
    seed: 10 * id + i,
    text: `post ${i} ${p} "quoted", end`,
    purpose: i === 2 ? ('evaluation' as const) : ('checkpoint' as const),
  })),
);

/** The page without the inlined plotly bundle script. */
/** toContain without a multi-megabyte diff on failure. */
function expectIn(html: string, needle: string): void {
  expect(html.includes(needle), `page should contain: ${needle}`).toBe(true);
}

function withoutPlotlyBundle(html: string): string {
  return html.replace(/<script type="text\/javascript" data-tweetlab="plotly-bundle">[\s\S]*?<\/script>/, '');
}

const tmpDirs: string[] = [];
afterAll(async () => {
  for (const d of tmpDirs) await fsp.rm(d, { recursive: true, force: true });
});

describe('renderRunReport', () => {
  const html = renderRunReport(fakeSummary(), {
    generated,
    figures: [{ figure: histogramFigure([1, 2, 2, 3], { title: 'Words per post' }), caption: 'words per post' }],
    cleaningExamples: [{ before: `raw ${PAYLOADS[1]} <a href="javascript:alert(1)">x</a>`, after: 'raw img src' }],
  });

  it('has every section', () => {
    for (const heading of [
      'Corpus and statistics',
      'Cleaning and tokens',
      'Training sets',
      'Models and training',
      'Evaluation',
      'Generated posts per checkpoint',
      'Run',
    ]) {
      expectIn(html, heading);
    }
    expectIn(html, 'characters per post'); // describe() table
    expectIn(html, 'Loss per epoch'); // loss curves figure
    expectIn(html, 'Model 4 validation');
    expectIn(html, 'Kneser–Ney 3-gram');
    expectIn(html, '17.50');
    expectIn(html, 'words per post');
    expectIn(html, 'raw img src');
    expectIn(html, 'The best LSTM, Model 1, has 11 perplexity: 1.59× lower than the 3-gram baseline&#39;s 17.50.');
    expectIn(html, 'Runs of 6 words copied from a training post');
    // where tweetlab's model wins and loses: known words 40 of 55 targets, 2.5 − 2.25 = 0.25 nats each, 10 in all
    expectIn(html, 'Where tweetlab LSTM &lt;i&gt; wins (negative difference)');
    expectIn(html, '<td>known word</td><td>72.7%</td><td>2.500</td><td>2.250</td><td>0.250</td><td>10</td>');
    expectIn(html, '<td>after &lt;unk&gt;</td><td>9.1%</td><td>1.000</td><td>2.000</td><td>-1.000</td><td>-5</td>');
    expectIn(html, 'Model 2: samples at each checkpoint');
    expectIn(html, 'Model 2: posts scored in the evaluation (1)');
    // the local plotly bundle is inlined, not fetched
    expectIn(html, 'data-tweetlab="plotly-bundle"');
    expect(/<script[^>]+src=/i.test(html)).toBe(false);
  });

  it('carries the minified plotly.js once, compressed: the page stays under 4 MB', () => {
    expect(html.split('data-tweetlab="plotly-bundle"').length - 1).toBe(1);
    expect(Buffer.byteLength(html)).toBeLessThan(4_000_000);
    expect(Buffer.byteLength(html)).toBeLessThan(Buffer.byteLength(withoutPlotlyBundle(html)) + 2_000_000);
  });

  it('shows post text only escaped', () => {
    // The inlined plotly bundle is library code with its own markup strings; look at our page around it.
    const page = withoutPlotlyBundle(html);
    expect(page.length).toBeLessThan(html.length);
    const has = (needle: string) => page.includes(needle); // booleans: no multi-megabyte diffs on failure
    expect(has('<script>alert(1)</script>')).toBe(false);
    expect(has('<img src=x onerror')).toBe(false);
    expect(has('<b>bold</b>')).toBe(false);
    expect(has('<a href')).toBe(false);
    expect(/(href|src)\s*=\s*["']?\s*javascript:/i.test(page)).toBe(false);
    expect(has('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe(true);
    expect(has('&lt;img src=x onerror=alert(1)&gt;')).toBe(true);
    expect(has('&lt;a href=&quot;javascript:alert(1)&quot;&gt;')).toBe(true);
    // every generated post is there, escaped (4 models + the cleaning example)
    expect(page.split('&lt;img src=x onerror=alert(1)&gt;').length - 1).toBe(5);
  });
});

describe('writeRunReport', () => {
  it('writes report.html, summary.json and generated.csv', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-report-'));
    tmpDirs.push(dir);
    const files = await writeRunReport(dir, fakeSummary(), { generated });
    const summary = JSON.parse(await fsp.readFile(files.summary, 'utf8')) as RunSummary;
    expect(summary.models).toHaveLength(4);
    expect(summary.evaluation.rows.map((r) => r.name)).toContain('Kneser–Ney 3-gram');
    const csv = parseCsv(await fsp.readFile(files.generated, 'utf8'), 'generated.csv');
    expect(csv.header).toEqual(['model', 'epoch', 'seed', 'text', 'purpose']);
    expect(csv.rows).toHaveLength(generated.length);
    expect(csv.rows[0]).toEqual(['Model 1', '2', '10', generated[0]?.text, 'checkpoint']);
    expect(csv.rows[2]?.[4]).toBe('evaluation');
    expect(await fsp.readFile(files.report, 'utf8')).toContain('<!DOCTYPE html>');
    // no temp files left behind
    expect((await fsp.readdir(dir)).sort()).toEqual(['generated.csv', 'report.html', 'summary.json']);
  });
});
