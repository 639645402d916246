/**
 * What the main thread and the worker threads of the fast-wasm runtime share: the kernels instantiated over one
 * shared memory, the layout of the control buffer, and the loop that takes and runs chunks of a job. The
 * worker (`worker.ts`) loads this file too, so both sides run the same code; it imports nothing of tweetlab.
 *
 * A job is a list of chunks (kernel + arguments); every thread, main included, takes the next chunk with a
 * compare-and-swap on one word (job sequence << 8 | next chunk index) until none is left, so a thread that the
 * OS has descheduled simply takes fewer chunks instead of holding the others up.
 */

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
  validate(bytes: Uint8Array): boolean;
}
export const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The kernels module instantiated over `memory`: its exports by name. */
export function instantiateKernels(module: WasmModule, memory: WasmMemory): Record<string, unknown> {
  return new Wasm.Instance(module, { env: { memory, abort: () => undefined } }).exports;
}

// Int32 slots of the control buffer:
export const C_WORD = 0; // (seq << 8) | next chunk index
export const C_DONE = 1; // chunks finished of the current job
export const C_COUNT = 2; // chunks in the current job
export const C_ERROR = 3; // a chunk threw
export const C_WAKE = 4; // bumped (and notified) for every job; workers sleep on it
export const C_EXIT = 5;
export const C_READY = 8; // + worker index: 1 once the worker has instantiated the kernels
export const C_STATS = 16; // + thread index (0 = main): chunks run, for diagnostics
const C_KERNEL = 32; // + chunk: kernel index
const C_NARGS = 32 + 64; // + chunk: argument count
const CTRL_INTS = 32 + 128;
export const MAX_CHUNKS = 64;
export const MAX_ARGS = 16;
/** Placeholder argument replaced by the running thread's own gemm scratch buffer. */
export const OWN_WORK = -1;
export const CTRL_BYTES = CTRL_INTS * 4 + MAX_CHUNKS * (MAX_ARGS + 1) * 8;

/**
 * The two views of the control buffer: `ctrl` (the Int32 slots above) and `args` (MAX_ARGS arguments and one
 * result per chunk).
 */
export interface Control {
  ctrl: Int32Array;
  args: Float64Array;
}

export function controlViews(buffer: SharedArrayBuffer): Control {
  return {
    ctrl: new Int32Array(buffer, 0, CTRL_INTS),
    args: new Float64Array(buffer, CTRL_INTS * 4, MAX_CHUNKS * (MAX_ARGS + 1)),
  };
}

/** Writes the chunk `i` of a job: its kernel index and arguments. */
export function writeChunk({ ctrl, args }: Control, i: number, kernel: number, chunkArgs: readonly number[]): void {
  ctrl[C_KERNEL + i] = kernel;
  ctrl[C_NARGS + i] = chunkArgs.length;
  args.set(chunkArgs, i * (MAX_ARGS + 1));
}

/** The numeric result of chunk `i` of the last job. */
export function chunkResult({ args }: Control, i: number): number {
  return args[i * (MAX_ARGS + 1) + MAX_ARGS] as number;
}

export type KernelFn = (...a: number[]) => unknown;

/**
 * Takes and runs chunks of the current job until none is left; `work` replaces OWN_WORK arguments and `stat`
 * is the slot counting this thread's chunks.
 */
export function runChunks({ ctrl, args }: Control, fns: readonly KernelFn[], work: number, stat: number): void {
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
      const r = (fns[ctrl[C_KERNEL + idx] as number] as KernelFn)(...a);
      args[base + MAX_ARGS] = typeof r === 'number' ? r : 0;
    } catch {
      Atomics.store(ctrl, C_ERROR, 1);
    }
    Atomics.add(ctrl, stat, 1);
    Atomics.add(ctrl, C_DONE, 1);
    Atomics.notify(ctrl, C_DONE);
  }
}

/** What the main thread hands each worker. */
export interface WorkerData {
  module: WasmModule;
  memory: WasmMemory;
  ctrlBuffer: SharedArrayBuffer;
  /** 0-based worker index (thread index − 1). */
  index: number;
  /** Kernel names in the order of the kernel indices in the control buffer. */
  names: readonly string[];
  /** This worker's gemm scratch buffer. */
  work: number;
}
