import { runEpochBatches } from '../epoch.js';
import { Random } from '../../random.js';
import { TweetlabError } from '../../errors.js';
import type { WindowSet } from '../../types.js';
import { checkWeights, sizeOf, weightSpecs, writeLayersModel, zeroRecurrentState, type WeightSpec } from '../format.js';
import { initialWeights } from '../init.js';
import type {
  BatchInfo,
  EpochOptions,
  EpochStats,
  LanguageModel,
  ModelConfig,
  NamedWeight,
  OptimizerSettings,
  OptimizerState,
  RecurrentState,
} from '../types.js';
import { Runtime, type Job } from './runtime.js';

export const FAST_ENGINE_NAME = 'fast-wasm';

/** Buffers of one training/inference batch shape (capacity `rows` windows), all byte offsets in wasm memory. */
interface BatchBuffers {
  rows: number;
  ids: number;
  targets: number;
  x0: number;
  /** Per layer: gates (then their gradients), cell states, outputs, dropout mask, dropout output, output grads. */
  gates: number[];
  cells: number[];
  outs: number[];
  masks: number[];
  dropped: number[];
  dOuts: number[];
  dCell: number;
  dX0: number;
  logits: number;
}

interface Slots {
  settings: OptimizerSettings;
  iterations: number;
  /** One or two arrays laid out like the parameters (rmsprop: [rms]; adam: [m, v]). */
  ptrs: number[];
}

function slotNames(kind: OptimizerSettings['kind']): string[] {
  return kind === 'adam' ? ['m', 'v'] : ['rms'];
}

function sameSettings(a: OptimizerSettings, b: OptimizerSettings): boolean {
  return a.kind === b.kind && a.learningRate === b.learningRate && a.rho === b.rho && a.beta1 === b.beta1 &&
    a.beta2 === b.beta2 && a.epsilon === b.epsilon;
}

/**
 * The model Embedding → LSTM × layers [→ Dropout] → Dense softmax per step, trained with hand-written
 * backprop over wasm SIMD kernels. Parameters, gradients and optimiser slots are each one contiguous array
 * in the canonical `weightSpecs` order, so the optimiser is a single kernel pass. Inside a batch the rows are
 * time-major (row = t·batch + b), which makes every time step a contiguous block for the recurrent matmuls.
 */
export class FastLanguageModel implements LanguageModel {
  readonly engine = FAST_ENGINE_NAME;
  private readonly rt: Runtime;
  private readonly specs: WeightSpec[];
  private readonly offsets: number[] = [];
  private readonly total: number;
  private readonly params: number;
  private readonly grads: number;
  private batch: BatchBuffers | null = null;
  private slots: Slots | null = null;
  private gen: { x: number; z: number; h: number[]; c: number[]; cOut: number; logits: number } | null = null;
  private disposed = false;

  constructor(readonly config: ModelConfig, weights: NamedWeight[] | undefined, threads: number) {
    const { layers, hidden, vocabSize, seqLength, embedding } = config;
    for (const [k, v] of Object.entries({ layers, hidden, vocabSize, seqLength, embedding })) {
      if (!Number.isInteger(v) || v < 1) throw new TweetlabError(`Model config field ${k} must be a positive integer, got ${v}`);
    }
    this.specs = weightSpecs(config);
    let total = 0;
    for (const s of this.specs) {
      this.offsets.push(total);
      total += sizeOf(s.shape);
    }
    this.total = total;
    this.rt = new Runtime(total * 4 * 2 + 16 * 2 ** 20, threads);
    this.params = this.rt.allocF32(total);
    this.grads = this.rt.allocF32(total);
    this.setWeights(weights ?? initialWeights(config));
  }

  /** Resolves once the worker threads are up (training waits for it; until then work runs on one thread). */
  ready(): Promise<void> {
    return this.rt.ready();
  }

  get threads(): number {
    return this.rt.threads;
  }

  private ptr(k: number, base = this.params): number {
    return base + (this.offsets[k] as number) * 4;
  }

  private emb(base = this.params): number {
    return this.ptr(0, base);
  }
  private kernel(l: number, base = this.params): number {
    return this.ptr(1 + 3 * l, base);
  }
  private recurrent(l: number, base = this.params): number {
    return this.ptr(2 + 3 * l, base);
  }
  private bias(l: number, base = this.params): number {
    return this.ptr(3 + 3 * l, base);
  }
  private outKernel(base = this.params): number {
    return this.ptr(1 + 3 * this.config.layers, base);
  }
  private outBias(base = this.params): number {
    return this.ptr(2 + 3 * this.config.layers, base);
  }

  private check(): void {
    if (this.disposed) throw new TweetlabError('This model has been disposed');
  }

  // -------------------------------------------------------------------------------------------------------
  // Parallel building blocks

  private gemm(tA: number, tB: number, M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number,
    C: number, ldc: number, beta: number): void {
    this.rt.gemm(tA, tB, M, N, K, A, lda, B, ldb, C, ldc, beta);
  }

  /** Splits `rows` rows into per-thread ranges (at least `minRows` each). */
  private rowSplit(rows: number, minRows: number): [number, number][] {
    // Two chunks per thread: threads take chunks as they come, so a descheduled thread does not stall the rest.
    const T = Math.max(1, Math.min(this.rt.threads === 1 ? 1 : 2 * this.rt.threads, Math.floor(rows / minRows)));
    const per = Math.ceil(rows / T);
    const out: [number, number][] = [];
    for (let r0 = 0; r0 < rows; r0 += per) out.push([r0, Math.min(per, rows - r0)]);
    return out;
  }

  private softmaxXent(Z: number, rows: number, targets: number, scale: number, withTargets: boolean): number {
    const V = this.config.vocabSize;
    // A fixed split (not per thread): the loss is the sum of the chunks' sums in chunk order, so the same chunks
    // on one thread or two give the same bits.
    const chunks = Math.max(1, Math.min(8, Math.floor(rows / 16)));
    const per = Math.ceil(rows / chunks);
    const split: [number, number][] = [];
    for (let r0 = 0; r0 < rows; r0 += per) split.push([r0, Math.min(per, rows - r0)]);
    const jobs: Job[] = split.map(([r0, n]) => [
      'softmaxXent', [Z + r0 * V * 4, V, n, V, targets + r0 * 4, scale, withTargets ? 1 : 0],
    ]);
    return this.rt.parallel(jobs).reduce((a, b) => a + b, 0);
  }

  private colSum(Z: number, ldz: number, rows: number, cols: number, out: number): void {
    const T = this.rt.threads;
    if (T === 1 || rows * cols < 1e5) {
      this.rt.call('colSum', [Z, ldz, rows, cols, out, 0]);
      return;
    }
    const per = Math.ceil(cols / T / 4) * 4;
    const jobs: Job[] = [];
    for (let j0 = 0; j0 < cols; j0 += per) {
      jobs.push(['colSum', [Z + j0 * 4, ldz, rows, Math.min(per, cols - j0), out + j0 * 4, 0]]);
    }
    this.rt.parallel(jobs);
  }

  private cellForward(G: number, cPrev: number, cOut: number, hOut: number, rows: number): void {
    const H = this.config.hidden;
    this.rt.parallel(this.rowSplit(rows, 8).map(([r0, n]) => [
      'lstmForwardStep', [G + r0 * 4 * H * 4, cPrev ? cPrev + r0 * H * 4 : 0, cOut + r0 * H * 4, hOut + r0 * H * 4, n, H],
    ]));
  }

  private cellBackward(G: number, c: number, cPrev: number, dH: number, dC: number, hasDC: boolean, rows: number): void {
    const H = this.config.hidden;
    this.rt.parallel(this.rowSplit(rows, 8).map(([r0, n]) => [
      'lstmBackwardStep',
      [G + r0 * 4 * H * 4, c + r0 * H * 4, cPrev ? cPrev + r0 * H * 4 : 0, dH + r0 * H * 4, dC + r0 * H * 4, hasDC ? 1 : 0, n, H],
    ]));
  }

  // -------------------------------------------------------------------------------------------------------
  // Forward and backward over one batch

  private ensureBatch(rows: number): BatchBuffers {
    if (this.batch && this.batch.rows >= rows) return this.batch;
    const { layers, hidden: H, embedding: E, vocabSize: V, seqLength: T, dropout } = this.config;
    const n = rows * T;
    const a = (count: number): number => this.rt.allocF32(count);
    const b: BatchBuffers = {
      rows,
      ids: a(n),
      targets: a(n),
      x0: a(n * E),
      gates: [],
      cells: [],
      outs: [],
      masks: [],
      dropped: [],
      dOuts: [],
      dCell: a(rows * H),
      dX0: a(n * E),
      logits: a(n * V),
    };
    for (let l = 0; l < layers; l++) {
      b.gates.push(a(n * 4 * H));
      b.cells.push(a(n * H));
      b.outs.push(a(n * H));
      b.masks.push(dropout > 0 ? a(n * H) : 0);
      b.dropped.push(dropout > 0 ? a(n * H) : 0);
      b.dOuts.push(a(n * H));
    }
    this.batch = b;
    return b;
  }

  /** Copies windows `rows` of (inputs, targets) into the batch buffers, time-major. */
  private loadBatch(b: BatchBuffers, inputs: Int32Array, targets: Int32Array | null, rows: readonly number[]): void {
    const T = this.config.seqLength;
    const B = rows.length;
    const i32 = this.rt.i32;
    const ids = b.ids >> 2;
    const tg = b.targets >> 2;
    for (let r = 0; r < B; r++) {
      const w = (rows[r] as number) * T;
      for (let t = 0; t < T; t++) {
        i32[ids + t * B + r] = inputs[w + t] as number;
        if (targets) i32[tg + t * B + r] = targets[w + t] as number;
      }
    }
  }

  /** Forward pass of B windows already in `b`; leaves logits in b.logits. dropoutRng = null: no dropout. */
  private forward(b: BatchBuffers, B: number, dropoutRng: Random | null): void {
    const { layers, hidden: H, embedding: E, vocabSize: V, seqLength: T, dropout } = this.config;
    const n = B * T;
    const k = this.rt.k;
    k.gatherRows(this.emb(), E, b.ids, n, b.x0);
    let input = b.x0;
    let D = E;
    for (let l = 0; l < layers; l++) {
      const G = b.gates[l] as number;
      const Cs = b.cells[l] as number;
      const Hs = b.outs[l] as number;
      k.fillRows(G, 4 * H, n, 4 * H, this.bias(l));
      this.gemm(0, 0, n, 4 * H, D, input, D, this.kernel(l), 4 * H, G, 4 * H, 1);
      const step = B * H * 4;
      for (let t = 0; t < T; t++) {
        const Gt = G + t * 4 * step;
        if (t > 0) this.gemm(0, 0, B, 4 * H, H, Hs + (t - 1) * step, H, this.recurrent(l), 4 * H, Gt, 4 * H, 1);
        this.cellForward(Gt, t > 0 ? Cs + (t - 1) * step : 0, Cs + t * step, Hs + t * step, B);
      }
      input = Hs;
      if (dropoutRng && dropout > 0) {
        // Masks come from a hash of a seed drawn from the epoch's Random, so they are seeded and reproducible.
        const seed = dropoutRng.int(2 ** 32) >>> 0;
        const keep = 1 - dropout;
        const mask = b.masks[l] as number;
        const out = b.dropped[l] as number;
        this.rt.parallel(this.rowSplit(n * H, 4096).map(([i0, len]) => [
          'dropout', [Hs + i0 * 4, mask + i0 * 4, out + i0 * 4, len, i0, seed, keep, 1 / keep],
        ]));
        input = out;
      }
      D = H;
    }
    k.fillRows(b.logits, V, n, V, this.outBias());
    this.gemm(0, 0, n, V, H, input, H, this.outKernel(), V, b.logits, V, 1);
  }

  /** Loss of the batch and every gradient into `this.grads` (forward must have run with the same dropout). */
  private backward(b: BatchBuffers, B: number, useDropout: boolean): number {
    const { layers, hidden: H, embedding: E, vocabSize: V, seqLength: T, dropout } = this.config;
    const n = B * T;
    const k = this.rt.k;
    const withDropout = useDropout && dropout > 0;
    const loss = this.softmaxXent(b.logits, n, b.targets, 1 / n, true) / n;
    const top = withDropout ? (b.dropped[layers - 1] as number) : (b.outs[layers - 1] as number);
    this.gemm(1, 0, H, V, n, top, H, b.logits, V, this.outKernel(this.grads), V, 0);
    this.colSum(b.logits, V, n, V, this.outBias(this.grads));
    this.gemm(0, 1, n, H, V, b.logits, V, this.outKernel(), V, b.dOuts[layers - 1] as number, H, 0);
    const step = B * H * 4;
    for (let l = layers - 1; l >= 0; l--) {
      const G = b.gates[l] as number;
      const Cs = b.cells[l] as number;
      const Hs = b.outs[l] as number;
      const dHs = b.dOuts[l] as number;
      if (withDropout) k.mul(dHs, b.masks[l] as number, dHs, n * H);
      for (let t = T - 1; t >= 0; t--) {
        const Gt = G + t * 4 * step;
        this.cellBackward(Gt, Cs + t * step, t > 0 ? Cs + (t - 1) * step : 0, dHs + t * step, b.dCell, t < T - 1, B);
        if (t > 0) this.gemm(0, 1, B, H, 4 * H, Gt, 4 * H, this.recurrent(l), 4 * H, dHs + (t - 1) * step, H, 1);
      }
      // Recurrent kernel: Σ_t h_{t−1}ᵀ·dZ_t, one matmul over steps 1..T−1 (h_{−1} = 0).
      this.gemm(1, 0, H, 4 * H, (T - 1) * B, Hs, H, G + 4 * step, 4 * H, this.recurrent(l, this.grads), 4 * H, 0);
      const input = l === 0 ? b.x0 : withDropout ? (b.dropped[l - 1] as number) : (b.outs[l - 1] as number);
      const D = l === 0 ? E : H;
      this.gemm(1, 0, D, 4 * H, n, input, D, G, 4 * H, this.kernel(l, this.grads), 4 * H, 0);
      this.colSum(G, 4 * H, n, 4 * H, this.bias(l, this.grads));
      const dInput = l === 0 ? b.dX0 : (b.dOuts[l - 1] as number);
      this.gemm(0, 1, n, D, 4 * H, G, 4 * H, this.kernel(l), 4 * H, dInput, D, 0);
    }
    k.zero(this.emb(this.grads), V * E);
    k.scatterAddRows(this.emb(this.grads), E, b.ids, n, b.dX0);
    return loss;
  }

  private ensureSlots(settings: OptimizerSettings): Slots {
    if (this.slots && sameSettings(this.slots.settings, settings)) return this.slots;
    if (this.slots && this.slots.settings.kind === settings.kind) {
      this.slots.settings = { ...settings };
      return this.slots;
    }
    const count = slotNames(settings.kind).length;
    const ptrs = this.slots && this.slots.ptrs.length >= count ? this.slots.ptrs.slice(0, count) : [];
    while (ptrs.length < count) ptrs.push(this.rt.allocF32(this.total));
    for (const p of ptrs) this.rt.k.zero(p, this.total);
    this.slots = { settings: { ...settings }, iterations: 0, ptrs };
    return this.slots;
  }

  private applyGradients(slots: Slots): void {
    const s = slots.settings;
    slots.iterations += 1;
    const t = slots.iterations;
    const jobs: Job[] = [];
    const T = this.rt.threads;
    const per = Math.ceil(this.total / T / 4) * 4;
    for (let i0 = 0; i0 < this.total; i0 += per) {
      const len = Math.min(per, this.total - i0);
      const off = i0 * 4;
      if (s.kind === 'rmsprop') {
        jobs.push(['rmsprop', [this.params + off, this.grads + off, (slots.ptrs[0] as number) + off, len, s.learningRate, s.rho, s.epsilon]]);
      } else {
        const rate = (s.learningRate * Math.sqrt(1 - s.beta2 ** t)) / (1 - s.beta1 ** t);
        jobs.push(['adam', [this.params + off, this.grads + off, (slots.ptrs[0] as number) + off, (slots.ptrs[1] as number) + off,
          len, rate, s.beta1, s.beta2, s.epsilon]]);
      }
    }
    this.rt.parallel(jobs);
  }

  /** Loss and gradients of one batch without an update (tests and engine comparisons). */
  lossAndGradients(inputs: Int32Array, targets: Int32Array, count: number): { loss: number; gradients: NamedWeight[] } {
    this.check();
    const rows = Array.from({ length: count }, (_, i) => i);
    const b = this.ensureBatch(count);
    this.loadBatch(b, inputs, targets, rows);
    this.forward(b, count, null);
    const loss = this.backward(b, count, false);
    return { loss, gradients: this.readArrays(this.grads) };
  }

  async trainEpoch(data: WindowSet, opts: EpochOptions, onBatch?: (b: BatchInfo) => void): Promise<EpochStats> {
    this.check();
    checkWindowSet(data, this.config);
    await this.rt.ready();
    const slots = this.ensureSlots(opts.optimizer);
    const b = this.ensureBatch(Math.min(Math.max(1, Math.floor(opts.batchSize)), Math.max(1, data.count)));
    const trainBatch = (rows: number[], dropoutSeed: number): number => {
      this.loadBatch(b, data.inputs, data.targets, rows);
      const batchRng = this.config.dropout > 0 ? new Random(dropoutSeed) : null;
      this.forward(b, rows.length, batchRng);
      const loss = this.backward(b, rows.length, batchRng !== null);
      if (Number.isFinite(loss)) this.applyGradients(slots); // a diverged batch is reported, not applied
      return loss;
    };
    return runEpochBatches(data, opts, trainBatch, onBatch);
  }

  private evalBatchSize(): number {
    return Math.max(1, Math.min(256, this.batch?.rows ?? 256));
  }

  async evaluate(data: WindowSet): Promise<{ loss: number; perplexity: number }> {
    this.check();
    checkWindowSet(data, this.config);
    if (data.count === 0) return { loss: Number.NaN, perplexity: Number.NaN };
    await this.rt.ready();
    const T = this.config.seqLength;
    const size = Math.min(this.evalBatchSize(), data.count);
    const b = this.ensureBatch(size);
    let total = 0;
    for (let start = 0; start < data.count; start += size) {
      const rows = Array.from({ length: Math.min(size, data.count - start) }, (_, i) => start + i);
      this.loadBatch(b, data.inputs, data.targets, rows);
      this.forward(b, rows.length, null);
      total += this.softmaxXent(b.logits, rows.length * T, b.targets, 0, true);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const loss = total / (data.count * T);
    return { loss, perplexity: Math.exp(loss) };
  }

  async predict(inputs: Int32Array, count: number): Promise<Float32Array> {
    this.check();
    const { seqLength: T, vocabSize: V } = this.config;
    if (inputs.length !== count * T) throw new TweetlabError(`predict: ${inputs.length} ids do not make ${count} windows of ${T}`);
    checkIdRange(inputs, V, 'predict inputs');
    await this.rt.ready();
    const out = new Float32Array(count * T * V);
    const size = Math.max(1, Math.min(this.evalBatchSize(), count));
    const b = this.ensureBatch(size);
    for (let start = 0; start < count; start += size) {
      const B = Math.min(size, count - start);
      const rows = Array.from({ length: B }, (_, i) => start + i);
      this.loadBatch(b, inputs, null, rows);
      this.forward(b, B, null);
      this.softmaxXent(b.logits, B * T, b.targets, 0, false);
      const f32 = this.rt.f32;
      for (let t = 0; t < T; t++) {
        for (let r = 0; r < B; r++) {
          const src = (b.logits >> 2) + (t * B + r) * V;
          out.set(f32.subarray(src, src + V), ((start + r) * T + t) * V);
        }
      }
    }
    return out;
  }

  startState(): RecurrentState {
    return zeroRecurrentState(this.config);
  }

  step(state: RecurrentState, token: number): Float32Array {
    this.check();
    const { layers, hidden: H, embedding: E, vocabSize: V } = this.config;
    if (!Number.isInteger(token) || token < 0 || token >= V) {
      throw new TweetlabError(`step: token id ${token} is outside the vocabulary (0..${V - 1})`);
    }
    if (!this.gen) {
      this.gen = {
        x: this.rt.allocF32(Math.max(E, H)),
        z: this.rt.allocF32(4 * H),
        h: Array.from({ length: layers }, () => this.rt.allocF32(H)),
        c: Array.from({ length: layers }, () => this.rt.allocF32(H)),
        cOut: this.rt.allocF32(H),
        logits: this.rt.allocF32(V),
      };
    }
    const g = this.gen;
    const k = this.rt.k;
    let f32 = this.rt.f32;
    for (let l = 0; l < layers; l++) {
      f32.set(state.h[l] as Float32Array, (g.h[l] as number) >> 2);
      f32.set(state.c[l] as Float32Array, (g.c[l] as number) >> 2);
    }
    let x = this.emb() + token * E * 4;
    let D = E;
    for (let l = 0; l < layers; l++) {
      const h = g.h[l] as number;
      const c = g.c[l] as number;
      k.gemv(x, D, this.kernel(l), 4 * H, 4 * H, this.bias(l), g.z, 0);
      k.gemv(h, H, this.recurrent(l), 4 * H, 4 * H, 0, g.z, 1);
      k.lstmForwardStep(g.z, c, g.cOut, h, 1, H);
      f32 = this.rt.f32;
      f32.copyWithin(c >> 2, g.cOut >> 2, (g.cOut >> 2) + H);
      x = h;
      D = H;
    }
    this.outputProbabilities(x, g.logits);
    f32 = this.rt.f32;
    for (let l = 0; l < layers; l++) {
      (state.h[l] as Float32Array).set(f32.subarray((g.h[l] as number) >> 2, ((g.h[l] as number) >> 2) + H));
      (state.c[l] as Float32Array).set(f32.subarray((g.c[l] as number) >> 2, ((g.c[l] as number) >> 2) + H));
    }
    return f32.slice(g.logits >> 2, (g.logits >> 2) + V);
  }

  /** logits = h·W + b over the vocabulary (split by columns between threads), then softmax. */
  private outputProbabilities(h: number, logits: number): void {
    const { hidden: H, vocabSize: V } = this.config;
    const T = this.rt.threads;
    const per = Math.ceil(V / T / 16) * 16;
    const jobs: Job[] = [];
    for (let j0 = 0; j0 < V; j0 += per) {
      jobs.push(['gemv', [h, H, this.outKernel() + j0 * 4, V, Math.min(per, V - j0), this.outBias() + j0 * 4, logits + j0 * 4, 0]]);
    }
    this.rt.parallel(jobs);
    this.rt.k.softmaxXent(logits, V, 1, V, 0, 0, 0);
  }

  private readArrays(base: number): NamedWeight[] {
    const f32 = this.rt.f32;
    return this.specs.map((s, k) => {
      const start = (this.ptr(k, base) >> 2);
      return { name: s.name, shape: [...s.shape], values: f32.slice(start, start + sizeOf(s.shape)) };
    });
  }

  getWeights(): NamedWeight[] {
    this.check();
    return this.readArrays(this.params);
  }

  setWeights(weights: NamedWeight[]): void {
    this.check();
    checkWeights(this.config, weights, 'setWeights');
    const f32 = this.rt.f32;
    weights.forEach((w, k) => f32.set(w.values, this.ptr(k) >> 2));
  }

  getOptimizerState(): OptimizerState | null {
    this.check();
    const s = this.slots;
    if (!s) return null;
    const names = slotNames(s.settings.kind);
    const arrays = s.ptrs.map((p) => this.readArrays(p));
    const slots: NamedWeight[] = [];
    this.specs.forEach((spec, k) => {
      names.forEach((n, j) => {
        const a = (arrays[j] as NamedWeight[])[k] as NamedWeight;
        slots.push({ name: `${spec.name}/${n}`, shape: [...spec.shape], values: a.values });
      });
    });
    return { settings: { ...s.settings }, iterations: s.iterations, slots };
  }

  setOptimizerState(state: OptimizerState): void {
    this.check();
    const names = slotNames(state.settings.kind);
    const byName = new Map(state.slots.map((s) => [s.name, s]));
    const slots = this.ensureSlots(state.settings);
    const f32 = this.rt.f32;
    this.specs.forEach((spec, k) => {
      names.forEach((n, j) => {
        const slot = byName.get(`${spec.name}/${n}`);
        if (!slot || slot.values.length !== sizeOf(spec.shape)) {
          throw new TweetlabError(`Optimizer state has no matching slot ${spec.name}/${n}`);
        }
        f32.set(slot.values, this.ptr(k, slots.ptrs[j] as number) >> 2);
      });
    });
    slots.settings = { ...state.settings };
    slots.iterations = state.iterations;
  }

  async save(dir: string): Promise<void> {
    await writeLayersModel(dir, this.config, this.getWeights());
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.rt.dispose();
  }
}

function checkIdRange(ids: Int32Array, vocabSize: number, what: string): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (id < 0 || id >= vocabSize) throw new TweetlabError(`${what}: id ${id} at position ${i} is outside the vocabulary (0..${vocabSize - 1})`);
  }
}

function checkWindowSet(data: WindowSet, cfg: ModelConfig): void {
  if (data.seqLength !== cfg.seqLength) {
    throw new TweetlabError(`The windows have length ${data.seqLength}, the model was built for ${cfg.seqLength}`);
  }
  if (data.inputs.length < data.count * cfg.seqLength || data.targets.length < data.count * cfg.seqLength) {
    throw new TweetlabError(`The window set is shorter than its count of ${data.count} windows`);
  }
  checkIdRange(data.inputs.subarray(0, data.count * cfg.seqLength), cfg.vocabSize, 'training inputs');
  checkIdRange(data.targets.subarray(0, data.count * cfg.seqLength), cfg.vocabSize, 'training targets');
}
