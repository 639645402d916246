import * as tf from '@tensorflow/tfjs';
import type { DropoutMasks } from './masks.js';
import type { ModelConfig } from './types.js';

/** One LSTM layer over [batch, steps, in] with the given kernel, recurrent kernel and bias (the engine's own). */
export type LstmLayerFn = (x: tf.Tensor3D, kernel: tf.Tensor2D, recurrent: tf.Tensor2D, bias: tf.Tensor1D) => tf.Tensor3D;

/**
 * Logits [batch·steps, vocab] of variant 3 as tfjs ops over the variables in `weightSpecs` order: embedding
 * dropout (per word row), locked input dropout, DropConnect on every recurrent kernel, locked dropout on every
 * layer's output, and the tied output projection (the embedding transposed). `masks` = null: inference.
 */
export function regularisedLogits(cfg: ModelConfig, vars: readonly tf.Variable[], ids: tf.Tensor2D, masks: DropoutMasks | null,
  mm: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D, lstmLayer: LstmLayerFn): tf.Tensor2D {
  const { layers, hidden: H, embedding: E, vocabSize: V } = cfg;
  const [batch, steps] = ids.shape;
  const emb = vars[0] as tf.Tensor2D;
  const embUsed = masks?.embedding ? tf.mul(emb, tf.tensor2d(masks.embedding, [V, 1])) : emb;
  let x = tf.gather(embUsed, ids) as unknown as tf.Tensor3D;
  if (masks?.input) x = tf.mul(x, tf.tensor3d(masks.input, [batch, 1, E]));
  for (let l = 0; l < layers; l++) {
    const recurrent = vars[2 + 3 * l] as tf.Tensor2D;
    const recMask = masks?.recurrent[l];
    const recUsed = recMask ? (tf.mul(recurrent, tf.tensor2d(recMask, [H, 4 * H])) as tf.Tensor2D) : recurrent;
    x = lstmLayer(x, vars[1 + 3 * l] as tf.Tensor2D, recUsed, vars[3 + 3 * l] as tf.Tensor1D);
    const locked = masks?.locked[l];
    if (locked) x = tf.mul(x, tf.tensor3d(locked, [batch, 1, H]));
  }
  const flat = tf.reshape(x, [batch * steps, H]) as tf.Tensor2D;
  const outKernel = cfg.tied ? (tf.transpose(emb) as tf.Tensor2D) : (vars[1 + 3 * layers] as tf.Tensor2D);
  return tf.add(mm(flat, outKernel), vars[vars.length - 1] as tf.Tensor1D) as tf.Tensor2D;
}
