/**
 * Notebook 03's cells in a real tslab kernel (issue 14), driven as a class does (cells re-run out of order, one
 * failing): the config cell read from config.json; a change of the config cell followed by a re-run of the
 * training cell (it trains with the new epochs; a seqLength change stops it with one line naming the data cell,
 * before anything is deleted); the cells run after a failed cell still run and show their output (tslab alone
 * answered them "abort", with no output, for 200 ms after an error: scripts/tslab-kernel.cjs); and the live loss
 * chart: one output updated in place while the model trains (the kernel sends each update before the cell
 * ends), saved in its last state, drawn in the exported HTML.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartsOnPage, launchChromium } from './browser.js';
import { driveNotebook, notebookFolder } from './kernel.js';

let dir: string;
let browser: Awaited<ReturnType<typeof launchChromium>>;
beforeAll(async () => {
  dir = await notebookFolder('lab');
  browser = await launchChromium();
  const words = 'the river needs new roads and the town keeps more light in winter for all of us today while schools open'.split(' ');
  const lines = ['text', ...Array.from({ length: 300 }, (_, i) => Array.from({ length: 14 }, (_, j) => words[(i * 7 + j * 5 + (i % 3) * j) % words.length]).join(' '))];
  await fsp.writeFile(path.join(dir, 'posts.csv'), lines.join('\n') + '\n');
  const config = { source: { kind: 'csv', path: 'posts.csv' }, preset: 'quick', seed: 3, epochs: 2, models: [1], engine: 'tfjs-cpu', reuse: false, runsDir: 'runs', outDir: 'models' };
  await fsp.writeFile(path.join(dir, 'config.json'), JSON.stringify(config));
});
afterAll(async () => {
  await browser?.close();
  await fsp.rm(dir, { recursive: true, force: true });
});

const CELLS = [
  { code: 'import * as tl from "tweetlab";\nimport * as fs from "fs";\ntl.setupPage();\nconst config = tl.labConfig({});' },
  { code: 'const data = await tl.labData(config);' },
  { code: 'const run1 = await tl.trainLabModel(config, data, 1);' },
  // The student edits the config cell: seqLength, then epochs (each a version of cell 0's last line).
  { code: 'const config = tl.labConfig({ seqLength: 5 });' },
  { code: 'const config = tl.labConfig({ epochs: 1 });' },
  { code: 'console.log(JSON.stringify(fs.readdirSync("models/model-1").sort()));' },
  // A plain failure (not the library's): the next cell still runs.
  { code: 'throw new Error("a student\'s typo");' },
  { code: 'console.log(`still running: ${config.experiment.epochs}`);' },
];

interface SavedOutput {
  output_type: string;
  data?: Record<string, unknown>;
}

describe('notebook 03 cells in a real kernel', () => {
  it('follow the config cell, say which cell to re-run, and keep one live loss chart that draws after export', async () => {
    const steps = [0, 1, 2, 3, 2, 5, 4, 2, 6, 7].map((cell) => ({ cell }));
    const run = await driveNotebook(dir, CELLS, steps);
    const [, , first, , refused, listing, , second, typo, after] = run.steps;
    expect(run.steps[0]!.status, run.steps[0]!.text).toBe('ok');
    expect(first!.status, first!.text).toBe('ok');
    expect(first!.text).toMatch(/Model 1: training from scratch for 2 epochs/);
    // seqLength changed: the error is one line naming the data cell (no stack through the kernel's internals).
    expect(refused!.status).toBe('error');
    expect(refused!.reply).toBe('error');
    expect(refused!.text.trim().split('\n')).toEqual([
      'TweetlabError: seqLength is 5 in the config but was 10 when `data` was prepared: re-run the data cell (section 5, `const data = await tl.labData(config)`) first.',
    ]);
    // The cell run right after the failed one ran (not "abort") and its output arrived: the checkpoints of the
    // first training are still there.
    expect(listing!.reply, listing!.text).toBe('ok');
    expect(JSON.parse(listing!.text.trim().split('\n').pop() as string)).toEqual(['checkpoint-posts.json', 'epoch-1', 'epoch-2']);
    // Same after a plain error: the failed cell shows it, the next cell runs with the kernel's state intact.
    expect(typo!.reply).toBe('error');
    expect(typo!.text).toMatch(/Error: a student's typo/);
    expect(after!.reply, after!.text).toBe('ok');
    expect(after!.text.trim()).toBe('still running: 1');
    for (const step of run.steps) expect(step.reply, `cell ${step.cell}`).not.toBe('abort');
    // epochs changed: the training cell read the config again and trained for 1 epoch.
    expect(second!.status, second!.text).toBe('ok');
    expect(second!.text).toMatch(/Model 1: training from scratch for 1 epoch\b/);
    expect(second!.text).toMatch(/done: 1 epoch in total/);

    // The chart was sent while the model trained: created once, then updated in place, showing epoch 1 (trace
    // "training loss per epoch") before the cell ended with epoch 2, and batch points growing in between.
    expect(first!.charts[0]!.kind).toBe('display_data');
    expect(first!.charts.slice(1).every((c) => c.kind === 'update_display_data')).toBe(true);
    const perEpoch = first!.charts.map((c) => c.points[1]!);
    expect(perEpoch).toContain(1);
    expect(perEpoch[perEpoch.length - 1]).toBe(2);
    expect(perEpoch.every((n, i) => i === 0 || n >= perEpoch[i - 1]!)).toBe(true);
    expect(first!.charts[first!.charts.length - 1]!.points[0]!).toBeGreaterThan(first!.charts[0]!.points[0]!);

    // The training cell's saved outputs: its progress and exactly one chart, in its last state (epoch 1 done).
    const saved = JSON.parse(await fsp.readFile(run.ipynb, 'utf8')) as { cells: { outputs: SavedOutput[] }[] };
    const charts = saved.cells[2]!.outputs.filter((o) => o.data?.['application/vnd.plotly.v1+json']);
    expect(charts).toHaveLength(1);
    const fig = charts[0]!.data!['application/vnd.plotly.v1+json'] as { data: { name: string; x: number[] }[]; layout: { title: { text: string } } };
    expect(fig.layout.title.text).toBe('Model 1: loss while it trains');
    expect(fig.data[1]).toMatchObject({ name: 'training loss per epoch', x: [1] });
    expect(fig.data[0]!.x.length).toBeGreaterThan(0);
    const page = await chartsOnPage(browser.context, run.html);
    expect(page.errors).toEqual([]);
    expect(page.charts).toHaveLength(1);
    expect(page.charts[0]!.drawn).toBe(true);
  });
});
