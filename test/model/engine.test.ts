import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { getEngine, selectBackend } from '../../src/model/backend.js';
import { TfjsLanguageModel } from '../../src/model/tfjs-engine.js';
import { initialWeights, orthogonal } from '../../src/model/init.js';
import { weightSpecs } from '../../src/model/format.js';
import { optimizerSettings } from '../../src/model/experiment.js';
import { Random } from '../../src/random.js';
import type { Engine } from '../../src/model/types.js';
import { randomWindows, tinyConfig, toyData } from './helpers.js';

let wasm: Engine;
let cpu: Engine;

beforeAll(async () => {
  cpu = await getEngine('cpu');
  wasm = await getEngine('wasm');
});

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i] as number), Math.abs(b[i] as number));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return scale === 0 ? worst : worst / scale;
}

describe('initial weights', () => {
  it('are deterministic under the seed, differ across seeds, and follow weightSpecs', () => {
    const cfg = tinyConfig();
    const a = initialWeights(cfg);
    const b = initialWeights(cfg);
    const c = initialWeights({ ...cfg, seed: 8 });
    expect(a.map((w) => w.name)).toEqual(weightSpecs(cfg).map((s) => s.name));
    a.forEach((w, i) => expect(w.values).toEqual(b[i]!.values));
    expect(a[1]!.values).not.toEqual(c[1]!.values);
    const bias = a.find((w) => w.name === 'lstm_1/bias')!.values;
    expect(Array.from(bias.slice(8, 16))).toEqual(new Array(8).fill(1)); // forget gate
    expect(Array.from(bias.slice(0, 8))).toEqual(new Array(8).fill(0));
  });

  it('orthogonal() has orthonormal rows (wide) or columns (tall)', () => {
    const rng = new Random(3);
    for (const [rows, cols] of [[5, 20], [20, 5]] as const) {
      const m = orthogonal(rows, cols, rng);
      const n = Math.min(rows, cols);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let k = 0; k < Math.max(rows, cols); k++) {
            dot += rows <= cols ? m[i * cols + k]! * m[j * cols + k]! : m[k * cols + i]! * m[k * cols + j]!;
          }
          expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
        }
      }
    }
  });
});

describe('tfjs engine', () => {
  it('auto selection picks a working backend and reports why', async () => {
    const choice = await selectBackend('auto');
    expect(['wasm', 'cpu', 'tensorflow']).toContain(choice.backend);
    expect(choice.reason.length).toBeGreaterThan(0);
    if (choice.measured) expect(Object.keys(choice.measured).length).toBeGreaterThan(0);
  });

  it('predict() gives one probability row per step that sums to 1', async () => {
    const cfg = tinyConfig();
    const model = wasm.createModel(cfg);
    const data = randomWindows(3, cfg.seqLength, cfg.vocabSize);
    const probs = await model.predict(data.inputs, 3);
    expect(probs.length).toBe(3 * cfg.seqLength * cfg.vocabSize);
    for (let r = 0; r < 3 * cfg.seqLength; r++) {
      let sum = 0;
      for (let v = 0; v < cfg.vocabSize; v++) sum += probs[r * cfg.vocabSize + v]!;
      expect(sum).toBeCloseTo(1, 5);
    }
    model.dispose();
  });

  it('step() carries the state: equals predict() at every step of a window', async () => {
    const cfg = tinyConfig();
    const model = wasm.createModel(cfg);
    const data = randomWindows(1, cfg.seqLength, cfg.vocabSize, 5);
    const probs = await model.predict(data.inputs, 1);
    const state = model.startState();
    for (let t = 0; t < cfg.seqLength; t++) {
      const p = model.step(state, data.inputs[t]!);
      const ref = probs.subarray(t * cfg.vocabSize, (t + 1) * cfg.vocabSize);
      expect(maxRelDiff(p, ref)).toBeLessThan(1e-5);
    }
    model.dispose();
  });

  it('wasm (the chosen backend) computes the same loss and gradients as cpu, embedding included', () => {
    const cfg = tinyConfig({ vocabSize: 20, hidden: 10, embedding: 7 });
    const data = randomWindows(6, cfg.seqLength, cfg.vocabSize, 11);
    const onCpu = cpu.createModel(cfg) as TfjsLanguageModel;
    const a = onCpu.lossAndGradients(data.inputs, data.targets, data.count);
    onCpu.dispose();
    const onWasm = wasm.createModel(cfg) as TfjsLanguageModel;
    const b = onWasm.lossAndGradients(data.inputs, data.targets, data.count);
    onWasm.dispose();
    expect(Math.abs(a.loss - b.loss) / a.loss).toBeLessThan(1e-5);
    expect(a.gradients.length).toBe(b.gradients.length);
    a.gradients.forEach((g, i) => {
      expect(b.gradients[i]!.name).toBe(g.name);
      expect(maxRelDiff(g.values, b.gradients[i]!.values)).toBeLessThan(1e-4);
    });
    // The embedding gradient is real (rows of ids that occur), i.e. the embedding trains on wasm.
    const emb = b.gradients[0]!.values;
    expect(emb.some((v) => v !== 0)).toBe(true);
  });

  it('matches a stock tf.layers model (Keras semantics) in loss and gradients on cpu', async () => {
    const cfg = tinyConfig({ vocabSize: 15, dropout: 0.2, variant: 2 });
    const weights = initialWeights(cfg);
    const ours = cpu.createModel(cfg, weights) as TfjsLanguageModel;
    const data = randomWindows(4, cfg.seqLength, cfg.vocabSize, 3);
    const mine = ours.lossAndGradients(data.inputs, data.targets, data.count);
    ours.dispose();

    const keras = tf.sequential();
    keras.add(tf.layers.embedding({ name: 'embedding', inputDim: cfg.vocabSize, outputDim: cfg.embedding, inputLength: cfg.seqLength }));
    for (let l = 0; l < cfg.layers; l++) {
      keras.add(tf.layers.lstm({ name: `lstm_${l + 1}`, units: cfg.hidden, returnSequences: true, recurrentActivation: 'sigmoid', recurrentInitializer: 'zeros' }));
      keras.add(tf.layers.dropout({ name: `dropout_${l + 1}`, rate: cfg.dropout }));
    }
    keras.add(tf.layers.dense({ name: 'output', units: cfg.vocabSize, activation: 'softmax' }));
    const byName = new Map(weights.map((w) => [w.name, w]));
    keras.setWeights(keras.weights.map((w) => tf.tensor(byName.get(w.originalName)!.values, w.shape as number[])));
    const ids = tf.tensor2d(data.inputs, [data.count, cfg.seqLength], 'int32');
    const oneHot = tf.oneHot(tf.tensor1d(data.targets, 'int32'), cfg.vocabSize).toFloat();
    const vars = keras.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const { value, grads } = tf.variableGrads(() => {
      const probs = (keras.apply(ids, { training: false }) as tf.Tensor).reshape([-1, cfg.vocabSize]);
      return tf.mean(tf.neg(tf.sum(tf.mul(oneHot, tf.log(probs)), 1))) as tf.Scalar;
    }, vars);
    expect(Math.abs(value.dataSync()[0]! - mine.loss)).toBeLessThan(1e-5);
    keras.trainableWeights.forEach((w, i) => {
      const ref = grads[vars[i]!.name]!.dataSync() as Float32Array;
      const got = mine.gradients.find((g) => g.name === w.originalName)!;
      expect(maxRelDiff(ref, got.values)).toBeLessThan(1e-4);
    });
    tf.dispose([ids, oneHot, value, ...Object.values(grads)]);
    keras.dispose();
  });

  it('does not leak tensors over epochs, evaluation, prediction and generation steps', async () => {
    const cfg = tinyConfig({ variant: 2, dropout: 0.2 });
    const model = wasm.createModel(cfg);
    const data = randomWindows(20, cfg.seqLength, cfg.vocabSize);
    const opt = optimizerSettings('rmsprop', 0.01);
    await model.trainEpoch(data, { batchSize: 8, seed: 1, optimizer: opt });
    await model.evaluate(data);
    const before = tf.memory().numTensors;
    for (let e = 0; e < 3; e++) await model.trainEpoch(data, { batchSize: 8, seed: e, optimizer: opt });
    await model.evaluate(data);
    await model.predict(data.inputs.subarray(0, cfg.seqLength), 1);
    const state = model.startState();
    for (let i = 0; i < 5; i++) model.step(state, i);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('a learnable toy corpus lowers the loss; a memorisable one reaches near-zero loss', async () => {
    const { vocab, windows } = toyData(3);
    const cfg = tinyConfig({ vocabSize: vocab.words.length, seqLength: 3, hidden: 24, embedding: 12 });
    const model = wasm.createModel(cfg);
    const opt = optimizerSettings('adam', 0.02);
    const first = await model.evaluate(windows);
    let last = first;
    for (let e = 0; e < 60; e++) {
      await model.trainEpoch(windows, { batchSize: 16, seed: e, optimizer: opt });
    }
    last = await model.evaluate(windows);
    expect(last.loss).toBeLessThan(first.loss * 0.5);
    // Every window is memorisable except where a word is followed by different words in different posts.
    const few = { ...windows, count: 4, inputs: windows.inputs.slice(0, 12), targets: windows.targets.slice(0, 12) };
    for (let e = 0; e < 80; e++) await model.trainEpoch(few, { batchSize: 4, seed: e, optimizer: opt });
    expect((await model.evaluate(few)).loss).toBeLessThan(0.05);
    model.dispose();
  });

  it('training is deterministic under the seed, and RMSprop / Adam state round-trips', async () => {
    const cfg = tinyConfig({ variant: 2, dropout: 0.2 });
    const data = randomWindows(24, cfg.seqLength, cfg.vocabSize, 9);
    for (const kind of ['rmsprop', 'adam'] as const) {
      const opt = optimizerSettings(kind, 0.01);
      const a = wasm.createModel(cfg);
      await a.trainEpoch(data, { batchSize: 8, seed: 1, optimizer: opt });
      await a.trainEpoch(data, { batchSize: 8, seed: 2, optimizer: opt });
      const b = wasm.createModel(cfg);
      await b.trainEpoch(data, { batchSize: 8, seed: 1, optimizer: opt });
      const c = wasm.createModel(cfg, b.getWeights());
      c.setOptimizerState(b.getOptimizerState()!);
      await c.trainEpoch(data, { batchSize: 8, seed: 2, optimizer: opt });
      const wa = a.getWeights();
      const wc = c.getWeights();
      wa.forEach((w, i) => expect(maxRelDiff(w.values, wc[i]!.values)).toBeLessThan(1e-6));
      expect(c.getOptimizerState()!.iterations).toBe(6);
      [a, b, c].forEach((m) => m.dispose());
    }
  });

  it('rejects windows that do not fit the model', async () => {
    const cfg = tinyConfig();
    const model = wasm.createModel(cfg);
    await expect(model.evaluate(randomWindows(2, cfg.seqLength + 1, cfg.vocabSize))).rejects.toThrow(/seqLength/);
    const bad = randomWindows(2, cfg.seqLength, cfg.vocabSize);
    bad.inputs[0] = cfg.vocabSize;
    await expect(model.evaluate(bad)).rejects.toThrow(/outside the vocabulary/);
    expect(() => model.step(model.startState(), -1)).toThrow(/outside the vocabulary/);
    model.dispose();
  });
});
