import { Worker } from 'node:worker_threads';
import { TweetlabError } from '../../errors.js';
import { kernelsModule, workerPath } from './artifacts.js';
import {
  C_DONE,
  C_COUNT,
  C_ERROR,
  C_EXIT,
  C_READY,
  C_STATS,
  C_WAKE,
  C_WORD,
  CTRL_BYTES,
  MAX_ARGS,
  MAX_CHUNKS,
  OWN_WORK,
  Wasm,
  chunkResult,
  controlViews,
  instantiateKernels,
  runChunks,
  writeChunk,
  type Control,
  type KernelFn,
  type WasmMemory,
  type WorkerData,
} from './jobs.js';

/**
 * The fast-wasm runtime: one shared WebAssembly.Memory per model, the kernels module instantiated on the main
 * thread and in `threads − 1` worker threads over that same memory, and a tiny job protocol (Atomics.wait /
 * notify on a SharedArrayBuffer, `jobs.ts`) so a big matmul can be split between the cores without copying anything.
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

export { OWN_WORK, type WasmMemory, type WasmModule } from './jobs.js';

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
  private readonly control: Control;
  private readonly fns: KernelFn[];
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
    this.k = instantiateKernels(module, this.memory) as unknown as KernelExports;
    this.fns = KERNEL_NAMES.map((n) => this.k[n] as unknown as KernelFn);
    this.threads = Math.max(1, Math.min(8, Math.floor(threads)));
    const ctrlBuffer = new SharedArrayBuffer(CTRL_BYTES);
    this.control = controlViews(ctrlBuffer);
    this.f32view = new Float32Array(this.memory.buffer);
    this.i32view = new Int32Array(this.memory.buffer);
    const workBytes = this.k.gemmWorkBytes() + 64;
    for (let t = 0; t < this.threads; t++) this.work.push(this.alloc(workBytes));
    const script = this.threads > 1 ? workerPath() : '';
    for (let w = 0; w < this.threads - 1; w++) {
      const workerData: WorkerData = { module, memory: this.memory, ctrlBuffer, index: w, names: KERNEL_NAMES, work: this.work[w + 1] as number };
      const worker = new Worker(script, { workerData });
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
    for (let w = 0; w < this.workers.length; w++) if (Atomics.load(this.control.ctrl, C_READY + w) !== 1) return false;
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
    const { ctrl } = this.control;
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
      writeChunk(this.control, i, KERNEL_NAMES.indexOf(name), args);
    });
    Atomics.store(ctrl, C_COUNT, n);
    ctrl[C_ERROR] = 0;
    Atomics.store(ctrl, C_DONE, 0);
    Atomics.store(ctrl, C_WORD, this.seq << 8);
    Atomics.add(ctrl, C_WAKE, 1);
    Atomics.notify(ctrl, C_WAKE);
    runChunks(this.control, this.fns, this.work[0] as number, C_STATS);
    for (;;) {
      const done = Atomics.load(ctrl, C_DONE);
      if (done >= n) break;
      Atomics.wait(ctrl, C_DONE, done, 50);
    }
    if (Atomics.load(ctrl, C_ERROR)) throw new TweetlabError('fast-wasm: a kernel failed in a worker thread');
    for (let i = 0; i < n; i++) results[i] = chunkResult(this.control, i);
    return results;
  }

  /** Chunks each thread has run so far (index 0 = main thread): shows the workers take part. */
  chunksRun(): number[] {
    return Array.from({ length: this.threads }, (_, t) => Atomics.load(this.control.ctrl, C_STATS + t));
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
    const { ctrl } = this.control;
    Atomics.store(ctrl, C_EXIT, 1);
    Atomics.add(ctrl, C_WAKE, 1);
    Atomics.notify(ctrl, C_WAKE);
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}
