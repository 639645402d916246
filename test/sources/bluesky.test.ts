import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { blueskySource, fetchBluesky, normalizeBlueskyActor } from '../../src/sources/bluesky.js';
import { parsePostsCsv } from '../../src/sources/files.js';
import { startFakeBluesky, type FakeServer, type FakeSkeet } from './fakes/social.js';

/** Newest first: skeet i was posted i minutes after the start, so index 0 is the newest. */
function feed(n: number, prefix: string, start = Date.UTC(2024, 0, 1)): FakeSkeet[] {
  const out: FakeSkeet[] = [];
  for (let i = n; i >= 1; i--) {
    out.push({
      rkey: `${prefix}${i}`,
      text: `skeet ${prefix}${i} about tea, cats & code`,
      createdAt: new Date(start + i * 60_000).toISOString(),
      reply: i % 7 === 0,
      repost: i % 5 === 0,
    });
  }
  return out;
}

let fake: FakeServer;
let dir: string;
const feeds: Record<string, FakeSkeet[]> = {
  'alice.test': feed(230, 'a'),
  'bob.test': feed(12, 'b'),
};

beforeAll(async () => {
  fake = await startFakeBluesky(feeds);
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-bsky-'));
});
afterAll(async () => {
  await fake.close();
  await fsp.rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.rateLimit(0, {});
});

describe('bluesky source against a fake AppView on 127.0.0.1', () => {
  it('follows cursors to the end, asks for posts_no_replies, and drops reposts', async () => {
    const out = path.join(dir, 'alice.csv');
    const res = await fetchBluesky('@alice.test', { out }, { baseUrl: fake.url });
    const own = feeds['alice.test']!.filter((s) => !s.reply && !s.repost);
    expect(res.total).toBe(own.length);
    expect(res.stop).toBe('end');
    expect(fake.requests.length).toBeGreaterThan(1);
    expect(fake.requests.every((r) => r.path === '/xrpc/app.bsky.feed.getAuthorFeed')).toBe(true);
    expect(fake.requests.every((r) => r.query['filter'] === 'posts_no_replies' && r.query['actor'] === 'alice.test')).toBe(true);
    expect(fake.requests[0]?.query['cursor']).toBeUndefined();
    expect(fake.requests[1]?.query['cursor']).toBe('c100');
    expect(fake.requests[0]?.userAgent).toMatch(/^tweetlab\//);
    const saved = parsePostsCsv(await fsp.readFile(out, 'utf8'), out);
    expect(saved.map((p) => p.text)).toEqual(own.map((s) => s.text));
    expect(saved[0]?.id).toBe(`at://did:plc:alice.test/app.bsky.feed.post/${own[0]?.rkey}`);
    expect(saved[0]?.createdAt).toBe(own[0]?.createdAt);
  });

  it('keeps replies and reposts when asked', async () => {
    const res = await fetchBluesky('bob.test', {}, { baseUrl: fake.url, includeReplies: true, includeReposts: true });
    expect(res.total).toBe(12);
    expect(fake.requests[0]?.query['filter']).toBe('posts_with_replies');
  });

  it('updates incrementally: stops at the first post already saved', async () => {
    const out = path.join(dir, 'bob.csv');
    const first = await fetchBluesky('bob.test', { out }, { baseUrl: fake.url });
    expect(first.added).toBe(first.total);
    feeds['bob.test'] = [...feed(3, 'new', Date.UTC(2025, 0, 1)).filter((s) => !s.repost && !s.reply), ...feeds['bob.test']!];
    fake.requests.length = 0;
    const second = await fetchBluesky('bob.test', { out, max: 50 }, { baseUrl: fake.url });
    expect(second.added).toBe(3);
    expect(second.stop).toBe('caught-up');
    expect(second.total).toBe(first.total + 3);
    expect(fake.requests).toHaveLength(1);
    const saved = parsePostsCsv(await fsp.readFile(out, 'utf8'), out);
    expect(new Set(saved.map((p) => p.id)).size).toBe(saved.length);
    expect(saved[0]?.text).toBe('skeet new3 about tea, cats & code');
  });

  it('stops at max, asks only for what it still needs', async () => {
    const res = await fetchBluesky('alice.test', { max: 30 }, { baseUrl: fake.url });
    expect(res.posts).toHaveLength(30);
    expect(res.stop).toBe('max');
    expect(fake.requests[0]?.query['limit']).toBe('30');
  });

  it('backs off on 429 using ratelimit-reset, or stops and keeps the saved posts', async () => {
    fake.rateLimit(1, { 'ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3) });
    const waits: number[] = [];
    const ok = await fetchBluesky('bob.test', { waitOnRateLimit: true, sleep: async (ms) => void waits.push(ms) }, { baseUrl: fake.url });
    expect(ok.complete).toBe(true);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(1000);

    fake.rateLimit(1, { 'retry-after': '30' });
    const stopped = await fetchBluesky('bob.test', {}, { baseUrl: fake.url });
    expect(stopped.complete).toBe(false);
    expect(stopped.message).toMatch(/^Bluesky rate limit reached; 0 posts were fetched after/);
  });

  it('gives clear errors for unknown accounts, bad handles and unreachable hosts', async () => {
    await expect(fetchBluesky('nobody.test', {}, { baseUrl: fake.url })).rejects.toThrow('Bluesky account nobody.test not found');
    expect(() => normalizeBlueskyActor('not a handle')).toThrow(/not a Bluesky handle/);
    expect(normalizeBlueskyActor('did:plc:abc123')).toBe('did:plc:abc123');
    // A closed port on 127.0.0.1: refused at once.
    const closed = await startFakeBluesky({});
    const url = closed.url;
    await closed.close();
    await expect(blueskySource('bob.test', { baseUrl: url }).fetchPage({ wanted: 10 })).rejects.toThrow(/^Bluesky: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('names the account in HTTP errors, never the query or a token', async () => {
    const answer = (status: number, body: string) => (async () => new Response(body, { status })) as typeof fetch;
    const page = (status: number, body: string) =>
      blueskySource('@alice.test', { baseUrl: 'http://127.0.0.1:9', fetch: answer(status, body) }).fetchPage({ wanted: 5, cursor: 'secret-cursor' });
    await expect(page(500, '{"error":"InternalServerError"}')).rejects.toThrow(
      'Bluesky answered HTTP 500 for /xrpc/app.bsky.feed.getAuthorFeed (account alice.test): InternalServerError',
    );
    await expect(page(403, '')).rejects.toThrow('Bluesky refused access (HTTP 403, account alice.test)');
    await expect(page(200, '<html>')).rejects.toThrow('Bluesky sent a reply that is not JSON for /xrpc/app.bsky.feed.getAuthorFeed (account alice.test)');
    await expect(page(502, '')).rejects.not.toThrow(/secret-cursor|limit=/);
  });
});
