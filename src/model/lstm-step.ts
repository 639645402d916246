import type { RecurrentState } from './types.js';

/**
 * One LSTM step over all layers in plain JS (Keras gate order i, f, c, o; kernel [in, 4h], recurrent [h, 4h],
 * bias [4h]), then the softmax output. Updates `state` in place; returns next-word probabilities. Any engine
 * whose weights follow the saved layers order (`layersWeights`: a tied model's output kernel included) can use it.
 */
export function lstmStep(
  w: readonly Float32Array[],
  layers: number,
  hidden: number,
  embedding: number,
  vocabSize: number,
  state: RecurrentState,
  token: number,
): Float32Array {
  const emb = w[0] as Float32Array;
  let x: Float32Array = emb.subarray(token * embedding, (token + 1) * embedding);
  const z = new Float64Array(4 * hidden);
  for (let l = 0; l < layers; l++) {
    const layer = { kernel: w[1 + 3 * l] as Float32Array, recurrent: w[2 + 3 * l] as Float32Array, bias: w[3 + 3 * l] as Float32Array };
    x = layerStep(layer, x, state.h[l] as Float32Array, state.c[l] as Float32Array, z);
  }
  return softmaxOutput(w[1 + 3 * layers] as Float32Array, w[2 + 3 * layers] as Float32Array, x, vocabSize);
}

/**
 * One layer's step: gate pre-activations z = bias + x·kernel + h·recurrent (in `z`, reused between layers),
 * then the gates; updates `h` and `c` in place and returns the new output (a copy of h).
 */
function layerStep(layer: { kernel: Float32Array; recurrent: Float32Array; bias: Float32Array }, x: Float32Array, h: Float32Array, c: Float32Array, z: Float64Array): Float32Array {
  const { kernel, recurrent, bias } = layer;
  const hidden = h.length;
  const width = 4 * hidden;
  for (let j = 0; j < width; j++) z[j] = bias[j] as number;
  addVectorTimesMatrix(z, x, kernel);
  addVectorTimesMatrix(z, h, recurrent);
  const next = new Float32Array(hidden);
  for (let j = 0; j < hidden; j++) {
    const i = sigmoid(z[j] as number);
    const f = sigmoid(z[hidden + j] as number);
    const g = Math.tanh(z[2 * hidden + j] as number);
    const o = sigmoid(z[3 * hidden + j] as number);
    const cj = f * (c[j] as number) + i * g;
    c[j] = cj;
    next[j] = o * Math.tanh(cj);
  }
  h.set(next);
  return next;
}

/** softmax(x·outKernel + outBias): the next-word probabilities, computed in doubles. */
function softmaxOutput(outKernel: Float32Array, outBias: Float32Array, x: Float32Array, vocabSize: number): Float32Array {
  const logits = new Float64Array(vocabSize);
  for (let v = 0; v < vocabSize; v++) logits[v] = outBias[v] as number;
  addVectorTimesMatrix(logits, x, outKernel);
  let max = -Infinity;
  for (let v = 0; v < vocabSize; v++) if ((logits[v] as number) > max) max = logits[v] as number;
  let sum = 0;
  for (let v = 0; v < vocabSize; v++) {
    const e = Math.exp((logits[v] as number) - max);
    logits[v] = e;
    sum += e;
  }
  const probs = new Float32Array(vocabSize);
  for (let v = 0; v < vocabSize; v++) probs[v] = (logits[v] as number) / sum;
  return probs;
}

/** out += v·m for m row-major [v.length × out.length], in doubles; zero entries of v (a fresh state) are skipped. */
function addVectorTimesMatrix(out: Float64Array, v: Float32Array, m: Float32Array): void {
  const width = out.length;
  for (let k = 0; k < v.length; k++) {
    const vk = v[k] as number;
    if (vk === 0) continue;
    const row = k * width;
    for (let j = 0; j < width; j++) out[j] = (out[j] as number) + vk * (m[row + j] as number);
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
