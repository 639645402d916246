import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  checkpointPostRows,
  evaluateInNotebook,
  generatedPostRows,
  evaluationRows,
  perplexityComparisonFigure,
  prepareNotebookData,
  trainingCurvesFigure,
} from '../../src/notebook/experiment.js';
import { trainInNotebook } from '../../src/notebook/train.js';
import { buildExperiment, presetConfig } from '../../src/model/experiment.js';
import { getEngine } from '../../src/model/backend.js';
import { ProgressDisplay, type DisplaySink, type MimeBundle } from '../../src/viz/notebook.js';
import type { Post } from '../../src/types.js';
import type { Figure } from '../../src/viz/types.js';

// A small learnable corpus: a few sentence patterns with varying words.
const subjects = ['the river', 'our town', 'the market', 'a teacher', 'the old bridge', 'every school'];
const verbs = ['needs', 'builds', 'opens', 'finds', 'keeps', 'brings'];
const objects = ['new roads for everyone', 'more light in winter', 'a better plan today', 'good work for all of us'];
const closings = ['today', 'again', 'soon', 'now', 'too'];
const posts: Post[] = [];
for (let i = 0; i < 60; i++) {
  // The patterns repeat every 12 posts; the closing word makes each post distinct (repeats never reach the held-out posts).
  const text = `${subjects[i % 6]} ${verbs[(i * 5) % 6]} ${objects[i % 4]} and ${subjects[(i + 2) % 6]} ${verbs[i % 6]} ${objects[(i + 1) % 4]} ${closings[Math.floor(i / 12)]}`;
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
    const charts: Figure[] = [];
    const run1 = await trainInNotebook(plan!, data, {
      outDir,
      engine,
      progress: new ProgressDisplay(first.sink, 'p1', 'Model 1: training from scratch for 1 epoch', 0),
      chart: (f) => charts.push(f),
    });
    // The live loss chart was drawn while it trained, and its last state holds the finished epoch.
    expect(charts.length).toBeGreaterThan(0);
    expect(charts.at(-1)!.data[1]).toMatchObject({ name: 'training loss per epoch', x: [1], y: [run1.history[0]!.loss] });
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
    // The checkpoint-posts table after "continue" keeps the earlier epochs' posts (issue 14), then the new ones.
    const rows2 = checkpointPostRows(run2);
    expect(rows2.filter((r) => r.epoch === 1)).toEqual(rows);
    expect(rows2.filter((r) => r.epoch === 2)).toHaveLength(2);
    expect(run2.checkpoints.map((c) => c.epoch)).toEqual([1, 2]);

    // A restart removes the older checkpoints.
    const run3 = await trainInNotebook(plan!, data, { outDir, engine, mode: 'restart', progress: new ProgressDisplay(recorder().sink, 'p3', 't', 0) });
    expect(run3.epoch).toBe(1);
    expect(await fsp.readdir(path.join(outDir, 'model-1'))).not.toContain('epoch-2');
    expect(checkpointPostRows(run3).map((r) => r.epoch)).toEqual([1, 1]);
    // A plan built for other windows is refused before the restart deletes anything.
    const [plan5] = buildExperiment({ ...config, seqLength: 5, models: [1] }, data.vocab.words.length);
    await expect(trainInNotebook(plan5!, data, { outDir, engine, progress: new ProgressDisplay(recorder().sink, 'p4', 't', 0) })).rejects.toThrow(
      /^Model 1 is built for windows of 5 words but the data has windows of 10: re-run the data cell \(section 5\) with this config first \(nothing was deleted\)\.$/,
    );
    expect(await fsp.readdir(path.join(outDir, 'model-1'))).toContain('epoch-1');

    const { windowed: table, quality } = await evaluateInNotebook([{ plan: plan!, result: run3 }], data, { seed: 3, posts: 4, engine });
    expect(table.rows.map((r) => r.name)).toEqual(['Model 1', 'Kneser–Ney 3-gram']);
    expect(quality.rows.map((r) => r.name)).toEqual(['Model 1', 'Kneser–Ney 3-gram']);
    // The quality table's windowed column scores the same targets as today's table.
    expect(quality.rows[0]!.windowedPerplexity).toBeCloseTo(table.rows[0]!.perplexity, 3);
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

describe('generatedPostRows', () => {
  it('writes rows of posts and warns in one line about start words the model never saw', async () => {
    const data = prepareNotebookData(posts, config);
    const engine = await getEngine('tfjs-cpu');
    const [plan] = buildExperiment({ ...config, models: [1] }, data.vocab.words.length);
    const model = engine.createModel(plan!.model);
    const said: string[] = [];
    const rows = generatedPostRows(model, data.vocab, { count: 2, seed: 1, length: 5, start: 'zyzzyva river' }, (l) => said.push(l));
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.post.startsWith('zyzzyva river ') && r.words === 5)).toBe(true);
    expect(said).toEqual(['warning: the start word "zyzzyva" is not in the model\'s vocabulary: the model reads it as <unk> (the posts still begin with it).']);
    generatedPostRows(model, data.vocab, { count: 1, seed: 1, length: 5, start: 'the river' }, (l) => said.push(l));
    expect(said).toHaveLength(1);
    model.dispose();
  });
});
