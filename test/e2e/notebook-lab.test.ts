/**
 * Notebook 03's cells in a real tslab kernel (issue 14): the config cell read from config.json, a change of the
 * config cell followed by a re-run of the training cell (it trains with the new epochs; a seqLength change stops
 * it with one line naming the data cell, before anything is deleted), and the live loss chart: one output
 * replaced in place while the model trains, saved in its last state, drawn in the exported HTML.
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
];

interface SavedOutput {
  output_type: string;
  data?: Record<string, unknown>;
}

describe('notebook 03 cells in a real kernel', () => {
  it('follow the config cell, say which cell to re-run, and keep one live loss chart that draws after export', async () => {
    const run = await driveNotebook(dir, CELLS, [{ cell: 0 }, { cell: 1 }, { cell: 2 }, { cell: 3 }, { cell: 2 }, { cell: 5 }, { cell: 4 }, { cell: 2 }]);
    const [, , first, , refused, listing, , second] = run.steps;
    expect(run.steps[0]!.status, run.steps[0]!.text).toBe('ok');
    expect(first!.status, first!.text).toBe('ok');
    expect(first!.text).toMatch(/Model 1: training from scratch for 2 epochs/);
    // seqLength changed: one line naming the data cell; the checkpoints of the first training are still there.
    expect(refused!.status).toBe('error');
    expect(refused!.text).toMatch(/seqLength is 5 in the config but was 10 when `data` was prepared: re-run the data cell \(section 5, `const data = await tl\.labData\(config\)`\) first\./);
    expect(JSON.parse(listing!.text.trim().split('\n').pop() as string)).toEqual(['checkpoint-posts.json', 'epoch-1', 'epoch-2']);
    // epochs changed: the training cell read the config again and trained for 1 epoch.
    expect(second!.status, second!.text).toBe('ok');
    expect(second!.text).toMatch(/Model 1: training from scratch for 1 epoch\b/);
    expect(second!.text).toMatch(/done: 1 epoch in total/);

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
