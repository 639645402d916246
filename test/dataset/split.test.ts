import { describe, expect, it } from 'vitest';
import { splitPostsForValidation, unseenAsUnknown } from '../../src/dataset/split.js';
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
