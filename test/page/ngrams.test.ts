import { describe, expect, it } from 'vitest';
import { NgramIndex } from '../../src/evaluate/metrics.js';
import { Random } from '../../src/random.js';
import { COPY_RUN, decodeHashSet, encodeHashSet, hasHash, longestCopiedRun, runHash, trainingRunHashes } from '../../src/page/ngrams.js';
import { fixturePosts } from './fixture.js';

describe('training-run hashes', () => {
  it('tell word boundaries apart', () => {
    expect(runHash(['a b', 'c'], 0, 2)).not.toBe(runHash(['a', 'b c'], 0, 2));
    expect(runHash(['ab', 'c'], 0, 2)).not.toBe(runHash(['a', 'bc'], 0, 2));
    expect(runHash(['x', 'a', 'b'], 1, 2)).toBe(runHash(['a', 'b'], 0, 2));
  });

  it('round-trip through the delta encoding, extremes included', () => {
    const rng = new Random(3);
    const set = new Set<number>([0, 1, 0xffffffff]);
    while (set.size < 5000) set.add(rng.nextUint32());
    const sorted = Uint32Array.from(set).sort();
    const text = encodeHashSet(sorted);
    expect(Array.from(decodeHashSet(text, sorted.length))).toEqual(Array.from(sorted));
    // Deltas of 5,000 random 32-bit hashes take 3 bytes each, not 4 (before base64).
    expect((text.length * 3) / 4 / sorted.length).toBeLessThan(3.2);
    expect(() => decodeHashSet(text.slice(0, 100), sorted.length)).toThrow(/truncated/);
  });

  it('hold every run of 1…6 words inside a post, none across posts', () => {
    const posts = [['a', 'b', 'c'], ['d', 'e']];
    const set = trainingRunHashes(posts);
    expect(set.length).toBe(6 + 3);
    expect(hasHash(set, runHash(['a', 'b', 'c'], 0, 3))).toBe(true);
    expect(hasHash(set, runHash(['c', 'd'], 0, 2))).toBe(false);
  });
});

describe('longestCopiedRun', () => {
  const posts = fixturePosts();
  const set = trainingRunHashes(posts);
  const index = new NgramIndex(posts, COPY_RUN);

  it('finds the longest run shared with a training post, capped at 6', () => {
    const train = posts[0] as string[];
    const post = ['zz', ...train.slice(0, 4), 'yy'];
    expect(longestCopiedRun(post, set)).toEqual({ length: 4, words: train.slice(0, 4) });
    expect(longestCopiedRun([...train, 'yy'], set).length).toBe(6);
    expect(longestCopiedRun(['zz', 'yy'], set)).toEqual({ length: 0, words: [] });
  });

  it('calls a post copied exactly when the evaluation NgramIndex does', () => {
    const rng = new Random(8);
    const words = [...new Set(posts.flat())];
    let copied = 0;
    for (let i = 0; i < 400; i++) {
      // Half the posts splice a piece of a training post into random words.
      const post = Array.from({ length: 4 + rng.int(10) }, () => rng.pick(words));
      if (i % 2 === 0) {
        const src = rng.pick(posts);
        const from = rng.int(src.length);
        post.splice(rng.int(post.length), 0, ...src.slice(from, from + 3 + rng.int(6)));
      }
      const mine = longestCopiedRun(post, set).length >= COPY_RUN;
      expect(mine).toBe(index.findCopiedRun(post) !== undefined);
      if (mine) copied++;
    }
    expect(copied).toBeGreaterThan(50);
  });
});
