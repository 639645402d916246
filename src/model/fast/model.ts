import { runEpochBatches } from '../epoch.js';
import { Random } from '../../random.js';
import { TweetlabError } from '../../errors.js';
import type { WindowSet } from '../../types.js';
import { checkIdRange, checkWindowSet } from '../checks.js';
import { checkWeights, sizeOf, writeLayersModel, zeroRecurrentState } from '../format.js';
import { initialWeights } from '../init.js';
import type {
  BatchInfo,
  EpochOptions,
  EpochStats,
  LanguageModel,
  ModelConfig,
  NamedWeight,
  OptimizerState,
  RecurrentState,
  WeightTracker,
} from '../types.js';
import { backward } from './backward.js';
import { allocateBatch, loadBatch, type BatchBuffers } from './buffers.js';
import { dropoutRates, hasDropout, readMasks, type DropoutMasks } from './dropout.js';
import { forward } from './forward.js';
import { Generator } from './generate.js';
import { ParamLayout } from './layout.js';
import type { Net } from './net.js';
import { FastOptimizer } from './optimizer.js';
import { Parallel } from './parallel.js';
import { Runtime } from './runtime.js';

export const FAST_ENGINE_NAME = 'fast-wasm';

/**
 * The model Embedding → LSTM × layers [→ Dropout] → Dense softmax per step (variant 3: tied embeddings,
 * embedding/locked/DropConnect dropouts), trained with hand-written backprop over wasm SIMD kernels. Parameters,
 * gradients and optimiser slots are each one contiguous array in the canonical `weightSpecs` order, so the
 * optimiser is a single kernel pass. Inside a batch the rows are time-major (row = t·batch + b), which makes
 * every time step a contiguous block for the recurrent matmuls.
 */
export class FastLanguageModel implements LanguageModel {
  readonly engine = FAST_ENGINE_NAME;
  private readonly rt: Runtime;
  private readonly net: Net;
  private readonly optimizer: FastOptimizer;
  private batch: BatchBuffers | null = null;
  private gen: Generator | null = null;
  private disposed = false;

  constructor(readonly config: ModelConfig, weights: NamedWeight[] | undefined, threads: number) {
    const { layers, hidden, vocabSize, seqLength, embedding } = config;
    for (const [k, v] of Object.entries({ layers, hidden, vocabSize, seqLength, embedding })) {
      if (!Number.isInteger(v) || v < 1) throw new TweetlabError(`Model config field ${k} must be a positive integer, got ${v}`);
    }
    const layout = new ParamLayout(config);
    const rates = dropoutRates(config);
    this.rt = new Runtime(layout.total * 4 * 2 + 16 * 2 ** 20, threads);
    const par = new Parallel(this.rt);
    const params = this.rt.allocF32(layout.total);
    const grads = this.rt.allocF32(layout.total);
    this.net = { rt: this.rt, par, cfg: config, layout, rates, params, grads };
    this.optimizer = new FastOptimizer(par, layout, params, grads);
    this.setWeights(weights ?? initialWeights(config));
  }

  /** Resolves once the worker threads are up (training waits for it; until then work runs on one thread). */
  ready(): Promise<void> {
    return this.rt.ready();
  }

  get threads(): number {
    return this.rt.threads;
  }

  private check(): void {
    if (this.disposed) throw new TweetlabError('This model has been disposed');
  }

  private ensureBatch(rows: number): BatchBuffers {
    if (this.batch && this.batch.rows >= rows) return this.batch;
    this.batch = allocateBatch(this.rt, this.config, rows);
    return this.batch;
  }

  private load(b: BatchBuffers, inputs: Int32Array, targets: Int32Array | null, rows: readonly number[]): void {
    loadBatch(this.rt, this.config.seqLength, b, inputs, targets, rows);
  }

  /**
   * Loss and gradients of one batch without an update (tests and engine comparisons). With `seed`, dropout is
   * on with masks drawn from `new Random(seed)` (as a training batch does); `lastMasks()` then returns them.
   */
  lossAndGradients(inputs: Int32Array, targets: Int32Array, count: number, opts: { seed?: number } = {}):
    { loss: number; gradients: NamedWeight[] } {
    this.check();
    const b = this.ensureBatch(count);
    this.load(b, inputs, targets, Array.from({ length: count }, (_, i) => i));
    const rng = opts.seed !== undefined && hasDropout(this.net.rates) ? new Random(opts.seed) : null;
    forward(this.net, b, count, rng);
    const loss = backward(this.net, b, count);
    return { loss, gradients: this.readArrays(this.net.grads) };
  }

  /** The dropout masks of the last forward pass (null entries where a dropout is off or was not applied). */
  lastMasks(): DropoutMasks {
    this.check();
    if (!this.batch) throw new TweetlabError('lastMasks: no batch has run yet');
    return readMasks(this.rt.f32, this.net.layout, this.batch);
  }

  async trainEpoch(data: WindowSet, opts: EpochOptions, onBatch?: (b: BatchInfo) => void): Promise<EpochStats> {
    this.check();
    checkWindowSet(data, this.config);
    await this.rt.ready();
    const slots = this.optimizer.ensure(opts.optimizer);
    const b = this.ensureBatch(Math.min(Math.max(1, Math.floor(opts.batchSize)), Math.max(1, data.count)));
    const dropout = hasDropout(this.net.rates);
    const trainBatch = (rows: number[], dropoutSeed: number): number => {
      this.load(b, data.inputs, data.targets, rows);
      forward(this.net, b, rows.length, dropout ? new Random(dropoutSeed) : null);
      const loss = backward(this.net, b, rows.length);
      if (Number.isFinite(loss)) this.optimizer.apply(slots); // a diverged batch is reported, not applied
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
    const { seqLength: T, vocabSize: V } = this.config;
    const size = Math.min(this.evalBatchSize(), data.count);
    const b = this.ensureBatch(size);
    let total = 0;
    for (let start = 0; start < data.count; start += size) {
      const rows = Array.from({ length: Math.min(size, data.count - start) }, (_, i) => start + i);
      this.load(b, data.inputs, data.targets, rows);
      forward(this.net, b, rows.length, null);
      total += this.net.par.softmaxXent(b.logits, V, rows.length * T, b.targets, 0, true);
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
      this.load(b, inputs, null, Array.from({ length: B }, (_, i) => start + i));
      forward(this.net, b, B, null);
      this.net.par.softmaxXent(b.logits, V, B * T, b.targets, 0, false);
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
    const V = this.config.vocabSize;
    if (!Number.isInteger(token) || token < 0 || token >= V) {
      throw new TweetlabError(`step: token id ${token} is outside the vocabulary (0..${V - 1})`);
    }
    this.gen ??= new Generator(this.net);
    return this.gen.step(state, token);
  }

  private readArrays(base: number): NamedWeight[] {
    const f32 = this.rt.f32;
    return this.net.layout.specs.map((s, k) => {
      const start = this.net.layout.ptr(k, base) >> 2;
      return { name: s.name, shape: [...s.shape], values: f32.slice(start, start + sizeOf(s.shape)) };
    });
  }

  getWeights(): NamedWeight[] {
    this.check();
    return this.readArrays(this.net.params);
  }

  setWeights(weights: NamedWeight[]): void {
    this.check();
    checkWeights(this.config, weights, 'setWeights');
    const f32 = this.rt.f32;
    weights.forEach((w, k) => f32.set(w.values, this.net.layout.ptr(k, this.net.params) >> 2));
  }

  /** The average lives in wasm memory beside the parameters: one `scaleAdd` pass per update, no copy out. */
  trackWeightAverage(decay: number): WeightTracker {
    this.check();
    const { layout, par, params } = this.net;
    const total = layout.total;
    const sums = this.rt.allocF32(total);
    this.rt.k.zero(sums, total);
    let mass = 0; // total weight given so far: the bias correction, as in WeightAverage
    return {
      update: () => {
        this.check();
        par.elementwise(total, (o, len) => ['scaleAdd', [sums + o, params + o, len, decay, 1 - decay]]);
        mass = decay * mass + (1 - decay);
      },
      weights: () => {
        if (mass === 0) return null;
        const scale = 1 / mass;
        return this.readArrays(sums).map((w) => ({ ...w, values: w.values.map((x) => x * scale) }));
      },
    };
  }

  getOptimizerState(): OptimizerState | null {
    this.check();
    return this.optimizer.getState((base) => this.readArrays(base));
  }

  setOptimizerState(state: OptimizerState): void {
    this.check();
    this.optimizer.setState(state);
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
