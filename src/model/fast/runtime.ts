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
  dropoutMask(mask: number, n: number, first: number, seed: number, keep: number, scale: number): void;
  lockedMul(src: number, mask: number, dst: number, rows: number, dim: number, B: number, firstRow: number): void;
  rowScale(X: number, dim: number, ids: number, n: number, scales: number): void;
  sumSquares(p: number, n: number): number;
  scaleAdd(g: number, w: number, n: number, a: number, b: number): void;
  scaleBy(w: number, n: number, factor: number): void;
  rowDots(W: number, ldw: number, rows: number, x: number, dim: number, bias: number, out: number): void;
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
  'dropoutMask', 'lockedMul', 'rowScale', 'sumSquares', 'scaleAdd', 'scaleBy', 'rowDots',
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

// The job protocol. A job is a list of chunks (kernel + arguments); every thread, main included, takes the next
// chunk with a compare-and-swap on one word (job sequence << 8 | next chunk index) until none is left, so a
// thread that the OS has descheduled simply takes fewer chunks instead of holding the others up.
// Int32 slots of the control buffer:
const C_WORD = 0; // (seq << 8) | next chunk index
const C_DONE = 1; // chunks finished of the current job
const C_COUNT = 2; // chunks in the current job
const C_ERROR = 3; // a chunk threw
const C_WAKE = 4; // bumped (and notified) for every job; workers sleep on it
const C_EXIT = 5;
const C_READY = 8; // + worker index: 1 once the worker has instantiated the kernels
const C_STATS = 16; // + thread index (0 = main): chunks run, for diagnostics
const C_KERNEL = 32; // + chunk: kernel index
const C_NARGS = 32 + 64; // + chunk: argument count
const CTRL_INTS = 32 + 128;
const MAX_CHUNKS = 64;
const MAX_ARGS = 16;
/** Placeholder argument replaced by the running thread's own gemm scratch buffer. */
export const OWN_WORK = -1;
const CTRL_BYTES = CTRL_INTS * 4 + MAX_CHUNKS * (MAX_ARGS + 1) * 8;

/** Takes and runs chunks of the current job until none is left (WORKER_SOURCE has the same loop). */
function runChunks(ctrl: Int32Array, args: Float64Array, fns: ((...a: number[]) => unknown)[], work: number, stat: number): void {
  for (;;) {
    const cur = Atomics.load(ctrl, C_WORD);
    const idx = cur & 255;
    if (idx >= Atomics.load(ctrl, C_COUNT)) return;
    if (Atomics.compareExchange(ctrl, C_WORD, cur, cur + 1) !== cur) continue;
    const base = idx * (MAX_ARGS + 1);
    const n = ctrl[C_NARGS + idx] as number;
    const a: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = args[base + i] as number;
      a.push(v === OWN_WORK ? work : v);
    }
    try {
      const r = (fns[ctrl[C_KERNEL + idx] as number] as (...x: number[]) => unknown)(...a);
      args[base + MAX_ARGS] = typeof r === 'number' ? r : 0;
    } catch {
      Atomics.store(ctrl, C_ERROR, 1);
    }
    Atomics.add(ctrl, stat, 1);
    Atomics.add(ctrl, C_DONE, 1);
    Atomics.notify(ctrl, C_DONE);
  }
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrlBuffer, index, names, work } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory, abort() {} } });
const ctrl = new Int32Array(ctrlBuffer, 0, ${CTRL_INTS});
const args = new Float64Array(ctrlBuffer, ${CTRL_INTS * 4}, ${MAX_CHUNKS * (MAX_ARGS + 1)});
const fns = names.map((n) => instance.exports[n]);
// The same loop as runChunks() in runtime.ts, kept as plain source so no build transform can change it.
function runChunks(stat) {
  for (;;) {
    const cur = Atomics.load(ctrl, ${C_WORD});
    const idx = cur & 255;
    if (idx >= Atomics.load(ctrl, ${C_COUNT})) return;
    if (Atomics.compareExchange(ctrl, ${C_WORD}, cur, cur + 1) !== cur) continue;
    const base = idx * ${MAX_ARGS + 1};
    const n = ctrl[${C_NARGS} + idx];
    const a = [];
    for (let i = 0; i < n; i++) {
      const v = args[base + i];
      a.push(v === ${OWN_WORK} ? work : v);
    }
    try {
      const r = fns[ctrl[${C_KERNEL} + idx]](...a);
      args[base + ${MAX_ARGS}] = typeof r === 'number' ? r : 0;
    } catch {
      Atomics.store(ctrl, ${C_ERROR}, 1);
    }
    Atomics.add(ctrl, stat, 1);
    Atomics.add(ctrl, ${C_DONE}, 1);
    Atomics.notify(ctrl, ${C_DONE});
  }
}
let seen = Atomics.load(ctrl, ${C_WAKE});
Atomics.store(ctrl, ${C_READY} + index, 1);
Atomics.notify(ctrl, ${C_READY} + index);
for (;;) {
  Atomics.wait(ctrl, ${C_WAKE}, seen);
  seen = Atomics.load(ctrl, ${C_WAKE});
  if (Atomics.load(ctrl, ${C_EXIT})) break;
  runChunks(${C_STATS} + 1 + index);
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
  private readonly ctrl: Int32Array;
  private readonly args: Float64Array;
  private readonly fns: ((...a: number[]) => unknown)[];
  private seq = 0;
  private readonly work: number[] = [];
  private top = HEAP_START;
  private f32view: Float32Array;
  private i32view: Int32Array;
  private disposed = false;
  private workerError: string | undefined;

  constructor(bytes: number, threads: number) {
    const module = kernelsModule();
    const pages = Math.ceil((HEAP_START + bytes) / PAGE) + 1;
    if (pages > MAX_PAGES) throw new TweetlabError(`The fast-wasm engine needs ${Math.ceil((pages * PAGE) / 2 ** 20)} MiB, more than its 2 GiB limit`);
    this.memory = new Wasm.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
    const instance = new Wasm.Instance(module, { env: { memory: this.memory, abort: () => undefined } });
    this.k = instance.exports as unknown as KernelExports;
    this.fns = KERNEL_NAMES.map((n) => this.k[n] as unknown as (...a: number[]) => unknown);
    this.threads = Math.max(1, Math.min(8, Math.floor(threads)));
    const ctrlBuffer = new SharedArrayBuffer(CTRL_BYTES);
    this.ctrl = new Int32Array(ctrlBuffer, 0, CTRL_INTS);
    this.args = new Float64Array(ctrlBuffer, CTRL_INTS * 4, MAX_CHUNKS * (MAX_ARGS + 1));
    this.f32view = new Float32Array(this.memory.buffer);
    this.i32view = new Int32Array(this.memory.buffer);
    const workBytes = this.k.gemmWorkBytes() + 64;
    for (let t = 0; t < this.threads; t++) this.work.push(this.alloc(workBytes));
    for (let w = 0; w < this.threads - 1; w++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory: this.memory, ctrlBuffer, index: w, names: KERNEL_NAMES, work: this.work[w + 1] },
      });
      worker.unref();
      worker.on('error', (err) => {
        this.workerError ??= err instanceof Error ? err.message : String(err);
      });
      this.workers.push(worker);
    }
    if (this.workers.length > 0) workerReaper.register(this, this.workers.slice(), this);
  }

  /**
   * C[M×N] = beta·C + op(A)·op(B) (beta 0 or 1; op = transpose when tA/tB is 1; byte offsets, row-major),
   * cut into chunks along N (each chunk re-packs only the small A block) or, when M ≥ N, along M.
   * Never along K: every output element is computed by one chunk with the same blocking and summation order as
   * the one-thread call, so results are bit-identical whatever the thread count or which thread ran what.
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
      const chunks = Math.min(2 * T, Math.ceil(N / 64));
      const per = Math.ceil(N / chunks / 8) * 8;
      for (let j0 = 0; j0 < N; j0 += per) {
        const n = Math.min(per, N - j0);
        const b = tB ? B + j0 * ldb * 4 : B + j0 * 4;
        jobs.push(['gemm', [tA, tB, M, n, K, A, lda, b, ldb, C + j0 * 4, ldc, beta, OWN_WORK]]);
      }
    } else {
      // Every row chunk packs all of B again, so only as many chunks as threads.
      const per = Math.ceil(M / T / 4) * 4;
      for (let i0 = 0; i0 < M; i0 += per) {
        const m = Math.min(per, M - i0);
        const a = tA ? A + i0 * 4 : A + i0 * lda * 4;
        jobs.push(['gemm', [tA, tB, m, N, K, a, lda, B, ldb, C + i0 * ldc * 4, ldc, beta, OWN_WORK]]);
      }
    }
    this.parallel(jobs);
  }

  /** Resolves when every worker has instantiated the kernels (until then the main thread does all the work). */
  async ready(): Promise<void> {
    // Polled with a timer: a pending Atomics.waitAsync does not keep Node's event loop alive (workers are unref'd).
    const started = Date.now();
    while (!this.disposed && !this.workersReady()) {
      if (this.workerError !== undefined) throw new TweetlabError(`A fast-wasm worker thread failed to start: ${this.workerError}`);
      if (Date.now() - started > 30000) throw new TweetlabError('The fast-wasm worker threads did not start within 30 s');
      await new Promise<void>((resolve) => setTimeout(resolve, 2));
    }
  }

  private workersReady(): boolean {
    for (let w = 0; w < this.workers.length; w++) if (Atomics.load(this.ctrl, C_READY + w) !== 1) return false;
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

  /**
   * Runs the chunks `jobs` on every thread (main included, each taking the next chunk until none is left) and
   * returns each chunk's numeric result. Arguments equal to OWN_WORK become the running thread's scratch buffer.
   */
  parallel(jobs: Job[]): number[] {
    const n = jobs.length;
    const results = new Array<number>(n).fill(0);
    if (n === 0) return results;
    if (n === 1 || this.workers.length === 0 || n > MAX_CHUNKS) {
      jobs.forEach(([name, args], i) => (results[i] = this.call(name, args.map((a) => (a === OWN_WORK ? (this.work[0] as number) : a)))));
      return results;
    }
    const ctrl = this.ctrl;
    const stride = MAX_ARGS + 1;
    // Close the previous job BEFORE writing the new chunks and count. A thread that read the previous job's word
    // (every chunk taken) and then the new, larger count must not claim a chunk with that stale word: its
    // compare-and-swap used to succeed, so one chunk of the new job ran twice (non-idempotent kernels such as
    // softmaxXent in place or gemm with beta 1 then corrupt their output) and a spurious C_DONE could end the
    // wait while a chunk still ran: training differed from run to run. Closed = the new sequence number with an
    // index (255) past every count, so the stale compare-and-swap fails.
    this.seq = (this.seq + 1) & 0x7fffff;
    Atomics.store(ctrl, C_WORD, (this.seq << 8) | 255);
    jobs.forEach(([name, args], i) => {
      if (args.length > MAX_ARGS) throw new Error(`internal: ${name} has more than ${MAX_ARGS} arguments`);
      ctrl[C_KERNEL + i] = KERNEL_NAMES.indexOf(name);
      ctrl[C_NARGS + i] = args.length;
      this.args.set(args, i * stride);
    });
    Atomics.store(ctrl, C_COUNT, n);
    ctrl[C_ERROR] = 0;
    Atomics.store(ctrl, C_DONE, 0);
    Atomics.store(ctrl, C_WORD, this.seq << 8);
    Atomics.add(ctrl, C_WAKE, 1);
    Atomics.notify(ctrl, C_WAKE);
    runChunks(ctrl, this.args, this.fns, this.work[0] as number, C_STATS);
    for (;;) {
      const done = Atomics.load(ctrl, C_DONE);
      if (done >= n) break;
      Atomics.wait(ctrl, C_DONE, done, 50);
    }
    if (Atomics.load(ctrl, C_ERROR)) throw new TweetlabError('fast-wasm: a kernel failed in a worker thread');
    for (let i = 0; i < n; i++) results[i] = this.args[i * stride + MAX_ARGS] as number;
    return results;
  }

  /** Chunks each thread has run so far (index 0 = main thread): shows the workers take part. */
  chunksRun(): number[] {
    return Array.from({ length: this.threads }, (_, t) => Atomics.load(this.ctrl, C_STATS + t));
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
    Atomics.store(this.ctrl, C_EXIT, 1);
    Atomics.add(this.ctrl, C_WAKE, 1);
    Atomics.notify(this.ctrl, C_WAKE);
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}
