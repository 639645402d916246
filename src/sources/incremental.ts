/**
 * Incremental updates of a posts CSV: merging fresh posts into saved ones (one per id, newest first), the
 * boundary where a walk meets saved posts, and the hidden state file that remembers an unfinished walk.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Post } from '../types.js';
import { fileExists, readTextFile, writeJsonAtomic } from '../util/fs.js';
import { writePostsCsv } from './files.js';

/**
 * One newest-first walk down a timeline. A walk that was cut short is saved as pending and resumed first on
 * the next run; it ends at `boundaryId`, the newest post the file held when the walk began.
 */
export interface PendingWalk {
  cursor: string;
  sinceId?: string;
  boundaryId?: string;
}

interface FetchState {
  version: 1;
  kind: string;
  name: string;
  pending: PendingWalk;
}

/** The account a state file belongs to. */
export interface WalkOwner {
  kind: string;
  name: string;
}

/** The file beside `out` that remembers an unfinished walk. */
export function fetchStatePath(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.fetch-state.json`);
}

/** True for ids made only of digits (Twitter and Mastodon ids), which order by value. */
function isNumericId(id: string): boolean {
  return /^\d+$/.test(id);
}

/** The largest numeric id, or undefined when there is none. */
export function newestNumericId(posts: readonly Post[]): string | undefined {
  let best: bigint | undefined;
  for (const p of posts) {
    if (!isNumericId(p.id)) continue;
    const v = BigInt(p.id);
    if (best === undefined || v > best) best = v;
  }
  return best === undefined ? undefined : best.toString();
}

/** True when `id` is `limit` itself, or both are numeric and `id` is not newer. */
export function atOrBelow(id: string, limit: string | undefined): boolean {
  if (limit === undefined) return false;
  if (id === limit) return true;
  return isNumericId(id) && isNumericId(limit) && BigInt(id) <= BigInt(limit);
}

/** Newest first: by creation time when both posts have one, else by numeric id, else keep order. */
function compareNewestFirst(a: Post, b: Post): number {
  const ta = a.createdAt ? Date.parse(a.createdAt) : NaN;
  const tb = b.createdAt ? Date.parse(b.createdAt) : NaN;
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return tb - ta;
  if (isNumericId(a.id) && isNumericId(b.id)) {
    const d = BigInt(b.id) - BigInt(a.id);
    return d > 0n ? 1 : d < 0n ? -1 : 0;
  }
  return 0;
}

/**
 * Merges fresh posts into existing ones: one post per id (the fresh copy wins, so edits show up), newest first.
 * The sort is stable, so posts without dates or numeric ids keep their order.
 */
export function mergePosts(fresh: readonly Post[], existing: readonly Post[]): Post[] {
  const seen = new Set<string>();
  const merged: Post[] = [];
  for (const p of [...fresh, ...existing]) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    merged.push(p);
  }
  return merged.sort(compareNewestFirst);
}

/** The unfinished walk saved for `owner` in `file`, if any. */
export async function readPendingWalk(file: string, owner: WalkOwner): Promise<PendingWalk | undefined> {
  if (!(await fileExists(file))) return undefined;
  let state: FetchState;
  try {
    state = JSON.parse(await readTextFile(file, 'fetch state')) as FetchState;
    if (state.version !== 1 || typeof state.pending?.cursor !== 'string') return undefined;
  } catch {
    return undefined; // a damaged state file only loses the resume point, never posts
  }
  if (state.kind !== owner.kind || state.name !== owner.name) return undefined;
  return state.pending;
}

/**
 * Saves `posts` to `out` (atomically) and either remembers `pending` in the state file or, when the walk
 * ended, removes the state file.
 */
export async function saveFetchProgress(out: string, posts: readonly Post[], owner: WalkOwner, pending: PendingWalk | undefined): Promise<void> {
  await writePostsCsv(out, posts);
  if (pending) {
    const state: FetchState = { version: 1, kind: owner.kind, name: owner.name, pending };
    await writeJsonAtomic(fetchStatePath(out), state);
  } else {
    await clearFetchState(out);
  }
}

/** Forgets any unfinished walk of `out`. */
export async function clearFetchState(out: string): Promise<void> {
  await fsp.rm(fetchStatePath(out), { force: true });
}
