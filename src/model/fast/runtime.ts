import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { TweetlabError } from '../../errors.js';

/**
 * The fast-wasm runtime: one shared WebAssembly.Memory per model, the kernels module instantiated on the main
 * thread and in `threads − 1` worker threads over that same memory, and a tiny job protocol (Atomics.wait /
 * notify on a SharedArrayBuffer) so a big matmul can be split between the cores without copying anything.
 */

/** The kernel exports (asm/kernels.ts). Pointers are byte offsets into the shared memory. */
export interface KernelExports {
  gemmWorkBytes(): number;
  gemm(tA: number, tB: number, M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number,
    C: number, ldc: number, beta: number, work: number): void;
  gemv(x: number, K: number, W: number, ldw: number, N: number, bias: number, y: number, accumulate: number): void;
  mapExp(x: number, y: number, n: number): void;
  mapSigmoid(x: number, y: number, n: number): void;
  mapTanh(x: number, y: number, n: number): void;
  lstmForwardStep(G: number, cPrev: number, cOut: number, hOut: number, rows: number, H: number): void;
  lstmBackwardStep(G: number, c: number, cPrev: number, dH: number, dC: number, hasDC: number, rows: number, H: number): void;
  softmaxXent(Z: number, ldz: number, rows: number, V: number, targets: number, scale: number, withTargets: number): number;
  colSum(Z: number, ldz: number, rows: number, cols: number, out: number, accumulate: number): void;
  fillRows(C: number, ldc: number, rows: number, cols: number, bias: number): void;
  gatherRows(table: number, dim: number, ids: number, n: number, out: number): void;
  scatterAddRows(grad: number, dim: number, ids: number, n: number, src: number): void;
  mul(a: number, b: number, y: number, n: number): void;
  zero(p: number, n: number): void;
  dropout(src: number, mask: number, dst: number, n: number, first: number, seed: number, keep: number, scale: number): void;
  rmsprop(w: number, g: number, ms: number, n: number, lr: number, rho: number, eps: number): void;
  adam(w: number, g: number, m: number, v: number, n: number, rate: number, b1: number, b2: number, eps: number): void;
}

export type KernelName = keyof KernelExports;

// Minimal typings of the WebAssembly JS API (the project's lib settings do not include them).
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const KERNEL_NAMES: KernelName[] = [
  'gemmWorkBytes', 'gemm', 'gemv', 'mapExp', 'mapSigmoid', 'mapTanh', 'lstmForwardStep', 'lstmBackwardStep',
  'softmaxXent', 'colSum', 'fillRows', 'gatherRows', 'scatterAddRows', 'mul', 'zero', 'dropout', 'rmsprop', 'adam',
];

const PAGE = 65536;
/** The module declares memory maximum 65536 pages (4 GiB); each model asks for at most this many. */
const MAX_PAGES = 32768;
/** Allocations start above the module's static data (Math.log tables at ~1 KiB–5 KiB). */
const HEAP_START = 1 << 20;

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

// Control block per worker (Int32 slots): 0 = job sequence (−1 = exit), 1 = done sequence, 2 = kernel index,
// 3 = argument count, 4 = ready flag, 5 = error flag of the last job; then Float64 arguments and one Float64 result.
const CTRL_INTS = 8;
const MAX_ARGS = 16;
const SLOT_BYTES = CTRL_INTS * 4 + (MAX_ARGS + 1) * 8;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrlBuffer, index, names } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory, abort() {} } });
const base = index * ${SLOT_BYTES};
const ctrl = new Int32Array(ctrlBuffer, base, ${CTRL_INTS});
const args = new Float64Array(ctrlBuffer, base + ${CTRL_INTS * 4}, ${MAX_ARGS + 1});
const fns = names.map((n) => instance.exports[n]);
Atomics.store(ctrl, 4, 1);
Atomics.notify(ctrl, 4);
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, 0, seen);
  const seq = Atomics.load(ctrl, 0);
  if (seq < 0) break;
  if (seq === seen) continue;
  seen = seq;
  const n = ctrl[3];
  const a = [];
  for (let i = 0; i < n; i++) a.push(args[i]);
  try {
    const r = fns[ctrl[2]](...a);
    args[${MAX_ARGS}] = typeof r === 'number' ? r : 0;
    ctrl[5] = 0;
  } catch (err) {
    ctrl[5] = 1;
  }
  Atomics.store(ctrl, 1, seq);
  Atomics.notify(ctrl, 1);
}
`;

export type Job = [KernelName, number[]];

/** A model dropped without dispose() still ends its worker threads (which hold the shared memory alive). */
const workerReaper = new FinalizationRegistry<Worker[]>((workers) => {
  for (const w of workers) void w.terminate();
});

export class Runtime {
  readonly memory: WasmMemory;
  readonly k: KernelExports;
  readonly threads: number;
  private readonly workers: Worker[] = [];
  private readonly ctrlBuffer: SharedArrayBuffer;
  private readonly seqs: number[] = [];
  private readonly work: number[] = [];
  private top = HEAP_START;
  private f32view: Float32Array;
  private i32view: Int32Array;
  private disposed = false;

  constructor(bytes: number, threads: number) {
    const module = kernelsModule();
    const pages = Math.ceil((HEAP_START + bytes) / PAGE) + 1;
    if (pages > MAX_PAGES) throw new TweetlabError(`The fast-wasm engine needs ${Math.ceil((pages * PAGE) / 2 ** 20)} MiB, more than its 2 GiB limit`);
    this.memory = new Wasm.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
    const instance = new Wasm.Instance(module, { env: { memory: this.memory, abort: () => undefined } });
    this.k = instance.exports as unknown as KernelExports;
    this.threads = Math.max(1, Math.floor(threads));
    this.ctrlBuffer = new SharedArrayBuffer(SLOT_BYTES * Math.max(1, this.threads - 1));
    for (let w = 0; w < this.threads - 1; w++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory: this.memory, ctrlBuffer: this.ctrlBuffer, index: w, names: KERNEL_NAMES },
      });
      worker.unref();
      worker.on('error', () => undefined);
      this.workers.push(worker);
      this.seqs.push(0);
    }
    if (this.workers.length > 0) workerReaper.register(this, this.workers.slice(), this);
    this.f32view = new Float32Array(this.memory.buffer);
    this.i32view = new Int32Array(this.memory.buffer);
    const workBytes = this.k.gemmWorkBytes() + 64;
    for (let t = 0; t < this.threads; t++) this.work.push(this.alloc(workBytes));
  }

  /**
   * C[M×N] = beta·C + op(A)·op(B) (beta 0 or 1; op = transpose when tA/tB is 1; byte offsets, row-major),
   * split between the threads along the dimension whose operand is cheaper to pack twice.
   */
  gemm(tA: number, tB: number, M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number,
    C: number, ldc: number, beta: number): void {
    const T = this.threads;
    if (T === 1 || 2 * M * N * K < 4e6) {
      this.k.gemm(tA, tB, M, N, K, A, lda, B, ldb, C, ldc, beta, this.work[0] as number);
      return;
    }
    const jobs: Job[] = [];
    if (M < N) {
      const per = Math.ceil(N / T / 8) * 8;
      for (let t = 0, j0 = 0; t < T && j0 < N; t++, j0 += per) {
        const n = Math.min(per, N - j0);
        const b = tB ? B + j0 * ldb * 4 : B + j0 * 4;
        jobs.push(['gemm', [tA, tB, M, n, K, A, lda, b, ldb, C + j0 * 4, ldc, beta, this.work[t] as number]]);
      }
    } else {
      const per = Math.ceil(M / T / 4) * 4;
      for (let t = 0, i0 = 0; t < T && i0 < M; t++, i0 += per) {
        const m = Math.min(per, M - i0);
        const a = tA ? A + i0 * 4 : A + i0 * lda * 4;
        jobs.push(['gemm', [tA, tB, m, N, K, a, lda, B, ldb, C + i0 * ldc * 4, ldc, beta, this.work[t] as number]]);
      }
    }
    this.parallel(jobs);
  }

  private ctrl(w: number): Int32Array {
    return new Int32Array(this.ctrlBuffer, w * SLOT_BYTES, CTRL_INTS);
  }

  private args(w: number): Float64Array {
    return new Float64Array(this.ctrlBuffer, w * SLOT_BYTES + CTRL_INTS * 4, MAX_ARGS + 1);
  }

  /** Resolves when every worker has instantiated the kernels (parallel jobs run serially until then). */
  async ready(): Promise<void> {
    // Polled with a timer: a pending Atomics.waitAsync does not keep Node's event loop alive (workers are unref'd).
    const started = Date.now();
    while (!this.disposed && !this.workersReady()) {
      if (Date.now() - started > 30000) throw new TweetlabError('The fast-wasm worker threads did not start within 30 s');
      await new Promise<void>((resolve) => setTimeout(resolve, 2));
    }
  }

  private workersReady(): boolean {
    for (let w = 0; w < this.workers.length; w++) if (Atomics.load(this.ctrl(w), 4) !== 1) return false;
    return true;
  }

  /** Bump allocation of `bytes` (16-byte aligned), growing the memory when needed. */
  alloc(bytes: number): number {
    const ptr = (this.top + 15) & ~15;
    const end = ptr + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) throw new TweetlabError('The fast-wasm engine ran out of its 2 GiB memory');
      this.memory.grow(pages);
    }
    this.top = end;
    return ptr;
  }

  allocF32(n: number): number {
    return this.alloc(n * 4);
  }

  get f32(): Float32Array {
    if (this.f32view.length * 4 !== this.memory.buffer.byteLength) {
      this.f32view = new Float32Array(this.memory.buffer);
      this.i32view = new Int32Array(this.memory.buffer);
    }
    return this.f32view;
  }

  get i32(): Int32Array {
    void this.f32;
    return this.i32view;
  }

  /** Runs jobs[0] here and jobs[1..] on the workers at the same time; returns each job's numeric result. */
  parallel(jobs: Job[]): number[] {
    const results = new Array<number>(jobs.length).fill(0);
    if (jobs.length === 0) return results;
    if (jobs.length - 1 > this.workers.length || !this.workersReady()) {
      jobs.forEach(([name, args], i) => (results[i] = this.call(name, args)));
      return results;
    }
    for (let j = 1; j < jobs.length; j++) {
      const w = j - 1;
      const [name, args] = jobs[j] as Job;
      const ctrl = this.ctrl(w);
      const a = this.args(w);
      for (let i = 0; i < args.length; i++) a[i] = args[i] as number;
      ctrl[2] = KERNEL_NAMES.indexOf(name);
      ctrl[3] = args.length;
      const seq = ((this.seqs[w] as number) + 1) & 0x3fffffff;
      this.seqs[w] = seq;
      Atomics.store(ctrl, 0, seq);
      Atomics.notify(ctrl, 0);
    }
    const [name0, args0] = jobs[0] as Job;
    results[0] = this.call(name0, args0);
    for (let j = 1; j < jobs.length; j++) {
      const w = j - 1;
      const ctrl = this.ctrl(w);
      const seq = this.seqs[w] as number;
      for (;;) {
        const done = Atomics.load(ctrl, 1);
        if (done === seq) break;
        Atomics.wait(ctrl, 1, done, 50);
      }
      if (ctrl[5] === 1) throw new TweetlabError(`fast-wasm: kernel ${(jobs[j] as Job)[0]} failed in worker thread ${w + 1}`);
      results[j] = this.args(w)[MAX_ARGS] as number;
    }
    return results;
  }

  call(name: KernelName, args: number[]): number {
    const fn = this.k[name] as unknown as (...a: number[]) => number | undefined;
    const r = fn(...args);
    return typeof r === 'number' ? r : 0;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    workerReaper.unregister(this);
    for (let w = 0; w < this.workers.length; w++) {
      const ctrl = this.ctrl(w);
      Atomics.store(ctrl, 0, -1);
      Atomics.notify(ctrl, 0);
      void (this.workers[w] as Worker).terminate();
    }
    this.workers.length = 0;
  }
}
