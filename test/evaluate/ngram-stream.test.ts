import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KneserNeyTrigram } from '../../src/evaluate/ngram.js';
import { Random } from '../../src/random.js';
import type { WindowSet } from '../../src/types.js';

const UNK = 0;
const EOS = 1;

function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s;
}

/** Random posts over ids 2 … V−1 with some <unk> (0), never containing <eos>. */
function randomPosts(seed: number, count: number, V: number): Int32Array[] {
  const rng = new Random(seed);
  const posts: Int32Array[] = [];
  for (let i = 0; i < count; i++) {
    const post = new Int32Array(rng.int(8));
    for (let j = 0; j < post.length; j++) post[j] = rng.next() < 0.05 ? UNK : 2 + rng.int(V - 2);
    posts.push(post);
  }
  return posts;
}

describe('KneserNeyTrigram on the post stream ({ eosId })', () => {
  it('matches probabilities computed by hand', () => {
    // Ids 0 <unk>, 1 <eos>, 2 a, 3 b. Posts "a b" and "a" are counted as e e | a b e and e e | a e.
    // Trigrams (e e a)=2, (e a b)=1, (a b e)=1, (e a e)=1 → D3 = 3/(3+2) = 0.6; continuation bigrams all 1
    // → D2c = 1 clamped to 0.95. Continuation unigrams: e ← {a, b} = 2, a ← {e} = 1, b ← {a} = 1 → D1c = 2/(2+2) = 0.5,
    // Pc1(w) = max(N − 0.5, 0)/4 + 0.5·3/4/4.
    const m = KneserNeyTrigram.train([[2, 3], [2]], 4, { eosId: EOS });
    expect(m.discounts.trigram).toBeCloseTo(0.6, 12);
    const pc1 = (n: number) => Math.max(n - 0.5, 0) / 4 + (0.5 * 3) / 4 / 4;
    // P(a | e e): Pc2(a | e) = 0.05 + 0.95·Pc1(a); trigram row (e e) = {a: 2}.
    const pc2a = 0.05 + 0.95 * pc1(1);
    const pa = 1.4 / 2 + (0.6 / 2) * pc2a;
    // P(e | e a): Pc2(e | a) = 0.05/2 + 0.95·Pc1(e) (row a = {b, e}); trigram row (e a) = {b: 1, e: 1}.
    const pc2e = 0.025 + 0.95 * pc1(2);
    const pe = 0.4 / 2 + 0.6 * pc2e;
    expect(m.probability(2, [EOS, EOS])).toBeCloseTo(pa, 12);
    expect(m.probability(EOS, [EOS, 2])).toBeCloseTo(pe, 12);
    const scored = m.scorePosts([Int32Array.from([2])]);
    expect(scored.tokens).toBe(2);
    expect(scored.logProbs[0]?.[0]).toBeCloseTo(Math.log(pa), 12);
    expect(scored.logProbs[0]?.[1]).toBeCloseTo(Math.log(pe), 12);
    expect(scored.totalLogProb).toBeCloseTo(Math.log(pa) + Math.log(pe), 12);
    expect(scored.crossEntropy).toBeCloseTo(-(Math.log(pa) + Math.log(pe)) / 2, 12);
    expect(scored.perplexity).toBeCloseTo(Math.exp(scored.crossEntropy), 12);
    expect(m.trainingWords).toBe(3);
  });

  it('scores every target once, <unk> and the closing <eos> included, from the begin context', () => {
    const V = 12;
    const train = randomPosts(1, 80, V);
    const m = KneserNeyTrigram.train(train, V, { eosId: EOS });
    const posts = [Int32Array.from([UNK, 5, 7]), Int32Array.from([]), Int32Array.from([4, 4, EOS])];
    const r = m.scorePosts(posts);
    expect(r.logProbs.map((lp) => lp.length)).toEqual([4, 1, 3]);
    expect(r.tokens).toBe(8);
    const expected = [
      [[UNK, EOS, EOS], [5, EOS, UNK], [7, UNK, 5], [EOS, 5, 7]],
      [[EOS, EOS, EOS]],
      [[4, EOS, EOS], [4, EOS, 4], [EOS, 4, 4]],
    ];
    expected.forEach((targets, p) => {
      targets.forEach(([w, u, v], t) => {
        expect(r.logProbs[p]?.[t]).toBeCloseTo(Math.log(m.probability(w as number, [u as number, v as number])), 14);
      });
    });
    expect(r.totalLogProb).toBeCloseTo(sum(r.logProbs.map(sum)), 12);
    expect(r.crossEntropy).toBeCloseTo(-r.totalLogProb / 8, 12);
  });

  it('treats an <eos> inside a sequence as the end of a post, and any history ending in <eos> as the begin', () => {
    const joined = KneserNeyTrigram.train([[2, 3, EOS, 4]], 6, { eosId: EOS });
    const split = KneserNeyTrigram.train([[2, 3], [4]], 6, { eosId: EOS });
    for (const ctx of [[EOS, EOS], [2, 3], [3, EOS], [EOS, 4]]) {
      expect(Array.from(joined.distribution(ctx))).toEqual(Array.from(split.distribution(ctx)));
    }
    expect(split.probability(4, [3, EOS])).toBe(split.probability(4, [EOS, EOS]));
    expect(split.probability(4, [EOS])).toBe(split.probability(4, [EOS, EOS]));
  });

  it('sums to 1 for every context on random corpora (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 8 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
        (seqs, ctx) => Math.abs(sum(KneserNeyTrigram.train(seqs, 6, { eosId: EOS }).distribution(ctx)) - 1) < 1e-9,
      ),
      { numRuns: 100 },
    );
  });

  it('rejects a bad eosId, and scorePosts without one', () => {
    expect(() => KneserNeyTrigram.train([[0]], 4, { eosId: 4 })).toThrow(/eosId/);
    expect(() => KneserNeyTrigram.train([[0]], 4).scorePosts([Int32Array.from([0])])).toThrow(/eosId/);
    expect(() => KneserNeyTrigram.train([[0]], 4, { eosId: EOS }).scorePosts([Int32Array.from([9])])).toThrow(/outside/);
  });
});

describe('KneserNeyTrigram.nextDistribution', () => {
  for (const eosId of [undefined, EOS]) {
    it(`sums to 1 and equals probability() for every context (eosId ${eosId})`, () => {
      const V = 15;
      const m = KneserNeyTrigram.train(randomPosts(2, 60, V), V, eosId === undefined ? {} : { eosId });
      const out = new Float64Array(V);
      for (let w2 = 0; w2 < V; w2++) {
        for (let w1 = 0; w1 < V; w1++) {
          const dist = m.nextDistribution(w2, w1, out);
          expect(dist).toBe(out);
          expect(sum(dist)).toBeCloseTo(1, 12);
          for (let w = 0; w < V; w++) expect(dist[w]).toBe(m.probability(w, [w2, w1]));
        }
      }
    });
  }

  it('rejects a wrong-sized buffer and ids outside the vocabulary', () => {
    const m = KneserNeyTrigram.train([[0, 1, 2]], 3);
    expect(() => m.nextDistribution(0, 1, new Float64Array(2))).toThrow(/3 probabilities/);
    expect(() => m.nextDistribution(0, 3)).toThrow(/outside/);
  });
});

describe('KneserNeyTrigram.windowProbabilities', () => {
  it('gives the per-target probabilities evaluateWindows averages', () => {
    const V = 10;
    const m = KneserNeyTrigram.train(randomPosts(3, 40, V), V);
    const rng = new Random(4);
    const L = 5;
    const count = 7;
    const inputs = new Int32Array(count * L);
    const targets = new Int32Array(count * L);
    for (let i = 0; i < inputs.length; i++) [inputs[i], targets[i]] = [rng.int(V), rng.int(V)];
    const windows: WindowSet = { inputs, targets, count, seqLength: L, variant: 2, excludedPosts: 0 };
    const probs = m.windowProbabilities(windows);
    expect(probs.length).toBe(count * L);
    expect(probs[0]).toBe(m.probability(targets[0] as number, [inputs[0] as number]));
    expect(probs[L + 2]).toBe(m.probability(targets[L + 2] as number, [inputs[L + 1] as number, inputs[L + 2] as number]));
    let nats = 0;
    for (const p of probs) nats -= Math.log(p);
    expect(m.evaluateWindows(windows).crossEntropy).toBe(nats / probs.length);
  });
});
