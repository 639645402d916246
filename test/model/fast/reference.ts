import * as tf from '@tensorflow/tfjs';
import { Random } from '../../../src/random.js';
import type { DropoutMasks } from '../../../src/model/fast/dropout.js';
import type { ModelConfig, NamedWeight } from '../../../src/model/types.js';
import type { WindowSet } from '../../../src/types.js';

/**
 * A functional tfjs reference of the regularised model (tied embeddings, embedding / locked / DropConnect dropout)
 * written from the definitions, independent of the engines: the masks are given, so it computes exactly the
 * forward pass a training batch with those masks computes.
 */
export function referenceLoss(cfg: ModelConfig, w: Map<string, tf.Tensor>, ids: tf.Tensor2D, targets: tf.Tensor1D,
  masks: DropoutMasks | null): tf.Scalar {
  const [count, steps] = ids.shape;
  const { hidden: H, embedding: E, vocabSize: V } = cfg;
  const emb = w.get('embedding/embeddings') as tf.Tensor2D;
  const embUsed = masks?.embedding ? tf.mul(emb, tf.tensor2d(masks.embedding, [V, 1])) : emb;
  let x = tf.gather(embUsed, ids) as tf.Tensor3D;
  if (masks?.input) x = tf.mul(x, tf.tensor3d(masks.input, [count, 1, E]));
  for (let l = 0; l < cfg.layers; l++) {
    const kernel = w.get(`lstm_${l + 1}/kernel`) as tf.Tensor2D;
    const rec = w.get(`lstm_${l + 1}/recurrent_kernel`) as tf.Tensor2D;
    const bias = w.get(`lstm_${l + 1}/bias`) as tf.Tensor1D;
    const recMask = masks?.recurrent[l];
    const recUsed = recMask ? tf.mul(rec, tf.tensor2d(recMask, [H, 4 * H])) : rec;
    let h = tf.zeros([count, H]) as tf.Tensor2D;
    let c = tf.zeros([count, H]) as tf.Tensor2D;
    const outs: tf.Tensor2D[] = [];
    for (let t = 0; t < steps; t++) {
      const xt = tf.reshape(tf.slice(x, [0, t, 0], [count, 1, x.shape[2]]), [count, x.shape[2]]) as tf.Tensor2D;
      const z = tf.add(tf.add(tf.matMul(xt, kernel), tf.matMul(h, recUsed)), bias);
      const [zi, zf, zg, zo] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
      h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
      outs.push(h);
    }
    x = tf.stack(outs, 1) as tf.Tensor3D;
    const locked = masks?.locked[l];
    if (locked) x = tf.mul(x, tf.tensor3d(locked, [count, 1, H]));
  }
  const flat = tf.reshape(x, [count * steps, H]) as tf.Tensor2D;
  const outKernel = cfg.tied ? tf.transpose(emb) : (w.get('output/kernel') as tf.Tensor2D);
  const logits = tf.add(tf.matMul(flat, outKernel), w.get('output/bias') as tf.Tensor1D);
  const logp = tf.logSoftmax(logits);
  return tf.neg(tf.mean(tf.sum(tf.mul(logp, tf.oneHot(targets, V)), 1))) as tf.Scalar;
}

/** Loss and gradients of `referenceLoss` for every weight, in the order of `weights`. */
export function referenceGradients(cfg: ModelConfig, weights: NamedWeight[], data: WindowSet, masks: DropoutMasks | null):
  { loss: number; gradients: NamedWeight[] } {
  return tf.tidy(() => {
    const vars = weights.map((x) => tf.variable(tf.tensor(x.values, x.shape, 'float32'), true));
    const byName = new Map<string, tf.Tensor>(weights.map((x, k) => [x.name, vars[k] as tf.Variable]));
    const ids = tf.tensor2d(data.inputs, [data.count, cfg.seqLength], 'int32');
    const targets = tf.tensor1d(data.targets, 'int32');
    const { value, grads } = tf.variableGrads(() => referenceLoss(cfg, byName, ids, targets, masks), vars);
    const out = {
      loss: value.dataSync()[0] as number,
      gradients: weights.map((x, k) => ({
        name: x.name, shape: [...x.shape], values: Float32Array.from((grads[(vars[k] as tf.Variable).name] as tf.Tensor).dataSync()),
      })),
    };
    vars.forEach((v) => v.dispose());
    return out;
  });
}

export function randomWindows(cfg: ModelConfig, count: number, seed: number): WindowSet {
  const rng = new Random(seed);
  const n = count * cfg.seqLength;
  const inputs = Int32Array.from({ length: n }, () => rng.int(cfg.vocabSize));
  const targets = Int32Array.from({ length: n }, () => rng.int(cfg.vocabSize));
  return { inputs, targets, count, seqLength: cfg.seqLength, variant: 1, excludedPosts: 0 };
}

/** max |a − b| relative to max |b| over the tensor (elementwise relative error is meaningless near 0). */
export function relError(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let err = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i] as number));
    err = Math.max(err, Math.abs((a[i] as number) - (b[i] as number)));
  }
  return scale === 0 ? err : err / scale;
}
