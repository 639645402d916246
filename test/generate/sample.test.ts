import { describe, expect, it } from 'vitest';
import { chooseNext, drawFromNucleus, forbiddenIds } from '../../src/generate/sample.js';
import { Random } from '../../src/random.js';
import { buildVocabulary } from '../../src/text/tokenize.js';

describe('chooseNext', () => {
  const probs = Float32Array.from([0.05, 0.5, 0.3, 0.1, 0.05]);

  it('top-p keeps only the smallest set of words holding p of the mass', () => {
    const rng = new Random(3);
    const seen = new Set<number>();
    for (let i = 0; i < 400; i++) seen.add(chooseNext(probs, new Set(), rng, { topP: 0.75 }));
    expect([...seen].sort()).toEqual([1, 2]);
    const all = new Set<number>();
    for (let i = 0; i < 2000; i++) all.add(chooseNext(probs, new Set(), rng, { topP: 1 }));
    expect(all.size).toBe(5);
  });

  it('top-p and top-k combine, and bad values are refused', () => {
    const rng = new Random(4);
    for (let i = 0; i < 100; i++) expect(chooseNext(probs, new Set([1]), rng, { topK: 2, topP: 0.5 })).toBe(2);
    expect(() => chooseNext(probs, new Set(), rng, { topP: 0 })).toThrow(/top-p must be in \(0, 1\]/);
    expect(() => chooseNext(probs, new Set(), rng, { topP: 1.5 })).toThrow(/top-p/);
  });

  it('never emits <unk> or <eos> as a word', () => {
    const vocab = buildVocabulary([['a', 'b']], { endOfPost: true });
    expect([...forbiddenIds(vocab)].sort()).toEqual([0, 1]);
  });
});

describe('drawFromNucleus', () => {
  const draws = (ids: number[], weights: number[], topP: number, n: number) => {
    const rng = new Random(21);
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const id = ids[drawFromNucleus(ids, weights, topP, rng)] as number;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  };

  it('samples the nucleus renormalised: candidates in any order, the boundary word out when the mass above reaches p', () => {
    // Ranked: id 7 (0.5), id 3 (0.3), id 5 (0.15), id 9 (0.05). Above id 5 lies 0.8, so p = 0.8 keeps 7 and 3 only.
    const counts = draws([5, 9, 7, 3], [0.15, 0.05, 0.5, 0.3], 0.8, 20000);
    expect([...counts.keys()].sort()).toEqual([3, 7]);
    expect((counts.get(7) ?? 0) / 20000).toBeCloseTo(0.5 / 0.8, 1);
    // p just above 0.8 takes id 5 in too, at its renormalised share.
    const wider = draws([5, 9, 7, 3], [0.15, 0.05, 0.5, 0.3], 0.81, 20000);
    expect([...wider.keys()].sort()).toEqual([3, 5, 7]);
    expect((wider.get(5) ?? 0) / 20000).toBeCloseTo(0.15 / 0.95, 1);
  });

  it('breaks ties by id, and a tiny p still returns the most probable word', () => {
    expect([...draws([4, 2, 8, 6], [1, 1, 1, 1], 0.5, 2000).keys()].sort()).toEqual([2, 4]);
    expect([...draws([0, 1, 2], [0.2, 0.7, 0.1], 1e-9, 500).keys()]).toEqual([1]);
  });
});
