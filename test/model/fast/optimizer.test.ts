import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../../src/random.js';
import { initialWeights } from '../../../src/model/init.js';
import { activateBackend } from '../../../src/model/backend.js';
import { FastLanguageModel } from '../../../src/model/fast/model.js';
import { TfjsLanguageModel } from '../../../src/model/tfjs-engine.js';
import type { ModelConfig, NamedWeight, OptimizerSettings } from '../../../src/model/types.js';
import { ensureKernelsBuilt } from './kernels-built.js';
import { randomWindows, relError } from './reference.js';

ensureKernelsBuilt();

/**
 * One update with gradient clipping and weight decay equals the formulas computed by hand in float64 from the
 * engine's own gradients (one window, so the training batch is exactly the lossAndGradients batch).
 */

const CFG: ModelConfig = {
  variant: 1, layers: 1, hidden: 6, embedding: 5, dropout: 0, vocabSize: 17, seqLength: 4, initializer: 'test', seed: 3,
};
const BASE: OptimizerSettings = { kind: 'adam', learningRate: 0.01, rho: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

const models: { dispose(): void }[] = [];
afterAll(() => models.forEach((m) => m.dispose()));
beforeAll(async () => {
  await activateBackend('cpu');
});

function norm(gradients: NamedWeight[]): number {
  let s = 0;
  for (const g of gradients) for (const v of g.values) s += v * v;
  return Math.sqrt(s);
}

/** The expected weights after one step of `s` from weights w0 with raw gradients g (PyTorch semantics). */
function handStep(s: OptimizerSettings, w0: NamedWeight[], g: NamedWeight[]): NamedWeight[] {
  const wd = s.weightDecay ?? 0;
  const clip = s.clipNorm ?? 0;
  const total = norm(g);
  const f = clip > 0 ? Math.min(1, clip / (total + 1e-6)) : 1;
  return w0.map((w, k) => {
    const grad = (g[k] as NamedWeight).values;
    const values = w.values.map((x, i) => {
      let gi = (grad[i] as number) * f;
      let wi = x;
      if (s.kind === 'adamw') wi = x * (1 - s.learningRate * wd);
      else gi += wd * x;
      if (s.kind === 'rmsprop') return wi - (s.learningRate * gi) / (Math.sqrt((1 - s.rho) * gi * gi) + s.epsilon);
      const m = (1 - s.beta1) * gi;
      const v = (1 - s.beta2) * gi * gi;
      const rate = (s.learningRate * Math.sqrt(1 - s.beta2)) / (1 - s.beta1);
      return wi - (rate * m) / (Math.sqrt(v) + s.epsilon);
    });
    return { ...w, values };
  });
}

function startWeights(): NamedWeight[] {
  const weights = initialWeights(CFG);
  const rng = new Random(4);
  for (const w of weights) for (let i = 0; i < w.values.length; i++) w.values[i] = (w.values[i] as number) + (rng.next() - 0.5) * 0.6;
  return weights;
}

describe('fast-wasm optimiser: clipping and weight decay', () => {
  const data = randomWindows(CFG, 1, 8);
  const probe = new FastLanguageModel(CFG, startWeights(), 1);
  models.push(probe);
  const raw = probe.lossAndGradients(data.inputs, data.targets, 1).gradients;
  const clip = norm(raw) / 4; // active: the update must see gradients scaled to a quarter
  const cases: OptimizerSettings[] = [
    { ...BASE, kind: 'adamw', weightDecay: 0.05, clipNorm: clip },
    { ...BASE, kind: 'adam', weightDecay: 0.05, clipNorm: clip },
    { ...BASE, kind: 'rmsprop', weightDecay: 0.05, clipNorm: clip },
    { ...BASE, kind: 'adamw', weightDecay: 0.05 },
    { ...BASE, kind: 'adam', clipNorm: norm(raw) * 2 }, // inactive clip: a plain adam step
  ];
  for (const s of cases) {
    it(`${s.kind}, weightDecay ${s.weightDecay ?? 0}, clipNorm ${s.clipNorm ? (s.clipNorm < norm(raw) ? 'active' : 'inactive') : 'off'}`, async () => {
      const w0 = startWeights();
      const model = new FastLanguageModel(CFG, w0, 2);
      models.push(model);
      await model.trainEpoch(data, { batchSize: 1, optimizer: s, seed: 1 });
      const want = handStep(s, w0, raw);
      model.getWeights().forEach((w, k) => {
        const e = relError(w.values, Float32Array.from((want[k] as NamedWeight).values));
        if (!(e <= 2e-6)) throw new Error(`${w.name}: relative error ${e}`);
      });
      const state = model.getOptimizerState();
      expect(state?.settings).toEqual(s);
      expect(state?.slots.map((x) => x.name.split('/').pop())).toEqual(
        raw.flatMap(() => (s.kind === 'rmsprop' ? ['rms'] : ['m', 'v'])),
      );
    });
  }

  for (const s of cases.slice(0, 3)) {
    it(`the tfjs engine takes the same step: ${s.kind} with weight decay and clipping`, async () => {
      const w0 = startWeights();
      const model = new TfjsLanguageModel(CFG, 'cpu', w0);
      models.push(model);
      await model.trainEpoch(data, { batchSize: 1, optimizer: s, seed: 1 });
      const want = handStep(s, w0, raw);
      model.getWeights().forEach((w, k) => {
        const e = relError(w.values, Float32Array.from((want[k] as NamedWeight).values));
        if (!(e <= 1e-5)) throw new Error(`${w.name}: relative error ${e}`);
      });
    });
  }

  it('a new learning rate between epochs keeps the slots and the iteration count', async () => {
    const model = new FastLanguageModel(CFG, startWeights(), 1);
    models.push(model);
    const s: OptimizerSettings = { ...BASE, kind: 'adamw', weightDecay: 0.01, clipNorm: 1 };
    await model.trainEpoch(data, { batchSize: 1, optimizer: s, seed: 1 });
    const before = model.getOptimizerState();
    await model.trainEpoch(data, { batchSize: 1, optimizer: { ...s, learningRate: 0.005 }, seed: 2 });
    const after = model.getOptimizerState();
    expect(after?.iterations).toBe(2);
    expect(after?.settings.learningRate).toBe(0.005);
    // The second moment kept its first-step value: v₂ = β2·v₁ + (1 − β2)·g₂² ≥ β2·v₁ everywhere.
    const v1 = before?.slots.find((x) => x.name === 'lstm_1/kernel/v')?.values as Float32Array;
    const v2 = after?.slots.find((x) => x.name === 'lstm_1/kernel/v')?.values as Float32Array;
    expect(v1.some((x) => x > 0)).toBe(true);
    v1.forEach((x, i) => expect(v2[i] as number).toBeGreaterThanOrEqual(x * 0.999 * (1 - 1e-6)));
  });
});
