import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { getEngine } from '../../src/model/backend.js';
import { nodeFileIO } from '../../src/model/format.js';
import { MODEL_FORMAT_VERSION, readModelConfig, recordEndScale } from '../../src/model/config-file.js';
import { isModelSaveTempName, loadModel, saveModel } from '../../src/model/io.js';
import { resolveResumeDir } from '../../src/model/train.js';
import { optimizerSettings } from '../../src/model/experiment.js';
import { TweetlabError } from '../../src/errors.js';
import type { Engine } from '../../src/model/types.js';
import { tempDir, tinyConfig, toyData } from './helpers.js';

let engine: Engine;
beforeAll(async () => {
  engine = await getEngine('wasm');
});

async function savedToyModel(label: string) {
  const { vocab, windows } = toyData(4);
  const cfg = tinyConfig({ vocabSize: vocab.words.length });
  const model = engine.createModel(cfg);
  await model.trainEpoch(windows, { batchSize: 8, seed: 1, optimizer: optimizerSettings('rmsprop', 0.01) });
  const dir = path.join(await tempDir(label), 'model');
  await saveModel(dir, model, vocab, { epoch: 1, history: [], wordsPerPost: { '6': 2, '7': 2 } });
  return { dir, model, vocab, windows, cfg };
}

describe('save and load', () => {
  it('writes the folder files, and load gives identical predictions and optimizer state', async () => {
    const { dir, model, windows } = await savedToyModel('save');
    expect((await fsp.readdir(dir)).sort()).toEqual(['config.json', 'model.json', 'optimizer.bin', 'vocab.json', 'weights.bin']);
    const config = JSON.parse(await fsp.readFile(path.join(dir, 'config.json'), 'utf8'));
    expect(config.formatVersion).toBe(MODEL_FORMAT_VERSION);
    expect(config.engine).toBe('tfjs-wasm');
    expect(config.optimizer.settings.kind).toBe('rmsprop');
    const loaded = await loadModel(dir, engine);
    const a = await model.predict(windows.inputs, windows.count);
    const b = await loaded.model.predict(windows.inputs, windows.count);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(loaded.model.getOptimizerState()!.iterations).toBe(model.getOptimizerState()!.iterations);
    expect(loaded.config.wordsPerPost).toEqual({ '6': 2, '7': 2 });
    model.dispose();
    loaded.model.dispose();
  });

  it('recordEndScale adds the length factor to config.json and the folder still loads; a factor out of range is refused', async () => {
    const { dir, model } = await savedToyModel('end-scale');
    const before = await readModelConfig(dir);
    await recordEndScale(dir, 0.8);
    const after = await readModelConfig(dir);
    expect(after.endScale).toBe(0.8);
    expect({ ...after, endScale: undefined }).toEqual({ ...before, endScale: undefined });
    const loaded = await loadModel(dir, engine);
    expect(loaded.config.endScale).toBe(0.8);
    loaded.model.dispose();
    model.dispose();
    const file = path.join(dir, 'config.json');
    await fsp.writeFile(file, JSON.stringify({ ...JSON.parse(await fsp.readFile(file, 'utf8')), endScale: 25 }));
    await expect(readModelConfig(dir)).rejects.toThrow(/config\.json.*endScale.*25/);
  });

  it('a saved model loads with stock tf.loadLayersModel and predicts the same', async () => {
    const { dir, model, windows, cfg } = await savedToyModel('stock');
    const stock = await tf.loadLayersModel(nodeFileIO(dir));
    const ids = tf.tensor2d(windows.inputs, [windows.count, cfg.seqLength], 'int32');
    const out = stock.predict(ids) as tf.Tensor;
    expect(out.shape).toEqual([windows.count, cfg.seqLength, cfg.vocabSize]);
    const ref = await model.predict(windows.inputs, windows.count);
    const got = out.dataSync();
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ref[i]! - got[i]!));
    expect(worst).toBeLessThan(1e-5);
    tf.dispose([ids, out]);
    stock.dispose();
    model.dispose();
  });

  it('gives one clear error for a missing folder, a corrupted weights file, a vocabulary mismatch and a future format', async () => {
    await expect(loadModel('/nonexistent/tweetlab-model', engine)).rejects.toThrow(/Model folder not found: \/nonexistent/);

    const truncated = await savedToyModel('trunc');
    truncated.model.dispose();
    const weightsFile = path.join(truncated.dir, 'weights.bin');
    const bytes = await fsp.readFile(weightsFile);
    await fsp.writeFile(weightsFile, bytes.subarray(0, bytes.length - 8));
    await expect(loadModel(truncated.dir, engine)).rejects.toThrow(/weights\.bin is corrupted or truncated/);
    await fsp.rm(weightsFile);
    await expect(loadModel(truncated.dir, engine)).rejects.toThrow(/Weights file not found/);

    const mismatch = await savedToyModel('vocab');
    mismatch.model.dispose();
    const vocabFile = path.join(mismatch.dir, 'vocab.json');
    const vocab = JSON.parse(await fsp.readFile(vocabFile, 'utf8'));
    vocab.words.push('extra');
    vocab.counts.push(1);
    await fsp.writeFile(vocabFile, JSON.stringify(vocab));
    await expect(loadModel(mismatch.dir, engine)).rejects.toThrow(/Vocabulary size mismatch/);

    const future = await savedToyModel('future');
    future.model.dispose();
    const configFile = path.join(future.dir, 'config.json');
    const config = JSON.parse(await fsp.readFile(configFile, 'utf8'));
    config.formatVersion = MODEL_FORMAT_VERSION + 1;
    await fsp.writeFile(configFile, JSON.stringify(config));
    const err = await loadModel(future.dir, engine).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TweetlabError);
    expect((err as Error).message).toMatch(/newer tweetlab/);
  });

  it('a config whose vocabulary size differs from the weights is reported as a vocabulary mismatch', async () => {
    const { dir, model } = await savedToyModel('cfgvocab');
    model.dispose();
    const configFile = path.join(dir, 'config.json');
    const vocabFile = path.join(dir, 'vocab.json');
    const config = JSON.parse(await fsp.readFile(configFile, 'utf8'));
    const vocab = JSON.parse(await fsp.readFile(vocabFile, 'utf8'));
    config.model.vocabSize += 1;
    vocab.words.push('extra');
    vocab.counts.push(1);
    await fsp.writeFile(configFile, JSON.stringify(config));
    await fsp.writeFile(vocabFile, JSON.stringify(vocab));
    await expect(loadModel(dir, engine)).rejects.toThrow(/Vocabulary size mismatch.*weights are for \d+ words/);
  });

  it('saving over an existing folder replaces it whole', async () => {
    const { dir, model, vocab } = await savedToyModel('replace');
    await saveModel(dir, model, vocab, { epoch: 2 });
    const again = await loadModel(dir, engine);
    expect(again.config.epoch).toBe(2);
    const siblings = await fsp.readdir(path.dirname(dir));
    expect(siblings).toEqual(['model']);
    again.model.dispose();
    model.dispose();
  });
});

describe('optimizer state on load', () => {
  it('{ optimizer: false } loads a model whose optimizer.bin is damaged or missing; the default load names the file', async () => {
    const { dir, model, windows } = await savedToyModel('optimizer');
    const optFile = path.join(dir, 'optimizer.bin');
    const expected = await model.predict(windows.inputs, windows.count);
    for (const damage of [() => fsp.truncate(optFile, 10), () => fsp.rm(optFile)]) {
      await damage();
      const loaded = await loadModel(dir, engine, { optimizer: false });
      expect(Array.from(await loaded.model.predict(windows.inputs, windows.count))).toEqual(Array.from(expected));
      expect(loaded.model.getOptimizerState()).toBeNull();
      loaded.model.dispose();
      const err = await loadModel(dir, engine).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TweetlabError);
      expect((err as Error).message).toContain(optFile);
      expect((err as Error).message).toMatch(/resuming training needs this optimizer state\)$/);
    }
    model.dispose();
  });
});

describe('temp folders of killed saves', () => {
  it('the next save of the same folder removes those of dead processes only; resume ignores temp folders', async () => {
    const { dir, model, vocab } = await savedToyModel('stale');
    const parent = path.dirname(dir);
    // A process id that surely has ended: a child that already exited.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const live = process.ppid;
    const names = {
      deadTmp: `model.tmp-${dead}-lx0k1a`,
      deadOld: `model.old-${dead}-lx0k1b`,
      liveTmp: `model.tmp-${live}-lx0k1c`,
      otherTarget: `other.tmp-${dead}-lx0k1d`,
      notTemp: 'model.tmp-notes',
    };
    for (const n of Object.values(names)) {
      await fsp.mkdir(path.join(parent, n));
      await fsp.writeFile(path.join(parent, n, 'weights.bin'), 'partial');
    }
    expect(Object.values(names).map(isModelSaveTempName)).toEqual([true, true, true, true, false]);
    await saveModel(dir, model, vocab, { epoch: 2 });
    expect((await fsp.readdir(parent)).sort()).toEqual(['model', names.liveTmp, names.notTemp, names.otherTarget].sort());

    // A checkpoint folder list skips temp folders, even a complete-looking one with more epochs.
    const runDir = path.join(parent, 'run');
    await fsp.cp(dir, path.join(runDir, 'epoch-2'), { recursive: true });
    const temp = path.join(runDir, `epoch-9.tmp-${live}-lx0k1e`);
    await fsp.cp(dir, temp, { recursive: true });
    const cfg = JSON.parse(await fsp.readFile(path.join(temp, 'config.json'), 'utf8')) as { epoch: number };
    cfg.epoch = 9;
    await fsp.writeFile(path.join(temp, 'config.json'), JSON.stringify(cfg));
    expect(await resolveResumeDir(runDir)).toBe(path.join(runDir, 'epoch-2'));
    model.dispose();
  });
});
