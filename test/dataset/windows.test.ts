import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildWindows,
  buildWindowsJoined,
  buildWindowsPerTweet,
  formatBytes,
  oneHotCostBytes,
  windowAt,
} from '../../src/dataset/windows.js';
import { TweetlabError } from '../../src/errors.js';

const ids = (...xs: number[]) => Int32Array.from(xs);

describe('variant 1: windows inside each post', () => {
  it('builds n − seqLength windows per post with next-word targets', () => {
    const ws = buildWindowsPerTweet([ids(1, 2, 3, 4), ids(5, 6), ids(7, 8, 9)], 2);
    expect(ws.variant).toBe(1);
    expect(ws.count).toBe(2 + 0 + 1);
    expect(ws.excludedPosts).toBe(1); // [5, 6] has 2 words, a window needs 3
    expect(ws.inputs).toBeInstanceOf(Int32Array);
    expect(Array.from(ws.inputs)).toEqual([1, 2, 2, 3, 7, 8]);
    expect(Array.from(ws.targets)).toEqual([2, 3, 3, 4, 8, 9]);
    expect(windowAt(ws, 2)).toEqual({ inputs: [7, 8], targets: [8, 9] });
  });

  it('never crosses from one post into the next', () => {
    const ws = buildWindowsPerTweet([ids(1, 2), ids(3, 4)], 1);
    expect(Array.from(ws.inputs)).toEqual([1, 3]);
    expect(Array.from(ws.targets)).toEqual([2, 4]);
  });

  it('throws a clear error when seqLength is longer than every post', () => {
    expect(() => buildWindowsPerTweet([ids(1, 2, 3), ids(4)], 3)).toThrow(TweetlabError);
    expect(() => buildWindowsPerTweet([ids(1, 2, 3), ids(4)], 3)).toThrow(
      'seqLength 3 is longer than every post: variant 1 needs a post of at least 4 words, the longest has 3',
    );
  });
});

describe('variant 2: all posts joined', () => {
  it('builds nWords − seqLength windows across post boundaries', () => {
    const ws = buildWindowsJoined([ids(1, 2), ids(3), ids(4, 5)], 3);
    expect(ws.variant).toBe(2);
    expect(ws.count).toBe(5 - 3);
    expect(ws.excludedPosts).toBe(0);
    expect(Array.from(ws.inputs)).toEqual([1, 2, 3, 2, 3, 4]);
    expect(Array.from(ws.targets)).toEqual([2, 3, 4, 3, 4, 5]);
  });

  it('throws when the corpus is too short or empty, or seqLength is not a positive whole number', () => {
    expect(() => buildWindowsJoined([ids(1, 2)], 2)).toThrow(/needs at least 3 words in the whole corpus, it has 2/);
    expect(() => buildWindowsJoined([], 2)).toThrow(/corpus is empty/);
    expect(() => buildWindowsPerTweet([ids(), ids()], 2)).toThrow(/corpus is empty/);
    expect(() => buildWindows([ids(1, 2, 3)], 0, 1)).toThrow(/seqLength must be a whole number of at least 1/);
    expect(() => buildWindows([ids(1, 2, 3)], 1.5, 2)).toThrow(TweetlabError);
  });
});

describe('window counts (property)', () => {
  it('equal their formulas, and targets are inputs shifted by one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 15 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 6 }),
        (posts, seqLength) => {
          const encoded = posts.map((p) => Int32Array.from(p));
          const lengths = posts.map((p) => p.length);
          const expected1 = lengths.reduce((s, n) => s + Math.max(0, n - seqLength), 0);
          const excluded = lengths.filter((n) => n < seqLength + 1).length;
          const total = lengths.reduce((s, n) => s + n, 0);
          const joined = posts.flat();
          if (expected1 > 0) {
            const v1 = buildWindowsPerTweet(encoded, seqLength);
            expect(v1.count).toBe(expected1);
            expect(v1.excludedPosts).toBe(excluded);
            expect(v1.inputs.length).toBe(expected1 * seqLength);
          } else {
            expect(() => buildWindowsPerTweet(encoded, seqLength)).toThrow(TweetlabError);
          }
          if (total > seqLength) {
            const v2 = buildWindowsJoined(encoded, seqLength);
            expect(v2.count).toBe(total - seqLength);
            for (let i = 0; i < v2.count; i++) {
              const w = windowAt(v2, i);
              expect(w.inputs).toEqual(joined.slice(i, i + seqLength));
              expect(w.targets).toEqual(joined.slice(i + 1, i + seqLength + 1));
            }
          } else {
            expect(() => buildWindowsJoined(encoded, seqLength)).toThrow(TweetlabError);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('oneHotCostBytes', () => {
  it('computes what one-hot float32 inputs and targets would have cost', () => {
    const ws = buildWindowsJoined([ids(1, 2, 3, 4, 5, 6)], 2); // 4 windows × 2 steps
    const cost = oneHotCostBytes(ws, 1000);
    expect(cost.inputsBytes).toBe(4 * 2 * 1000 * 4);
    expect(cost.targetsBytes).toBe(cost.inputsBytes);
    expect(cost.totalBytes).toBe(64_000);
    expect(cost.int32Bytes).toBe(2 * 4 * 2 * 4);
    expect(cost.note).toContain('64.0 kB');
    expect(cost.note).toContain('1000× less');
    expect(() => oneHotCostBytes(ws, 0)).toThrow(TweetlabError);
  });

  it('formats bytes in decimal units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
    expect(formatBytes(3.2e9)).toBe('3.2 GB');
  });
});
