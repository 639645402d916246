/**
 * The built files the fast-wasm runtime loads — the kernels (dist/wasm/kernels.wasm) and the worker thread
 * (dist/model/fast/worker.js) — whether this Node can run them, and how many threads to use.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { TweetlabError } from '../../errors.js';
import { Wasm, type WasmModule } from './jobs.js';

let compiled: WasmModule | null = null;

/** Where the built kernels live: dist/wasm/kernels.wasm of this package (from src/ or dist/), or $TWEETLAB_WASM. */
export function kernelsPath(): string {
  const fromEnv = process.env.TWEETLAB_WASM;
  if (fromEnv) return fromEnv;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'dist', 'wasm', 'kernels.wasm');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    const sibling = path.join(dir, 'wasm', 'kernels.wasm');
    if (fs.existsSync(sibling)) return sibling;
    dir = path.dirname(dir);
  }
  throw new TweetlabError(
    'The fast-wasm kernels are not built (dist/wasm/kernels.wasm is missing): run `node scripts/build-wasm.mjs` or `npm run build`',
  );
}

/** The two builds of asm/kernels.ts: plain SIMD, and relaxed SIMD (fused multiply-add, a 6×8 matmul tile). */
export type KernelsBuild = 'simd' | 'relaxed-simd';
let build: KernelsBuild = 'simd';

/**
 * The relaxed-SIMD build beside the plain one, when this Node runs relaxed SIMD (on by default from Node 22; Node
 * 20 has it behind a V8 flag, which is switched on here: a wasm feature flag, read when a module is compiled).
 * TWEETLAB_KERNELS=simd keeps the plain build; an explicit $TWEETLAB_WASM is used as it is.
 */
function relaxedBytes(): Uint8Array | null {
  if (process.env.TWEETLAB_KERNELS === 'simd' || process.env.TWEETLAB_WASM) return null;
  const file = path.join(path.dirname(kernelsPath()), 'kernels-relaxed.wasm');
  if (!fs.existsSync(file)) return null;
  const bytes = fs.readFileSync(file);
  if (!Wasm.validate(bytes)) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return Wasm.validate(bytes) ? bytes : null;
}

export function kernelsModule(): WasmModule {
  if (!compiled) {
    const relaxed = relaxedBytes();
    build = relaxed ? 'relaxed-simd' : 'simd';
    compiled = new Wasm.Module(relaxed ?? fs.readFileSync(kernelsPath()));
  }
  return compiled;
}

/** Which kernels build the engine runs (runs record it: matmul results differ in the last bits between them). */
export function kernelsBuild(): KernelsBuild {
  kernelsModule();
  return build;
}

/** True when the kernels are built and this Node has wasm SIMD and shared memory. */
export function fastWasmAvailable(): boolean {
  try {
    kernelsModule();
    new Wasm.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

/** Default thread count: both cores where there are two; TWEETLAB_THREADS overrides. */
export function defaultThreads(): number {
  const env = Number(process.env.TWEETLAB_THREADS);
  if (Number.isInteger(env) && env >= 1) return Math.min(env, 16);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(2, cores));
}

/**
 * The compiled worker: beside this file in dist/, or — when this file runs from src/ under vitest — in the
 * package's dist/ (`npm run build` writes it; `npm test` builds first).
 */
export function workerPath(): string {
  const beside = path.join(__dirname, 'worker.js');
  if (fs.existsSync(beside)) return beside;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const built = path.join(dir, 'dist', 'model', 'fast', 'worker.js');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(built)) return built;
    dir = path.dirname(dir);
  }
  throw new TweetlabError('The fast-wasm worker is not built (dist/model/fast/worker.js is missing): run `npm run build`');
}

