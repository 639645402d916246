/**
 * The built files the fast-wasm runtime loads — the kernels (dist/wasm/kernels.wasm) and the worker thread
 * (dist/model/fast/worker.js) — whether this Node can run them, and how many threads to use.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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

export function kernelsModule(): WasmModule {
  if (!compiled) compiled = new Wasm.Module(fs.readFileSync(kernelsPath()));
  return compiled;
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

