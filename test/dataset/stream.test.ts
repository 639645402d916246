import { describe, expect, it } from 'vitest';
import { postStream, randomChunks } from '../../src/dataset/stream.js';

describe('postStream', () => {
  it('frames every post with <eos> before and after', () => {
    const s = postStream([Int32Array.from([5, 6]), Int32Array.from([7])], 1);
    expect(Array.from(s)).toEqual([1, 5, 6, 1, 7, 1]);
  });
});

describe('randomChunks', () => {
  const stream = Int32Array.from({ length: 53 }, (_, i) => i + 2);

  it('cuts non-overlapping windows whose targets are the next ids', () => {
    const w = randomChunks(stream, 5, 9);
    const offset = (w.inputs[0] as number) - 2;
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThan(5);
    expect(w.count).toBe(Math.floor((53 - 1 - offset) / 5));
    for (let i = 0; i < w.count * 5; i++) {
      expect(w.inputs[i]).toBe(2 + offset + i);
      expect(w.targets[i]).toBe(3 + offset + i);
    }
  });

  it('is seeded: the same seed gives the same cut, other seeds move it', () => {
    expect(randomChunks(stream, 7, 3)).toEqual(randomChunks(stream, 7, 3));
    const offsets = new Set(Array.from({ length: 20 }, (_, s) => randomChunks(stream, 7, s).inputs[0]));
    expect(offsets.size).toBeGreaterThan(1);
  });

  it('refuses a stream shorter than one window', () => {
    expect(() => randomChunks(Int32Array.from([1, 2, 3]), 5, 1)).toThrow(/too short for windows of 5/);
  });
});
