import { describe, expect, it } from 'vitest';
import { randomChunks } from '../../src/dataset/stream.js';
import { createFastEngine } from '../../src/model/fast/index.js';
import type { LanguageModel, NamedWeight } from '../../src/model/types.js';
import { OWN_MODEL_QUICK } from '../../src/pipeline/config.js';
import { ownModelConfig } from '../../src/pipeline/own.js';
import { ownOptimizer } from '../../src/pipeline/own-train.js';
import { averageDecay, trackWeightAverage, WeightAverage } from '../../src/pipeline/weight-average.js';
import { Random } from '../../src/random.js';
import { ensureKernelsBuilt } from '../model/fast/kernels-built.js';

ensureKernelsBuilt();

const w = (...values: number[]): NamedWeight[] => [{ name: 'kernel', shape: [values.length], values: Float32Array.from(values) }];

describe('WeightAverage', () => {
  it('has no weights before the first update and exactly the first weights after it (bias-corrected)', () => {
    const avg = new WeightAverage(0.9);
    expect(avg.weights()).toBeNull();
    avg.update(w(1, -2, 3));
    const got = Array.from((avg.weights() as NamedWeight[])[0]?.values ?? []);
    [1, -2, 3].forEach((x, i) => expect(got[i]).toBeCloseTo(x, 5));
  });

  it('weights recent updates more, as an exponential average with the bias correction', () => {
    const d = 0.5;
    const avg = new WeightAverage(d);
    avg.update(w(0));
    avg.update(w(4));
    // (d·(1−d)·0 + (1−d)·4) / (1 − d²) = 2 / 0.75
    const got = (avg.weights() as NamedWeight[])[0]?.values[0] as number;
    expect(got).toBeCloseTo(2 / 0.75, 5);
    const shape = (avg.weights() as NamedWeight[])[0];
    expect(shape?.name).toBe('kernel');
    expect(shape?.shape).toEqual([1]);
  });

  it('spans the asked number of epochs, and rejects a decay outside (0, 1)', () => {
    const avg = WeightAverage.forEpochs(2, 100);
    for (let i = 0; i < 1000; i++) avg.update(w(i));
    // An average over about 200 updates trails the last value (999) by about 200.
    const got = (avg.weights() as NamedWeight[])[0]?.values[0] as number;
    expect(got).toBeGreaterThan(999 - 230);
    expect(got).toBeLessThan(999 - 170);
    expect(() => new WeightAverage(1)).toThrow(/decay/);
    expect(() => new WeightAverage(0)).toThrow(/decay/);
  });
});

describe('trackWeightAverage', () => {
  const settings = { ...OWN_MODEL_QUICK, hidden: 16, seqLength: 5, batchSize: 8 };
  const rng = new Random(3);
  const stream = Int32Array.from({ length: 400 }, () => 1 + rng.int(11));
  const chunks = randomChunks(stream, settings.seqLength, 7);
  const trainWith = async (model: LanguageModel, onBatch: () => void) =>
    model.trainEpoch(chunks, { batchSize: settings.batchSize, optimizer: ownOptimizer(settings), seed: 11 }, onBatch);

  it('fast-wasm keeps the average in the engine, equal to the JavaScript average of the same batches', async () => {
    const engine = createFastEngine({ threads: 1 });
    const model = engine.createModel(ownModelConfig(settings, 12, 5));
    const decay = averageDecay(1, Math.ceil(chunks.count / settings.batchSize));
    const inEngine = trackWeightAverage(model, decay);
    const inJs = new WeightAverage(decay);
    expect(inEngine.weights()).toBeNull();
    await trainWith(model, () => {
      inEngine.update();
      inJs.update(model.getWeights());
    });
    const a = inEngine.weights() as NamedWeight[];
    const b = inJs.weights() as NamedWeight[];
    expect(a.map((w) => w.name)).toEqual(b.map((w) => w.name));
    a.forEach((w, k) => {
      const other = (b[k] as NamedWeight).values;
      for (let i = 0; i < w.values.length; i++) expect(w.values[i]).toBeCloseTo(other[i] as number, 5);
    });
    // The average trails the last weights: it is not a copy of them.
    const last = model.getWeights()[0]?.values as Float32Array;
    expect(Array.from(a[0]?.values ?? []).some((x, i) => Math.abs(x - (last[i] as number)) > 1e-4)).toBe(true);
    model.dispose();
  });

  it('falls back to the JavaScript average for engines without their own, and rejects a decay outside (0, 1)', () => {
    const weights = w(2, 4);
    const plain = { getWeights: () => weights } as unknown as LanguageModel;
    const tracker = trackWeightAverage(plain, 0.5);
    tracker.update();
    expect(Array.from((tracker.weights() as NamedWeight[])[0]?.values ?? [])).toEqual([2, 4]);
    expect(() => trackWeightAverage(plain, 1)).toThrow(/decay/);
  });
});
