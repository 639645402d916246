import { describe, expect, it } from 'vitest';
import { NgramIndex, distinctN, memorisation, perplexityFromCrossEntropy, splitWords } from '../../src/evaluate/metrics.js';

const w = (s: string) => splitWords(s);

describe('perplexityFromCrossEntropy', () => {
  it('is 1 for zero cross-entropy and V for a uniform guess over V words', () => {
    expect(perplexityFromCrossEntropy(0)).toBe(1);
    expect(perplexityFromCrossEntropy(Math.log(50))).toBeCloseTo(50, 10);
    expect(perplexityFromCrossEntropy(Number.NaN)).toBe(Number.POSITIVE_INFINITY);
    expect(() => perplexityFromCrossEntropy(-1)).toThrow(RangeError);
  });
});

describe('memorisation', () => {
  const training = [w('the quick brown fox jumps over the lazy dog'), w('a b c d e f')];

  it('counts posts that copy six consecutive training words', () => {
    const generated = [
      w('x the quick brown fox jumps over y'), // six-word run of post 1 → memorised
      w('the quick brown fox jumps'), // only five words → not memorised
      w('quick brown fox jumps over the'), // exactly six → memorised
      w('a b c d e x f'), // broken run → not memorised
      w('e f a b c d'), // words of post 2 but the run crosses its end → not memorised
    ];
    const r = memorisation(generated, training);
    expect(r.memorised).toBe(2);
    expect(r.total).toBe(5);
    expect(r.share).toBeCloseTo(2 / 5, 12);
    expect(r.examples).toEqual(['the quick brown fox jumps over', 'quick brown fox jumps over the']);
  });

  it('never matches a run across two training posts', () => {
    const r = memorisation([w('lazy dog a b c d')], training);
    expect(r.memorised).toBe(0);
  });

  it('honours another run length and an empty set', () => {
    expect(memorisation([w('brown fox')], training, 2).memorised).toBe(1);
    expect(memorisation([], training).share).toBe(0);
    expect(new NgramIndex(training, 6).size).toBe(4 + 1);
  });
});

describe('distinctN', () => {
  it('computes distinct-1 and distinct-2 by hand', () => {
    const posts = [w('a b a b'), w('a c')];
    // unigrams: a b a b a c → 6 total, 3 distinct
    expect(distinctN(posts, 1)).toEqual({ ratio: 3 / 6, distinct: 3, total: 6 });
    // bigrams inside posts: ab ba ab | ac → 4 total, 3 distinct (no "b a" across posts)
    expect(distinctN(posts, 2)).toEqual({ ratio: 3 / 4, distinct: 3, total: 4 });
  });

  it('is 1 without repetition and 0 for no n-grams', () => {
    expect(distinctN([w('one two three')], 2).ratio).toBe(1);
    expect(distinctN([w('single')], 2)).toEqual({ ratio: 0, distinct: 0, total: 0 });
    expect(() => distinctN([], 0)).toThrow(RangeError);
  });
});
