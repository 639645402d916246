import { describe, expect, it } from 'vitest';
import { chooseNext, forbiddenIds } from '../../src/generate/sample.js';
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
