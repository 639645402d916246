import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TweetlabError } from '../../../src/errors.js';
import { activateBackend } from '../../../src/model/backend.js';
import { nodeFileIO } from '../../../src/model/format.js';
import { loadModel, saveModel } from '../../../src/model/io.js';
import { FastLanguageModel, createFastEngine } from '../../../src/model/fast/index.js';
import { TfjsLanguageModel } from '../../../src/model/tfjs-engine.js';
import type { ModelConfig, NamedWeight, OptimizerSettings } from '../../../src/model/types.js';
import type { Vocabulary } from '../../../src/types.js';
import { tempDir } from '../helpers.js';
import { ensureKernelsBuilt } from './kernels-built.js';
import { randomWindows, relError } from './reference.js';

ensureKernelsBuilt();

/** Variant 3 end to end: bit-reproducible training on 1 or 2 threads, save → load, stock tfjs and tfjs engines. */

// Big enough that the parallel paths split into several chunks (logits matmuls, masks, optimiser passes).
const CFG: ModelConfig = {
  variant: 3, layers: 2, hidden: 32, embedding: 32, dropout: 0.25, vocabSize: 700, seqLength: 5, initializer: 'test',
  seed: 17, tied: true, embeddingDropout: 0.1, inputDropout: 0.5, outputDropout: 0.5, recurrentDropout: 0.4,
};
const ADAMW: OptimizerSettings = {
  kind: 'adamw', learningRate: 3e-3, rho: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 1e-5, clipNorm: 0.25,
};

const models: { dispose(): void }[] = [];
afterAll(() => models.forEach((m) => m.dispose()));
beforeAll(async () => {
  await activateBackend('cpu');
});

async function trained(threads: number): Promise<{ model: FastLanguageModel; losses: number[] }> {
  const model = new FastLanguageModel(CFG, undefined, threads);
  models.push(model);
  await model.ready();
  const data = randomWindows(CFG, 120, 7);
  const losses: number[] = [];
  for (let e = 0; e < 2; e++) losses.push((await model.trainEpoch(data, { batchSize: 32, optimizer: ADAMW, seed: 50 + e })).loss);
  losses.push((await model.evaluate(randomWindows(CFG, 40, 8))).loss);
  return { model, losses };
}

function sameBits(a: NamedWeight[], b: NamedWeight[]): boolean {
  return a.length === b.length && a.every((w, k) => Buffer.from(w.values.buffer).equals(Buffer.from((b[k] as NamedWeight).values.buffer)));
}

function vocabOf(size: number): Vocabulary {
  const words = Array.from({ length: size }, (_, i) => (i === 0 ? '<unk>' : `w${i}`));
  return { words, index: new Map(words.map((w, i) => [w, i])), counts: words.map(() => 1), oovId: 0 };
}

describe('variant 3 on fast-wasm', () => {
  it('trains bit-identically on 1 and 2 threads, run after run', async () => {
    const one = await trained(1);
    const twoA = await trained(2);
    const twoB = await trained(2);
    expect(sameBits(one.model.getWeights(), twoA.model.getWeights())).toBe(true);
    expect(sameBits(twoA.model.getWeights(), twoB.model.getWeights())).toBe(true);
    expect(one.losses).toEqual(twoA.losses);
    expect(one.losses.every(Number.isFinite)).toBe(true);
    const fresh = new FastLanguageModel(CFG, undefined, 1);
    models.push(fresh);
    expect(sameBits(one.model.getWeights(), fresh.getWeights())).toBe(false); // training moved the weights
  });

  it('saves and loads: identical step() outputs and optimiser state; stock tfjs and the tfjs engine run it alike', async () => {
    const { model } = await trained(2);
    const dir = path.join(await tempDir('v3'), 'model');
    try {
      await saveModel(dir, model, vocabOf(CFG.vocabSize), { epoch: 2 });
      const loaded = await loadModel(dir, createFastEngine({ threads: 2 }));
      models.push(loaded.model);
      expect(loaded.model.config).toEqual(CFG);
      expect(sameBits(loaded.model.getWeights(), model.getWeights())).toBe(true);
      const a = model.getOptimizerState();
      const b = loaded.model.getOptimizerState();
      expect(b?.settings).toEqual(ADAMW);
      expect(b?.iterations).toBe(a?.iterations);
      expect(sameBits(b?.slots ?? [], a?.slots ?? [])).toBe(true);
      const s1 = model.startState();
      const s2 = loaded.model.startState();
      for (const token of [3, 9, 0, 41]) {
        expect(Buffer.from(loaded.model.step(s2, token).buffer).equals(Buffer.from(model.step(s1, token).buffer))).toBe(true);
      }
      const data = randomWindows(CFG, 6, 3);
      const mine = await model.predict(data.inputs, data.count);
      // The written dense kernel is the embedding's transposed copy: a plain Dense layer for stock tfjs.
      const stock = await tf.loadLayersModel(nodeFileIO(dir) as unknown as tf.io.IOHandler);
      const ids = tf.tensor2d(data.inputs, [data.count, CFG.seqLength], 'int32');
      const out = stock.predict(ids) as tf.Tensor;
      expect(relError(mine, out.dataSync() as Float32Array)).toBeLessThan(1e-4);
      tf.dispose([ids, out]);
      stock.dispose();
      const onTfjs = await loadModel(dir, 'cpu', { optimizer: true });
      models.push(onTfjs.model);
      expect(relError(await onTfjs.model.predict(data.inputs, data.count), mine)).toBeLessThan(1e-4);
      const evFast = await model.evaluate(data);
      const evTfjs = await onTfjs.model.evaluate(data);
      expect(Math.abs(evTfjs.loss - evFast.loss) / evFast.loss).toBeLessThan(1e-5);
      const st = onTfjs.model.startState();
      const sf = model.startState();
      for (const token of [5, 1]) expect(relError(onTfjs.model.step(st, token), model.step(sf, token))).toBeLessThan(1e-4);
    } finally {
      await fsp.rm(path.dirname(dir), { recursive: true, force: true });
    }
  });

  it('the tfjs cpu engine trains variant 3 like fast-wasm (same masks, same updates)', async () => {
    const cfg: ModelConfig = { ...CFG, vocabSize: 40, hidden: 8, embedding: 8, seqLength: 4 };
    const data = randomWindows(cfg, 20, 4);
    const fast = new FastLanguageModel(cfg, undefined, 2);
    const ref = new TfjsLanguageModel(cfg, 'cpu', fast.getWeights());
    models.push(fast, ref);
    const opts = { batchSize: 6, optimizer: { ...ADAMW, learningRate: 0.01 }, seed: 3 };
    const fastLosses: number[] = [];
    const refLosses: number[] = [];
    await fast.trainEpoch(data, opts, (b) => fastLosses.push(b.loss));
    await ref.trainEpoch(data, opts, (b) => refLosses.push(b.loss));
    expect(fastLosses.length).toBe(4);
    fastLosses.forEach((l, i) => expect(Math.abs(l - (refLosses[i] as number)) / l).toBeLessThan(1e-4));
    fast.getWeights().forEach((w, k) => expect(relError(w.values, (ref.getWeights()[k] as NamedWeight).values)).toBeLessThan(1e-3));
    // Without the masks training goes elsewhere: the dropouts did act.
    const start = new FastLanguageModel(cfg, undefined, 1);
    const plain = new TfjsLanguageModel({ ...cfg, embeddingDropout: 0, inputDropout: 0, outputDropout: 0, recurrentDropout: 0, dropout: 0 },
      'cpu', start.getWeights());
    models.push(start, plain);
    await plain.trainEpoch(data, opts);
    expect(relError((plain.getWeights()[1] as NamedWeight).values, (ref.getWeights()[1] as NamedWeight).values)).toBeGreaterThan(1e-2);
  });

  it('the tfjs engine refuses the new dropouts on variants 1–2 (fast-wasm trains those)', async () => {
    const cfg: ModelConfig = { ...CFG, variant: 1, dropout: 0, vocabSize: 40, hidden: 8, embedding: 8, seqLength: 4 };
    const ref = new TfjsLanguageModel(cfg, 'cpu');
    models.push(ref);
    await expect(ref.trainEpoch(randomWindows(cfg, 4, 1), { batchSize: 2, optimizer: ADAMW, seed: 1 })).rejects.toThrow(TweetlabError);
  });

  it('refuses a tied model whose embedding width differs from hidden', () => {
    expect(() => new FastLanguageModel({ ...CFG, embedding: 16 }, undefined, 1)).toThrow(/tied embeddings need embedding/);
    expect(() => new TfjsLanguageModel({ ...CFG, embedding: 16 }, 'cpu')).toThrow(TweetlabError);
  });
});
