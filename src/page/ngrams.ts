/**
 * The page's memorisation check without shipping the training posts: 32-bit hashes of every run of 1…6
 * consecutive words inside a training post, sorted and delta-encoded. A generated post "copies" when one of
 * its 6-word runs hashes into the set (as `NgramIndex` in src/evaluate/metrics.ts decides with the words
 * themselves); a false match needs a 32-bit collision, about N / 2³² per looked-up run for N hashes.
 * Shared by the page writer (Node) and the page's worker (browser).
 */
import { base64ToBytes, bytesToBase64 } from './quantize.js';

/** Copying this many consecutive words of a training post makes a post "not new" (the evaluation's n). */
export const COPY_RUN = 6;

/** FNV-1a over the words' UTF-16 units with a separator no cleaned word contains. */
export function runHash(words: readonly string[], start: number, n: number): number {
  let h = 0x811c9dc5;
  for (let w = start; w < start + n; w++) {
    const word = words[w] as string;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 1, 0x01000193);
  }
  return h >>> 0;
}

/** Sorted distinct hashes of every run of 1…maxN words inside each post (runs never cross posts). */
export function trainingRunHashes(posts: readonly (readonly string[])[], maxN = COPY_RUN): Uint32Array {
  const set = new Set<number>();
  for (const words of posts) {
    for (let n = 1; n <= maxN; n++) for (let i = 0; i + n <= words.length; i++) set.add(runHash(words, i, n));
  }
  return Uint32Array.from(set).sort();
}

/** Sorted hashes → base64 of LEB128 deltas (about 2–3 bytes a hash instead of 4). */
export function encodeHashSet(sorted: Uint32Array): string {
  const bytes: number[] = [];
  let prev = 0;
  for (let i = 0; i < sorted.length; i++) {
    let d = (sorted[i] as number) - prev;
    prev = sorted[i] as number;
    while (d >= 0x80) {
      bytes.push((d % 0x80) | 0x80);
      d = Math.floor(d / 0x80);
    }
    bytes.push(d);
  }
  return bytesToBase64(Uint8Array.from(bytes));
}

export function decodeHashSet(text: string, count: number): Uint32Array {
  const bytes = base64ToBytes(text);
  const out = new Uint32Array(count);
  let prev = 0;
  let p = 0;
  for (let i = 0; i < count; i++) {
    let d = 0;
    let mul = 1;
    for (;;) {
      const b = bytes[p++];
      if (b === undefined) throw new Error('the training-run hash set is truncated');
      d += (b & 0x7f) * mul;
      mul *= 0x80;
      if (b < 0x80) break;
    }
    prev += d;
    out[i] = prev;
  }
  return out;
}

/** True when `hash` is in the sorted set. */
export function hasHash(sorted: Uint32Array, hash: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as number;
    if (v === hash) return true;
    if (v < hash) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export interface CopiedRun {
  /** Words in the longest run found in a training post, capped at `maxN` (0 when none). */
  length: number;
  /** That run's words. */
  words: string[];
}

/** The longest run of ≤ maxN consecutive words of `words` that also occurs inside a training post. */
export function longestCopiedRun(words: readonly string[], sorted: Uint32Array, maxN = COPY_RUN): CopiedRun {
  for (let n = Math.min(maxN, words.length); n >= 1; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      if (hasHash(sorted, runHash(words, i, n))) return { length: n, words: words.slice(i, i + n) };
    }
  }
  return { length: 0, words: [] };
}
