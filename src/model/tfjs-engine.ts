import { runEpochBatches } from './epoch.js';
import * as tf from '@tensorflow/tfjs';
import { TweetlabError } from '../errors.js';
import { pickWindows } from '../dataset/windows.js';
import type { WindowSet } from '../types.js';
import { activateBackend, ENGINE_OF_BACKEND, type BackendName } from './tfjs-backend.js';
import { checkWeights, layersWeights, weightSpecs, writeLayersModel, zeroRecurrentState, type WeightSpec } from './format.js';
import { checkIdRange, checkWindowSet } from './checks.js';
import { initialWeights } from './init.js';
import { drawMasksJs, dropoutRates } from './masks.js';
import { lstmStep } from './lstm-step.js';
import { regularisedLogits } from './tfjs-regularised.js';
import { lstmLayer, matMulPlainGrad, sparseSoftmaxCrossEntropy } from './tfjs-ops.js';
import { TfjsOptimizer } from './tfjs-optimizer.js';
import { Random } from '../random.js';
import type {
  BatchInfo,
  Engine,
  EpochOptions,
  EpochStats,
  LanguageModel,
  ModelConfig,
  NamedWeight,
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

export async function createTfjsEngine(backend: BackendName): Promise<Engine> {
  await activateBackend(backend);
  return {
    name: ENGINE_OF_BACKEND[backend],
    createModel: (cfg: ModelConfig, weights?: NamedWeight[]) => new TfjsLanguageModel(cfg, backend, weights),
  };
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
  private readonly optimizer: TfjsOptimizer;
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
    this.optimizer = new TfjsOptimizer(this.vars, this.specs);
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
      return regularisedLogits(this.config, this.vars, ids, masks, (a, b) => this.mm(a, b), (x, k, r, b) => lstmLayer(x, k, r, b, this.config.hidden, (p, q) => this.mm(p, q)));
    }
    const { layers, hidden, dropout, vocabSize } = this.config;
    const [batch, steps] = ids.shape;
    let x = tf.gather(this.vars[0] as tf.Tensor2D, ids) as unknown as tf.Tensor3D;
    for (let l = 0; l < layers; l++) {
      const kernel = this.vars[1 + 3 * l] as tf.Tensor2D;
      const recurrent = this.vars[2 + 3 * l] as tf.Tensor2D;
      const bias = this.vars[3 + 3 * l] as tf.Tensor1D;
      x = lstmLayer(x, kernel, recurrent, bias, hidden, (a, b) => this.mm(a, b));
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

  async trainEpoch(data: WindowSet, opts: EpochOptions, onBatch?: (b: BatchInfo) => void): Promise<EpochStats> {
    await this.ensureBackend();
    checkWindowSet(data, this.config);
    const { seqLength } = this.config;
    checkTrainable(this.config);
    this.optimizer.ensure(opts.optimizer);
    const trainBatch = (rows: number[], dropoutSeed: number): number => {
      const { inputs, targets } = pickWindows(data, rows);
      this.jsWeights = null;
      return tf.tidy(() => {
        const ids = tf.tensor2d(inputs, [rows.length, seqLength], 'int32');
        const tg = tf.tensor1d(targets, 'int32');
        const { value, grads } = this.gradientsOf(() => sparseSoftmaxCrossEntropy(this.logits(ids, dropoutSeed), tg));
        this.optimizer.apply(grads);
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

  getOptimizerState(): OptimizerState | null {
    return this.optimizer.getState();
  }

  setOptimizerState(state: OptimizerState): void {
    this.optimizer.setState(state);
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

  async save(dir: string): Promise<void> {
    await writeLayersModel(dir, this.config, this.getWeights());
  }

  dispose(): void {
    if (this.disposed) return;
    this.optimizer.dispose();
    for (const v of this.vars) v.dispose();
    this.jsWeights = null;
    this.disposed = true;
  }
}



