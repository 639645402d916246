import { describe, expect, it } from 'vitest';
import { canYouTell } from '../../src/evaluate/classifier.js';
import { TweetlabError } from '../../src/errors.js';
import { Random } from '../../src/random.js';

/** Posts of 5–19 words drawn from a Zipf-like distribution over `vocab` (word i has weight 1/(i+1)). */
function zipfPosts(count: number, vocab: readonly string[], rng: Random): string[] {
  const weights = vocab.map((_, i) => 1 / (i + 1));
  const posts: string[] = [];
  for (let p = 0; p < count; p++) {
    const words: string[] = [];
    const length = 5 + rng.int(15);
    for (let k = 0; k < length; k++) words.push(vocab[rng.weighted(weights)] as string);
    posts.push(words.join(' '));
  }
  return posts;
}

const words = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('canYouTell', () => {
  it('tells posts over disjoint word sets apart almost always', () => {
    const rng = new Random(1);
    const r = canYouTell(zipfPosts(120, words('a', 60), rng), zipfPosts(150, words('b', 60), rng), { seed: 5 });
    expect(r.postsPerClass).toBe(120);
    expect(r.foldAccuracies).toHaveLength(5);
    expect(r.accuracy).toBeGreaterThan(0.97);
    expect(r.features).toBeGreaterThan(100);
  });

  it('is near chance on two samples of one distribution, and reproducible under its seed', () => {
    const rng = new Random(2);
    const vocab = words('w', 150);
    const all = zipfPosts(600, vocab, rng);
    const real = all.slice(0, 300);
    const generated = all.slice(300);
    const r = canYouTell(real, generated, { seed: 9 });
    expect(r.accuracy).toBeGreaterThan(0.35);
    expect(r.accuracy).toBeLessThan(0.65);
    expect(canYouTell(real, generated, { seed: 9 })).toEqual(r);
    const mean = r.foldAccuracies.reduce((a, b) => a + b, 0) / r.foldAccuracies.length;
    expect(mean).toBeCloseTo(r.accuracy, 12); // equal fold sizes: 120 posts each
  });

  it('sees word order through the 2-gram features', () => {
    // Same word distribution in both lists; each generated post has its words sorted, so only the pairs differ.
    const rng = new Random(3);
    const vocab = words('w', 40);
    const real = zipfPosts(200, vocab, rng);
    const sorted = zipfPosts(200, vocab, rng).map((p) => p.split(' ').sort().join(' '));
    expect(canYouTell(real, sorted, { seed: 1 }).accuracy).toBeGreaterThan(0.8);
  });

  it('subsamples the larger list with the seed', () => {
    const rng = new Random(4);
    const real = zipfPosts(40, words('a', 30), rng);
    const generated = zipfPosts(90, words('a', 30), rng);
    const a = canYouTell(real, generated, { seed: 1, folds: 4 });
    expect(a.postsPerClass).toBe(40);
    expect(a.foldAccuracies).toHaveLength(4);
    expect(canYouTell(real, generated, { seed: 1, folds: 4 })).toEqual(a);
  });

  it('rejects fewer posts than folds in either list with a one-line TweetlabError', () => {
    const five = ['a b', 'b c', 'c d', 'd e', 'e f'];
    expect(() => canYouTell(five, five.slice(0, 4), { seed: 1 })).toThrow(TweetlabError);
    expect(() => canYouTell(five, five.slice(0, 4), { seed: 1 })).toThrow(/needs at least 5 posts of each kind, got 5 real and 4 generated$/);
    expect(() => canYouTell(five, five, { seed: 1, folds: 1 })).toThrow(/folds must be an integer ≥ 2/);
  });
});
