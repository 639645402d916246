import { describe, expect, it } from 'vitest';
import { interpolationWeight, mixtureLogLikelihood } from '../../src/evaluate/interpolation.js';
import { Random } from '../../src/random.js';

const f64 = (xs: number[]) => Float64Array.from(xs);

describe('interpolationWeight', () => {
  it('gives the share of targets only model A can explain (analytic optimum k/n)', () => {
    // Mean log = ¾·log λ + ¼·log(1 − λ), maximal at λ = 3/4.
    expect(interpolationWeight(f64([1, 1, 1, 0]), f64([0, 0, 0, 1]))).toBeCloseTo(0.75, 12);
    expect(interpolationWeight(f64([0.9, 0.1]), f64([0.1, 0.9]))).toBeCloseTo(0.5, 12);
  });

  it('goes to a boundary when one model is better on every target', () => {
    expect(interpolationWeight(f64([0.5, 0.4, 0.3]), f64([0.1, 0.2, 0.1]))).toBe(1);
    expect(interpolationWeight(f64([0.1, 0.2, 0.1]), f64([0.5, 0.4, 0.3]))).toBe(0);
  });

  it('maximises the mean log mixture on random probabilities, deterministically', () => {
    const rng = new Random(11);
    const a = new Float64Array(500);
    const b = new Float64Array(500);
    for (let i = 0; i < a.length; i++) {
      a[i] = rng.next() ** 2;
      b[i] = rng.next() ** 2;
    }
    const lambda = interpolationWeight(a, b);
    expect(interpolationWeight(a, b)).toBe(lambda);
    expect(lambda).toBeGreaterThan(0);
    expect(lambda).toBeLessThan(1);
    const best = mixtureLogLikelihood(a, b, lambda);
    for (let g = 0; g <= 100; g++) expect(mixtureLogLikelihood(a, b, g / 100)).toBeLessThanOrEqual(best + 1e-12);
  });

  it('skips targets both models give zero and rejects bad input', () => {
    expect(interpolationWeight(f64([1, 1, 1, 0, 0]), f64([0, 0, 0, 1, 0]))).toBeCloseTo(0.75, 12);
    expect(() => interpolationWeight(f64([0.5]), f64([0.5, 0.5]))).toThrow(/equal lengths/);
    expect(() => interpolationWeight(f64([1.5]), f64([0.5]))).toThrow(/\[0, 1\]/);
    expect(() => interpolationWeight(f64([]), f64([]))).toThrow(/non-zero/);
  });
});
