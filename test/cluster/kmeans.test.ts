import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TweetlabError } from '../../src/errors.js';
import { elbow, kmeans, scale, totalSumOfSquares } from '../../src/cluster/index.js';

/** Two tight groups far apart on a line, plus a third: the optimum for k = 3 is obvious. */
const THREE_GROUPS = [[0, 0], [0, 1], [1, 0], [10, 10], [10, 11], [11, 10], [30, 0], [31, 0], [30, 1]];

function sqDist(a: readonly number[], b: readonly number[]): number {
  return a.reduce((s, v, j) => s + (v - (b[j] as number)) ** 2, 0);
}

describe('scale()', () => {
  it('centres each column and divides by its sample standard deviation (as R)', () => {
    const s = scale({ columns: ['a', 'b'], values: [[1, 2], [2, 4], [3, 9]] });
    // a: mean 2, sd 1; b: mean 5, sd sqrt(((-3)² + (-1)² + 4²) / 2) = sqrt(13)
    expect(s.center).toEqual([2, 5]);
    expect(s.scale[0]).toBeCloseTo(1, 12);
    expect(s.scale[1]).toBeCloseTo(Math.sqrt(13), 12);
    const r13 = Math.sqrt(13);
    const expected = [[-1, -3 / r13], [0, -1 / r13], [1, 4 / r13]];
    s.values.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo((expected[i] as number[])[j] as number, 12)));
  });

  it('rejects a constant column by name', () => {
    expect(() => scale({ columns: ['a', 'flat'], values: [[1, 5], [2, 5]] })).toThrow(/"flat" is constant/);
  });
});

describe('kmeans()', () => {
  it('finds the obvious three groups, with R-style 1-based clusters and consistent sums', () => {
    const r = kmeans(THREE_GROUPS, 3, { nstart: 5, seed: 1 });
    const groupOf = (i: number) => r.cluster[i];
    expect(new Set([groupOf(0), groupOf(1), groupOf(2)]).size).toBe(1);
    expect(new Set([groupOf(3), groupOf(4), groupOf(5)]).size).toBe(1);
    expect(new Set([groupOf(6), groupOf(7), groupOf(8)]).size).toBe(1);
    expect([...r.cluster].sort()).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3]);
    expect(r.size).toEqual([3, 3, 3]);
    // each group: points at (0,0),(0,1),(1,0) around (1/3,1/3): 3 × … = 4/3
    r.withinss.forEach((w) => expect(w).toBeCloseTo(4 / 3, 12));
    expect(r.totWithinss).toBeCloseTo(4, 12);
    expect(r.totss).toBeCloseTo(totalSumOfSquares(THREE_GROUPS), 12);
    expect(r.betweenss).toBeCloseTo(r.totss - 4, 9);
  });

  it('k = 1 is the overall mean with withinss = totss', () => {
    const r = kmeans([[1, 2], [3, 4], [5, 0]], 1);
    expect(r.centers).toEqual([[3, 2]]);
    expect(r.cluster).toEqual([1, 1, 1]);
    expect(r.totWithinss).toBeCloseTo(8 + 8, 12);
    expect(r.betweenss).toBe(0);
  });

  it('is deterministic for a seed, and records it', () => {
    const data = Array.from({ length: 60 }, (_, i) => [Math.sin(i) * 10, Math.cos(i * 1.7) * 5 + (i % 3)]);
    const a = kmeans(data, 4, { nstart: 7, seed: 42 });
    const b = kmeans(data, 4, { nstart: 7, seed: 42 });
    expect(a).toEqual(b);
    expect(a.seed).toBe(42);
    expect(a.nstart).toBe(7);
    expect(elbow(data, { to: 4, nstart: 3, seed: 5 })).toEqual(elbow(data, { to: 4, nstart: 3, seed: 5 }));
  });

  it('adding a k to the elbow range leaves the other k unchanged (one stream per k)', () => {
    const data = Array.from({ length: 40 }, (_, i) => [i % 7, (i * 13) % 11]);
    const short = elbow(data, { from: 2, to: 4, nstart: 3 });
    const long = elbow(data, { from: 2, to: 6, nstart: 3 });
    expect(long.slice(0, 3)).toEqual(short);
  });

  it('errors clearly on bad k and bad data', () => {
    expect(() => kmeans(THREE_GROUPS, 9)).toThrow(TweetlabError);
    expect(() => kmeans(THREE_GROUPS, 9)).toThrow(/smaller than the number of rows \(9\)/);
    expect(() => kmeans(THREE_GROUPS, 0)).toThrow(/k must be a whole number/);
    expect(() => kmeans([[1], [1], [1], [2]], 3)).toThrow(/distinct rows \(2\)/);
    expect(() => kmeans([[1, 2], [Number.NaN, 3], [4, 4]], 2)).toThrow(/row 2, column 1 is not a finite number/);
    expect(() => kmeans([], 1)).toThrow(/no rows/);
  });

  it('every converged result is a Hartigan–Wong fixed point (no single move lowers tot.withinss)', () => {
    const point = fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 }));
    fc.assert(
      fc.property(fc.array(point, { minLength: 6, maxLength: 30 }), fc.integer({ min: 2, max: 4 }), fc.nat(), (pts, k, seed) => {
        const distinct = new Set(pts.map((p) => p.join(','))).size;
        fc.pre(distinct >= k && pts.length > k);
        const data = pts.map((p) => [...p]);
        const r = kmeans(data, k, { nstart: 2, seed, iterMax: 50 });
        if (r.ifault !== 0) return;
        data.forEach((x, i) => {
          const own = (r.cluster[i] as number) - 1;
          const n1 = r.size[own] as number;
          if (n1 === 1) return;
          // Removing x from its cluster saves n1/(n1−1)·d², adding it to cluster l costs n2/(n2+1)·d².
          const save = (n1 / (n1 - 1)) * sqDist(x, r.centers[own] as number[]);
          for (let l = 0; l < k; l++) {
            if (l === own) continue;
            const n2 = r.size[l] as number;
            const cost = (n2 / (n2 + 1)) * sqDist(x, r.centers[l] as number[]);
            expect(cost).toBeGreaterThanOrEqual(save - 1e-9);
          }
        });
        expect(r.size.reduce((a, b) => a + b, 0)).toBe(data.length);
      }),
      { numRuns: 150, seed: 20561 },
    );
  });

  it('kmeans++ starts reach the same optimum on easy data', () => {
    const r = kmeans(THREE_GROUPS, 3, { nstart: 3, seed: 9, init: 'kmeans++' });
    expect(r.totWithinss).toBeCloseTo(4, 12);
  });
});
