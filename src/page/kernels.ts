import { promises as fsp } from 'node:fs';
import { TweetlabError } from '../errors.js';
import { kernelsPath } from '../model/fast/artifacts.js';

/**
 * The fast-wasm kernels for the page. The Node engine imports a *shared* memory (its threads work on one
 * memory); a browser only allows shared memory on cross-origin-isolated pages, which file:// never is. The
 * kernels use no atomics, so the same module runs unchanged on a plain memory once its memory import says so:
 * this flips the "shared" bit of that import's limits, nothing else.
 */

function readLeb(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let mul = 1;
  let p = at;
  for (;;) {
    const b = bytes[p++];
    if (b === undefined) throw new TweetlabError('The kernels module is truncated');
    value += (b & 0x7f) * mul;
    mul *= 128;
    if (b < 0x80) return { value, next: p };
  }
}

function skipName(bytes: Uint8Array, at: number): number {
  const len = readLeb(bytes, at);
  return len.next + len.value;
}

/** A copy of `module` whose imported memory is not shared (limits flag 0x03 → 0x01). */
export function unshareMemoryImport(module: Uint8Array): Uint8Array {
  const out = Uint8Array.from(module);
  if (out[0] !== 0 || out[1] !== 0x61 || out[2] !== 0x73 || out[3] !== 0x6d) throw new TweetlabError('The kernels file is not a WebAssembly module');
  let p = 8;
  while (p < out.length) {
    const id = out[p] as number;
    const size = readLeb(out, p + 1);
    const end = size.next + size.value;
    if (id === 2) {
      const count = readLeb(out, size.next);
      let q = count.next;
      for (let i = 0; i < count.value; i++) {
        q = skipName(out, skipName(out, q));
        const kind = out[q++];
        if (kind === 0) q = readLeb(out, q).next;
        else if (kind === 1 || kind === 2) {
          if (kind === 1) q++; // table element type
          const flags = out[q] as number;
          if (kind === 2) {
            if (flags === 0x03) out[q] = 0x01;
            return out;
          }
          q = readLeb(out, q + 1).next;
          if (flags & 1) q = readLeb(out, q).next;
        } else q += 2; // global: value type and mutability
      }
    }
    p = end;
  }
  throw new TweetlabError('The kernels module imports no memory');
}

/** The built kernels (dist/wasm/kernels.wasm) ready for a browser page. */
export async function browserKernels(): Promise<Uint8Array> {
  const file = kernelsPath();
  return unshareMemoryImport(await fsp.readFile(file));
}
