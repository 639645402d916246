import { describe, expect, it } from 'vitest';
import { RRandom } from '../../src/random.js';
import { elbow, kmeans } from '../../src/cluster/index.js';

/*
 * R mode's start rules on a tiny matrix whose first three rows are equal. Expected values printed by R 4.2.2
 * (default RNGkind) with
 *   x <- cbind(c(1,1,1,2,5,6,5.5), c(0,0,0,1,5,5,6))
 *   for (s in c(3, 5, 7)) { set.seed(s); m <- kmeans(x, 2); cat(m$cluster, sprintf("%.17g", runif(1))) }
 *   set.seed(4); kmeans(x, 1, nstart = 3); runif(1)        set.seed(4); kmeans(x, 1); runif(1)
 *   set.seed(4); m <- kmeans(x, 3, nstart = 2); m$cluster; m$tot.withinss; runif(1)
 * For seeds 5 and 7, sample.int(7, 2) picks two of the equal rows (rows 2 and 3), so R draws again from
 * unique(x) — the "next runif" shows the extra draws were made.
 */
const X = [
  [1, 0],
  [1, 0],
  [1, 0],
  [2, 1],
  [5, 5],
  [6, 5],
  [5.5, 6],
];

describe('kmeans in R mode (rng: RRandom) follows R’s start rules', () => {
  it('nstart = 1 draws from all rows and redraws from the distinct rows when the start repeats a row', () => {
    const cases = [
      { seed: 3, cluster: [2, 2, 2, 2, 1, 1, 1], next: 0.38494235137477517 }, // no repeat
      { seed: 5, cluster: [1, 1, 1, 1, 2, 2, 2], next: 0.10465012793429196 }, // rows 2, 3 repeat: redrawn
      { seed: 7, cluster: [2, 2, 2, 2, 1, 1, 1], next: 0.79201042582280934 }, // rows 2, 3 repeat: redrawn
    ];
    for (const c of cases) {
      const rng = RRandom.setSeed(c.seed);
      const r = kmeans(X, 2, { rng });
      expect(r.cluster, `seed ${c.seed}`).toEqual(c.cluster);
      expect(rng.unifRand(), `seed ${c.seed}`).toBe(c.next);
    }
  });

  it('k = 1 still draws its starts, as R does (one per start)', () => {
    const three = RRandom.setSeed(4);
    const r = kmeans(X, 1, { nstart: 3, rng: three });
    expect(r.size).toEqual([7]);
    expect(r.rng).toBe('r');
    expect(three.unifRand()).toBe(0.81357421493157744);
    const one = RRandom.setSeed(4);
    kmeans(X, 1, { rng: one });
    expect(one.unifRand()).toBe(0.29373961198143661);
  });

  it('nstart ≥ 2 draws every start from unique(x), the first included', () => {
    const rng = RRandom.setSeed(4);
    const r = kmeans(X, 3, { nstart: 2, rng });
    expect(r.cluster).toEqual([1, 1, 1, 1, 3, 3, 2]);
    expect(r.totWithinss).toBe(2);
    expect(rng.unifRand()).toBe(0.94904022105038166);
  });

  it('a stream passed to elbow() continues across the k’s; the same seed replays it', () => {
    const a = elbow(X, { from: 1, to: 4, nstart: 3, rng: RRandom.setSeed(9) });
    const b = elbow(X, { from: 1, to: 4, nstart: 3, rng: RRandom.setSeed(9) });
    expect(a).toEqual(b);
    const stream = RRandom.setSeed(9);
    const byHand = [1, 2, 3, 4].map((k) => kmeans(X, k, { nstart: 3, rng: stream }).totWithinss);
    expect(a.map((p) => p.totWithinss)).toEqual(byHand);
  });

  it('errors like R: more centres than distinct rows', () => {
    const dup = [[1], [1], [1], [2]];
    expect(() => kmeans(dup, 3, { nstart: 2, rng: RRandom.setSeed(1) })).toThrow(/larger than the number of distinct rows \(2\)/);
  });
});
