import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../../src/random.js';
import { Parallel } from '../../../src/model/fast/parallel.js';
import { Runtime } from '../../../src/model/fast/runtime.js';
import { ensureKernelsBuilt } from './kernels-built.js';

ensureKernelsBuilt();

/** The regularisation kernels (asm/regularise.ts) against plain JS definitions, on one and two threads. */

const runtimes = [new Runtime(16 * 2 ** 20, 1), new Runtime(16 * 2 ** 20, 2)];
afterAll(() => runtimes.forEach((rt) => rt.dispose()));

function put(rt: Runtime, values: ArrayLike<number>): number {
  const p = rt.allocF32(values.length);
  rt.f32.set(Float32Array.from(values), p >> 2);
  return p;
}

function read(rt: Runtime, p: number, n: number): Float32Array {
  return rt.f32.slice(p >> 2, (p >> 2) + n);
}

describe('regularisation kernels', () => {
  it('dropout masks: the same bits on 1 and 2 threads, the keep rate and the survivor scale', async () => {
    const masks = await Promise.all(runtimes.map(async (rt) => {
      await rt.ready();
      const p = rt.allocF32(100003);
      new Parallel(rt).dropoutMask(p, 100003, 12345, 0.6);
      return read(rt, p, 100003);
    }));
    const [one, two] = masks as [Float32Array, Float32Array];
    expect(Buffer.from(one.buffer).equals(Buffer.from(two.buffer))).toBe(true);
    const kept = one.filter((v) => v !== 0);
    expect(Math.abs(kept.length / one.length - 0.6)).toBeLessThan(0.01);
    expect(kept.every((v) => Math.abs(v - 1 / 0.6) < 1e-6)).toBe(true);
  });

  it('lockedMul multiplies time-major row t·B + b by mask row b; rowScale scales row r by scales[ids[r]]', () => {
    const rt = runtimes[1] as Runtime;
    const rng = new Random(3);
    const [B, T, dim] = [3, 4, 7];
    const x = Array.from({ length: B * T * dim }, () => rng.next() - 0.5);
    const mask = Array.from({ length: B * dim }, () => rng.next());
    const px = put(rt, x);
    const pm = put(rt, mask);
    const out = rt.allocF32(x.length);
    new Parallel(rt).lockedMul(px, pm, out, B * T, dim, B);
    const got = read(rt, out, x.length);
    x.forEach((v, i) => {
      const row = Math.floor(i / dim);
      expect(got[i]).toBeCloseTo(v * (mask[(row % B) * dim + (i % dim)] as number), 6);
    });
    const ids = [2, 0, 2, 1];
    const pids = rt.allocF32(ids.length);
    rt.i32.set(ids, pids >> 2);
    const scales = put(rt, [0, 1, 2.5]);
    rt.k.rowScale(px, dim, pids, ids.length, scales);
    const scaled = read(rt, px, ids.length * dim);
    scaled.forEach((v, i) => expect(v).toBeCloseTo((x[i] as number) * ([0, 1, 2.5][ids[Math.floor(i / dim)] as number] as number), 6));
  });

  it('sumSquares, scaleAdd, scaleBy and rowDots match their definitions', () => {
    const rt = runtimes[0] as Runtime;
    const rng = new Random(5);
    const n = 1027;
    const g = Array.from({ length: n }, () => rng.next() - 0.5);
    const w = Array.from({ length: n }, () => rng.next() - 0.5);
    const pg = put(rt, g);
    const pw = put(rt, w);
    const want = g.reduce((s, v) => s + Math.fround(v) ** 2, 0);
    expect(Math.abs(new Parallel(rt).sumSquares(pg, n) - want) / want).toBeLessThan(1e-12);
    rt.k.scaleAdd(pg, pw, n, 0.5, 0.1);
    read(rt, pg, n).forEach((v, i) => expect(v).toBeCloseTo(0.5 * (g[i] as number) + 0.1 * (w[i] as number), 6));
    rt.k.scaleBy(pw, n, 0.9);
    read(rt, pw, n).forEach((v, i) => expect(v).toBeCloseTo(0.9 * (w[i] as number), 6));
    const [rows, dim] = [5, 11];
    const W = Array.from({ length: rows * dim }, () => rng.next() - 0.5);
    const x = Array.from({ length: dim }, () => rng.next() - 0.5);
    const bias = Array.from({ length: rows }, () => rng.next());
    const out = rt.allocF32(rows);
    rt.k.rowDots(put(rt, W), dim, rows, put(rt, x), dim, put(rt, bias), out);
    read(rt, out, rows).forEach((v, r) => {
      let s = bias[r] as number;
      for (let j = 0; j < dim; j++) s += (W[r * dim + j] as number) * (x[j] as number);
      expect(v).toBeCloseTo(s, 5);
    });
  });
});
