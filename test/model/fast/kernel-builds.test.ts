import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kernelsBuild, kernelsModule, kernelsPath } from '../../../src/model/fast/artifacts.js';
import { Random } from '../../../src/random.js';
import { ensureKernelsBuilt } from './kernels-built.js';

ensureKernelsBuilt();

type Gemm = (tA: number, tB: number, M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number, beta: number, work: number) => void;
const W = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: Record<string, unknown> }; Memory: new (d: object) => { buffer: SharedArrayBuffer } } }).WebAssembly;

/** One build's gemm on its own memory. */
function gemmOf(module: object): { gemm: Gemm; f32: () => Float32Array; work: number } {
  const memory = new W.Memory({ initial: 256, maximum: 65536, shared: true });
  const exports = new W.Instance(module, { env: { memory, abort: () => undefined } }).exports;
  return { gemm: exports.gemm as Gemm, f32: () => new Float32Array(memory.buffer), work: 8 << 20 };
}

describe('the two kernel builds', () => {
  const relaxedFile = path.join(path.dirname(kernelsPath()), 'kernels-relaxed.wasm');

  it('runs the relaxed-SIMD build by default where this Node can', () => {
    expect(fs.existsSync(relaxedFile)).toBe(true);
    expect(kernelsBuild()).toBe('relaxed-simd');
  });

  it('TWEETLAB_KERNELS=simd keeps the plain build', () => {
    const dist = path.join(path.dirname(kernelsPath()), '..', 'model', 'fast', 'artifacts.js');
    const out = execFileSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(dist)}).kernelsBuild())`], {
      env: { ...process.env, TWEETLAB_KERNELS: 'simd' },
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('simd');
  });

  it('gives the plain build\'s products (to rounding) for every transpose, with 6×8-tile tails', () => {
    const relaxed = gemmOf(kernelsModule());
    const plain = gemmOf(new W.Module(fs.readFileSync(kernelsPath())));
    const rng = new Random(11);
    for (const [M, N, K] of [[7, 9, 5], [13, 29, 300], [131, 530, 70], [6, 8, 1]] as [number, number, number][]) {
      for (const [tA, tB] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const A = Float32Array.from({ length: M * K }, () => rng.next() * 2 - 1);
        const B = Float32Array.from({ length: K * N }, () => rng.next() * 2 - 1);
        const results = [relaxed, plain].map((g) => {
          const pa = 1 << 20;
          const pb = pa + A.length * 4;
          const pc = pb + B.length * 4;
          g.f32().set(A, pa >> 2);
          g.f32().set(B, pb >> 2);
          g.gemm(tA as number, tB as number, M, N, K, pa, tA ? M : K, pb, tB ? K : N, pc, N, 0, g.work);
          return g.f32().slice(pc >> 2, (pc >> 2) + M * N);
        });
        const [r, p] = results as [Float32Array, Float32Array];
        let maxErr = 0;
        for (let i = 0; i < M * N; i++) maxErr = Math.max(maxErr, Math.abs((r[i] as number) - (p[i] as number)));
        expect(maxErr).toBeLessThan(1e-5 * Math.sqrt(K) + 1e-6);
        expect(r.some((x) => x !== 0)).toBe(true);
      }
    }
  });
});
