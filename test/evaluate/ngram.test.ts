import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KneserNeyTrigram } from '../../src/evaluate/ngram.js';
import { Random } from '../../src/random.js';
import type { WindowSet } from '../../src/types.js';

function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s;
}

/** Windows of `seqLength` over one id stream, targets shifted by one (the dataset module's layout). */
function windowsOf(stream: number[], seqLength: number): WindowSet {
  const count = stream.length - seqLength;
  const inputs = new Int32Array(count * seqLength);
  const targets = new Int32Array(count * seqLength);
  for (let i = 0; i < count; i++) {
    for (let t = 0; t < seqLength; t++) {
      inputs[i * seqLength + t] = stream[i + t] as number;
      targets[i * seqLength + t] = stream[i + t + 1] as number;
    }
  }
  return { inputs, targets, count, seqLength, variant: 2, excludedPosts: 0 };
}

describe('KneserNeyTrigram', () => {
  // Ids: 0 the, 1 cat, 2 sat, 3 on, 4 mat, 5 dog, 6 ran, 7 (never seen)
  const posts = [
    [0, 1, 2, 3, 0, 4],
    [0, 5, 2, 3, 0, 4],
    [0, 5, 6],
    [0, 1, 6, 3, 0, 1],
  ];
  const lm = KneserNeyTrigram.train(posts, 8);

  it('gives a distribution that sums to 1 for seen, unseen and empty contexts', () => {
    for (const ctx of [[], [0], [0, 1], [2, 3], [3, 0], [7, 7], [4, 7], [6]]) {
      const dist = lm.distribution(ctx);
      expect(dist.length).toBe(8);
      expect(sum(dist)).toBeCloseTo(1, 12);
      for (const p of dist) expect(p).toBeGreaterThan(0);
    }
  });

  it('matches probabilities computed by hand', () => {
    // Posts "0 1 2" and "0 1 0", padded B B 0 1 2 / B B 0 1 0.
    // Trigram counts: (B B 0)=2, (B 0 1)=2, (0 1 2)=1, (0 1 0)=1 → n1 = 2, n2 = 2 → D3 = 1/3.
    // Continuation bigrams N1+(•vw): (B 0), (0 1), (1 2), (1 0) all 1 → D2c = 1 clamped to 0.95.
    // Continuation unigrams N1+(•w): 0 → 2, 1 → 1, 2 → 1 → D1c = 2/(2+2) = 0.5; Pc1 = [0.5, 0.25, 0.25].
    const m = KneserNeyTrigram.train([[0, 1, 2], [0, 1, 0]], 3);
    expect(m.discounts.trigram).toBeCloseTo(1 / 3, 12);
    expect(m.discounts.bigramContinuation).toBeCloseTo(0.95, 12);
    expect(m.discounts.unigramContinuation).toBeCloseTo(0.5, 12);
    // Pc2(2 | 1) = (1 − 0.95)/2 + 0.95·2/2·0.25 = 0.2625; P(2 | 0 1) = (1 − 1/3)/2 + (1/3)·2/2·0.2625
    expect(m.probability(2, [0, 1])).toBeCloseTo(1 / 3 + 0.2625 / 3, 12);
    // Pc2(0 | 1) = 0.025 + 0.95·0.5 = 0.5; P(0 | 0 1) = 1/3 + (1/3)·0.5
    expect(m.probability(0, [0, 1])).toBeCloseTo(0.5, 12);
    // Unseen context (2, 1) falls back to Pc2.
    expect(m.probability(2, [2, 1])).toBeCloseTo(0.2625, 12);
    // One-word history: raw bigram counts (B 0)=2, (0 1)=2, (1 2)=1, (1 0)=1 → D2 = 1/3;
    // P(2 | 1) = (1 − 1/3)/2 + (1/3)·2/2·0.25
    expect(m.discounts.bigram).toBeCloseTo(1 / 3, 12);
    expect(m.probability(2, [1])).toBeCloseTo(1 / 3 + 0.25 / 3, 12);
    // Only the last two ids of a longer history count.
    expect(m.probability(2, [2, 2, 0, 1])).toBe(m.probability(2, [0, 1]));
  });

  it('prefers seen continuations and keeps the unseen word possible', () => {
    expect(lm.probability(4, [3, 0])).toBeGreaterThan(lm.probability(5, [3, 0]));
    expect(lm.probability(7, [3, 0])).toBeGreaterThan(0);
  });

  it('sums to 1 on random corpora and contexts (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
        (seqs, ctx) => {
          const m = KneserNeyTrigram.train(seqs, 6);
          return Math.abs(sum(m.distribution(ctx)) - 1) < 1e-9;
        },
      ),
      { numRuns: 100 },
    );
  });

  it('has perplexity close to 1 on a deterministic corpus', () => {
    const cycle = [0, 1, 2, 3, 4];
    const stream: number[] = [];
    for (let i = 0; i < 400; i++) stream.push(...cycle);
    const m = KneserNeyTrigram.train([stream], 5);
    const ev = m.evaluateWindows(windowsOf(stream.slice(0, 60), 4));
    expect(ev.targets).toBe((60 - 4) * 4);
    expect(ev.perplexity).toBeGreaterThanOrEqual(1);
    expect(ev.perplexity).toBeLessThan(1.01);
  });

  it('scores a shuffled stream much worse than the one it was trained on', () => {
    const rng = new Random(3);
    const stream: number[] = [];
    for (let i = 0; i < 200; i++) stream.push(0, 1, 2, 3, 4);
    const m = KneserNeyTrigram.train([stream], 5);
    const shuffled = rng.shuffle(stream.slice(0, 100));
    expect(m.evaluateWindows(windowsOf(shuffled, 5)).perplexity).toBeGreaterThan(3);
  });

  it('uses a one-word context at the first step of each window', () => {
    const m = KneserNeyTrigram.train(posts, 8);
    const w = windowsOf([3, 0, 4], 2); // one window: inputs [3, 0], targets [0, 4]
    const expected = -(Math.log(m.probability(0, [3])) + Math.log(m.probability(4, [3, 0]))) / 2;
    expect(m.evaluateWindows(w).crossEntropy).toBeCloseTo(expected, 12);
  });

  it('rejects ids outside the vocabulary', () => {
    expect(() => KneserNeyTrigram.train([[0, 9]], 5)).toThrow(/outside the vocabulary/);
  });

  it('generates deterministically under a seed without banned ids', () => {
    const a = lm.generate(0, 12, new Random(7), [7, 6]);
    const b = lm.generate(0, 12, new Random(7), [7, 6]);
    expect(a).toEqual(b);
    expect(a).toHaveLength(12);
    expect(a).not.toContain(7);
    expect(a).not.toContain(6);
  });
});
