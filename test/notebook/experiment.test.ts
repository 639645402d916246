import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  checkpointPostRows,
  evaluateInNotebook,
  evaluationRows,
  perplexityComparisonFigure,
  prepareNotebookData,
  trainInNotebook,
  trainingCurvesFigure,
} from '../../src/notebook/experiment.js';
import { buildExperiment, presetConfig } from '../../src/model/experiment.js';
import { getEngine } from '../../src/model/backend.js';
import { ProgressDisplay, type DisplaySink, type MimeBundle } from '../../src/viz/notebook.js';
import type { Post } from '../../src/types.js';

// A small learnable corpus: a few sentence patterns with varying words.
const subjects = ['the river', 'our town', 'the market', 'a teacher', 'the old bridge', 'every school'];
const verbs = ['needs', 'builds', 'opens', 'finds', 'keeps', 'brings'];
const objects = ['new roads for everyone', 'more light in winter', 'a better plan today', 'good work for all of us'];
const posts: Post[] = [];
for (let i = 0; i < 60; i++) {
  const text = `${subjects[i % 6]} ${verbs[(i * 5) % 6]} ${objects[i % 4]} and ${subjects[(i + 2) % 6]} ${verbs[i % 6]} ${objects[(i + 1) % 4]}`;
  posts.push({ id: String(i + 1), text: i % 7 === 0 ? text.toUpperCase() + '!' : text });
}

const config = {
  ...presetConfig('quick'),
  layers: 1,
  hidden: 8,
  embedding: 4,
  epochs: 1,
  checkpoints: [1],
  windowsPerEpoch: 64,
  batchSize: 32,
  minCount: 1,
  samplesPerCheckpoint: 2,
  seed: 7,
};

function recorder(): { sink: DisplaySink; shown: MimeBundle[] } {
  const shown: MimeBundle[] = [];
  return { shown, sink: { show: (b) => shown.push(b) } };
}

let outDir: string;
beforeAll(async () => {
  outDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-nb-exp-'));
});
afterAll(async () => {
  await fsp.rm(outDir, { recursive: true, force: true });
});

describe('prepareNotebookData', () => {
  it('splits by post before windowing and builds both training sets from one vocabulary', () => {
    const data = prepareNotebookData(posts, config);
    expect(data.trainPosts.length + data.validationPosts.length).toBe(60);
    expect(data.validationPosts.length).toBe(6);
    expect(data.windows[1].train.variant).toBe(1);
    expect(data.windows[2].train.count).toBeGreaterThan(data.windows[1].train.count);
    expect(data.heldOut).toBe(data.windows[1].validation);
    expect(data.wordsPerPost).toEqual(data.trainPosts.map((p) => p.length));
    // Cleaning ran: no upper case or "!" left in any word.
    expect(data.vocab.words.some((w) => /[A-Z!]/.test(w))).toBe(false);
    // Same seed, same split.
    expect(prepareNotebookData(posts, config).validationPosts).toEqual(data.validationPosts);
  });
});

describe('trainInNotebook', () => {
  it('restarts, then continues from the last checkpoint, and says which in its output', async () => {
    const data = prepareNotebookData(posts, config);
    const [plan] = buildExperiment({ ...config, models: [1] }, data.vocab.words.length);
    const engine = await getEngine('tfjs-cpu');

    const first = recorder();
    const run1 = await trainInNotebook(plan!, data, {
      outDir,
      engine,
      progress: new ProgressDisplay(first.sink, 'p1', 'Model 1: training from scratch for 1 epochs', 0),
    });
    expect(run1.epoch).toBe(1);
    expect(run1.history).toHaveLength(1);
    expect(await fsp.readdir(path.join(outDir, 'model-1'))).toContain('epoch-1');
    const rows = checkpointPostRows(run1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ epoch: 1 });
    const lastText = first.shown[first.shown.length - 1]!['text/html'] as string;
    expect(lastText).toContain('epoch 1/1');
    expect(lastText).toContain('done: 1 epoch in total');

    const run2 = await trainInNotebook(plan!, data, { outDir, engine, mode: 'continue', progress: new ProgressDisplay(recorder().sink, 'p2', 't', 0) });
    expect(run2.epoch).toBe(2);
    expect(run2.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(await fsp.readdir(path.join(outDir, 'model-1'))).toEqual(expect.arrayContaining(['epoch-1', 'epoch-2']));

    // A restart removes the older checkpoints.
    const run3 = await trainInNotebook(plan!, data, { outDir, engine, mode: 'restart', progress: new ProgressDisplay(recorder().sink, 'p3', 't', 0) });
    expect(run3.epoch).toBe(1);
    expect(await fsp.readdir(path.join(outDir, 'model-1'))).not.toContain('epoch-2');

    const table = await evaluateInNotebook([{ name: 'Model 1', result: run3 }], data, { seed: 3, posts: 4 });
    expect(table.rows.map((r) => r.name)).toEqual(['Model 1', 'Kneser–Ney 3-gram']);
    expect(table.rows.every((r) => Number.isFinite(r.perplexity) && r.perplexity > 1)).toBe(true);
    const display = evaluationRows(table);
    expect(display[0]).toMatchObject({ model: 'Model 1', 'posts generated': 4 });
    expect(Object.keys(display[0]!)).toContain('copies ≥ 6 training words');
    const fig = perplexityComparisonFigure(table);
    expect(fig.data[0]).toMatchObject({ type: 'bar', x: ['Model 1', 'Kneser–Ney 3-gram'] });
    for (const r of [run1, run2, run3]) r.model.dispose();
  });
});

describe('trainingCurvesFigure', () => {
  it('draws training solid and validation dashed in one colour per model', () => {
    const fig = trainingCurvesFigure([
      { name: 'Model 1', history: [{ epoch: 1, loss: 5, valLoss: 5.5, valPerplexity: 245, seconds: 1 }] },
      { name: 'Model 2', history: [{ epoch: 1, loss: 4, valLoss: null, valPerplexity: null, seconds: 1 }] },
    ]);
    expect(fig.data.map((d) => d.name)).toEqual(['Model 1 training', 'Model 1 validation', 'Model 2 training']);
    expect((fig.data[0]!.line as { color: string }).color).toBe((fig.data[1]!.line as { color: string }).color);
    expect(fig.data[1]!.line).toMatchObject({ dash: 'dash' });
  });
});
