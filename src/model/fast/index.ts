import type { Engine, EngineEntry, ModelConfig, NamedWeight } from '../types.js';
import { FAST_ENGINE_NAME, FastLanguageModel } from './model.js';
import { defaultThreads, fastWasmAvailable, kernelsBuild } from './artifacts.js';

export { FAST_ENGINE_NAME, FastLanguageModel } from './model.js';
export { defaultThreads, fastWasmAvailable, kernelsPath } from './artifacts.js';

export interface FastEngineOptions {
  /** Threads for the kernels (main thread + workers). Default: 2 where there are 2 cores; $TWEETLAB_THREADS overrides. */
  threads?: number;
}

/** The fast-wasm engine: our own WebAssembly SIMD kernels, on both cores via worker threads. */
export function createFastEngine(opts: FastEngineOptions = {}): Engine {
  const threads = opts.threads ?? defaultThreads();
  return {
    name: FAST_ENGINE_NAME,
    detail: `${kernelsBuild()} kernels, ${threads} thread${threads === 1 ? '' : 's'}`,
    createModel: (cfg: ModelConfig, weights?: NamedWeight[]) => new FastLanguageModel(cfg, weights, threads),
  };
}

/** Registry entry for `registerEngine` (src/model/backend.ts): ranks above tfjs-wasm/cpu, below tfjs-node. */
export const fastEngineEntry: EngineEntry = {
  name: FAST_ENGINE_NAME,
  priority: 50,
  available: async () => fastWasmAvailable(),
  load: async () => createFastEngine(),
};
