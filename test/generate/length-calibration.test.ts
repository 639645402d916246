import { describe, expect, it } from 'vitest';
import { generatePosts } from '../../src/generate/generate.js';
import { fitEndScale, reweightedMeanLength, type DrawnPost } from '../../src/generate/length-calibration.js';
import type { LanguageModel } from '../../src/model/types.js';
import { buildVocabulary } from '../../src/text/tokenize.js';
import { fixedModel } from './fixed-model.js';

const vocab = buildVocabulary([['a', 'a', 'b']], { endOfPost: true });

/** After every word: <eos> with probability 0.1, else "a" or "b": posts of 10 words on average. */
const model = (): LanguageModel => fixedModel(vocab, { '<eos>': 0.1, a: 0.6, b: 0.3 });

const draw = (endScale: number, count = 2000): DrawnPost[] =>
  generatePosts(model(), vocab, { count, seed: 11, wordsPerPost: [1000], endScale });

describe('reweightedMeanLength', () => {
  it('is the plain mean at the factor the posts were drawn with', () => {
    const posts = draw(1, 300);
    const plain = posts.reduce((s, p) => s + p.words.length, 0) / posts.length;
    expect(reweightedMeanLength(posts, 1, 1)).toBeCloseTo(plain, 9);
  });

  it('predicts from posts drawn at one factor the mean that fresh posts have at another', () => {
    const atOne = draw(1);
    // p(<eos>) 0.08 at factor 0.8: 12.5 words on average; 0.125 at 1.25: 8 words.
    expect(reweightedMeanLength(atOne, 1, 0.8)).toBeGreaterThan(12.5 * 0.95);
    expect(reweightedMeanLength(atOne, 1, 0.8)).toBeLessThan(12.5 * 1.05);
    expect(reweightedMeanLength(atOne, 1, 1.25)).toBeGreaterThan(8 * 0.95);
    expect(reweightedMeanLength(atOne, 1, 1.25)).toBeLessThan(8 * 1.05);
    // And from posts drawn at 0.8 back to 1.
    expect(reweightedMeanLength(draw(0.8), 0.8, 1)).toBeCloseTo(10, 0);
  });
});

describe('the calibration at a temperature other than 1', () => {
  const T = 1.5;
  const drawAt = (endScale: number, seed = 11): DrawnPost[] =>
    generatePosts(model(), vocab, { count: 3000, seed, wordsPerPost: [1000], endScale, temperature: T, recordEndWordMass: true });
  const mean = (posts: readonly DrawnPost[]) => posts.reduce((s, p) => s + p.words.length, 0) / posts.length;

  it('records the words\' tempered mass at every step where a post could end, when asked to', () => {
    const [post] = drawAt(1).filter((p) => p.words.length > 2);
    expect(post?.endWordMass).toHaveLength(post?.endChances?.length ?? -1);
    // a and b are always the words that may follow: 0.6^(1/T) + 0.3^(1/T).
    expect(post?.endWordMass?.[0]).toBeCloseTo(0.6 ** (1 / T) + 0.3 ** (1 / T), 5);
    expect(generatePosts(model(), vocab, { count: 3, seed: 1, wordsPerPost: [1000], recordEndWordMass: true })[0]?.endWordMass).toBeUndefined();
    // Not asked for (every draw but the calibration's): no pass over the vocabulary, and the same posts.
    const plain = generatePosts(model(), vocab, { count: 30, seed: 11, wordsPerPost: [1000], temperature: T });
    expect(plain.every((p) => p.endWordMass === undefined)).toBe(true);
    expect(plain.map((p) => p.words.join(' '))).toEqual(drawAt(1).slice(0, 30).map((p) => p.words.join(' ')));
  });

  it('predicts the mean that fresh tempered posts have at another factor (the linear rule of temperature 1 does not)', () => {
    const atOne = drawAt(1);
    const fresh = mean(drawAt(0.5, 12));
    // Seeded draws: 0.6% off with the tempered chances, 6.7% with the linear rule.
    expect(Math.abs(reweightedMeanLength(atOne, 1, 0.5, T) / fresh - 1)).toBeLessThan(0.02);
    expect(Math.abs(reweightedMeanLength(atOne, 1, 0.5) / fresh - 1)).toBeGreaterThan(0.05);
  });

  it('fits a factor whose fresh posts have the target length', () => {
    const fit = fitEndScale((s) => drawAt(s), 9, 0.02, T);
    expect(Math.abs(mean(drawAt(fit.endScale, 13)) / 9 - 1)).toBeLessThan(0.05);
  });
});

describe('fitEndScale', () => {
  it('finds the factor whose posts have the target mean length, and says what it did', () => {
    const draws: number[] = [];
    const fit = fitEndScale((s) => { draws.push(s); return draw(s); }, 12.5);
    expect(fit.uncalibratedMeanLength).toBeGreaterThan(9.5);
    expect(fit.uncalibratedMeanLength).toBeLessThan(10.5);
    expect(fit.endScale).toBeGreaterThan(0.75);
    expect(fit.endScale).toBeLessThan(0.85);
    expect(Math.abs(fit.meanLength / 12.5 - 1)).toBeLessThanOrEqual(0.02);
    expect(fit.targetMeanLength).toBe(12.5);
    expect(draws[0]).toBe(1);
    expect(fit.draws).toBe(draws.length);
  });

  it('keeps the model as it is when its posts already have the target length', () => {
    const fit = fitEndScale((s) => draw(s), 10);
    expect(fit.endScale).toBe(1);
    expect(fit.draws).toBe(1);
  });

  it('refuses a target that is not a positive length', () => {
    expect(() => fitEndScale(() => draw(1, 10), 0)).toThrow(/target mean length must be > 0/);
  });
});
