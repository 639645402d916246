import { runEpochBatches } from './epoch.js';
import * as tf from '@tensorflow/tfjs';
import { TweetlabError } from '../errors.js';
import { pickWindows } from '../dataset/windows.js';
import type { WindowSet } from '../types.js';
import { activateBackend, ENGINE_OF_BACKEND, type BackendName } from './tfjs-backend.js';
import { checkWeights, layersWeights, weightSpecs, writeLayersModel, zeroRecurrentState, type WeightSpec } from './format.js';
import { checkIdRange, clipFactor, checkWindowSet, keepsOptimizerState, optimizerSlotNames } from './checks.js';
import { initialWeights } from './init.js';
import { drawMasksJs, dropoutRates } from './masks.js';
import { lstmStep } from './lstm-step.js';
import { regularisedLogits } from './tfjs-regularised.js';
import { Random } from '../random.js';
import type {
  BatchInfo,
  Engine,
  EpochOptions,
  EpochStats,
  LanguageModel,
  ModelConfig,
  NamedWeight,
  OptimizerSettings,
  OptimizerState,
  RecurrentState,
} from './types.js';

/**
 * The tfjs engine: the Keras model Embedding → LSTM × layers [→ Dropout] → Dense(softmax per step), written as
 * tfjs ops over the layer weights rather than through tf.layers, because that lets it
 * - multiply by transposes explicitly in backprop (the wasm backend runs transposed matmuls ~10× slower),
 * - fuse softmax and sparse cross-entropy (stable, and no one-hot inputs),
 * - use seeded dropout masks and its own Keras-exact optimisers whose state can be saved.
 * The weights keep Keras' names and layouts, so saved models load with stock `tf.loadLayersModel`.
 */

export { lstmStep } from './lstm-step.js';

export async function createTfjsEngine(backend: BackendName): Promise<Engine> {
  await activateBackend(backend);
  return {
    name: ENGINE_OF_BACKEND[backend],
    createModel: (cfg: ModelConfig, weights?: NamedWeight[]) => new TfjsLanguageModel(cfg, backend, weights),
  };
}

/** a·b whose gradient uses explicit transposes + plain matmuls (fast on wasm). */
const matMulPlainGrad = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * Mean sparse softmax cross-entropy of `logits` [n, vocab] against integer `targets` [n]:
 * loss = mean(logSumExp(row) − row[target]); gradient (softmax − onehot) / n, computed once.
 */
export function sparseSoftmaxCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  const [n, vocab] = logits.shape;
  const f = tf.customGrad(((lg: tf.Tensor, save: tf.GradSaveFunc) => {
    // Forward passes over [n, vocab]: max, subtract, exp, sum. The target logits are gathered, not masked.
    const shifted = tf.sub(lg, tf.max(lg, 1, true));
    const e = tf.exp(shifted);
    const total = tf.sum(e, 1, true);
    const rows = tf.add(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(vocab, 'int32')), targets);
    const picked = tf.gather(tf.reshape(shifted, [n * vocab]), rows);
    save([e, total]);
    return {
      value: tf.div(tf.sub(tf.sum(tf.log(total)), tf.sum(picked)), n),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [se, st] = saved as [tf.Tensor, tf.Tensor];
        // (wasm's OneHot ignores a float32 dtype and writes int32 bits: cast instead)
        const oneHot = tf.cast(tf.oneHot(targets, vocab), 'float32');
        return tf.mul(tf.sub(tf.div(se, st), oneHot), tf.div(dy, n));
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (lg: tf.Tensor2D) => tf.Scalar;
  return f(logits);
}

interface SlotSet {
  settings: OptimizerSettings;
  iterations: number;
  /** Per variable: rmsprop [rms]; adam [m, v]. */
  slots: tf.Variable[][];
}

/** The variant-3 dropouts are implemented for variant 3 only here (fast-wasm also takes them on variants 1–2). */
function checkTrainable(cfg: ModelConfig): void {
  const r = dropoutRates(cfg);
  if (cfg.variant !== 3 && (r.embedding > 0 || r.input > 0 || r.recurrent > 0 || r.locked.some((p) => p > 0))) {
    throw new TweetlabError(
      `Model variant ${cfg.variant} with embedding/input/output/recurrent dropout trains on the fast-wasm engine (--backend fast-wasm)`,
    );
  }
}

export class TfjsLanguageModel implements LanguageModel {
  readonly engine: string;
  private readonly specs: WeightSpec[];
  private readonly vars: tf.Variable[];
  private optimizer: SlotSet | null = null;
  /** Weights copied to JS for `step()`; dropped whenever training changes them. */
  private jsWeights: Float32Array[] | null = null;
  private disposed = false;

  constructor(
    readonly config: ModelConfig,
    private readonly backend: BackendName,
    weights?: NamedWeight[],
  ) {
    this.engine = ENGINE_OF_BACKEND[backend];
    this.specs = weightSpecs(config);
    const init = weights ?? initialWeights(config);
    checkWeights(config, init, 'the weights given to createModel');
    this.vars = init.map((w) => tf.variable(tf.tensor(w.values, w.shape, 'float32'), true));
  }

  private mm(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
    return this.backend === 'wasm' ? matMulPlainGrad(a, b) : tf.matMul(a, b);
  }

  private async ensureBackend(): Promise<void> {
    if (this.disposed) throw new TweetlabError('This model has been disposed');
    if (tf.getBackend() !== this.backend) await activateBackend(this.backend);
  }

  /** Logits [batch·seqLength, vocab] of a batch of id windows [batch, seqLength]. */
  private logits(ids: tf.Tensor2D, dropoutSeed: number | null): tf.Tensor2D {
    if (this.config.variant === 3) {
      // The batch's masks come from the same seeded draws and hash as fast-wasm's, so both train alike.
      const masks = dropoutSeed === null ? null : drawMasksJs(this.config, ids.shape[0], new Random(dropoutSeed));
      return regularisedLogits(this.config, this.vars, ids, masks, (a, b) => this.mm(a, b), (x, k, r, b) => this.lstmLayer(x, k, r, b));
    }
    const { layers, hidden, dropout, vocabSize } = this.config;
    const [batch, steps] = ids.shape;
    let x = tf.gather(this.vars[0] as tf.Tensor2D, ids) as unknown as tf.Tensor3D;
    for (let l = 0; l < layers; l++) {
      const kernel = this.vars[1 + 3 * l] as tf.Tensor2D;
      const recurrent = this.vars[2 + 3 * l] as tf.Tensor2D;
      const bias = this.vars[3 + 3 * l] as tf.Tensor1D;
      x = this.lstmLayer(x, kernel, recurrent, bias);
      if (dropoutSeed !== null && dropout > 0) x = tf.dropout(x, dropout, undefined, dropoutSeed + l) as tf.Tensor3D;
    }
    const flat = tf.reshape(x, [batch * steps, hidden]) as tf.Tensor2D;
    // Tied: the output kernel is the embedding transposed (its gradient then reaches the embedding too).
    const outKernel = this.config.tied ? tf.transpose(this.vars[0] as tf.Tensor2D) : (this.vars[1 + 3 * layers] as tf.Tensor2D);
    const outBias = this.vars[this.vars.length - 1] as tf.Tensor1D;
    const logits = tf.add(this.mm(flat, outKernel), outBias) as tf.Tensor2D;
    if (logits.shape[1] !== vocabSize) throw new Error('internal: logits width differs from the vocabulary');
    return logits;
  }

  /**
   * One LSTM layer as per-step tfjs ops, differentiated by tfjs. (A fused layer with hand-written backprop
   * through time in JS was measured no faster: the matrix products dominate, not the per-op overhead.)
   */
  private lstmLayer(x: tf.Tensor3D, kernel: tf.Tensor2D, recurrent: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor3D {
    const { hidden } = this.config;
    const [batch, steps, inWidth] = x.shape;
    // Input projections of every step at once, then the recurrence one step at a time.
    const xw = tf.add(this.mm(tf.reshape(x, [batch * steps, inWidth]), kernel), bias);
    // tfjs' stack/unstack gradients fail for a single tensor, so a one-word window is reshaped instead.
    const perStep =
      steps === 1
        ? [tf.reshape(xw, [batch, 4 * hidden]) as tf.Tensor2D]
        : (tf.unstack(tf.reshape(xw, [batch, steps, 4 * hidden]), 1) as tf.Tensor2D[]);
    let h: tf.Tensor2D | null = null;
    let c: tf.Tensor2D | null = null;
    const outputs: tf.Tensor2D[] = [];
    for (let t = 0; t < steps; t++) {
      const z: tf.Tensor2D = h === null ? (perStep[t] as tf.Tensor2D) : tf.add(perStep[t] as tf.Tensor2D, this.mm(h, recurrent));
      const [zi, zf, zg, zo] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const i = tf.sigmoid(zi);
      const g = tf.tanh(zg);
      const cNext: tf.Tensor2D = c === null ? tf.mul(i, g) : tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(i, g));
      const hNext: tf.Tensor2D = tf.mul(tf.sigmoid(zo), tf.tanh(cNext));
      c = cNext;
      h = hNext;
      outputs.push(hNext);
    }
    return steps === 1 ? tf.reshape(outputs[0] as tf.Tensor2D, [batch, 1, hidden]) : (tf.stack(outputs, 1) as tf.Tensor3D);
  }

  /**
   * Loss and the gradient of every weight. A weight the loss does not reach (the recurrent kernels when a
   * window has one word) gets tfjs' null gradient; mathematically it is zero, and the optimizer must still see
   * it so RMSprop/Adam state advances as in Keras.
   */
  private gradientsOf(loss: () => tf.Scalar): { value: tf.Scalar; grads: tf.NamedTensorMap } {
    const { value, grads } = tf.variableGrads(loss, this.vars);
    for (const v of this.vars) if (!grads[v.name]) grads[v.name] = tf.zerosLike(v);
    return { value, grads };
  }

  /** Loss and gradients of one batch, for tests and engine comparisons (no update). */
  lossAndGradients(inputs: Int32Array, targets: Int32Array, count: number): { loss: number; gradients: NamedWeight[] } {
    return tf.tidy(() => {
      const ids = tf.tensor2d(inputs, [count, this.config.seqLength], 'int32');
      const tg = tf.tensor1d(targets, 'int32');
      const { value, grads } = this.gradientsOf(() => sparseSoftmaxCrossEntropy(this.logits(ids, null), tg));
      return {
        loss: value.dataSync()[0] as number,
        gradients: this.vars.map((v, k) => {
          const spec = this.specs[k] as WeightSpec;
          return { name: spec.name, shape: [...spec.shape], values: Float32Array.from((grads[v.name] as tf.Tensor).dataSync()) };
        }),
      };
    });
  }

  private ensureOptimizer(settings: OptimizerSettings): SlotSet {
    if (this.optimizer && keepsOptimizerState(this.optimizer.settings, settings)) {
      this.optimizer.settings = { ...settings }; // e.g. a new learning rate: keep the accumulated state
      return this.optimizer;
    }
    this.disposeOptimizer();
    const names = optimizerSlotNames(settings.kind);
    this.optimizer = {
      settings: { ...settings },
      iterations: 0,
      slots: this.vars.map((v) => names.map(() => tf.variable(tf.zerosLike(v), false))),
    };
    return this.optimizer;
  }

  private applyGradients(opt: SlotSet, grads: tf.NamedTensorMap): void {
    const s = opt.settings;
    opt.iterations += 1;
    const t = opt.iterations;
    const adamRate = (s.learningRate * Math.sqrt(1 - s.beta2 ** t)) / (1 - s.beta1 ** t);
    tf.tidy(() => {
      const scale = this.clipScale(s, grads);
      const l2 = s.kind === 'adamw' ? 0 : (s.weightDecay ?? 0);
      const decoupled = s.kind === 'adamw' ? (s.weightDecay ?? 0) : 0;
      this.vars.forEach((v, k) => {
        let g = grads[v.name] as tf.Tensor;
        if (scale !== 1) g = tf.mul(g, scale);
        if (l2 !== 0) g = tf.add(g, tf.mul(v, l2));
        if (decoupled !== 0) v.assign(tf.mul(v, 1 - s.learningRate * decoupled));
        const slots = opt.slots[k] as tf.Variable[];
        if (s.kind === 'rmsprop') {
          const ms = slots[0] as tf.Variable;
          ms.assign(tf.add(tf.mul(ms, s.rho), tf.mul(tf.square(g), 1 - s.rho)));
          v.assign(tf.sub(v, tf.div(tf.mul(g, s.learningRate), tf.add(tf.sqrt(ms), s.epsilon))));
        } else {
          const m = slots[0] as tf.Variable;
          const vv = slots[1] as tf.Variable;
          m.assign(tf.add(tf.mul(m, s.beta1), tf.mul(g, 1 - s.beta1)));
          vv.assign(tf.add(tf.mul(vv, s.beta2), tf.mul(tf.square(g), 1 - s.beta2)));
          v.assign(tf.sub(v, tf.div(tf.mul(m, adamRate), tf.add(tf.sqrt(vv), s.epsilon))));
        }
      });
    });
  }

  /** The gradient clipping factor (1 when clipNorm is off or the global norm is within it). */
  private clipScale(s: OptimizerSettings, grads: tf.NamedTensorMap): number {
    const clip = s.clipNorm ?? 0;
    if (clip <= 0) return 1;
    const squares = this.vars.map((v) => tf.sum(tf.square(grads[v.name] as tf.Tensor)).dataSync()[0] as number);
    return clipFactor(Math.sqrt(squares.reduce((a, b) => a + b, 0)), clip);
  }

  async trainEpoch(data: WindowSet, opts: EpochOptions, onBatch?: (b: BatchInfo) => void): Promise<EpochStats> {
    await this.ensureBackend();
    checkWindowSet(data, this.config);
    const { seqLength } = this.config;
    checkTrainable(this.config);
    const opt = this.ensureOptimizer(opts.optimizer);
    const trainBatch = (rows: number[], dropoutSeed: number): number => {
      const { inputs, targets } = pickWindows(data, rows);
      this.jsWeights = null;
      return tf.tidy(() => {
        const ids = tf.tensor2d(inputs, [rows.length, seqLength], 'int32');
        const tg = tf.tensor1d(targets, 'int32');
        const { value, grads } = this.gradientsOf(() => sparseSoftmaxCrossEntropy(this.logits(ids, dropoutSeed), tg));
        this.applyGradients(opt, grads);
        return value.dataSync()[0] as number;
      });
    };
    return runEpochBatches(data, opts, trainBatch, onBatch);
  }

  async evaluate(data: WindowSet): Promise<{ loss: number; perplexity: number }> {
    await this.ensureBackend();
    checkWindowSet(data, this.config);
    if (data.count === 0) return { loss: Number.NaN, perplexity: Number.NaN };
    const { seqLength } = this.config;
    const batchSize = 256;
    let total = 0;
    for (let start = 0; start < data.count; start += batchSize) {
      const rows = Array.from({ length: Math.min(batchSize, data.count - start) }, (_, i) => start + i);
      const { inputs, targets } = pickWindows(data, rows);
      total += tf.tidy(() => {
        const ids = tf.tensor2d(inputs, [rows.length, seqLength], 'int32');
        const loss = sparseSoftmaxCrossEntropy(this.logits(ids, null), tf.tensor1d(targets, 'int32'));
        return (loss.dataSync()[0] as number) * rows.length * seqLength;
      });
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const loss = total / (data.count * seqLength);
    return { loss, perplexity: Math.exp(loss) };
  }

  async predict(inputs: Int32Array, count: number): Promise<Float32Array> {
    await this.ensureBackend();
    if (inputs.length !== count * this.config.seqLength) {
      throw new TweetlabError(`predict: ${inputs.length} ids do not make ${count} windows of ${this.config.seqLength}`);
    }
    checkIdRange(inputs, this.config.vocabSize, 'predict inputs');
    return tf.tidy(() => {
      const ids = tf.tensor2d(inputs, [count, this.config.seqLength], 'int32');
      return tf.softmax(this.logits(ids, null)).dataSync() as Float32Array;
    });
  }

  startState(): RecurrentState {
    return zeroRecurrentState(this.config);
  }

  step(state: RecurrentState, token: number): Float32Array {
    const { layers, hidden, embedding, vocabSize } = this.config;
    if (!Number.isInteger(token) || token < 0 || token >= vocabSize) {
      throw new TweetlabError(`step: token id ${token} is outside the vocabulary (0..${vocabSize - 1})`);
    }
    const w = this.weightsInJs();
    return lstmStep(w, layers, hidden, embedding, vocabSize, state, token);
  }

  private weightsInJs(): Float32Array[] {
    // In the layers layout (a tied model's output kernel as the embedding's transposed copy), as lstmStep reads it.
    if (!this.jsWeights) this.jsWeights = layersWeights(this.config, this.getWeights()).map((w) => w.values);
    return this.jsWeights;
  }

  getWeights(): NamedWeight[] {
    return this.vars.map((v, k) => {
      const spec = this.specs[k] as WeightSpec;
      return { name: spec.name, shape: [...spec.shape], values: Float32Array.from(v.dataSync() as Float32Array) };
    });
  }

  setWeights(weights: NamedWeight[]): void {
    checkWeights(this.config, weights, 'setWeights');
    this.jsWeights = null;
    weights.forEach((w, k) => {
      tf.tidy(() => (this.vars[k] as tf.Variable).assign(tf.tensor(w.values, w.shape, 'float32')));
    });
  }

  getOptimizerState(): OptimizerState | null {
    const opt = this.optimizer;
    if (!opt) return null;
    const names = optimizerSlotNames(opt.settings.kind);
    const slots: NamedWeight[] = [];
    this.vars.forEach((_, k) => {
      const spec = this.specs[k] as WeightSpec;
      (opt.slots[k] as tf.Variable[]).forEach((slot, j) => {
        slots.push({ name: `${spec.name}/${names[j]}`, shape: [...spec.shape], values: Float32Array.from(slot.dataSync() as Float32Array) });
      });
    });
    return { settings: { ...opt.settings }, iterations: opt.iterations, slots };
  }

  setOptimizerState(state: OptimizerState): void {
    const names = optimizerSlotNames(state.settings.kind);
    const byName = new Map(state.slots.map((s) => [s.name, s]));
    const values = this.specs.map((spec) =>
      names.map((n) => {
        const slot = byName.get(`${spec.name}/${n}`);
        if (!slot || slot.values.length !== spec.shape.reduce((a, b) => a * b, 1)) {
          throw new TweetlabError(`Optimizer state has no matching slot ${spec.name}/${n}`);
        }
        return slot;
      }),
    );
    this.disposeOptimizer();
    this.optimizer = {
      settings: { ...state.settings },
      iterations: state.iterations,
      slots: values.map((slots, k) =>
        slots.map((s) => tf.variable(tf.tensor(s.values, (this.specs[k] as WeightSpec).shape, 'float32'), false)),
      ),
    };
  }

  async save(dir: string): Promise<void> {
    await writeLayersModel(dir, this.config, this.getWeights());
  }

  private disposeOptimizer(): void {
    if (!this.optimizer) return;
    for (const slots of this.optimizer.slots) for (const s of slots) s.dispose();
    this.optimizer = null;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposeOptimizer();
    for (const v of this.vars) v.dispose();
    this.jsWeights = null;
    this.disposed = true;
  }
}



