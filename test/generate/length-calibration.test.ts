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
