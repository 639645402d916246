import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { getEngine } from '../../src/model/backend.js';
import { trainModel, resolveResumeDir, sampleWindows } from '../../src/model/train.js';
import { checkpointSampler } from '../../src/generate/generate.js';
import { buildExperiment, presetConfig, PRESETS, modelSpec } from '../../src/model/experiment.js';
import { loadModel } from '../../src/model/io.js';
import { createProgressPrinter, formatDuration } from '../../src/model/progress.js';
import type { TrainProgress } from '../../src/model/train.js';
import type { Engine } from '../../src/model/types.js';
import { tempDir, tinyConfig, toyData } from './helpers.js';

let engine: Engine;
beforeAll(async () => {
  engine = await getEngine('wasm');
});

const wordsPerPost = [7, 7, 6, 6];

describe('experiment', () => {
  it('builds the four report models from one config', () => {
    const plans = buildExperiment(presetConfig('quick'), 50);
    expect(plans.map((p) => [p.number, p.dataset, p.model.variant, p.model.dropout])).toEqual([
      [1, 1, 1, 0],
      [2, 2, 1, 0],
      [3, 1, 2, 0.2],
      [4, 2, 2, 0.2],
    ]);
    expect(new Set(plans.map((p) => p.model.seed)).size).toBe(4);
    expect(plans.every((p) => p.model.vocabSize === 50)).toBe(true);
    // Seeds of a model do not depend on which other models are built.
    const only3 = buildExperiment({ ...PRESETS.quick, models: [3] }, 50);
    expect(only3[0]!.model.seed).toBe(plans[2]!.model.seed);
    expect(modelSpec(4)).toEqual({ dataset: 2, variant: 2 });
    const report = buildExperiment(presetConfig('report'), 9000)[0]!;
    expect([report.model.layers, report.model.hidden, report.model.seqLength, report.train.checkpoints]).toEqual([2, 256, 10, [20, 40, 60, 100]]);
    expect(() => buildExperiment({ ...PRESETS.quick, hidden: 0 }, 50)).toThrow(/hidden/);
    expect(() => presetConfig('huge')).toThrow(/Unknown preset/);
  });

  it('sampleWindows draws a seeded subset', () => {
    const { windows } = toyData(3);
    const a = sampleWindows(windows, 5, 1);
    expect(a.count).toBe(5);
    expect(sampleWindows(windows, 5, 1).inputs).toEqual(a.inputs);
    expect(sampleWindows(windows, 0, 1)).toBe(windows);
  });
});

describe('trainModel', () => {
  it('records history, validates, saves checkpoints with samples, and reports progress', async () => {
    const { vocab, windows } = toyData(3);
    const out = await tempDir('train');
    const progress: TrainProgress[] = [];
    const result = await trainModel({
      engine,
      modelConfig: tinyConfig({ vocabSize: vocab.words.length, seqLength: 3 }),
      train: { epochs: 3, batchSize: 8, checkpoints: [1, 3], learningRate: 0.01, seed: 5 },
      data: windows,
      validation: sampleWindows(windows, 6, 2),
      vocab,
      outDir: out,
      wordsPerPost,
      samplesPerCheckpoint: 2,
      sampler: checkpointSampler(),
      onProgress: (p) => progress.push(p),
    });
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(result.history.every((h) => h.valLoss !== null && Math.abs(Math.exp(h.valLoss) - h.valPerplexity!) < 1e-6)).toBe(true);
    expect(result.checkpoints.map((c) => c.epoch)).toEqual([1, 3]);
    expect(result.checkpoints[0]!.samples).toHaveLength(2);
    expect((await fsp.readdir(out)).sort()).toEqual(['epoch-1', 'epoch-3']);
    expect(result.engine).toBe('tfjs-wasm');
    expect(progress.length).toBe(3 * Math.ceil(windows.count / 8));
    expect(progress[progress.length - 1]!.eta).toBe(0);
    expect(progress[0]!.batches).toBe(Math.ceil(windows.count / 8));
    const saved = await loadModel(path.join(out, 'epoch-3'), engine);
    expect(saved.config.epoch).toBe(3);
    expect(saved.config.history).toHaveLength(3);
    saved.model.dispose();
    result.model.dispose();
  });

  it('resume continues the epoch count, history and optimizer: same weights as an uninterrupted run', async () => {
    const { vocab, windows } = toyData(3);
    const common = {
      engine,
      modelConfig: tinyConfig({ vocabSize: vocab.words.length, seqLength: 3 }),
      data: windows,
      vocab,
      wordsPerPost,
    };
    const straight = await trainModel({ ...common, train: { epochs: 4, batchSize: 8, checkpoints: [], seed: 3 } });
    const out = await tempDir('resume');
    const first = await trainModel({ ...common, outDir: out, train: { epochs: 2, batchSize: 8, checkpoints: [2], seed: 3 } });
    first.model.dispose();
    const resumed = await trainModel({ ...common, outDir: out, resume: out, train: { epochs: 4 } });
    expect(resumed.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    expect(resumed.epoch).toBe(4);
    const a = straight.model.getWeights();
    const b = resumed.model.getWeights();
    a.forEach((w, i) => {
      let worst = 0;
      for (let k = 0; k < w.values.length; k++) worst = Math.max(worst, Math.abs(w.values[k]! - b[i]!.values[k]!));
      expect(worst).toBeLessThan(1e-6);
    });
    expect(await resolveResumeDir(out)).toBe(path.join(out, 'epoch-4'));
    straight.model.dispose();
    resumed.model.dispose();
  });

  it('shouldStop ends training after the current batch and leaves a loadable interrupted/ folder', async () => {
    const { vocab, windows } = toyData(3);
    const out = await tempDir('stop');
    let batches = 0;
    const result = await trainModel({
      engine,
      modelConfig: tinyConfig({ vocabSize: vocab.words.length, seqLength: 3 }),
      train: { epochs: 5, batchSize: 4, checkpoints: [1], seed: 1 },
      data: windows,
      vocab,
      outDir: out,
      wordsPerPost,
      onProgress: () => {
        batches += 1;
      },
      shouldStop: () => batches >= Math.ceil(windows.count / 4) + 2,
    });
    expect(result.stopped).toBe(true);
    expect(result.epoch).toBe(1);
    expect(result.lastSaved).toBe(path.join(out, 'interrupted'));
    const loaded = await loadModel(path.join(out, 'interrupted'), engine);
    expect(loaded.config.epoch).toBe(1);
    expect(loaded.config.interruptedAfterBatch).toBe(2);
    loaded.model.dispose();
    result.model.dispose();
  });
});

describe('progress printer', () => {
  const p: TrainProgress = { epoch: 2, epochs: 10, batch: 3, batches: 9, loss: 4.2, epochLoss: 4.25, elapsed: 65, eta: 3700 };

  it('redraws one line in place on a terminal', () => {
    let text = '';
    const printer = createProgressPrinter({ write: (t) => (text += t), tty: true, intervalMs: 0, label: 'Model 1' });
    printer.onProgress(p);
    printer.onProgress({ ...p, batch: 4 });
    expect(text.split('\r').filter(Boolean)).toHaveLength(2);
    expect(text).toContain('Model 1 · epoch 2/10 · batch 4/9 · loss 4.2500 · 1:05 elapsed · ETA 1:01:40');
    expect(text).not.toContain('\n');
    printer.onEpoch({ epoch: 2, loss: 4.1, valLoss: 4.5, valPerplexity: Math.exp(4.5), seconds: 12 });
    expect(text.endsWith('\n')).toBe(true);
  });

  it('prints one line per epoch elsewhere', () => {
    const lines: string[] = [];
    const printer = createProgressPrinter({ write: (t) => lines.push(t) });
    printer.onProgress(p);
    printer.onEpoch({ epoch: 2, loss: 4.1, valLoss: null, valPerplexity: null, seconds: 12 });
    expect(lines).toEqual(['epoch 2/10 · loss 4.1000 · 12.0 s\n']);
    expect(formatDuration(59.6)).toBe('1:00');
  });
});
