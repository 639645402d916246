import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/common.js';
import { parsePostsCsv } from '../../src/sources/files.js';
import { makeTweets, startFakeTwitter, type FakeTwitter } from './fakes/twitter.js';
import { startFakeBluesky, startFakeMastodon, type FakeServer } from './fakes/social.js';

const TOKEN = 'AAAA-cli-secret-token-Yh5Gt2Qw8';

function capture(): { io: CliIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => void out.push(t), err: (t) => void err.push(t), isTTY: false }, out, err };
}

async function run(...argv: string[]) {
  const c = capture();
  const code = await main(argv, c.io);
  return { code, out: c.out.join('\n'), err: c.err.join('\n') };
}

let dir: string;
let twitter: FakeTwitter;
let bluesky: FakeServer;
let mastodon: FakeServer;
// twitter-api-v2 uses Node's https.request; with no agent option it takes https.globalAgent, which the
// in-process CLI test points at the fake (the CLI has no agent flag on purpose).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const httpsModule = require('node:https') as typeof import('node:https');
const originalAgent = httpsModule.globalAgent;
const logs: string[] = [];

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-cli-fetch-'));
  twitter = await startFakeTwitter({ token: TOKEN, users: { dana: '55', eve: '56' }, timelines: { '55': makeTweets(250), '56': makeTweets(400) } });
  bluesky = await startFakeBluesky({
    'alice.test': [
      { rkey: 'r2', text: 'second skeet', createdAt: '2024-02-02T00:00:00.000Z' },
      { rkey: 'r1', text: 'reposted', createdAt: '2024-02-01T12:00:00.000Z', repost: true },
      { rkey: 'r0', text: 'first skeet', createdAt: '2024-02-01T00:00:00.000Z' },
    ],
  });
  mastodon = await startFakeMastodon({
    frank: { id: '7', statuses: [{ id: '100', content: '<p>hi &amp; bye<br>now</p>', created_at: '2024-03-01T00:00:00.000Z' }] },
  });
  httpsModule.globalAgent = twitter.agent;
  process.env['TWITTER_BEARER_TOKEN'] = TOKEN;
});
afterAll(async () => {
  httpsModule.globalAgent = originalAgent;
  delete process.env['TWITTER_BEARER_TOKEN'];
  await Promise.all([twitter.close(), bluesky.close(), mastodon.close()]);
  // The bearer token must not have reached any output or file.
  let files = '';
  for (const name of await fsp.readdir(dir, { recursive: true })) {
    const p = path.join(dir, name);
    if ((await fsp.stat(p)).isFile()) files += await fsp.readFile(p, 'utf8');
  }
  expect(files + logs.join('\n')).not.toContain(TOKEN);
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('tweetlab fetch', () => {
  it('fetches a Twitter timeline, then updates it incrementally, with a stable --json summary', async () => {
    const out = path.join(dir, 'dana.csv');
    const first = await run('fetch', 'twitter', '@dana', '--out', out, '--json');
    logs.push(first.out, first.err);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toEqual({
      kind: 'twitter',
      name: 'dana',
      out,
      fetched: 250,
      added: 250,
      total: 250,
      pages: 3,
      complete: true,
      stop: 'end',
    });
    twitter.addTweets('55', makeTweets(4, { base: 1_500_000_000_000_000_250n, start: Date.UTC(2023, 0, 1) }));
    const second = await run('fetch', 'twitter', 'dana', '--out', out);
    logs.push(second.out, second.err);
    expect(second.code).toBe(0);
    expect(second.out).toBe(`twitter dana: 4 posts fetched, 4 new, 254 saved in ${out}`);
    const rows = parsePostsCsv(await fsp.readFile(out, 'utf8'), out);
    expect(rows).toHaveLength(254);
    expect((await fsp.readFile(out, 'utf8')).split(/\r?\n/)[0]).toBe('id,created_at,text');
  });

  it('stops on a rate limit with exit code 3 and keeps the saved posts', async () => {
    const out = path.join(dir, 'eve.csv');
    twitter.rateLimit({ afterRequests: 2, count: 1000, resetInSeconds: 900 });
    const res = await run('fetch', 'twitter', 'eve', '--out', out, '--no-wait', '--json');
    logs.push(res.out, res.err);
    twitter.rateLimit({ afterRequests: 0, count: 0, resetInSeconds: 0 });
    expect(res.code).toBe(3);
    const summary = JSON.parse(res.out) as Record<string, unknown>;
    expect(summary).toMatchObject({ complete: false, stop: 'rate-limited', total: 200 });
    expect(summary['message']).toMatch(/^Twitter API rate limit reached; 200 posts are saved in /);
    expect(res.err).toBe(summary['message']);
    expect(parsePostsCsv(await fsp.readFile(out, 'utf8'), out)).toHaveLength(200);
    const resumed = await run('fetch', 'twitter', 'eve', '--out', out, '--json');
    logs.push(resumed.out, resumed.err);
    expect(JSON.parse(resumed.out)).toMatchObject({ added: 200, total: 400, complete: true });
  });

  it('reports a rejected token in one line without printing it', async () => {
    process.env['TWITTER_BEARER_TOKEN'] = 'not-the-right-one-XYZ';
    try {
      const res = await run('fetch', 'twitter', 'dana', '--out', path.join(dir, 'x.csv'));
      expect(res.code).toBe(1);
      expect(res.out).toBe('');
      expect(res.err).toBe('tweetlab fetch: Twitter API rejected the bearer token (HTTP 401) (Unauthorized): check TWITTER_BEARER_TOKEN');
      expect(res.err).not.toContain('not-the-right-one-XYZ');
      await expect(fsp.access(path.join(dir, 'x.csv'))).rejects.toThrow();
    } finally {
      process.env['TWITTER_BEARER_TOKEN'] = TOKEN;
    }
  });

  it('fetches Bluesky and Mastodon accounts from local fakes', async () => {
    const bsky = await run('fetch', 'bluesky', 'alice.test', '--appview', bluesky.url, '--out', path.join(dir, 'alice.csv'), '--json');
    expect(bsky.code).toBe(0);
    expect(JSON.parse(bsky.out)).toMatchObject({ kind: 'bluesky', name: 'alice.test', total: 2, stop: 'end' });
    const masto = await run('fetch', 'mastodon', 'frank', '--instance', mastodon.url, '--out', path.join(dir, 'frank.csv'));
    expect(masto.code).toBe(0);
    expect(parsePostsCsv(await fsp.readFile(path.join(dir, 'frank.csv'), 'utf8'), 'frank.csv')).toEqual([
      { id: '100', createdAt: '2024-03-01T00:00:00.000Z', text: 'hi & bye\nnow' },
    ]);
  });

  it('derives data/<kind>-<user>.csv from a safe user name and refuses unsafe ones', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const ok = await run('fetch', 'bluesky', 'alice.test', '--appview', bluesky.url);
      expect(ok.code).toBe(0);
      expect(ok.out).toContain(path.join('data', 'bluesky-alice.test.csv'));
      await expect(fsp.access(path.join(dir, 'data', 'bluesky-alice.test.csv'))).resolves.toBeUndefined();
      for (const bad of ['../../etc/passwd', 'a/b', 'x..y@host']) {
        const res = await run('fetch', 'mastodon', bad, '--instance', mastodon.url);
        expect(res.code).toBe(2);
        expect(res.err).toBe(`tweetlab fetch: fetch mastodon: "${bad}" cannot name the output file; pass --out data/NAME.csv`);
      }
    } finally {
      process.chdir(cwd);
    }
  });

  it('imports the default corpus, a CSV with a text column and an archive', async () => {
    const sotu = await run('fetch', 'default', '--president', 'Abraham Lincoln', '--out', path.join(dir, 'lincoln.csv'), '--json');
    expect(sotu.code).toBe(0);
    const s = JSON.parse(sotu.out) as { total: number; stop: string; name: string };
    expect(s.stop).toBe('file');
    expect(s.name).toBe('sotu:Abraham Lincoln');
    expect(s.total).toBeGreaterThan(100);
    const again = await run('fetch', 'default', 'Abraham Lincoln', '--out', path.join(dir, 'lincoln.csv'), '--json');
    expect(JSON.parse(again.out)).toMatchObject({ added: 0, total: s.total });

    const src = path.join(dir, 'in.csv');
    await fsp.writeFile(src, 'id,message\n1,"hello, there"\n2,bye\n');
    const csv = await run('fetch', 'csv', src, '--text-column', 'message', '--out', path.join(dir, 'in-posts.csv'));
    expect(csv.code).toBe(0);
    expect(await fsp.readFile(path.join(dir, 'in-posts.csv'), 'utf8')).toMatch(/^id,created_at,text\r?\n/);

    const fortunes = path.join(dir, 'fortunes');
    await fsp.writeFile(fortunes, 'Придуманная мудрость номер один.\n\t\t-- Автор\n%\nИ номер два, без подписи.\n%\n');
    const fortune = await run('fetch', 'fortune', fortunes, '--out', path.join(dir, 'fortunes.csv'), '--json');
    expect(JSON.parse(fortune.out)).toMatchObject({ kind: 'fortune', name: `fortune:${fortunes}`, fetched: 2, total: 2 });
    const saved = parsePostsCsv(await fsp.readFile(path.join(dir, 'fortunes.csv'), 'utf8'), 'fortunes.csv');
    expect(saved.map((p) => p.text).sort()).toEqual(['И номер два, без подписи.', 'Придуманная мудрость номер один.']);

    const archive = path.join(dir, 'tweets.js');
    await fsp.writeFile(archive, 'window.YTD.tweets.part0 = [{"tweet": {"id_str": "9", "full_text": "archived", "created_at": "Sat Jan 02 00:00:00 +0000 2016"}}]');
    const arch = await run('fetch', 'archive', archive, '--out', path.join(dir, 'arch.csv'), '--json');
    expect(JSON.parse(arch.out)).toMatchObject({ kind: 'archive', fetched: 1, added: 1, total: 1 });
  });

  it('refuses bad usage with exit code 2', async () => {
    expect((await run('fetch')).code).toBe(2);
    const unknown = await run('fetch', 'myspace', 'tom');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe('tweetlab fetch: unknown kind "myspace" (kinds: twitter, bluesky, mastodon, archive, csv, fortune, default)');
    expect((await run('fetch', 'csv', 'a.csv')).err).toBe('tweetlab fetch: fetch csv: --out is required');
    expect((await run('fetch', 'fortune', 'ru')).err).toBe('tweetlab fetch: fetch fortune: --out is required');
    expect((await run('fetch', 'fortune', '--out', path.join(dir, 'f.csv'))).err).toBe('tweetlab fetch: fetch fortune: give exactly one file or folder (got 0)');
    expect((await run('fetch', 'twitter', 'dana', '--out', path.join(dir, 'd.csv'), '--max', 'lots')).code).toBe(2);
    expect((await run('fetch', 'twitter', 'dana', '--out', path.join(dir, 'd.txt'))).code).toBe(2);
    expect((await run('fetch', 'default', '--president', 'Nobody', '--out', path.join(dir, 'n.csv'))).err).toMatch(/Unknown president "Nobody"/);
    expect((await run('fetch', '--help')).out).toContain('Usage: tweetlab fetch <kind>');
  });
});
