import * as tf from '@tensorflow/tfjs';

/**
 * The tensor operations the tfjs engine builds its model from (src/model/tfjs-engine.ts): a matrix product
 * with an explicit-transpose gradient, the fused softmax cross-entropy, and one LSTM layer over a window.
 */

/** Matrix product a·b: the engine's plain one (`tf.matMul`) or, on wasm, {@link matMulPlainGrad}. */
export type MatMul = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** a·b whose gradient uses explicit transposes + plain matmuls (fast on wasm). */
export const matMulPlainGrad = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
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

/**
 * One LSTM layer as per-step tfjs ops, differentiated by tfjs. (A fused layer with hand-written backprop
 * through time in JS was measured no faster: the matrix products dominate, not the per-op overhead.)
 */
export function lstmLayer(x: tf.Tensor3D, kernel: tf.Tensor2D, recurrent: tf.Tensor2D, bias: tf.Tensor1D, hidden: number, mm: MatMul): tf.Tensor3D {
  const [batch, steps, inWidth] = x.shape;
  // Input projections of every step at once, then the recurrence one step at a time.
  const xw = tf.add(mm(tf.reshape(x, [batch * steps, inWidth]), kernel), bias);
  // tfjs' stack/unstack gradients fail for a single tensor, so a one-word window is reshaped instead.
  const perStep =
    steps === 1
      ? [tf.reshape(xw, [batch, 4 * hidden]) as tf.Tensor2D]
      : (tf.unstack(tf.reshape(xw, [batch, steps, 4 * hidden]), 1) as tf.Tensor2D[]);
  let h: tf.Tensor2D | null = null;
  let c: tf.Tensor2D | null = null;
  const outputs: tf.Tensor2D[] = [];
  for (let t = 0; t < steps; t++) {
    const z: tf.Tensor2D = h === null ? (perStep[t] as tf.Tensor2D) : tf.add(perStep[t] as tf.Tensor2D, mm(h, recurrent));
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
