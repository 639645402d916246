import { describe, expect, it } from 'vitest';
import { noiseStream, noiseTable } from '../../src/dataset/noise.js';
import { postStream } from '../../src/dataset/stream.js';

// Ids: 0 <eos>; 1 "a" is followed by 2, 3 and 4 (three different words in three occurrences); 5 "b" is always
// followed by 6 (one follower in many occurrences).
const posts = [[1, 2], [1, 3], [1, 4], ...Array.from({ length: 40 }, () => [5, 6])];
const stream = postStream(posts, 0);

describe('noiseTable', () => {
  it('counts distinct followers per occurrence, and continuations without <eos>', () => {
    const t = noiseTable(stream, 7, 0);
    expect(t.spread[1]).toBe(1);
    expect(t.spread[5]).toBe(1 / 40);
    // <eos> is followed by 1 and 5 in 43 occurrences.
    expect(t.spread[0]).toBe(2 / 43);
    // Continuations N1+(•, w): 1 and 5 follow <eos>; 2, 3, 4 follow 1; 6 follows 5; <eos> (after 2, 3, 4, 6) is left out.
    expect(Array.from(t.cumulative)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('noiseStream', () => {
  const t = noiseTable(stream, 7, 0);
  it('returns the stream itself at gamma 0, and the same noise for the same seed', () => {
    expect(noiseStream(stream, t, 0, 1)).toBe(stream);
    expect(noiseStream(stream, t, 0.5, 3)).toEqual(noiseStream(stream, t, 0.5, 3));
    expect(noiseStream(stream, t, 0.5, 3)).not.toEqual(noiseStream(stream, t, 0.5, 4));
    expect(() => noiseStream(stream, t, 1.5, 1)).toThrow(/gamma/);
  });

  it('swaps words after a word with many followers far more often, never touches <eos>, never draws it', () => {
    let afterA = 0;
    let afterB = 0;
    let drawnEos = 0;
    const runs = 400;
    for (let seed = 0; seed < runs; seed++) {
      const noised = noiseStream(stream, t, 0.5, seed);
      for (let i = 1; i < stream.length; i++) {
        if (stream[i] === 0) expect(noised[i]).toBe(0);
        else if (noised[i] === 0) drawnEos++;
        if (noised[i] === stream[i]) continue;
        if (stream[i - 1] === 1) afterA++;
        if (stream[i - 1] === 5) afterB++;
      }
    }
    expect(drawnEos).toBe(0);
    // After "a": chance 0.5, less the draws that land on the same word (1 in 6) — about 3 × 400 × 0.5 × 5/6 = 500.
    expect(afterA / (3 * runs)).toBeGreaterThan(0.35);
    expect(afterA / (3 * runs)).toBeLessThan(0.48);
    // After "b": chance 0.5 / 40 = 1.25% of its 40 followers per run.
    expect(afterB / (40 * runs)).toBeLessThan(0.02);
    expect(afterB).toBeGreaterThan(0);
  });
});
