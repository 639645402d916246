import * as tf from '@tensorflow/tfjs';
import { TweetlabError, errorMessage } from '../errors.js';

/**
 * Which tfjs backend runs the models. tfjs-node (native TensorFlow) is used where it loads; it is not a
 * dependency (it needs a binary download), so it is required lazily and its absence is fine. Otherwise the
 * `wasm` backend (XNNPACK) is the fast choice, with a JS kernel for the embedding gradient it lacks; `cpu`
 * (pure JS) is the slow reference.
 */
// Production mode: no "install tfjs-node" banner on stderr (tfjs prints it when the cpu backend starts) and no
// debug checks. tfjs-node, when present, is still used.
tf.env().set('PROD', true);

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = BackendName | 'auto';

export interface BackendChoice {
  backend: BackendName;
  /** The engine name recorded in outputs: "tfjs-node" | "tfjs-wasm" | "tfjs-cpu". */
  engine: string;
  /** Why this one: "requested", "tfjs-node loaded", or the measured comparison. */
  reason: string;
  /** Seconds per small training step of each measured backend (auto only). */
  measured?: Partial<Record<BackendName, number>>;
}

export const ENGINE_OF_BACKEND: Record<BackendName, string> = {
  tensorflow: 'tfjs-node',
  wasm: 'tfjs-wasm',
  cpu: 'tfjs-cpu',
};

/** The tfjs backend behind an engine name ("tfjs-wasm" → "wasm"); other engines are their own backend. */
export function backendOfEngine(engine: string): string {
  const hit = (Object.keys(ENGINE_OF_BACKEND) as BackendName[]).find((b) => ENGINE_OF_BACKEND[b] === engine);
  return hit ?? engine;
}

let tfjsNodeTried = false;
let tfjsNodeError: string | undefined;

/** Why tfjs-node is not in use (after `tryLoadTfjsNode` failed), for messages; undefined before or when it loaded. */
export function tfjsNodeProblem(): string | undefined {
  return tfjsNodeError;
}

/**
 * Loads tfjs-node if it is installed and really native. (This repository's lockfile maps the name to plain
 * tfjs for danfojs, so a successful require alone proves nothing: the "tensorflow" backend must register.)
 */
export function tryLoadTfjsNode(): boolean {
  if (!tfjsNodeTried) {
    tfjsNodeTried = true;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@tensorflow/tfjs-node');
    } catch (err) {
      tfjsNodeError = errorMessage(err).split('\n')[0];
    }
  }
  const ok = tf.findBackendFactory('tensorflow') != null;
  if (!ok && tfjsNodeError === undefined) {
    // Here the name resolves to plain tfjs (danfojs' override); say what a user can do about it.
    tfjsNodeError = 'not installed; `npm install @tensorflow/tfjs-node` adds native TensorFlow where it can download';
  }
  return ok;
}

let wasmLoaded = false;

/** Registers the wasm backend and the embedding-gradient kernel it lacks. */
export function loadWasmBackend(): void {
  if (wasmLoaded) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@tensorflow/tfjs-backend-wasm');
  registerWasmUnsortedSegmentSum();
  wasmLoaded = true;
}

interface WasmBackendLike {
  readSync(dataId: unknown): ArrayLike<number>;
  makeOutput(shape: number[], dtype: string, memoryOffset?: number, values?: Float32Array | Int32Array): tf.TensorInfo;
}

/**
 * UnsortedSegmentSum for the wasm backend, in JS over the backend's heap: the gradient of `gather`
 * (the embedding lookup) is a scatter-add of the output gradient rows into the vocabulary rows.
 */
export function registerWasmUnsortedSegmentSum(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const be = backend as unknown as WasmBackendLike;
      const xs = be.readSync(x.dataId);
      const ids = be.readSync(segmentIds.dataId);
      const rowShape = x.shape.slice(segmentIds.shape.length);
      const inner = rowShape.reduce((a, b) => a * b, 1);
      const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
      for (let r = 0; r < ids.length; r++) {
        const id = ids[r] as number;
        if (id < 0 || id >= numSegments) continue; // TensorFlow drops out-of-range ids
        const src = r * inner;
        const dst = id * inner;
        for (let k = 0; k < inner; k++) out[dst + k] = (out[dst + k] as number) + (xs[src + k] as number);
      }
      return be.makeOutput([numSegments, ...rowShape], x.dtype, undefined, out);
    },
  });
}

/** Makes `name` the active tfjs backend (loading it first). */
export async function activateBackend(name: BackendName): Promise<void> {
  if (name === 'tensorflow' && !tryLoadTfjsNode()) {
    throw new TweetlabError(
      `Backend "tensorflow" needs @tensorflow/tfjs-node, which is not available here (${tfjsNodeError}); use --backend wasm or cpu`,
    );
  }
  if (name === 'wasm') loadWasmBackend();
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new TweetlabError(`The tfjs backend "${name}" failed to initialise`);
  }
  await tf.ready();
}

let measuredChoice: BackendChoice | undefined;

/**
 * Picks the backend. "auto": tfjs-node when it loads; otherwise wasm and cpu are timed on a small LSTM-shaped
 * training step (forward + backward of a recurrent matmul chain and a softmax output) and the faster wins.
 * The measurement runs once per process.
 */
export async function selectBackend(preferred: BackendPreference = 'auto'): Promise<BackendChoice> {
  if (preferred !== 'auto') {
    await activateBackend(preferred);
    return { backend: preferred, engine: ENGINE_OF_BACKEND[preferred], reason: 'requested' };
  }
  if (tryLoadTfjsNode()) {
    await activateBackend('tensorflow');
    return { backend: 'tensorflow', engine: 'tfjs-node', reason: 'tfjs-node loaded' };
  }
  if (measuredChoice) {
    await activateBackend(measuredChoice.backend);
    return measuredChoice;
  }
  const measured: Partial<Record<BackendName, number>> = {};
  for (const name of ['wasm', 'cpu'] as const) {
    try {
      await activateBackend(name);
      measured[name] = timeSmallLstmStep();
    } catch {
      // a backend that fails to start simply loses
    }
  }
  const candidates = (Object.keys(measured) as BackendName[]).sort(
    (a, b) => (measured[a] as number) - (measured[b] as number),
  );
  const best = candidates[0];
  if (!best) throw new TweetlabError('No tfjs backend could be initialised (tried wasm and cpu)');
  await activateBackend(best);
  const detail = candidates.map((n) => `${n} ${((measured[n] as number) * 1000).toFixed(1)} ms`).join(', ');
  measuredChoice = {
    backend: best,
    engine: ENGINE_OF_BACKEND[best],
    reason: `tfjs-node not available (${tfjsNodeError}); measured per step: ${detail}`,
    measured,
  };
  return measuredChoice;
}

/** Median seconds of a small LSTM-like training step on the active backend. */
function timeSmallLstmStep(): number {
  const batch = 32;
  const hidden = 64;
  const vocab = 500;
  const steps = 4;
  const w = tf.variable(tf.randomNormal([hidden, 4 * hidden], 0, 0.1, 'float32', 1));
  const out = tf.variable(tf.randomNormal([hidden, vocab], 0, 0.1, 'float32', 2));
  const x = tf.randomNormal([batch, hidden], 0, 1, 'float32', 3);
  const run = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        let h = x;
        for (let t = 0; t < steps; t++) {
          const z = tf.matMul(h, w);
          h = tf.tanh(tf.slice(z, [0, 0], [batch, hidden]));
        }
        return tf.mean(tf.logSoftmax(tf.matMul(h, out))).neg() as tf.Scalar;
      }, [w, out]);
      const s = value.dataSync()[0] as number;
      for (const g of Object.values(grads)) g.dataSync();
      return s;
    });
  try {
    run(); // warm-up (kernel setup, wasm compilation)
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      run();
      times.push((performance.now() - t0) / 1000);
    }
    times.sort((a, b) => a - b);
    return times[1] as number;
  } finally {
    w.dispose();
    out.dispose();
    x.dispose();
  }
}
