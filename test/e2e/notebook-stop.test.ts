/**
 * Stop works in a notebook (issue 14): interrupting the kernel while a model trains stops it after the current
 * batch, saves interrupted/, and the cell returns the partial result (the next cell can use it); the kernel then
 * trains nothing more in the background.
 */
import { existsSync, promises as fsp, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveNotebook, notebookFolder } from './kernel.js';

let dir: string;
beforeAll(async () => {
  dir = await notebookFolder('stop');
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

// A corpus and a model sized so that one epoch takes a few seconds and all epochs far longer than the test waits.
const SETUP = `import * as tl from "tweetlab";
const words = "the river needs new roads and the town keeps more light in winter for all of us today while schools open".split(" ");
const posts = Array.from({ length: 600 }, (_, i) => ({ id: String(i), text: Array.from({ length: 14 }, (_, j) => words[(i * 7 + j * 5 + (i % 3) * j) % words.length]).join(" ") }));
const cfg = { ...tl.presetConfig("quick"), layers: 1, hidden: 64, embedding: 16, epochs: 200, checkpoints: [200], windowsPerEpoch: 0, batchSize: 16, minCount: 1, seed: 3 };
const data = tl.prepareNotebookData(posts, cfg);
const plans = tl.buildExperiment({ ...cfg, models: [1] }, data.vocab.words.length);
const engine = await tl.getEngine("tfjs-cpu");`;

describe('interrupting the kernel during training', () => {
  it('stops after the batch, saves interrupted/, returns the partial result, and nothing trains afterwards', async () => {
    const cells = [
      { code: SETUP },
      { code: 'const run1 = await tl.trainInNotebook(plans[0], data, { outDir: "models", engine: engine });' },
      { code: 'console.log(JSON.stringify({ stopped: run1.stopped, epoch: run1.epoch, saved: run1.lastSaved, running: tl.runningTrainings() }));' },
      // A training left running in the background (not awaited), then a second one of the same model.
      { code: 'const background = tl.trainInNotebook(plans[0], data, { outDir: "models", engine: engine });' },
      {
        code: [
          'try { await tl.trainInNotebook(plans[0], data, { outDir: "models", engine: engine }); } catch (e) { console.log(`second: ${(e as Error).message}`); }',
          'await new Promise((resolve) => setTimeout(resolve, 3000)); // let it finish a batch or two',
          'console.log(`asked to stop: ${tl.stopTraining()}`);',
          'const run2 = await background;',
          'console.log(JSON.stringify({ stopped: run2.stopped, running: tl.runningTrainings() }));',
        ].join('\n'),
      },
    ];
    const run = await driveNotebook(dir, cells, [{ cell: 0 }, { cell: 1, interrupt_when: 'batch \\d+/\\d+', interrupt_timeout: 240 }, { cell: 2 }, { cell: 3 }, { cell: 4 }]);
    expect(run.steps[0]!.status, run.steps[0]!.text).toBe('ok');
    expect(run.steps[1]!.interrupted).toBe(true);
    // The cell ended normally (no "Interrupted asynchronously" error) and said why it stopped.
    expect(run.steps[1]!.status, run.steps[1]!.text).toBe('ok');
    expect(run.steps[1]!.text).toMatch(/stopped \(the kernel was interrupted\)/);
    const result = JSON.parse(run.steps[2]!.text.trim().split('\n').pop() as string) as { stopped: boolean; epoch: number; saved: string; running: string[] };
    expect(result.stopped).toBe(true);
    expect(result.saved).toBe(path.join('models', 'model-1', 'interrupted'));
    expect(result.running).toEqual([]);
    // The second training of the same model was refused in one line while the first ran; stopTraining() ended it.
    const lines = run.steps[4]!.text.trim().split('\n');
    expect(run.steps[4]!.status, run.steps[4]!.text).toBe('ok');
    expect(lines[0]).toMatch(/^second: Model 1 is already training into models\/model-1: wait for it to finish, or interrupt the kernel/);
    expect(lines).toContain('asked to stop: 1');
    expect(JSON.parse(lines[lines.length - 1] as string)).toEqual({ stopped: true, running: [] });
    const modelDir = path.join(dir, 'models', 'model-1');
    expect(existsSync(path.join(modelDir, 'interrupted', 'config.json'))).toBe(true);
    // The kernel is gone now (the driver shut it down), and no epoch was finished after the interrupt.
    const epochs = readdirSync(modelDir).filter((n) => /^epoch-\d+$/.test(n));
    expect(epochs).toEqual([]);
    expect(result.epoch).toBeLessThan(200);
  });
});
