import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TweetlabError } from '../../src/errors.js';
import { fetchPosts, type PagedSource, type PageRequest } from '../../src/sources/fetch.js';
import { RateLimitedError } from '../../src/sources/http.js';
import { fetchStatePath } from '../../src/sources/incremental.js';
import { parsePostsCsv } from '../../src/sources/files.js';
import type { Post } from '../../src/types.js';

let dir: string;
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-fetch-'));
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

/** An in-memory timeline of posts with ids 1..n (newest = n), pages of `pageSize`, cursor = next offset. */
function memorySource(timeline: { posts: Post[] }, pageSize: number, failures: Map<number, Error> = new Map()): PagedSource & { calls: PageRequest[] } {
  const calls: PageRequest[] = [];
  return {
    kind: 'memory',
    name: 'm',
    supportsSinceId: false,
    calls,
    async fetchPage(req) {
      calls.push(req);
      const failure = failures.get(calls.length);
      if (failure) throw failure;
      const newestFirst = [...timeline.posts].sort((a, b) => Number(b.id) - Number(a.id));
      const offset = req.cursor ? Number(req.cursor) : 0;
      const posts = newestFirst.slice(offset, offset + pageSize);
      return { posts, rawCount: posts.length, ...(offset + pageSize < newestFirst.length ? { next: String(offset + pageSize) } : {}) };
    },
  };
}

function posts(from: number, to: number): Post[] {
  const out: Post[] = [];
  for (let i = from; i <= to; i++) out.push({ id: String(i), createdAt: new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString(), text: `p${i}` });
  return out;
}

async function saved(file: string): Promise<string[]> {
  return parsePostsCsv(await fsp.readFile(file, 'utf8'), file).map((p) => p.id);
}

const range = (from: number, to: number) => posts(from, to).map((p) => p.id).reverse();

describe('fetchPosts', () => {
  it('keeps a valid CSV and the pages already saved when a page fails, then resumes without a gap', async () => {
    const out = path.join(dir, 'resume.csv');
    const timeline = { posts: posts(1, 95) };
    const failing = memorySource(timeline, 10, new Map([[4, new Error('socket hang up')]]));
    const err = await fetchPosts(failing, { out }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TweetlabError);
    expect((err as Error).message).toBe(`memory fetch failed: socket hang up (30 posts are saved in ${out}; run the same command again to resume)`);
    expect(await saved(out)).toEqual(range(66, 95));
    const state = JSON.parse(await fsp.readFile(fetchStatePath(out), 'utf8')) as { pending: { cursor: string } };
    expect(state.pending.cursor).toBe('30');

    // Five new posts arrive before the re-run: it resumes the old walk, then catches up at the top.
    timeline.posts.push(...posts(96, 100));
    const again = memorySource(timeline, 10);
    const res = await fetchPosts(again, { out });
    expect(again.calls[0]?.cursor).toBe('30');
    expect(res.added).toBe(70);
    expect(res.complete).toBe(true);
    expect(await saved(out)).toEqual(range(1, 100));
    await expect(fsp.access(fetchStatePath(out))).rejects.toThrow();
  });

  it('stops on a rate limit without waiting when not allowed to, and reports the reset', async () => {
    const out = path.join(dir, 'limited.csv');
    const reset = Date.UTC(2030, 0, 1, 12, 0, 0);
    const src = memorySource({ posts: posts(1, 50) }, 10, new Map([[3, new RateLimitedError('Memory API', reset)]]));
    const res = await fetchPosts(src, { out });
    expect(res).toMatchObject({ complete: false, stop: 'rate-limited', added: 20, total: 20 });
    expect(res.message).toBe(`Memory API rate limit reached; 20 posts are saved in ${out}; run the same command again to resume after 2030-01-01T12:00:00.000Z.`);
  });

  it('gives up waiting after maxRetries rate limits in a row', async () => {
    const now = Date.UTC(2030, 0, 1);
    const failures = new Map([1, 2, 3, 4, 5].map((i) => [i, new RateLimitedError('Memory API', now + 5000)] as [number, Error]));
    const waits: number[] = [];
    const res = await fetchPosts(memorySource({ posts: posts(1, 5) }, 10, failures), {
      waitOnRateLimit: true,
      maxRetries: 2,
      now: () => now,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(waits).toEqual([6000, 6000]);
    expect(res.complete).toBe(false);
  });

  it('replaces the file when not incremental and checks max', async () => {
    const out = path.join(dir, 'full.csv');
    await fetchPosts(memorySource({ posts: posts(1, 30) }, 10), { out });
    const res = await fetchPosts(memorySource({ posts: posts(100, 104) }, 10), { out, incremental: false });
    expect(res.total).toBe(5);
    expect(await saved(out)).toEqual(range(100, 104));
    await expect(fetchPosts(memorySource({ posts: [] }, 10), { max: 0 })).rejects.toThrow(/max must be a whole number/);
  });
});
