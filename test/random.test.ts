import { describe, expect, it } from 'vitest';
import { Random, deriveSeed } from '../src/random.js';

describe('Random', () => {
  it('repeats the same sequence for the same seed and differs for another seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    const sb = Array.from({ length: 20 }, () => b.nextUint32());
    const sc = Array.from({ length: 20 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('draws uniform values in [0, 1) with a mean near one half', () => {
    const r = new Random(7);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
    }
    expect(sum / 20000).toBeCloseTo(0.5, 1);
  });

  it('int(n) covers every value of [0, n) and nothing else', () => {
    const r = new Random(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(r.int(6));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => r.int(0)).toThrow(RangeError);
  });

  it('normal() has mean ≈ 0 and variance ≈ 1', () => {
    const r = new Random(3);
    const xs = Array.from({ length: 20000 }, () => r.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('shuffle is a seeded permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const s1 = new Random(9).shuffle([...items]);
    const s2 = new Random(9).shuffle([...items]);
    expect(s1).toEqual(s2);
    expect(s1).not.toEqual(items);
    expect([...s1].sort((x, y) => x - y)).toEqual(items);
  });

  it('weighted() follows the weights and never picks a zero weight', () => {
    const r = new Random(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[r.weighted([1, 0, 3])]! += 1;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.7);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.3);
    expect(() => r.weighted([0, 0])).toThrow(RangeError);
  });

  it('fork() gives independent, reproducible streams per label', () => {
    const base = new Random(11);
    const x = base.fork('init').next();
    const y = base.fork('shuffle').next();
    expect(x).not.toEqual(y);
    expect(new Random(11).fork('init').next()).toEqual(x);
    expect(deriveSeed(11, 'init')).toEqual(deriveSeed(11, 'init'));
    expect(deriveSeed(11, 'init')).not.toEqual(deriveSeed(12, 'init'));
  });
});
