import { describe, expect, it } from 'vitest';
import { repeatKey, splitPostsForValidation, unseenAsUnknown } from '../../src/dataset/split.js';
import { TweetlabError } from '../../src/errors.js';

const posts = Array.from({ length: 20 }, (_, i) => `post-${i}`);

describe('splitPostsForValidation', () => {
  it('holds out round(n × share) posts, chosen by the seed, keeping the original order', () => {
    const s = splitPostsForValidation(posts, 0.2, 42);
    expect(s.validation).toHaveLength(4);
    expect(s.train).toHaveLength(16);
    expect([...s.train, ...s.validation].sort()).toEqual([...posts].sort());
    expect(s.validation).toEqual([...s.validation].sort((a, b) => posts.indexOf(a) - posts.indexOf(b)));
    expect(s.seed).toBe(42);
    expect(splitPostsForValidation(posts, 0.2, 42)).toEqual(s);
    const other = splitPostsForValidation(posts, 0.2, 43);
    expect(other.validation).not.toEqual(s.validation);
  });

  it('keeps at least one post on each side when share > 0, none held out when share = 0', () => {
    expect(splitPostsForValidation(['a', 'b'], 0.01, 1).validation).toHaveLength(1);
    expect(splitPostsForValidation(['a', 'b', 'c'], 0.99, 1).train).toHaveLength(1);
    expect(splitPostsForValidation(posts, 0, 1).validation).toEqual([]);
    expect(splitPostsForValidation(['only'], 0.5, 1)).toMatchObject({ train: ['only'], validation: [] });
  });

  it('sends a held-out copy of a training post to training, and splits a corpus without repeats as without a key', () => {
    const plain = splitPostsForValidation(posts, 0.2, 42);
    expect(splitPostsForValidation(posts, 0.2, 42, posts.map((p) => [p]))).toEqual({ ...plain, repeatsMoved: 0 });
    // Every post twice: whichever copy is drawn for validation, its twin is in training.
    const twice = [...posts, ...posts];
    const s = splitPostsForValidation(twice, 0.2, 42, twice.map((p) => [p]));
    const trained = new Set(s.train);
    expect(s.validation.filter((p) => trained.has(p))).toEqual([]);
    expect(s.repeatsMoved + s.validation.length).toBe(Math.round(twice.length * 0.2));
    expect(s.repeatsMoved).toBeGreaterThan(0);
    expect(s.train.length + s.validation.length).toBe(twice.length);
  });

  it('refuses words that do not line up with the posts', () => {
    expect(() => splitPostsForValidation(posts, 0.2, 42, [['a']])).toThrow(/20 posts but the words of 1/);
  });

  it('compares repeats by their words with accents dropped', () => {
    expect(repeatKey(['ещё', 'одну'])).toBe(repeatKey(['еще', 'одну']));
    expect(repeatKey(['café'])).toBe('cafe');
    expect(repeatKey(['a', 'b'])).not.toBe(repeatKey(['ab']));
  });

  it('rejects a share outside [0, 1)', () => {
    expect(() => splitPostsForValidation(posts, 1, 1)).toThrow(TweetlabError);
    expect(() => splitPostsForValidation(posts, -0.1, 1)).toThrow(/validation share/);
    expect(() => splitPostsForValidation(posts, NaN, 1)).toThrow(TweetlabError);
  });
});

describe('unseenAsUnknown', () => {
  const seen = [Int32Array.from([2, 3, 3]), Int32Array.from([4, 3, 2])];
  it('maps words the other posts hold fewer than minCount times to the unknown id, and keeps the rest', () => {
    const dev = [Int32Array.from([2, 5, 4, 3]), Int32Array.from([6])];
    expect(unseenAsUnknown(dev, seen, 0, 1).map((p) => Array.from(p))).toEqual([[2, 0, 4, 3], [0]]);
    // At minCount 2, word 4 (seen once) is unknown too, as a held-out word seen once in training would be.
    expect(unseenAsUnknown(dev, seen, 0, 2).map((p) => Array.from(p))).toEqual([[2, 0, 0, 3], [0]]);
  });
  it('leaves its input untouched', () => {
    const dev = [Int32Array.from([9])];
    unseenAsUnknown(dev, seen, 0, 1);
    expect(Array.from(dev[0] as Int32Array)).toEqual([9]);
  });
});
