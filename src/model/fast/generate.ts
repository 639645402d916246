import type { RecurrentState } from '../types.js';
import type { Job } from './runtime.js';
import type { Net } from './net.js';

/** One-token steps for generation: the LSTM state is copied in, advanced one word, and copied back. */
export class Generator {
  private readonly x: number;
  private readonly z: number;
  private readonly h: number[];
  private readonly c: number[];
  private readonly cOut: number;
  private readonly logits: number;

  constructor(private readonly net: Net) {
    const { layers, hidden: H, embedding: E, vocabSize: V } = net.cfg;
    const rt = net.rt;
    this.x = rt.allocF32(Math.max(E, H));
    this.z = rt.allocF32(4 * H);
    this.h = Array.from({ length: layers }, () => rt.allocF32(H));
    this.c = Array.from({ length: layers }, () => rt.allocF32(H));
    this.cOut = rt.allocF32(H);
    this.logits = rt.allocF32(V);
  }

  /** Feeds `token`, updates `state` in place, returns next-word probabilities. */
  step(state: RecurrentState, token: number): Float32Array {
    const { layers, hidden: H, embedding: E, vocabSize: V } = this.net.cfg;
    const { rt, layout, params } = this.net;
    const k = rt.k;
    let f32 = rt.f32;
    for (let l = 0; l < layers; l++) {
      f32.set(state.h[l] as Float32Array, (this.h[l] as number) >> 2);
      f32.set(state.c[l] as Float32Array, (this.c[l] as number) >> 2);
    }
    let x = layout.emb(params) + token * E * 4;
    let D = E;
    for (let l = 0; l < layers; l++) {
      const h = this.h[l] as number;
      const c = this.c[l] as number;
      k.gemv(x, D, layout.kernel(l, params), 4 * H, 4 * H, layout.bias(l, params), this.z, 0);
      k.gemv(h, H, layout.recurrent(l, params), 4 * H, 4 * H, 0, this.z, 1);
      k.lstmForwardStep(this.z, c, this.cOut, h, 1, H);
      f32 = rt.f32;
      f32.copyWithin(c >> 2, this.cOut >> 2, (this.cOut >> 2) + H);
      x = h;
      D = H;
    }
    this.outputProbabilities(x);
    f32 = rt.f32;
    for (let l = 0; l < layers; l++) {
      (state.h[l] as Float32Array).set(f32.subarray((this.h[l] as number) >> 2, ((this.h[l] as number) >> 2) + H));
      (state.c[l] as Float32Array).set(f32.subarray((this.c[l] as number) >> 2, ((this.c[l] as number) >> 2) + H));
    }
    return f32.slice(this.logits >> 2, (this.logits >> 2) + V);
  }

  /** logits = h·W + b over the vocabulary (split by columns between threads; tied: row dot products), then softmax. */
  private outputProbabilities(h: number): void {
    const { hidden: H, vocabSize: V, tied } = this.net.cfg;
    const { rt, layout, params } = this.net;
    const T = rt.threads;
    const per = Math.ceil(V / T / 16) * 16;
    const jobs: Job[] = [];
    const bias = layout.outBias(params);
    for (let j0 = 0; j0 < V; j0 += per) {
      const n = Math.min(per, V - j0);
      const out = this.logits + j0 * 4;
      jobs.push(tied
        ? ['rowDots', [layout.emb(params) + j0 * H * 4, H, n, h, H, bias + j0 * 4, out]]
        : ['gemv', [h, H, layout.outKernel(params) + j0 * 4, V, n, bias + j0 * 4, out, 0]]);
    }
    rt.parallel(jobs);
    rt.k.softmaxXent(this.logits, V, 1, V, 0, 0, 0);
  }
}
