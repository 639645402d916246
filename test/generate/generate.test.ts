import { describe, expect, it, beforeAll } from 'vitest';
import fc from 'fast-check';
import { getEngine } from '../../src/model/backend.js';
import { chooseNext, generatePosts, lengthCounts, lengthsFromCounts } from '../../src/generate/generate.js';
import { optimizerSettings } from '../../src/model/experiment.js';
import { Random } from '../../src/random.js';
import type { Engine, LanguageModel } from '../../src/model/types.js';
import type { Vocabulary } from '../../src/types.js';
import { tinyConfig, toyData } from '../model/helpers.js';

let engine: Engine;
let model: LanguageModel;
let vocab: Vocabulary;

beforeAll(async () => {
  engine = await getEngine('wasm');
  const toy = toyData(3);
  vocab = toy.vocab;
  model = engine.createModel(tinyConfig({ vocabSize: vocab.words.length, seqLength: 3, hidden: 16 }));
  for (let e = 0; e < 30; e++) {
    await model.trainEpoch(toy.windows, { batchSize: 8, seed: e, optimizer: optimizerSettings('adam', 0.02) });
  }
});

describe('generatePosts', () => {
  it('is deterministic under a seed and differs across seeds', () => {
    const opts = { count: 5, wordsPerPost: [3, 5, 8, 12] };
    const a = generatePosts(model, vocab, { ...opts, seed: 11 });
    const b = generatePosts(model, vocab, { ...opts, seed: 11 });
    const c = generatePosts(model, vocab, { ...opts, seed: 12 });
    expect(b).toEqual(a);
    expect(c.map((p) => p.text)).not.toEqual(a.map((p) => p.text));
    // Post i does not depend on how many posts are asked for.
    expect(generatePosts(model, vocab, { ...opts, seed: 11, count: 2 })).toEqual(a.slice(0, 2));
  });

  it('reports every word as it is added through onWord, and stops when onWord throws', () => {
    const opts = { count: 4, seed: 5, wordsPerPost: [3, 6], start: 'the gas' };
    const seen: [number, string][] = [];
    const posts = generatePosts(model, vocab, { ...opts, onWord: (p, w) => seen.push([p, w]) });
    expect(seen).toEqual(posts.flatMap((post, p) => post.words.map((w) => [p, w] as [number, string])));
    expect(generatePosts(model, vocab, opts)).toEqual(posts);
    const stop = new Error('enough');
    expect(() => generatePosts(model, vocab, { ...opts, onWord: (p) => { if (p === 2) throw stop; } })).toThrow(stop);
  });

  it('draws lengths from the given distribution and respects them', () => {
    const posts = generatePosts(model, vocab, { count: 40, seed: 3, wordsPerPost: [4, 9] });
    for (const p of posts) {
      expect([4, 9]).toContain(p.length);
      expect(p.words).toHaveLength(p.length);
      expect(p.text.split(' ')).toHaveLength(p.length);
    }
    expect(new Set(posts.map((p) => p.length)).size).toBe(2);
    const fixed = generatePosts(model, vocab, { count: 3, seed: 3, length: 6 });
    expect(fixed.every((p) => p.words.length === 6)).toBe(true);
  });

  it('never emits the out-of-vocabulary token, whatever the options', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 5, noNaN: true })),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (seed, temperature, topK, greedy) => {
          const posts = generatePosts(model, vocab, { count: 2, seed, temperature, topK, greedy, length: 8 });
          return posts.every((p) => p.words.every((w) => w !== vocab.words[vocab.oovId]));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('greedy continues the learnt phrase from a given start text', () => {
    const [post] = generatePosts(model, vocab, { start: 'The city', length: 5, greedy: true });
    expect(post!.start).toEqual(['the', 'city']);
    expect(post!.text).toBe('the city burns gas in');
  });

  it('chooseNext honours top-k and forbidden ids', () => {
    const probs = Float32Array.from([0.5, 0.3, 0.15, 0.05]);
    const rng = new Random(1);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(chooseNext(probs, new Set([0]), rng, { topK: 2 }));
    expect([...seen].sort()).toEqual([1, 2]);
    expect(chooseNext(probs, new Set([0]), rng, { greedy: true })).toBe(1);
    expect(() => chooseNext(probs, new Set([0, 1, 2, 3]), rng, {})).toThrow(/no word/);
  });

  it('rejects a vocabulary of another size and missing lengths', () => {
    const other = { ...vocab, words: [...vocab.words, 'x'], counts: [...vocab.counts, 1] };
    expect(() => generatePosts(model, other, { length: 3 })).toThrow(/Vocabulary size mismatch/);
    expect(() => generatePosts(model, vocab, {})).toThrow(/wordsPerPost/);
  });

  it('length counts round-trip', () => {
    expect(lengthsFromCounts(lengthCounts([3, 1, 3, 2]))).toEqual([1, 2, 3, 3]);
  });
});
