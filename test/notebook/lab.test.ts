import { existsSync, promises as fsp, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labConfig, type LabSettings } from '../../src/notebook/lab-config.js';
import { evaluateLab, labData, labPlans, trainLabModel } from '../../src/notebook/lab.js';
import { checkpointPostRows } from '../../src/notebook/experiment.js';
import { writePostsCsv } from '../../src/sources/index.js';
import { ProgressDisplay } from '../../src/viz/notebook.js';

// A small learnable corpus (as in experiment.test.ts), written to a CSV the config names.
const subjects = ['the river', 'our town', 'the market', 'a teacher', 'the old bridge', 'every school'];
const verbs = ['needs', 'builds', 'opens', 'finds', 'keeps', 'brings'];
const objects = ['new roads for everyone', 'more light in winter', 'a better plan today', 'good work for all of us'];
const posts = Array.from({ length: 80 }, (_, i) => ({
  id: String(i + 1),
  text: `${subjects[i % 6]} ${verbs[(i * 5) % 6]} ${objects[i % 4]} and ${subjects[(i + 2) % 6]} ${verbs[i % 6]} ${objects[(i + 1) % 4]}`,
}));

let dir = '';
let file = '';
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-lab-'));
  await writePostsCsv(path.join(dir, 'posts.csv'), posts);
  file = path.join(dir, 'config.json');
  const settings: LabSettings = {
    source: { kind: 'csv', path: path.join(dir, 'posts.csv') },
    preset: 'quick', seed: 3, epochs: 2, models: [1], engine: 'auto', reuse: false,
    outDir: path.join(dir, 'models'), runsDir: path.join(dir, 'runs'),
  };
  await fsp.writeFile(file, JSON.stringify(settings));
});
afterAll(() => fsp.rm(dir, { recursive: true, force: true }));

const quiet = () => ({ say: () => undefined, progress: new ProgressDisplay({ show: () => undefined }, 'p', 't', 0), chart: () => undefined });
/** The config cell, run with `overrides` (a student's edit of it). */
const configCell = (overrides: LabSettings = {}) => labConfig(overrides, { file, env: {} });

describe('notebook 03 cells follow the config', () => {
  it('a changed field and a re-run of the cells below give what a fresh run gives', async () => {
    // Fresh run with epochs 1.
    const fresh = configCell({ epochs: 1 });
    const freshRun = await trainLabModel(fresh, await labData(fresh), 1, quiet());
    // A run with epochs 2, then epochs: 1 in the config cell, re-run, and only the training cell re-run.
    const first = configCell();
    const data = await labData(first);
    const run2 = await trainLabModel(first, data, 1, quiet());
    expect(run2.history.map((h) => h.epoch)).toEqual([1, 2]);
    const changed = configCell({ epochs: 1 });
    const rerun = await trainLabModel(changed, data, 1, quiet());
    // The cell read the config again: one epoch, the same numbers as the fresh run.
    expect(rerun.history.map((h) => h.epoch)).toEqual([1]);
    expect(rerun.history).toEqual(freshRun.history.map((h) => ({ ...h, seconds: expect.any(Number) })));
    expect(checkpointPostRows(rerun)).toEqual(checkpointPostRows(freshRun));
    for (const r of [freshRun, run2, rerun]) r.model.dispose();
  }, 600_000);

  it('a change that needs an earlier cell says which in one line, before anything is deleted', async () => {
    const cfg = configCell();
    const data = await labData(cfg);
    const run = await trainLabModel(cfg, data, 1, quiet());
    const modelDir = path.join(dir, 'models', 'model-1');
    const before = readdirSync(modelDir).sort();
    expect(before).toEqual(expect.arrayContaining(['epoch-1', 'epoch-2', 'checkpoint-posts.json']));

    // seqLength changes the windows: the training cell refuses and names the data cell; the checkpoints stay.
    const shorter = configCell({ seqLength: 5 });
    await expect(trainLabModel(shorter, data, 1, quiet())).rejects.toThrow(
      /^seqLength is 5 in the config but was 10 when `data` was prepared: re-run the data cell \(section 5, `const data = await tl\.labData\(config\)`\) first\.$/,
    );
    expect(readdirSync(modelDir).sort()).toEqual(before);
    expect(() => labPlans(shorter, data)).toThrow(/^seqLength is 5 in the config but was 10/);

    // The evaluation cell names the training cell of a model trained under other settings.
    const fewer = configCell({ epochs: 1 });
    await expect(evaluateLab(fewer, data, [run], null)).rejects.toThrow(
      /^epochs is 1 in the config but was 2 when Model 1 was trained: re-run the training cell of Model 1 first\.$/,
    );
    // A bad value fails in the config cell itself, before any training cell runs.
    expect(() => configCell({ seqLength: 0 })).toThrow(/^the config cell: seqLength must be a whole number ≥ 1 \(or null\), got 0$/);
    expect(existsSync(path.join(modelDir, 'epoch-2'))).toBe(true);
    run.model.dispose();
  }, 600_000);
});
