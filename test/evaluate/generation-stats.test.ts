import { describe, expect, it } from 'vitest';
import { generationStats } from '../../src/evaluate/generation-stats.js';

const post = (text: string, endedNaturally: boolean) => ({ words: text.split(' '), endedNaturally });

describe('generationStats', () => {
  it('gives the natural-end share and the lengths against the real posts', () => {
    const s = generationStats(
      [post('a b c', true), post('a b c d e', false), post('a', true), post('a b c', true)],
      [4, 6, 2],
    );
    expect(s.naturalEndShare).toBe(0.75);
    expect(s.meanLength).toBe(3);
    expect(s.realMeanLength).toBe(4);
    expect(s.lengthRatio).toBe(0.75);
  });

  it('is NaN where there is nothing to average, and rejects bad real lengths', () => {
    const none = generationStats([], [3]);
    expect(none.naturalEndShare).toBeNaN();
    expect(none.meanLength).toBeNaN();
    expect(none.lengthRatio).toBeNaN();
    expect(none.realMeanLength).toBe(3);
    expect(generationStats([post('a', false)], []).lengthRatio).toBeNaN();
    expect(generationStats([post('a', false)], [0]).lengthRatio).toBeNaN();
    expect(() => generationStats([], [-1])).toThrow(/non-negative/);
  });
});
