import { describe, expect, it } from 'vitest';
import { splitPostsForValidation } from '../../src/dataset/split.js';
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
