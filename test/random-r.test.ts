import { describe, expect, it } from 'vitest';
import { RRandom } from '../src/random.js';

/*
 * Every expected value below was printed by R 4.2.2 (Debian r-base-core, default RNGkind: "Mersenne-Twister",
 * "Inversion", "Rejection") with the R statements quoted next to it, run as `Rscript -e '<statements>'`.
 * Doubles were printed with sprintf("%.17g", ...), so they round-trip exactly.
 */

describe('RRandom.setSeed reproduces set.seed', () => {
  it('gives the same .Random.seed as R', () => {
    // set.seed(2056); cat(.Random.seed[1:6], sep=", "); cat(.Random.seed[624:626], sep=", ")
    const seed = RRandom.setSeed(2056).dotRandomSeed();
    expect(Array.from(seed.slice(0, 6))).toEqual([10403, 624, 652207716, 1717735957, -1871770670, 1482170667]);
    expect(Array.from(seed.slice(623, 626))).toEqual([-182819895, 16522486, -1269715201]);
  });

  it('draws runif() as R does, for several seeds', () => {
    const runif = (seed: number, n: number) => {
      const r = RRandom.setSeed(seed);
      return Array.from({ length: n }, () => r.unifRand());
    };
    // set.seed(2056); cat(sprintf("%.17g", runif(5)), sep=", ")
    expect(runif(2056, 5)).toEqual([
      0.83015773678198457, 0.74144270597025752, 0.54382879682816565, 0.094638396054506302, 0.22114518424496055,
    ]);
    // set.seed(-7); cat(sprintf("%.17g", runif(3)), sep=", ")
    expect(runif(-7, 3)).toEqual([0.32649485557340086, 0.53986111702397466, 0.25473622092977166]);
    // set.seed(0); cat(sprintf("%.17g", runif(3)), sep=", ")
    expect(runif(0, 3)).toEqual([0.8966972001362592, 0.26550866314209998, 0.37212389963679016]);
    // set.seed(2147483647); cat(sprintf("%.17g", runif(3)), sep=", ")
    expect(runif(2147483647, 3)).toEqual([0.68966742674820125, 0.98787517822347581, 0.19676422467455268]);
  });

  it('regenerates the Mersenne-Twister block after 624 draws as R does', () => {
    // set.seed(1); x <- runif(1000); cat(sprintf("%.17g", x[c(1, 624, 625, 1000)]), sep=", ")
    const r = RRandom.setSeed(1);
    const x = Array.from({ length: 1000 }, () => r.unifRand());
    expect([x[0], x[623], x[624], x[999]]).toEqual([
      0.26550866314209998, 0.13648758619092405, 0.32486514048650861, 0.2655367199331522,
    ]);
    expect(r.draws).toBe(1000);
  });

  it('rejects seeds that are not 32-bit integers', () => {
    expect(() => RRandom.setSeed(1.5)).toThrow(RangeError);
    expect(() => RRandom.setSeed(2 ** 31)).toThrow(RangeError);
  });
});

describe('RRandom.sampleInt reproduces sample.int', () => {
  it('matches R after runif draws on the same stream', () => {
    // set.seed(2056); runif(5); print(sample.int(286, 3)); print(sample.int(10, 7))
    const r = RRandom.setSeed(2056);
    for (let i = 0; i < 5; i++) r.unifRand();
    expect(r.sampleInt(286, 3)).toEqual([142, 218, 60]);
    expect(r.sampleInt(10, 7)).toEqual([9, 2, 4, 8, 1, 7, 10]);
  });

  it('matches R for small and large n, size 1 and a full permutation', () => {
    // set.seed(42); cat(sample.int(286, 10), sep=", "); cat(sample.int(5, 5), sep=", ");
    // cat(sample.int(70000, 4), sep=", "); cat(sample.int(1, 1)); cat(sample.int(100, 1))
    const r = RRandom.setSeed(42);
    expect(r.sampleInt(286, 10)).toEqual([49, 153, 74, 228, 146, 122, 286, 128, 24, 89]);
    expect(r.sampleInt(5, 5)).toEqual([5, 2, 4, 3, 1]);
    expect(r.sampleInt(70000, 4)).toEqual([64809, 5403, 29293, 48340]); // 17 bits: two 16-bit chunks per draw
    expect(r.sampleInt(1, 1)).toEqual([1]);
    expect(r.sampleInt(100, 1)).toEqual([92]);
  });

  it('matches R for a long draw that exercises rejection many times', () => {
    // set.seed(99); cat(sample.int(286, 200), sep=", ")
    const expected = [
      22, 246, 226, 128, 269, 20, 68, 265, 210, 88, 158, 86, 132, 78, 7, 278, 199, 94, 229, 232, 58, 46, 44, 186,
      142, 60, 191, 166, 231, 207, 244, 160, 85, 111, 71, 145, 123, 285, 29, 45, 12, 201, 99, 104, 52, 38, 59, 40,
      103, 163, 139, 259, 50, 280, 253, 15, 119, 248, 95, 203, 178, 183, 106, 188, 131, 91, 266, 224, 181, 56, 213,
      28, 32, 258, 100, 17, 200, 256, 39, 185, 179, 51, 101, 133, 233, 30, 3, 112, 61, 93, 11, 16, 187, 263, 43, 55,
      184, 155, 251, 147, 135, 234, 134, 102, 138, 125, 257, 81, 225, 148, 198, 18, 96, 274, 36, 211, 114, 238, 189,
      90, 217, 157, 47, 37, 167, 267, 206, 27, 75, 143, 69, 9, 286, 170, 250, 180, 67, 127, 42, 74, 236, 84, 168,
      219, 105, 283, 175, 176, 260, 162, 194, 89, 109, 156, 268, 282, 243, 79, 196, 275, 220, 48, 222, 223, 235, 118,
      70, 82, 31, 98, 208, 63, 273, 277, 129, 173, 261, 13, 164, 35, 174, 14, 242, 264, 87, 202, 113, 77, 262, 241,
      65, 19, 190, 10, 62, 122, 151, 218, 245, 169,
    ];
    expect(RRandom.setSeed(99).sampleInt(286, 200)).toEqual(expected);
  });

  it('uses the hashing algorithm (sample2) where R does: n > 1e7 and size ≤ n/2, or useHash = TRUE', () => {
    // set.seed(3); cat(sample.int(3e7, 5), sep=", "); cat(sample.int(20, 5, useHash=TRUE), sep=", ");
    // cat(sprintf("%.0f", sample.int(2^40, 3)), sep=", "); cat(sprintf("%.17g", runif(1)))
    const r = RRandom.setSeed(3);
    expect(r.sampleInt(3e7, 5)).toEqual([17092282, 9130983, 2333370, 18055498, 11964072]);
    expect(r.sampleInt(20, 5, true)).toEqual([16, 8, 5, 2, 12]);
    expect(r.sampleInt(2 ** 40, 3)).toEqual([1014166198248, 707772586377, 1097623650678]); // 40 bits: three chunks
    expect(r.unifRand()).toBe(0.37917189113795757);
  });

  it('differs between the two algorithms exactly as R does', () => {
    // set.seed(5); cat(sample.int(12, 6, useHash=TRUE), sep=", ")  and  set.seed(5); cat(sample.int(12, 6), sep=", ")
    expect(RRandom.setSeed(5).sampleInt(12, 6, true)).toEqual([2, 11, 9, 5, 7, 3]);
    expect(RRandom.setSeed(5).sampleInt(12, 6)).toEqual([2, 11, 9, 10, 1, 5]);
  });

  it('rejects impossible requests', () => {
    const r = RRandom.setSeed(1);
    expect(() => r.sampleInt(3, 4)).toThrow(RangeError);
    expect(() => r.sampleInt(10, 6, true)).toThrow(RangeError);
    expect(() => r.sampleInt(-1, 0)).toThrow(RangeError);
  });
});
