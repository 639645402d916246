import { describe, expect, it } from 'vitest';
import { logisticScore, trainLogistic, type SparseRows } from '../../src/evaluate/logistic.js';
import { Random } from '../../src/random.js';

/** Dense rows as sparse rows (zeros dropped). */
function sparse(dense: number[][], columns: number): SparseRows {
  const rowStart = new Int32Array(dense.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  dense.forEach((row, i) => {
    row.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        values.push(v);
      }
    });
    rowStart[i + 1] = indices.length;
  });
  return { rowStart, indices: Int32Array.from(indices), values: Float64Array.from(values), columns };
}

describe('trainLogistic', () => {
  it('reaches the optimum of the L2-regularised log-loss (zero gradient)', () => {
    const rng = new Random(8);
    const dense: number[][] = [];
    const labels = new Uint8Array(200);
    for (let i = 0; i < 200; i++) {
      const row = [rng.normal(), rng.next() < 0.3 ? 1 : 0, rng.normal()];
      dense.push(row);
      labels[i] = 2 * (row[0] as number) - (row[2] as number) + rng.normal() > 0.5 ? 1 : 0;
    }
    const rows = sparse(dense, 3);
    const l2 = 0.7;
    const m = trainLogistic(rows, labels, { l2, maxIterations: 200, tolerance: 1e-9, relativeDecrease: 0 });
    const grad = [0, 0, 0, 0];
    for (let i = 0; i < 200; i++) {
      const residual = 1 / (1 + Math.exp(-logisticScore(rows, i, m.weights, m.bias))) - (labels[i] as number);
      for (let j = 0; j < 3; j++) grad[j] = (grad[j] as number) + residual * (dense[i]?.[j] as number);
      grad[3] = (grad[3] as number) + residual;
    }
    for (let j = 0; j < 3; j++) expect(Math.abs((grad[j] as number) + l2 * (m.weights[j] as number))).toBeLessThan(1e-6);
    expect(Math.abs(grad[3] as number)).toBeLessThan(1e-6);
    expect(m.weights[0]).toBeGreaterThan(0);
    expect(m.weights[2]).toBeLessThan(0);
  });

  it('separates separable classes and is deterministic', () => {
    const rows = sparse([[1, 0], [1, 0], [0, 1], [0, 1]], 2);
    const labels = Uint8Array.from([1, 1, 0, 0]);
    const a = trainLogistic(rows, labels, { l2: 0.1, maxIterations: 50 });
    expect(trainLogistic(rows, labels, { l2: 0.1, maxIterations: 50 })).toEqual(a);
    for (let i = 0; i < 4; i++) expect(logisticScore(rows, i, a.weights, a.bias) > 0).toBe(labels[i] === 1);
  });
});
