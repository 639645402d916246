import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isTweetlabError } from '../../src/errors.js';
import { beginTraining, endTraining, runStoppable, runningTrainings, stopTraining, withInterruptAsStop, StopSignal } from '../../src/notebook/stop.js';
import { prepareNotebookData } from '../../src/notebook/experiment.js';
import { trainInNotebook } from '../../src/notebook/train.js';
import { buildExperiment, presetConfig } from '../../src/model/experiment.js';
import { getEngine } from '../../src/model/backend.js';
import { ProgressDisplay, type MimeBundle } from '../../src/viz/notebook.js';
import type { Post } from '../../src/types.js';

let outDir: string;
beforeAll(async () => {
  outDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-nb-stop-'));
});
afterAll(async () => {
  await fsp.rm(outDir, { recursive: true, force: true });
});

describe('one training per model folder', () => {
  it('refuses a second training of the same folder with one line, allows it once the first ended', () => {
    const first = beginTraining('models/model-1', 'Model 1');
    let err: unknown;
    try {
      beginTraining('./models/../models/model-1', 'Model 1');
    } catch (e) {
      err = e;
    }
    expect(isTweetlabError(err)).toBe(true);
    expect((err as Error).message).toMatch(/^Model 1 is already training into \S*models\/model-1: wait for it to finish, or interrupt the kernel/);
    expect((err as Error).message).not.toContain('\n');
    const other = beginTraining('models/model-2', 'Model 2');
    expect(runningTrainings()).toEqual(['Model 1', 'Model 2']);
    expect(stopTraining('Model 2')).toBe(1);
    expect([first.requested, other.requested]).toEqual([false, true]);
    endTraining('models/model-1', first);
    endTraining('models/model-2', other);
    const again = beginTraining('models/model-1', 'Model 1');
    endTraining('models/model-1', again);
    expect(runningTrainings()).toEqual([]);
  });

  it('runStoppable releases the folder when the training throws', async () => {
    await expect(runStoppable('m', 'M', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(runStoppable('m', 'M', async (s) => s.requested)).resolves.toBe(false);
  });
});

describe('withInterruptAsStop', () => {
  it('turns the first SIGINT into a stop request, hands the second to the listeners set aside, restores them', async () => {
    const kernelCalls: string[] = [];
    const kernelListener = () => void kernelCalls.push('interrupted');
    process.on('SIGINT', kernelListener);
    try {
      const signal = new StopSignal('Model 1');
      const notes: string[] = [];
      const seen = await withInterruptAsStop(
        signal,
        async () => {
          process.emit('SIGINT', 'SIGINT');
          const afterFirst = { requested: signal.requested, kernel: kernelCalls.length };
          process.emit('SIGINT', 'SIGINT');
          return { afterFirst, kernel: kernelCalls.length };
        },
        () => notes.push('stopping'),
      );
      expect(seen).toEqual({ afterFirst: { requested: true, kernel: 0 }, kernel: 1 });
      expect(signal.why).toBe('the kernel was interrupted');
      expect(notes).toEqual(['stopping']);
      expect(process.listeners('SIGINT')).toContain(kernelListener);
      expect(process.listeners('SIGINT')).toHaveLength(1);
    } finally {
      process.off('SIGINT', kernelListener);
    }
  });
});

describe('trainInNotebook stops on an interrupt', () => {
  it('stops after the current batch, saves interrupted/ and returns the partial result', async () => {
    const words = 'the river needs new roads and the town keeps more light in winter for all of us today'.split(' ');
    const posts: Post[] = Array.from({ length: 80 }, (_, i) => ({ id: String(i), text: Array.from({ length: 12 }, (_, j) => words[(i * 3 + j * 5) % words.length]).join(' ') }));
    const cfg = { ...presetConfig('quick'), layers: 1, hidden: 8, embedding: 4, epochs: 3, checkpoints: [3], windowsPerEpoch: 0, batchSize: 8, minCount: 1, seed: 5 };
    const data = prepareNotebookData(posts, cfg);
    const [plan] = buildExperiment({ ...cfg, models: [1] }, data.vocab.words.length);
    const shown: MimeBundle[] = [];
    let interrupted = false;
    // Interrupt like Jupyter does (SIGINT to the kernel) once the first batch reports progress.
    const sink = {
      show: (b: MimeBundle) => {
        shown.push(b);
        if (!interrupted && /batch/.test(String(b['text/plain']))) {
          interrupted = true;
          process.emit('SIGINT', 'SIGINT');
        }
      },
    };
    const run = await trainInNotebook(plan!, data, { outDir, engine: await getEngine('tfjs-cpu'), progress: new ProgressDisplay(sink, 'p', 't', 0) });
    expect(run.stopped).toBe(true);
    expect(run.epoch).toBe(0);
    expect(run.lastSaved).toBe(path.join(outDir, 'model-1', 'interrupted'));
    expect(existsSync(path.join(outDir, 'model-1', 'interrupted', 'config.json'))).toBe(true);
    expect(existsSync(path.join(outDir, 'model-1', 'epoch-1'))).toBe(false);
    const last = String(shown[shown.length - 1]!['text/html']);
    expect(last).toContain('interrupted: stopping after the current batch');
    expect(last).toContain('stopped (the kernel was interrupted) after 0 full epochs; partial state saved to');
    expect(process.listeners('SIGINT')).toHaveLength(0);
    expect(runningTrainings()).toEqual([]);
    run.model.dispose();
  });
});
