import { describe, expect, it } from 'vitest';
import { generatePosts, scaleEnd, unknownMassToWords } from '../../src/generate/generate.js';
import type { LanguageModel, RecurrentState } from '../../src/model/types.js';
import { buildVocabulary } from '../../src/text/tokenize.js';
import { fixedModel } from './fixed-model.js';

// Vocabulary: 0 <unk>, 1 <eos>, then a b c d by count.
const vocab = buildVocabulary([['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'd']], { endOfPost: true });
const id = (w: string) => vocab.index.get(w) as number;

/** After <eos>: "a"; after a: "b"; after b: <eos> (0.9) or "c"; after c: "d"; after d: <eos>. */
function chainModel(): LanguageModel {
  const V = vocab.words.length;
  const next: Record<number, [number, number][]> = {
    1: [[id('a'), 1]],
    [id('a')]: [[id('b'), 1]],
    [id('b')]: [[1, 0.9], [id('c'), 0.1]],
    [id('c')]: [[id('d'), 1]],
    [id('d')]: [[1, 1]],
    0: [[1, 1]],
  };
  return {
    config: { variant: 3, layers: 1, hidden: 1, embedding: 1, dropout: 0, vocabSize: V, seqLength: 1, initializer: 'none', seed: 0 },
    startState: (): RecurrentState => ({ h: [new Float32Array(1)], c: [new Float32Array(1)] }),
    step: (_s: RecurrentState, token: number) => {
      const p = new Float32Array(V);
      for (const [k, v] of next[token] ?? []) p[k] = v;
      return p;
    },
  } as unknown as LanguageModel;
}

describe('generatePosts with <eos>', () => {
  const model = chainModel();

  it('begins like a post and ends when the model draws <eos>', () => {
    const posts = generatePosts(model, vocab, { count: 30, seed: 5, wordsPerPost: [2, 3, 9] });
    for (const p of posts) {
      expect(p.words[0]).toBe('a');
      expect(p.endedNaturally).toBe(true);
      expect(['a b', 'a b c d']).toContain(p.text);
      expect(p.length).toBe(9); // the cap: the longest training post
    }
    expect(new Set(posts.map((p) => p.text)).size).toBe(2);
  });

  it('stops at the cap and says so', () => {
    const [p] = generatePosts(model, vocab, { count: 1, seed: 1, length: 1 });
    expect(p?.words).toEqual(['a']);
    expect(p?.endedNaturally).toBe(false);
  });

  it('continues the given start words and names unknown ones', () => {
    const [p] = generatePosts(model, vocab, { count: 1, seed: 1, length: 6, start: 'c', greedy: true });
    expect(p?.text).toBe('c d');
    const [q] = generatePosts(model, vocab, { count: 1, seed: 1, length: 3, start: 'zebra' });
    expect(q?.unknownStart).toEqual(['zebra']);
  });

  it('draws again until accept() passes, and marks a post no draw could pass', () => {
    const posts = generatePosts(model, vocab, { count: 10, seed: 2, length: 9, accept: (w) => w.includes('c'), maxAttempts: 100 });
    for (const p of posts) {
      expect(p.accepted).toBe(true);
      expect(p.text).toBe('a b c d');
    }
    expect(posts.some((p) => p.attempts > 1)).toBe(true);
    const [never] = generatePosts(model, vocab, { count: 1, seed: 2, length: 9, accept: () => false, maxAttempts: 4 });
    expect(never?.accepted).toBe(false);
    expect(never?.attempts).toBe(4);
  });

  it('lets a mixture rewrite the probabilities with the history from <eos>', () => {
    const histories: number[][] = [];
    const [p] = generatePosts(model, vocab, {
      count: 1, seed: 1, length: 9,
      mix: (history, probs) => {
        histories.push([...history]);
        const out = new Float32Array(probs.length);
        out[history.length >= 3 ? 1 : id('d')] = 1; // "d d" then the end
        return out;
      },
    });
    expect(p?.text).toBe('d d');
    expect(histories[0]).toEqual([1]);
  });
});

describe('unknownMassToWords', () => {
  it('moves <unk>\'s mass onto the words in proportion and leaves the end of post as likely as before', () => {
    // 0 <unk> 0.2, 1 <eos> 0.3, words 0.25 and 0.25.
    const out = Array.from(unknownMassToWords(Float32Array.from([0.2, 0.3, 0.25, 0.25]), 0, 1));
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(0.3, 6);
    expect(out[2]).toBeCloseTo(0.35, 6);
    expect(out[3]).toBeCloseTo(0.35, 6);
  });

  it('so a model that often means a rare word keeps its posts as long as it would write them', () => {
    // After every word: <unk> 0.5, <eos> 0.1, "a" 0.4. Dropping <unk> and renormalising would end a post with
    // probability 0.2 per word (mean length 5); keeping <eos> at 0.1 gives a mean length of 10.
    const V = vocab.words.length;
    const model = {
      config: { variant: 3, layers: 1, hidden: 1, embedding: 1, dropout: 0, vocabSize: V, seqLength: 1, initializer: 'none', seed: 0 },
      startState: (): RecurrentState => ({ h: [new Float32Array(1)], c: [new Float32Array(1)] }),
      step: () => {
        const p = new Float32Array(V);
        p[0] = 0.5;
        p[1] = 0.1;
        p[id('a')] = 0.4;
        return p;
      },
    } as unknown as LanguageModel;
    const posts = generatePosts(model, vocab, { count: 2000, seed: 3, wordsPerPost: [200] });
    const mean = posts.reduce((s, p) => s + p.words.length, 0) / posts.length;
    expect(mean).toBeGreaterThan(9);
    expect(mean).toBeLessThan(11);
  });
});

/** After every word: <eos> with probability `end`, else "a". Posts then have 1 / end words on average. */
const constantEndModel = (end: number): LanguageModel => fixedModel(vocab, { '<eos>': end, a: 1 - end });

describe('endScale', () => {
  it('scaleEnd multiplies p(<eos>) and lets the words share the rest', () => {
    const out = Array.from(scaleEnd(Float32Array.from([0, 0.2, 0.6, 0.2]), 1, 0.5));
    expect(out[1]).toBeCloseTo(0.1, 6);
    expect(out[2]).toBeCloseTo(0.675, 6);
    expect(out[3]).toBeCloseTo(0.225, 6);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('halving the chance of ending doubles the mean length; the chances where a post could end are recorded', () => {
    const model = constantEndModel(0.1);
    const mean = (endScale: number) => {
      const posts = generatePosts(model, vocab, { count: 3000, seed: 4, wordsPerPost: [500], endScale });
      return posts.reduce((s, p) => s + p.words.length, 0) / posts.length;
    };
    expect(mean(1)).toBeGreaterThan(9.5);
    expect(mean(1)).toBeLessThan(10.5);
    expect(mean(0.5)).toBeGreaterThan(19);
    expect(mean(0.5)).toBeLessThan(21);
    const [p] = generatePosts(model, vocab, { count: 1, seed: 4, wordsPerPost: [500], endScale: 0.5 });
    // One chance per word after the first, the last one taken.
    expect(p?.endChances).toHaveLength((p?.words.length ?? 0));
    for (const c of p?.endChances ?? []) expect(c).toBeCloseTo(0.05, 6);
    expect(() => generatePosts(model, vocab, { count: 1, wordsPerPost: [5], endScale: 0 })).toThrow(/endScale must be a number > 0/);
  });
});
