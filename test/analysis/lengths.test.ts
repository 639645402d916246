import { describe, expect, it } from 'vitest';
import {
  charsPerPost,
  codePointLength,
  createLengthSampler,
  integerHistogram,
  lengthHistogram,
  shareShorterThan,
  wordsPerPost,
} from '../../src/analysis/lengths.js';
import { TweetlabError } from '../../src/errors.js';

describe('post lengths', () => {
  it('counts code points like Python len()', () => {
    expect(codePointLength('газ')).toBe(3);
    expect(codePointLength('газ🔥')).toBe(4); // the emoji is two UTF-16 units, one code point
    expect(codePointLength('👩‍🔧')).toBe(3); // woman, ZWJ, wrench
    expect(codePointLength('')).toBe(0);
    expect(charsPerPost([{ id: '1', text: 'Газпром 🔥' }, 'ab'])).toEqual([9, 2]);
  });

  it('counts whitespace tokens like pandas str.split().str.len()', () => {
    expect(
      wordsPerPost([
        'Газпром  и\tShell\nобсудили',
        '  ',
        '',
        'a\u00a0b\u3000c', // no-break and ideographic spaces split in Python
        'a\u200bb', // a zero-width space does not
        'ПАО «Газпром» — 2019 г.',
      ]),
    ).toEqual([4, 0, 0, 3, 1, 5]);
  });

  it('shareShorterThan counts posts with fewer than seqLength + 1 words', () => {
    // with seqLength 9 a post needs 10 words: 1, 5 and 9 are too short
    expect(shareShorterThan([1, 5, 9, 10, 12], 9)).toBeCloseTo(3 / 5, 12);
    expect(shareShorterThan([1, 5, 9, 10, 12], 0)).toBe(0);
    expect(shareShorterThan([], 3)).toBeNaN();
  });

  it('integerHistogram has one bin per whole number from min to max', () => {
    const h = integerHistogram([3, 1, 3, 5]);
    expect(h.edges).toEqual([1, 2, 3, 4, 5, 6]);
    expect(h.counts).toEqual([1, 0, 2, 0, 1]);
    expect(h.binWidth).toBe(1);
    expect(integerHistogram([])).toEqual({ edges: [], counts: [], binWidth: 1 });
  });

  it('lengthHistogram picks a round bin width that keeps 40 bins or fewer', () => {
    const chars = Array.from({ length: 281 }, (_, i) => i);
    const h = lengthHistogram(chars);
    expect(h.binWidth).toBe(10);
    expect(h.counts).toHaveLength(29);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(281);
    expect(h.counts[0]).toBe(10); // 0…9
    expect(lengthHistogram([5, 17]).binWidth).toBe(1);
    expect(lengthHistogram([5, 17], 5).edges).toEqual([5, 10, 15, 20]);
    expect(() => lengthHistogram([1], 0)).toThrow(TweetlabError);
  });

  it('the length sampler is seeded and follows the empirical distribution', () => {
    const words = [1, 1, 1, 2, 0];
    const a = createLengthSampler(words, 7);
    const b = createLengthSampler(words, 7);
    const draws = Array.from({ length: 2000 }, () => a.sample());
    expect(Array.from({ length: 2000 }, () => b.sample())).toEqual(draws);
    expect(new Set(draws)).toEqual(new Set([1, 2])); // zero-word posts are left out
    const ones = draws.filter((d) => d === 1).length / draws.length;
    expect(ones).toBeGreaterThan(0.7);
    expect(ones).toBeLessThan(0.8);
    expect(a.seed).toBe(7);
    const other = createLengthSampler(words, 8);
    expect(Array.from({ length: 50 }, () => other.sample())).not.toEqual(draws.slice(0, 50));
    expect(() => createLengthSampler([0, 0], 1)).toThrow(/no post has any words/);
  });
});
