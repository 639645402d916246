import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kernelsPath } from '../../src/model/fast/artifacts.js';
import { browserKernels, unshareMemoryImport } from '../../src/page/kernels.js';
import { ensureKernelsBuilt } from '../model/fast/kernels-built.js';

ensureKernelsBuilt();

type Wasm = {
  Module: new (b: Uint8Array) => object;
  Instance: new (m: object, i: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => object;
};
const W = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

describe('kernels for the browser', () => {
  it('differ from the Node kernels in the shared bit of the memory import only', async () => {
    const original = fs.readFileSync(kernelsPath());
    const page = await browserKernels();
    expect(page.length).toBe(original.length);
    const diffs = [...page.keys()].filter((i) => page[i] !== original[i]);
    expect(diffs).toHaveLength(1);
    expect([original[diffs[0] as number], page[diffs[0] as number]]).toEqual([0x03, 0x01]);
  });

  it('instantiate on a plain (unshared) memory, which the original module refuses', async () => {
    const memory = new W.Memory({ initial: 17, maximum: 65536 });
    const page = new W.Instance(new W.Module(await browserKernels()), { env: { memory } });
    expect(typeof page.exports.gemv).toBe('function');
    expect(() => new W.Instance(new W.Module(fs.readFileSync(kernelsPath())), { env: { memory } })).toThrow();
  });

  it('refuses what is not a wasm module or imports no memory', () => {
    expect(() => unshareMemoryImport(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/not a WebAssembly module/);
    // An empty module: magic + version, no sections.
    expect(() => unshareMemoryImport(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))).toThrow(/imports no memory/);
  });
});
