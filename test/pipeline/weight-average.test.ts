import { describe, expect, it } from 'vitest';
import type { NamedWeight } from '../../src/model/types.js';
import { WeightAverage } from '../../src/pipeline/weight-average.js';

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
