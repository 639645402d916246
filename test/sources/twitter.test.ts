import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchStatePath } from '../../src/sources/incremental.js';
import { parsePostsCsv } from '../../src/sources/files.js';
import { fetchTwitter, normalizeTwitterUsername, twitterSource } from '../../src/sources/twitter.js';
import { makeTweets, startFakeTwitter, type FakeTwitter } from './fakes/twitter.js';

const TOKEN = 'AAAA-test-bearer-Zq9x7Vw3Lm2Kp8Rt';
const env = { TWITTER_BEARER_TOKEN: TOKEN };

let fake: FakeTwitter;
let dir: string;
const BIG = makeTweets(3500); // more than the platform reaches
const SMALL = makeTweets(1000, { base: 2_000_000_000_000_000_000n });
const MIXED = makeTweets(60, { base: 3_000_000_000_000_000_000n, every: 5 });

beforeAll(async () => {
  fake = await startFakeTwitter({
    token: TOKEN,
    users: { big: '101', small: '102', mixed: '103', grow: '104' },
    timelines: { '101': BIG, '102': SMALL, '103': MIXED, '104': makeTweets(50, { base: 4_000_000_000_000_000_000n }) },
    notFound: 'partial',
  });
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-twitter-'));
});
afterAll(async () => {
  await fake.close();
  await fsp.rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  fake.requests.length = 0;
  fake.rateLimit({ afterRequests: 0, count: 0, resetInSeconds: 0 });
});

async function readCsv(file: string) {
  return parsePostsCsv(await fsp.readFile(file, 'utf8'), file);
}

async function allFilesText(): Promise<string> {
  let text = '';
  for (const name of await fsp.readdir(dir)) text += await fsp.readFile(path.join(dir, name), 'utf8');
  return text;
}

describe('twitter source against a fake API on 127.0.0.1', () => {
  it('paginates up to the 3,200 most recent posts and writes them newest first', async () => {
    const out = path.join(dir, 'big.csv');
    const pages: number[] = [];
    const res = await fetchTwitter('@big', { out, max: 5000, onProgress: (p) => p.type === 'page' && pages.push(p.added) }, { env, httpAgent: fake.agent });
    expect(res.total).toBe(3200);
    expect(res.added).toBe(3200);
    expect(res.pages).toBe(32);
    expect(res.complete).toBe(true);
    expect(res.stop).toBe('max');
    expect(pages.every((n) => n === 100)).toBe(true);
    const saved = await readCsv(out);
    const expectedIds = [...BIG].reverse().slice(0, 3200).map((t) => t.id);
    expect(saved.map((p) => p.id)).toEqual(expectedIds);
    expect(saved[0]?.text).toBe(BIG[BIG.length - 1]?.text); // multi-line text with quotes survives the CSV
    expect(saved[0]?.createdAt).toBe(BIG[BIG.length - 1]?.created_at);
    // Paging used the API's tokens and the default filters; every request carried the token.
    const timeline = fake.requests.filter((r) => r.path === '/2/users/101/tweets');
    expect(timeline).toHaveLength(32);
    expect(timeline[0]?.query['exclude']).toBe('replies,retweets');
    expect(timeline[0]?.query['pagination_token']).toBeUndefined();
    expect(timeline[1]?.query['pagination_token']).toBeDefined();
    expect(fake.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(await allFilesText()).not.toContain(TOKEN);
  });

  it('stops at --max and leaves replies and retweets out unless asked', async () => {
    const res = await fetchTwitter('mixed', { max: 7 }, { env, httpAgent: fake.agent });
    expect(res.posts).toHaveLength(7);
    expect(fake.requests.find((r) => r.path.endsWith('/tweets'))?.query['max_results']).toBe('7');
    const noFilter = await fetchTwitter('mixed', {}, { env, httpAgent: fake.agent, excludeReplies: false, excludeRetweets: false });
    expect(noFilter.total).toBe(60);
    const filtered = await fetchTwitter('mixed', {}, { env, httpAgent: fake.agent });
    const excludedIds = new Set(MIXED.filter((t) => t.reply || t.retweet).map((t) => t.id));
    expect(excludedIds.size).toBeGreaterThan(0);
    expect(filtered.total).toBe(60 - excludedIds.size);
    expect(filtered.posts.some((p) => excludedIds.has(p.id))).toBe(false);
  });

  it('re-runs incrementally with since_id and adds only new posts', async () => {
    const out = path.join(dir, 'grow.csv');
    const first = await fetchTwitter('grow', { out }, { env, httpAgent: fake.agent });
    expect(first.added).toBe(50);
    const newest = first.posts[0]?.id as string;
    fake.addTweets('104', makeTweets(7, { base: 4_000_000_000_000_000_050n, start: Date.UTC(2022, 0, 1) }));
    fake.requests.length = 0;
    const second = await fetchTwitter('grow', { out }, { env, httpAgent: fake.agent });
    expect(fake.requests.find((r) => r.path.endsWith('/tweets'))?.query['since_id']).toBe(newest);
    expect(second.added).toBe(7);
    expect(second.total).toBe(57);
    const saved = await readCsv(out);
    expect(new Set(saved.map((p) => p.id)).size).toBe(57);
    expect(saved[0]?.id).toBe('4000000000000000057');
    const third = await fetchTwitter('grow', { out }, { env, httpAgent: fake.agent });
    expect(third.added).toBe(0);
    expect((await readCsv(out)).length).toBe(57);
    // An explicit since id overrides the file's newest post.
    const fromOld = await fetchTwitter('grow', { sinceId: '4000000000000000054' }, { env, httpAgent: fake.agent });
    expect(fromOld.posts.map((p) => p.id)).toEqual(['4000000000000000057', '4000000000000000056', '4000000000000000055']);
  });

  it('waits for x-rate-limit-reset on 429 when allowed, then finishes', async () => {
    fake.rateLimit({ afterRequests: 2, count: 1, resetInSeconds: 2 });
    const waits: number[] = [];
    const events: string[] = [];
    const res = await fetchTwitter(
      'small',
      { waitOnRateLimit: true, maxWaitSeconds: 60, sleep: async (ms) => void waits.push(ms), onProgress: (p) => void events.push(p.type) },
      { env, httpAgent: fake.agent },
    );
    expect(res.complete).toBe(true);
    expect(res.total).toBe(1000);
    expect(waits).toHaveLength(1);
    // Reset is whole seconds ahead plus a one-second margin.
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(4000);
    expect(events).toContain('wait');
  });

  it('stops on 429 with a clear message, keeps what it saved, and resumes on the next run', async () => {
    const out = path.join(dir, 'small.csv');
    fake.rateLimit({ afterRequests: 3, count: 1000, resetInSeconds: 600 });
    const res = await fetchTwitter('small', { out }, { env, httpAgent: fake.agent });
    expect(res.complete).toBe(false);
    expect(res.stop).toBe('rate-limited');
    expect(res.message).toMatch(/^Twitter API rate limit reached; 300 posts are saved in .*small\.csv; run the same command again to resume after \d{4}-/);
    expect((await readCsv(out)).length).toBe(300);
    await expect(fsp.access(fetchStatePath(out))).resolves.toBeUndefined();

    // A wait that is too long is not taken.
    fake.rateLimit({ afterRequests: 0, count: 1000, resetInSeconds: 3600 });
    const waits: number[] = [];
    const bounded = await fetchTwitter('small', { out, waitOnRateLimit: true, maxWaitSeconds: 5, sleep: async (ms) => void waits.push(ms) }, { env, httpAgent: fake.agent });
    expect(waits).toEqual([]);
    expect(bounded.message).toMatch(/more than 5 s away/);
    expect((await readCsv(out)).length).toBe(300);

    // Limit lifted: the next run fills the rest, with no duplicates and no gap.
    fake.rateLimit({ afterRequests: 0, count: 0, resetInSeconds: 0 });
    const resumed = await fetchTwitter('small', { out }, { env, httpAgent: fake.agent });
    expect(resumed.complete).toBe(true);
    expect(resumed.added).toBe(700);
    const saved = await readCsv(out);
    expect(saved.map((p) => p.id)).toEqual([...SMALL].reverse().map((t) => t.id));
    await expect(fsp.access(fetchStatePath(out))).rejects.toThrow();
  });

  it('turns 401 and unknown users into clear messages without the token', async () => {
    const wrong = 'wrong-token-should-not-leak-123';
    const err401 = await fetchTwitter('big', { out: path.join(dir, 'nope.csv') }, { env: { TWITTER_BEARER_TOKEN: wrong }, httpAgent: fake.agent }).catch((e: Error) => e);
    expect(err401).toBeInstanceOf(Error);
    expect((err401 as Error).message).toBe('Twitter API rejected the bearer token (HTTP 401) (Unauthorized): check TWITTER_BEARER_TOKEN');
    expect(JSON.stringify(err401) + String((err401 as Error).stack)).not.toContain(wrong);
    await expect(fsp.access(path.join(dir, 'nope.csv'))).rejects.toThrow();

    await expect(fetchTwitter('nobody', {}, { env, httpAgent: fake.agent })).rejects.toThrow(/^Twitter API: user @nobody not found \(Not Found Error: Could not find user/);
    await expect(fetchTwitter('bad/name', {}, { env, httpAgent: fake.agent })).rejects.toThrow(/not a Twitter username/);
    await expect(fetchTwitter('big', {}, { env: {}, httpAgent: fake.agent })).rejects.toThrow(/^TWITTER_BEARER_TOKEN is not set/);
  });

  it('reports HTTP 404 as "not found" and 403 as a tier/permission problem', async () => {
    const fake404 = await startFakeTwitter({ token: TOKEN, users: { locked: '9' }, timelines: { '9': [] }, notFound: 'http', forbiddenUserIds: ['9'] });
    try {
      await expect(fetchTwitter('locked', {}, { env, httpAgent: fake404.agent })).rejects.toThrow(
        'Twitter API refused the timeline of @locked (HTTP 403) (Client Forbidden: This app is not attached to a project with the required access.): your API tier or app permissions may not allow it',
      );
      await expect(fetchTwitter('ghost', {}, { env, httpAgent: fake404.agent })).rejects.toThrow(
        'Twitter API: user @ghost not found (HTTP 404) (Not Found Error: Could not find user with username: [ghost].)',
      );
    } finally {
      await fake404.close();
    }
  });

  it('normalizes usernames and makes no request before the first page', () => {
    expect(normalizeTwitterUsername(' @Some_User ')).toBe('Some_User');
    expect(() => normalizeTwitterUsername('../etc')).toThrow(/not a Twitter username/);
    const before = fake.requests.length;
    const src = twitterSource('big', { env, httpAgent: fake.agent });
    expect(src.kind).toBe('twitter');
    expect(fake.requests.length).toBe(before);
  });
});
