import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../../src/random.js';
import { FastLanguageModel } from '../../../src/model/fast/model.js';
import { Runtime } from '../../../src/model/fast/runtime.js';
import type { Job } from '../../../src/model/fast/runtime.js';
import type { ModelConfig, NamedWeight, OptimizerSettings } from '../../../src/model/types.js';
import type { WindowSet } from '../../../src/types.js';
import { ensureKernelsBuilt } from './kernels-built.js';

ensureKernelsBuilt();

/**
 * Training with two threads must give the same bits as with one thread, and the same bits run after run:
 * threads take chunks dynamically, so any reduction split over threads, or a chunk run twice by a racing thread,
 * would show up as differing weights.
 */

// Big enough that every parallel path splits into several chunks: the logits matmuls (2·n·V·H ≥ 4e6, including
// dLogits·Wᵀ with M = n ≥ H and K = V ≥ 4H, which used to be split along K), the output-bias column sums
// (n·V ≥ 1e5), the softmax rows, the LSTM steps and the optimizer update.
const CFG: ModelConfig = {
  variant: 1, layers: 2, hidden: 32, embedding: 8, dropout: 0.2, vocabSize: 1000, seqLength: 4,
  initializer: 'test', seed: 21,
};
const RMSPROP: OptimizerSettings = { kind: 'rmsprop', learningRate: 0.005, rho: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
const ADAM: OptimizerSettings = { ...RMSPROP, kind: 'adam', learningRate: 0.01 };

function windows(count: number, seed: number): WindowSet {
  const rng = new Random(seed);
  const n = count * CFG.seqLength;
  const inputs = Int32Array.from({ length: n }, () => rng.int(CFG.vocabSize));
  const targets = Int32Array.from({ length: n }, () => rng.int(CFG.vocabSize));
  return { inputs, targets, count, seqLength: CFG.seqLength, variant: 1, excludedPosts: 0 };
}

const models: FastLanguageModel[] = [];
afterAll(() => models.forEach((m) => m.dispose()));

interface Outcome {
  losses: number[];
  weights: NamedWeight[];
}

/** Two short epochs (5 batches of 32 windows each) from the same initial weights; returns losses and weights. */
async function train(threads: number, initial: NamedWeight[] | undefined, optimizer: OptimizerSettings): Promise<Outcome> {
  const model = new FastLanguageModel(CFG, initial, threads);
  models.push(model);
  await model.ready();
  const data = windows(160, 7);
  const losses: number[] = [];
  for (let epoch = 0; epoch < 2; epoch++) {
    const stats = await model.trainEpoch(data, { batchSize: 32, optimizer, seed: 100 + epoch });
    losses.push(stats.loss);
  }
  losses.push((await model.evaluate(windows(64, 8))).loss);
  return { losses, weights: model.getWeights() };
}

/** Index of the first weight whose bits differ (NaN-safe, −0 ≠ +0), or null when all are identical. */
function firstDifference(a: NamedWeight[], b: NamedWeight[]): string | null {
  expect(a.map((w) => w.name)).toEqual(b.map((w) => w.name));
  for (let k = 0; k < a.length; k++) {
    const x = new Uint32Array((a[k] as NamedWeight).values.slice().buffer);
    const y = new Uint32Array((b[k] as NamedWeight).values.slice().buffer);
    expect(x.length).toBe(y.length);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `${(a[k] as NamedWeight).name}[${i}]`;
  }
  return null;
}

describe('fast-wasm determinism', () => {
  it('trains bit-identically with 2 threads run after run and with 1 thread (rmsprop, dropout)', async () => {
    const init = new FastLanguageModel(CFG, undefined, 1);
    models.push(init);
    const start = init.getWeights();
    const one = await train(1, start, RMSPROP);
    const twoA = await train(2, start, RMSPROP);
    const twoB = await train(2, start, RMSPROP);
    expect(firstDifference(twoA.weights, twoB.weights)).toBeNull();
    expect(firstDifference(one.weights, twoA.weights)).toBeNull();
    expect(twoA.losses).toEqual(twoB.losses);
    expect(one.losses).toEqual(twoA.losses);
    // The training did move the weights (so identical outputs are not just untouched initial weights).
    expect(firstDifference(start, one.weights)).not.toBeNull();
    expect(one.losses.every(Number.isFinite)).toBe(true);
  });

  it('trains bit-identically with 1 and 2 threads (adam)', async () => {
    const one = await train(1, undefined, ADAM);
    const two = await train(2, undefined, ADAM);
    expect(firstDifference(one.weights, two.weights)).toBeNull();
    expect(one.losses).toEqual(two.losses);
  });

  it('big split matmuls give the one-thread bits, whatever shape selects the split', async () => {
    const single = new Runtime(64 * 2 ** 20, 1);
    const dual = new Runtime(64 * 2 ** 20, 2);
    try {
      await dual.ready();
      const rng = new Random(5);
      // [tA, tB, M, N, K]: split along N (M < N), along M, and the long-K shape (M ≥ N, K ≥ 4N).
      const shapes: [number, number, number, number, number][] = [
        [1, 0, 32, 1000, 160], [0, 1, 160, 32, 1000], [0, 0, 700, 96, 80], [0, 1, 256, 64, 2048],
      ];
      for (const [tA, tB, M, N, K] of shapes) {
        const a = Float32Array.from({ length: M * K }, () => rng.next() * 2 - 1);
        const b = Float32Array.from({ length: K * N }, () => rng.next() * 2 - 1);
        const c0 = Float32Array.from({ length: M * N }, () => rng.next() * 2 - 1);
        const lda = tA ? M : K;
        const ldb = tB ? K : N;
        const results = [single, dual].map((rt) => {
          const pa = rt.allocF32(a.length);
          const pb = rt.allocF32(b.length);
          const pc = rt.allocF32(c0.length);
          rt.f32.set(a, pa >> 2);
          rt.f32.set(b, pb >> 2);
          rt.f32.set(c0, pc >> 2);
          rt.gemm(tA, tB, M, N, K, pa, lda, pb, ldb, pc, N, 1);
          return new Uint32Array(rt.f32.slice(pc >> 2, (pc >> 2) + M * N).buffer);
        });
        const [x, y] = results as [Uint32Array, Uint32Array];
        let differing = 0;
        for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) differing++;
        expect({ shape: [tA, tB, M, N, K], differing }).toEqual({ shape: [tA, tB, M, N, K], differing: 0 });
      }
    } finally {
      single.dispose();
      dual.dispose();
    }
  });

  it('never runs a chunk twice when a new job follows at once (stale job word)', async () => {
    // The race this guards against needs a thread to finish the last chunk of a job just as the main thread
    // publishes the next one, so it is probabilistic: 200 000 tiny jobs (well under a second) hit it several
    // times with the old protocol. Every chunk adds a 4×4 block of ones into its own slot, so a chunk run twice
    // (or a job reported done before its chunks ran) leaves a slot count that is off.
    const rt = new Runtime(2 ** 20, 2);
    try {
      await rt.ready();
      const rows = 4;
      const ones = rt.allocF32(rows * 4);
      rt.f32.fill(1, ones >> 2, (ones >> 2) + rows * 4);
      const outs = rt.allocF32(16 * 4);
      rt.k.zero(outs, 16 * 4);
      const counts = new Array<number>(16).fill(0);
      const bySize = Array.from({ length: 10 }, (_, n) =>
        Array.from({ length: n }, (_, i): Job => ['colSum', [ones, 4, rows, 4, outs + i * 16, 1]]));
      for (let j = 0; j < 200000; j++) {
        // Alternate a short job with a longer one: the stale word of the short job fits the longer job's count.
        const chunks = j % 2 === 0 ? 2 : 3 + (j % 7);
        for (let i = 0; i < chunks; i++) counts[i] = (counts[i] as number) + rows;
        rt.parallel(bySize[chunks] as Job[]);
      }
      const f = rt.f32.slice(outs >> 2, (outs >> 2) + 16 * 4);
      expect(Array.from(f)).toEqual(Array.from({ length: 16 * 4 }, (_, i) => counts[i >> 2]));
    } finally {
      rt.dispose();
    }
  });
});
