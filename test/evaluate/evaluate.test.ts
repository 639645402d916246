import { describe, expect, it } from 'vitest';
import { evaluateModels, generateNgramPosts } from '../../src/evaluate/evaluate.js';
import { KneserNeyTrigram } from '../../src/evaluate/ngram.js';
import type { Vocabulary, WindowSet } from '../../src/types.js';

const vocab: Vocabulary = {
  words: ['<pad>', '<oov>', 'a', 'b', 'c'],
  counts: [0, 0, 5, 5, 5],
  index: new Map([['<pad>', 0], ['<oov>', 1], ['a', 2], ['b', 3], ['c', 4]]),
  oovId: 1,
  padId: 0,
};
const heldOut: WindowSet = {
  inputs: Int32Array.from([2, 3, 3, 4]),
  targets: Int32Array.from([3, 4, 4, 2]),
  count: 2,
  seqLength: 2,
  variant: 1,
  excludedPosts: 0,
};

describe('evaluateModels', () => {
  it('makes one row per model plus the baseline, on the same targets', async () => {
    const seen: WindowSet[] = [];
    const fake = {
      evaluate: async (data: WindowSet) => {
        seen.push(data);
        return { loss: Math.log(4), perplexity: 4 };
      },
    };
    const baseline = KneserNeyTrigram.train([[2, 3, 4, 2, 3, 4]], 5);
    const table = await evaluateModels({
      models: [
        { name: 'Model 1', model: fake, generated: ['a b c a b c', 'a b'] },
        { name: 'Model 2', model: fake, generated: [] },
      ],
      heldOut,
      trainingPosts: [['a', 'b', 'c', 'a', 'b', 'c', 'a']],
      baseline: { model: baseline, generated: ['c a b'] },
    });
    expect(seen).toEqual([heldOut, heldOut]);
    expect(table.rows.map((r) => [r.name, r.kind])).toEqual([
      ['Model 1', 'lstm'],
      ['Model 2', 'lstm'],
      ['Kneser–Ney 3-gram', 'baseline'],
    ]);
    const [m1, m2, base] = table.rows;
    expect(m1?.perplexity).toBe(4);
    expect(m1?.memorisedShare).toBe(0.5);
    expect(m1?.distinct1).toBeCloseTo(3 / 8, 12);
    expect(m1?.distinct2).toBeCloseTo(3 / 6, 12);
    expect(m2?.memorisedShare).toBeNull();
    expect(base?.perplexity).toBeCloseTo(baseline.evaluateWindows(heldOut).perplexity, 12);
    expect(base?.memorisedShare).toBe(0);
    expect(table.heldOutTargets).toBe(4);
    expect(table.note).toMatch(/last two/);
  });
});

describe('generateNgramPosts', () => {
  it('is seeded, follows the sampled lengths and never emits padding or OOV', () => {
    const lm = KneserNeyTrigram.train([[2, 3, 4, 1, 2, 3], [4, 4, 2]], 5);
    const opts = { count: 20, seed: 11, sampleLength: () => 5 };
    const a = generateNgramPosts(lm, vocab, opts);
    expect(a).toEqual(generateNgramPosts(lm, vocab, opts));
    expect(a).toHaveLength(20);
    expect(new Set(a.map((p) => p.seed)).size).toBe(20);
    for (const post of a) {
      const words = post.text.split(' ');
      expect(words).toHaveLength(5);
      for (const x of words) expect(['a', 'b', 'c']).toContain(x);
    }
  });
});
