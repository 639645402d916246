import { describe, expect, it } from 'vitest';
import { mixLogProbs, scorePostsWithModel, streamPerplexity, unknownShare } from '../../src/evaluate/post-scores.js';
import type { RecurrentState } from '../../src/model/types.js';

/** A model whose next-word distribution depends only on the last id: p(next = (last + 1) mod V) = 0.7. */
function cyclicModel(V: number) {
  return {
    startState: (): RecurrentState => ({ h: [new Float32Array(1)], c: [new Float32Array(1)] }),
    step(state: RecurrentState, token: number): Float32Array {
      (state.h[0] as Float32Array)[0] = token;
      const p = new Float32Array(V).fill(0.3 / (V - 1));
      p[(token + 1) % V] = 0.7;
      return p;
    },
  };
}

describe('scorePostsWithModel', () => {
  it('scores every word and the end-of-post, starting from <eos>', () => {
    const V = 4;
    const lp = scorePostsWithModel(cyclicModel(V), [Int32Array.from([2, 3])], 1);
    // <eos>=1 → 2 (likely), 2 → 3 (likely), 3 → <eos>=1 (unlikely: 3 + 1 mod 4 = 0).
    expect(lp).toHaveLength(1);
    expect(Array.from(lp[0] as Float64Array)).toEqual([Math.log(0.7), Math.log(0.7), Math.log(Math.fround(0.1))].map((x) => expect.closeTo(x, 6)));
    const ppl = streamPerplexity(lp);
    expect(ppl.tokens).toBe(3);
    expect(ppl.perplexity).toBeCloseTo(Math.exp(-(2 * Math.log(0.7) + Math.log(0.1)) / 3), 5);
  });

  it('mixes two models token by token and counts unknown targets', () => {
    const a = [Float64Array.from([Math.log(0.5), Math.log(0.1)])];
    const b = [Float64Array.from([Math.log(0.1), Math.log(0.5)])];
    const m = mixLogProbs(a, b, 0.25);
    expect((m[0] as Float64Array)[0]).toBeCloseTo(Math.log(0.25 * 0.5 + 0.75 * 0.1), 12);
    expect((m[0] as Float64Array)[1]).toBeCloseTo(Math.log(0.25 * 0.1 + 0.75 * 0.5), 12);
    expect(unknownShare([Int32Array.from([0, 5, 0]), Int32Array.from([])], 0)).toBeCloseTo(2 / 5, 12);
  });
});
