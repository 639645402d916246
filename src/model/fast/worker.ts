/**
 * A fast-wasm worker thread: instantiates the kernels over the model's shared memory, says it is ready, then
 * sleeps until the main thread posts a job and helps run its chunks (`runChunks`, the same loop the main
 * thread runs), until told to exit. Started by `Runtime` from the compiled file (dist/model/fast/worker.js).
 */
import { workerData } from 'node:worker_threads';
import { C_EXIT, C_READY, C_STATS, C_WAKE, controlViews, instantiateKernels, runChunks, type KernelFn, type WorkerData } from './jobs.js';

function serve(data: WorkerData): void {
  const kernels = instantiateKernels(data.module, data.memory);
  const fns = data.names.map((name) => kernels[name] as KernelFn);
  const control = controlViews(data.ctrlBuffer);
  const { ctrl } = control;
  let seen = Atomics.load(ctrl, C_WAKE);
  Atomics.store(ctrl, C_READY + data.index, 1);
  Atomics.notify(ctrl, C_READY + data.index);
  for (;;) {
    Atomics.wait(ctrl, C_WAKE, seen);
    seen = Atomics.load(ctrl, C_WAKE);
    if (Atomics.load(ctrl, C_EXIT)) break;
    runChunks(control, fns, data.work, C_STATS + 1 + data.index);
  }
}

serve(workerData as WorkerData);
