import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NoveltyFilter, SpanIndex, longestCopiedSpan } from '../../src/evaluate/novelty.js';
import { splitWords } from '../../src/evaluate/metrics.js';

const w = (s: string) => splitWords(s);

/** The quadratic reference: try every span of the post against every training post. */
function bruteLongest(words: string[], posts: string[][]): number {
  let best = 0;
  for (let i = 0; i < words.length; i++) {
    for (const post of posts) {
      for (let j = 0; j < post.length; j++) {
        let k = 0;
        while (i + k < words.length && j + k < post.length && words[i + k] === post[j + k]) k++;
        best = Math.max(best, k);
      }
    }
  }
  return best;
}

describe('longestCopiedSpan', () => {
  const training = [w('the quick brown fox jumps over the lazy dog'), w('a b c d e f'), w('the quick red car')];
  const index = new SpanIndex(training);

  it('finds the longest run copied from one training post, with its position', () => {
    expect(longestCopiedSpan(w('x y the quick brown fox z'), index)).toEqual({ length: 4, start: 2, words: w('the quick brown fox') });
    // "the quick" occurs in two posts; "the quick red" only in the third.
    expect(longestCopiedSpan(w('so the quick red fox'), index)).toEqual({ length: 3, start: 1, words: w('the quick red') });
  });

  it('never joins two training posts into one run', () => {
    // "… lazy dog" ends post 1 and "a b …" starts post 2: the span stops at the post boundary.
    expect(longestCopiedSpan(w('lazy dog a b c'), index)).toEqual({ length: 3, start: 2, words: w('a b c') });
    expect(longestCopiedSpan(w('f the quick'), index).length).toBe(2);
  });

  it('gives length 0 for a post of unseen words or no words', () => {
    expect(longestCopiedSpan(w('nothing here matches'), index)).toEqual({ length: 0, start: 0, words: [] });
    expect(longestCopiedSpan([], index)).toEqual({ length: 0, start: 0, words: [] });
  });

  it('keeps the automaton within twice the training words', () => {
    const words = training.reduce((n, p) => n + p.length, 0);
    expect(index.states).toBeLessThanOrEqual(2 * words + 1);
  });

  it('agrees with the quadratic reference on random corpora (property)', () => {
    const word = fc.constantFrom('a', 'b', 'c', 'd');
    fc.assert(
      fc.property(
        fc.array(fc.array(word, { maxLength: 12 }), { maxLength: 6 }),
        fc.array(word, { maxLength: 12 }),
        (posts, query) => {
          const span = longestCopiedSpan(query, new SpanIndex(posts));
          const copied = span.words.join(' ');
          const inOnePost = span.length === 0 || posts.some((p) => ` ${p.join(' ')} `.includes(` ${copied} `));
          return span.length === bruteLongest(query, posts) && inOnePost && query.slice(span.start, span.start + span.length).join(' ') === copied;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('NoveltyFilter', () => {
  const training = [w('the quick brown fox jumps over the lazy dog'), w('a b c d e f')];
  const filter = new NoveltyFilter(training);

  it('rejects posts that copy six or more consecutive training words', () => {
    expect(filter.isNovel(w('x the quick brown fox jumps over y'))).toBe(false);
    expect(filter.isNovel(w('quick brown fox jumps over the'))).toBe(false);
    expect(filter.isNovel(w('the quick brown fox jumps'))).toBe(true);
    expect(filter.isNovel(w('e f a b c d'))).toBe(true);
    expect(filter.longestSpan(w('x the quick brown fox jumps over y')).length).toBe(6);
  });

  it('honours a different run length', () => {
    const strict = new NoveltyFilter(training, 3);
    expect(strict.n).toBe(3);
    expect(strict.isNovel(w('z a b c'))).toBe(false);
    expect(strict.isNovel(w('z a b z c d'))).toBe(true);
  });

  it('calls a post new exactly when its longest copied span is shorter than n (property)', () => {
    const word = fc.constantFrom('a', 'b', 'c');
    fc.assert(
      fc.property(fc.array(fc.array(word, { maxLength: 10 }), { maxLength: 5 }), fc.array(word, { maxLength: 10 }), (posts, q) => {
        const f = new NoveltyFilter(posts, 3);
        return f.isNovel(q) === f.longestSpan(q).length < 3;
      }),
      { numRuns: 200 },
    );
  });
});
