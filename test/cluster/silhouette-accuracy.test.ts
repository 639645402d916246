import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestAccuracy, groupIds, lessonAccuracy, silhouette } from '../../src/cluster/index.js';

describe('silhouette()', () => {
  it('matches hand-computed widths on a line', () => {
    // 0, 1 | 10, 11. Point 0: a = 1, b = (10 + 11) / 2 = 10.5 → 9.5 / 10.5. Point 1: a = 1, b = 9.5 → 8.5 / 9.5.
    const s = silhouette([[0], [1], [10], [11]], [1, 1, 2, 2]);
    const w0 = 9.5 / 10.5;
    const w1 = 8.5 / 9.5;
    expect(s.widths[0]).toBeCloseTo(w0, 12);
    expect(s.widths[1]).toBeCloseTo(w1, 12);
    expect(s.widths[2]).toBeCloseTo(w1, 12);
    expect(s.widths[3]).toBeCloseTo(w0, 12);
    expect(s.mean).toBeCloseTo((w0 + w1) / 2, 12);
    expect(s.neighbor).toEqual([2, 2, 1, 1]);
    expect(s.clusterMeans[0]).toBeCloseTo((w0 + w1) / 2, 12);
  });

  it('gives a point alone in its cluster width 0 (as R) and uses Euclidean distance', () => {
    // (0,0), (3,4) | (0,8): point 0: a = 5, b = 8 → 3/8; point 1: a = 5, b = dist((3,4),(0,8)) = 5 → 0.
    const s = silhouette([[0, 0], [3, 4], [0, 8]], [1, 1, 2]);
    expect(s.widths[0]).toBeCloseTo(3 / 8, 12);
    expect(s.widths[1]).toBeCloseTo(0, 12);
    expect(s.widths[2]).toBe(0);
    expect(s.mean).toBeCloseTo(3 / 8 / 3, 12);
  });

  it('needs two clusters and matching lengths', () => {
    expect(() => silhouette([[0], [1]], [1, 1])).toThrow(/at least 2 non-empty clusters/);
    expect(() => silhouette([[0], [1]], [1])).toThrow(/1 cluster labels for 2 points/);
  });
});

describe('accuracy', () => {
  const labels = ['b', 'a', 'a', 'c', 'b', 'c'];

  it('numbers genres alphabetically, as dplyr cur_group_id()', () => {
    expect(groupIds(labels)).toEqual({ groups: ['a', 'b', 'c'], ids: [2, 1, 1, 3, 2, 3] });
    // Code-unit order: a space sorts before letters, so "afro dancehall" < "afropop".
    expect(groupIds(['nigerian pop', 'afropop', 'afro dancehall']).groups).toEqual(['afro dancehall', 'afropop', 'nigerian pop']);
  });

  it('the lesson’s figure depends on the numbering; the best matching does not', () => {
    const perfect = [2, 1, 1, 3, 2, 3];
    const renumbered = [1, 3, 3, 2, 1, 2]; // the same partition, clusters relabelled
    expect(lessonAccuracy(perfect, labels).accuracy).toBe(1);
    expect(lessonAccuracy(renumbered, labels).accuracy).toBe(0);
    const best = bestAccuracy(renumbered, labels);
    expect(best.accuracy).toBe(1);
    expect(best.correct).toBe(6);
    expect(best.matching).toEqual(['b', 'c', 'a']);
  });

  it('handles more clusters than labels (a surplus cluster stays unpaired)', () => {
    const r = bestAccuracy([1, 1, 2, 3, 4, 4], ['x', 'x', 'x', 'y', 'y', 'y']);
    // Best: cluster 1 → x (2), cluster 4 → y (2).
    expect(r.correct).toBe(4);
    expect(r.matching[0]).toBe('x');
    expect(r.matching[3]).toBe('y');
    expect(r.matching.filter((m) => m === null)).toHaveLength(2);
  });

  it('best accuracy ≥ lesson accuracy and is invariant under renumbering (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom('p', 'q', 'r')), { minLength: 1, maxLength: 40 }),
        fc.constantFrom([1, 2, 3, 4], [4, 3, 2, 1], [2, 4, 1, 3], [3, 1, 4, 2]),
        (pairs, perm) => {
          const cl = pairs.map((p) => p[0]);
          const lb = pairs.map((p) => p[1]);
          const best = bestAccuracy(cl, lb);
          expect(best.accuracy).toBeGreaterThanOrEqual(lessonAccuracy(cl, lb).accuracy);
          const renamed = cl.map((c) => perm[c - 1] as number);
          expect(bestAccuracy(renamed, lb).correct).toBe(best.correct);
          // brute force over all injective maps of clusters 1..4 to labels p, q, r or none
          const options = ['p', 'q', 'r', null];
          let brute = 0;
          for (const a of options) for (const b of options) for (const c of options) for (const d of options) {
            const used = [a, b, c, d].filter((x) => x !== null);
            if (new Set(used).size !== used.length) continue;
            const map = [a, b, c, d];
            brute = Math.max(brute, cl.filter((x, i) => map[x - 1] === lb[i]).length);
          }
          expect(best.correct).toBe(brute);
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });
});
