/**
 * Hostile server answers for the three network sources, through `tweetlab fetch` in-process: missing fields,
 * wrong types, HTML in text, empty pages, endless cursors, 5xx, broken JSON, dropped connections, 429 without
 * headers; and slow servers through the library (the CLI has no time-out flag: its 30 s default is the same
 * code path with a shorter `timeoutMs`).
 */
import { existsSync, promises as fsp } from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchBluesky } from '../../src/sources/bluesky.js';
import { parsePostsCsv } from '../../src/sources/files.js';
import { fetchMastodon } from '../../src/sources/mastodon.js';
import { fetchTwitter } from '../../src/sources/twitter.js';
import { startFakeTwitter, type FakeTwitter, type InterceptAnswer } from '../sources/fakes/twitter.js';
import { classify, classifyCall, expectCleanError, expectHandled, runCli, Tally, tempDir, type Outcome } from './harness.js';
import { skeet, startScripted, toot, type Answer, type ScriptedServer } from './servers.js';

const tally = new Tally('network');
const TOKEN = 'AAAA-hostile-network-token-4kQz9';
let root: string;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const httpsModule = require('node:https') as typeof https;
const originalAgent = httpsModule.globalAgent;

beforeAll(async () => {
  root = await tempDir('network');
  process.env['TWITTER_BEARER_TOKEN'] = TOKEN;
});
afterAll(async () => {
  httpsModule.globalAgent = originalAgent;
  delete process.env['TWITTER_BEARER_TOKEN'];
  await tally.save();
  await fsp.rm(root, { recursive: true, force: true });
});

/** What a page script returns for a page index (0 = newest) and the request URL. */
type PageScript = (page: number, url: URL) => Answer;

interface NetCase {
  name: string;
  script: PageScript;
  expect: 'error' | 'handled' | 'stopped';
  mentions?: (string | RegExp)[];
  texts?: string[];
  flags?: string[];
}

const ok = (body: unknown): Answer => ({ status: 200, body });
const HTML_500 = '<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>';

/** Answers every service shares (status codes, broken bodies, dropped connections). */
function commonCases(service: RegExp): NetCase[] {
  return [
    { name: 'HTTP 500 with a JSON error', script: () => ({ status: 500, body: { error: 'InternalServerError', message: 'boom' } }), expect: 'error', mentions: [service, 'HTTP 500'] },
    { name: 'HTTP 502 with an HTML page', script: () => ({ status: 502, body: HTML_500, headers: { 'content-type': 'text/html' } }), expect: 'error', mentions: [service, 'HTTP 502'] },
    { name: 'HTTP 503 with an empty body', script: () => ({ status: 503, body: '' }), expect: 'error', mentions: [service, 'HTTP 503'] },
    { name: 'HTTP 504', script: () => ({ status: 504, body: 'gateway timeout' }), expect: 'error', mentions: [service, 'HTTP 504'] },
    { name: 'HTTP 500 on page 2 keeps page 1', script: (p) => (p === 0 ? pageOf(['kept before the failure'], 'c1') : { status: 500, body: {} }), expect: 'error', mentions: [service, 'HTTP 500', 'saved'] },
    { name: '200 with HTML instead of JSON', script: () => ({ status: 200, body: '<html>maintenance</html>', headers: { 'content-type': 'text/html' } }), expect: 'error', mentions: [service, /JSON/] },
    { name: '200 with truncated JSON', script: () => ({ status: 200, body: '{"feed": [{"post": {"uri": "at://x' }), expect: 'error', mentions: [service, /JSON/] },
    { name: '200 with a JSON string', script: () => ok('"just a string"'), expect: 'error', mentions: [service] },
    { name: 'connection dropped', script: () => ({ reset: true }), expect: 'error', mentions: [service, /reach|socket|reset|closed the connection/i] },
    { name: '401', script: () => ({ status: 401, body: { error: 'Unauthorized' } }), expect: 'error', mentions: [service, /401/] },
    { name: '403', script: () => ({ status: 403, body: { error: 'Forbidden' } }), expect: 'error', mentions: [service, /403/] },
    { name: '429 without headers on the first page', script: () => ({ status: 429, body: {} }), expect: 'stopped', mentions: [service, 'rate limit'], texts: [] },
    { name: '429 without headers on page 2', script: (p) => (p === 0 ? pageOf(['saved before the limit'], 'c1') : { status: 429, body: '' }), expect: 'stopped', mentions: [service, 'rate limit'], texts: ['saved before the limit'] },
    { name: '429 with a garbage reset header', script: (p) => (p === 0 ? pageOf(['first page post'], 'c1') : { status: 429, body: {}, headers: { 'retry-after': 'soon', 'ratelimit-reset': 'x' } }), expect: 'stopped', mentions: [service, 'rate limit'], texts: ['first page post'] },
    { name: 'empty first page', script: () => pageOf([], 'c1'), expect: 'handled', texts: [] },
    { name: 'endless cursor: the same cursor again and again', script: () => pageOf(['endless post'], 'same-cursor'), expect: 'handled', texts: ['endless post'] },
    { name: 'endless cursor: new cursors, the same posts', script: (p) => pageOf(['same post a', 'same post b'], `c${p + 1}`), expect: 'handled', texts: ['same post a', 'same post b'] },
    { name: 'endless cursor: new cursors, new posts, stopped by --max', script: (p) => pageOf([`fresh post ${p}`], `c${p + 1}`), flags: ['--max', '7'], expect: 'handled', texts: Array.from({ length: 7 }, (_, i) => `fresh post ${i}`) },
    { name: 'endless cursor: pages of nothing but filtered items', script: (p) => pageOf([], `c${p + 1}`, true), expect: 'handled', texts: [] },
  ];
}

/** Set per service before its cases run: builds a page of posts with an optional cursor. */
let pageOf: (texts: string[], cursor?: string, onlyFiltered?: boolean) => Answer;
let pageCounter = 0;

// ---------------------------------------------------------------- Bluesky

const bskyPage = (texts: string[], cursor?: string, onlyFiltered = false): Answer => {
  const feed = onlyFiltered
    ? [skeet('someone.else', `r${pageCounter++}`, 'a repost', { reason: { $type: 'app.bsky.feed.defs#reasonRepost' } })]
    : texts.map((t) => skeet('alice.test', `k${Buffer.from(t).toString('hex').slice(0, 40)}`, t));
  return ok(cursor !== undefined ? { feed, cursor } : { feed });
};

const blueskyCases: NetCase[] = [
  ...commonCases(/Bluesky/),
  { name: 'no feed key', script: () => ok({ cursor: 'x' }), expect: 'error', mentions: ['Bluesky', '"feed"'] },
  { name: 'feed is a string', script: () => ok({ feed: 'nope' }), expect: 'error', mentions: ['Bluesky', '"feed"'] },
  { name: 'items without post, record or uri are skipped', script: () => ok({ feed: [{}, { post: {} }, { post: { uri: 'at://a/b/c' } }, null, 5, skeet('alice.test', 'ok', 'the only good one')] }), expect: 'handled', texts: ['the only good one'] },
  { name: 'text of the wrong type is skipped', script: () => ok({ feed: [skeet('alice.test', 'a', 42), skeet('alice.test', 'b', { t: 1 }), skeet('alice.test', 'c', null), skeet('alice.test', 'd', 'a real one')] }), expect: 'handled', texts: ['a real one'] },
  { name: 'createdAt of the wrong type is left out', script: () => ok({ feed: [{ post: { uri: 'at://did:plc:a/app.bsky.feed.post/z', record: { text: 'no date here', createdAt: 12 }, indexedAt: 7 } }] }), expect: 'handled', texts: ['no date here'] },
  { name: 'cursor of the wrong type ends the walk', script: () => ok({ feed: [skeet('alice.test', 'x', 'one post')], cursor: 12345 }), expect: 'handled', texts: ['one post'] },
  { name: 'HTML in text is kept as text', script: () => pageOf(['<script>alert(1)</script> hi', '<b onmouseover=alert(2)>bold</b>']), expect: 'handled', texts: ['<script>alert(1)</script> hi', '<b onmouseover=alert(2)>bold</b>'] },
  { name: 'RTL, emoji and surrogate halves in text', script: () => pageOf(['שלום 👋 world', 'مرحبا\u200d', 'half \ud800 surrogate']), expect: 'handled', texts: ['שלום 👋 world', 'مرحبا\u200d', 'half \ufffd surrogate'] },
  { name: 'an item with a reply is left out', script: () => ok({ feed: [skeet('alice.test', 'r', 'a reply', { reply: { parent: {} } }), skeet('alice.test', 's', 'a post')] }), expect: 'handled', texts: ['a post'] },
  { name: 'unknown actor (400 Profile not found)', script: () => ({ status: 400, body: { error: 'InvalidRequest', message: 'Profile not found' } }), expect: 'error', mentions: ['alice.test', 'not found'] },
];

// ---------------------------------------------------------------- Mastodon

let tootId = 1000;
const mastoPage = (texts: string[], cursor?: string, onlyFiltered = false): Answer => {
  // Mastodon pages by max_id; the cursor is the last id, so a repeated "cursor" is a repeated last id.
  if (onlyFiltered) return ok([toot(String(900000 - pageCounter++), '<p>boost</p>', { reblog: { id: '1' } })]);
  const base = cursor === 'same-cursor' ? 500 : cursor && /^c\d+$/.test(cursor) && texts[0]?.startsWith('same') ? 400 : tootId;
  const list = texts.map((t, i) => toot(String(base - i), `<p>${t.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`));
  if (base === tootId) tootId -= texts.length + 1;
  return ok(list);
};

const mastodonCases: NetCase[] = [
  ...commonCases(/Mastodon/),
  { name: 'statuses are an object', script: () => ok({ statuses: [] }), expect: 'error', mentions: ['Mastodon', 'not a list'] },
  { name: 'statuses without id or content are skipped', script: () => ok([{}, { id: 5 }, toot('7', 42), toot('8', null), toot('9', '<p>kept</p>')]), expect: 'handled', texts: ['kept'] },
  { name: 'HTML content becomes plain text', script: () => ok([toot('11', '<p>a &lt;script&gt;alert(1)&lt;/script&gt; b</p><p>next <a href="javascript:alert(2)">link</a></p>')]), expect: 'handled', texts: ['a <script>alert(1)</script> b\n\nnext link'] },
  { name: 'raw script tags in content are stripped', script: () => ok([toot('12', '<p><script>alert(1)</script>words left</p>')]), expect: 'handled', texts: ['alert(1)words left'] },
  { name: 'content that is only markup is skipped', script: () => ok([toot('13', '<p><br></p>'), toot('14', '<p>real</p>')]), expect: 'handled', texts: ['real'] },
  { name: 'numeric entities out of range stay as written', script: () => ok([toot('15', '<p>&#99999999; &#0; &bogus; ok</p>')]), expect: 'handled', texts: ['&#99999999; &#0; &bogus; ok'] },
];

// ---------------------------------------------------------------- Twitter

let tweetId = 1_800_000_000_000_000_000n;
const twPage = (texts: string[], cursor?: string, onlyFiltered = false): Answer => {
  if (onlyFiltered) return ok({ data: [{ id: String(pageCounter++) }], meta: { result_count: 1, next_token: cursor } });
  const same = texts[0]?.startsWith('same') || cursor === 'same-cursor';
  const data = texts.map((t, i) => ({ id: same ? String(1_700_000_000_000_000_000n - BigInt(i)) : String(tweetId--), text: t, created_at: '2024-01-01T00:00:00.000Z' }));
  const meta: Record<string, unknown> = { result_count: data.length };
  if (cursor !== undefined) meta['next_token'] = cursor;
  return ok(data.length ? { data, meta } : { meta });
};

const twitterCases: NetCase[] = [
  ...commonCases(/Twitter/),
  { name: 'data is an object', script: () => ok({ data: { id: '1', text: 'x' }, meta: {} }), expect: 'error', mentions: ['Twitter', '"data"'] },
  { name: 'tweets without id or text are skipped', script: () => ok({ data: [{}, { id: 5, text: 'x' }, { id: '6' }, { id: '7', text: 'kept tweet' }], meta: { result_count: 4 } }), expect: 'handled', texts: ['kept tweet'] },
  { name: 'no meta at all', script: () => ok({ data: [{ id: '8', text: 'no meta' }] }), expect: 'handled', texts: ['no meta'] },
  { name: 'HTML in text is kept as text', script: () => ok({ data: [{ id: '9', text: '<img src=x onerror=alert(1)> &amp; more' }] }), expect: 'handled', texts: ['<img src=x onerror=alert(1)> &amp; more'] },
];

async function runNetCase(reader: string, c: NetCase, argv: (out: string) => string[], setScript: (s: PageScript) => void): Promise<void> {
  const dir = await fsp.mkdtemp(path.join(root, 'case-'));
  const out = path.join(dir, 'posts.csv');
  setScript(c.script);
  const res = await runCli([...argv(out), '--json', '--no-wait', ...(c.flags ?? [])]);
  if (c.expect === 'error') {
    const savedBefore = c.mentions?.includes('saved');
    const exp = { mentions: c.mentions ?? [], noFiles: savedBefore ? [] : [out], noTempIn: [dir] };
    tally.record(reader, classify(res, exp).outcome);
    expectCleanError(res, exp);
    if (savedBefore) expect(parsePostsCsv(await fsp.readFile(out, 'utf8'), out).map((p) => p.text)).toEqual(['kept before the failure']);
    return;
  }
  if (c.expect === 'stopped') {
    // A rate limit is not a failure of the input: exit 3, one line saying so, what was fetched is kept.
    const outcome: Outcome = classify(res, { noTempIn: [dir] }).outcome;
    tally.record(reader, outcome);
    expect(res.code).toBe(3);
    expectCleanError(res, { mentions: c.mentions ?? [], noTempIn: [dir] });
    const saved = existsSync(out) ? parsePostsCsv(await fsp.readFile(out, 'utf8'), out).map((p) => p.text) : [];
    expect(saved).toEqual(c.texts);
    return;
  }
  tally.record(reader, classify(res, { noTempIn: [dir] }).outcome);
  expectHandled(res, { noTempIn: [dir] });
  const saved = parsePostsCsv(await fsp.readFile(out, 'utf8'), out);
  expect(saved.map((p) => p.text).sort()).toEqual([...(c.texts ?? [])].sort());
  expect(new Set(saved.map((p) => p.id)).size).toBe(saved.length);
}

describe('Bluesky fake-server answers', () => {
  let server: ScriptedServer;
  let script: PageScript = () => ok({ feed: [] });
  beforeAll(async () => {
    server = await startScripted((url) => {
      const cursor = url.searchParams.get('cursor');
      const page = cursor === null ? 0 : Number(/\d+/.exec(cursor)?.[0] ?? '1') || 1;
      return script(page, url);
    });
  });
  afterAll(() => server.close());
  it.each(blueskyCases.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    pageOf = bskyPage;
    await runNetCase('Bluesky server', c, (out) => ['fetch', 'bluesky', 'alice.test', '--appview', server.url, '--out', out], (s) => (script = s));
  });
});

describe('Mastodon fake-server answers', () => {
  let server: ScriptedServer;
  let script: PageScript = () => ok([]);
  let pageNo = 0;
  beforeAll(async () => {
    server = await startScripted((url) => {
      if (url.pathname === '/api/v1/accounts/lookup') return ok({ id: '77', acct: 'frank' });
      pageNo = url.searchParams.get('max_id') === null ? 0 : pageNo + 1;
      return script(pageNo, url);
    });
  });
  afterAll(() => server.close());
  it.each(mastodonCases.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    pageOf = mastoPage;
    await runNetCase('Mastodon server', c, (out) => ['fetch', 'mastodon', 'frank', '--instance', server.url, '--out', out], (s) => (script = s));
  });
});

describe('Twitter fake-server answers', () => {
  let fake: FakeTwitter;
  let script: PageScript = () => ok({ meta: {} });
  let pageNo = 0;
  beforeAll(async () => {
    fake = await startFakeTwitter({
      token: TOKEN,
      users: { dana: '55' },
      timelines: { '55': [] },
      intercept: (p, q): InterceptAnswer | undefined => {
        if (!p.endsWith('/tweets')) return undefined;
        pageNo = q['pagination_token'] === undefined ? 0 : pageNo + 1;
        const a = script(pageNo, new URL(`https://api.x.com${p}`));
        if ('hang' in a) return { status: 200, body: {}, delayMs: 60_000 };
        if ('reset' in a) return { status: 200, body: '{"data": [', headers: { 'content-length': '900' } };
        return a;
      },
    });
    httpsModule.globalAgent = fake.agent;
  });
  afterAll(async () => {
    httpsModule.globalAgent = originalAgent;
    await fake.close();
  });
  it.each(twitterCases.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    pageOf = twPage;
    await runNetCase('Twitter API server', c, (out) => ['fetch', 'twitter', 'dana', '--out', out], (s) => (script = s));
  });

  it('a slow Twitter API times out with one sentence (library time-out, same code path as the CLI default)', async () => {
    script = () => ({ status: 200, body: { meta: {} }, delayMs: 3000 });
    const out = path.join(root, 'tw-slow.csv');
    const r = await classifyCall(() =>
      fetchTwitter('dana', { out, waitOnRateLimit: false }, { env: { TWITTER_BEARER_TOKEN: TOKEN }, httpAgent: fake.agent, timeoutMs: 300 }),
    );
    tally.record('Twitter API server', r.outcome);
    expect(r.outcome, r.message).toBe('error');
    expect(r.message).toMatch(/Twitter API/);
    expect(r.message).not.toContain(TOKEN);
    expect(existsSync(out)).toBe(false);
  });
});

describe('a damaged output file or fetch state from an earlier run', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScripted(() => ok({ feed: [skeet('alice.test', 'n1', 'a new post'), skeet('alice.test', 'n2', 'another new post')] }));
  });
  afterAll(() => server.close());
  const argv = (out: string) => ['fetch', 'bluesky', 'alice.test', '--appview', server.url, '--out', out, '--json'];

  it.each([
    ['an existing --out CSV with an unbalanced quote', 'id,created_at,text\n1,,"never closed\n', ['line 2', 'unbalanced quote']],
    ['an existing --out CSV that is not UTF-8', Buffer.from([0x69, 0x64, 0x2c, 0x74, 0x65, 0x78, 0x74, 0x0a, 0x31, 0x2c, 0xff, 0x0a]), ['not UTF-8']],
    ['an existing --out CSV without a text column', 'id,body\n1,hello\n', ['no column "text"']],
  ] as const)('%s: a clear error, and the file is left exactly as it was', async (_n, content, mentions) => {
    const dir = await fsp.mkdtemp(path.join(root, 'damaged-'));
    const out = path.join(dir, 'posts.csv');
    await fsp.writeFile(out, content);
    const res = await runCli(argv(out));
    tally.record('Bluesky server', classify(res, { noTempIn: [dir] }).outcome);
    expectCleanError(res, { mentions: ['posts.csv', ...mentions], noTempIn: [dir] });
    expect(await fsp.readFile(out)).toEqual(Buffer.from(content));
  });

  it.each([
    ['a fetch state that is not JSON', '{"version": 1, "pend'],
    ['a fetch state of another account', JSON.stringify({ version: 1, kind: 'bluesky', name: 'bob.test', pending: { cursor: 'zzz' } })],
    ['a fetch state from a future version', JSON.stringify({ version: 7, kind: 'bluesky', name: 'alice.test', pending: { cursor: 'zzz' } })],
  ])('%s is ignored: the fetch starts afresh and completes', async (_n, state) => {
    const dir = await fsp.mkdtemp(path.join(root, 'state-'));
    const out = path.join(dir, 'posts.csv');
    await fsp.writeFile(path.join(dir, '.posts.csv.fetch-state.json'), state);
    const hits = server.hits();
    const res = await runCli(argv(out));
    tally.record('Bluesky server', classify(res, { noTempIn: [dir] }).outcome);
    expectHandled(res, { noTempIn: [dir] });
    expect(server.requests[hits]!.searchParams.get('cursor')).toBeNull();
    expect(parsePostsCsv(await fsp.readFile(out, 'utf8'), out).map((p) => p.text).sort()).toEqual(['a new post', 'another new post']);
  });
});

describe('slow servers time out', () => {
  let server: ScriptedServer;
  type Mode = 'slow' | 'hang' | 'slow-page-2';
  let mode = 'slow' as Mode;
  beforeAll(async () => {
    server = await startScripted((url) => {
      if (url.pathname === '/api/v1/accounts/lookup') return ok({ id: '77' });
      const second = url.searchParams.has('cursor') || url.searchParams.has('max_id');
      if (mode === 'hang') return { hang: true };
      if (mode === 'slow') return { status: 200, body: { feed: [] }, delayMs: 2000 };
      if (!second) {
        return url.pathname.includes('getAuthorFeed')
          ? { status: 200, body: { feed: [skeet('alice.test', 'p1', 'before the slow page')], cursor: 'c1' } }
          : { status: 200, body: [toot('50', '<p>before the slow page</p>')] };
      }
      return { hang: true };
    });
  });
  afterAll(() => server.close());

  const cases: { name: string; reader: string; mode: Mode; run: (out: string) => Promise<unknown>; kept: string[] }[] = [
    { name: 'Bluesky answers slowly', reader: 'Bluesky server', mode: 'slow', run: (out) => fetchBluesky('alice.test', { out }, { baseUrl: server.url, timeoutMs: 250 }), kept: [] },
    { name: 'Bluesky never answers', reader: 'Bluesky server', mode: 'hang', run: (out) => fetchBluesky('alice.test', { out }, { baseUrl: server.url, timeoutMs: 250 }), kept: [] },
    { name: 'Bluesky hangs on page 2', reader: 'Bluesky server', mode: 'slow-page-2', run: (out) => fetchBluesky('alice.test', { out }, { baseUrl: server.url, timeoutMs: 250 }), kept: ['before the slow page'] },
    { name: 'Mastodon never answers', reader: 'Mastodon server', mode: 'hang', run: (out) => fetchMastodon('frank', { out }, { instance: server.url, timeoutMs: 250 }), kept: [] },
    { name: 'Mastodon hangs on page 2', reader: 'Mastodon server', mode: 'slow-page-2', run: (out) => fetchMastodon('frank', { out }, { instance: server.url, timeoutMs: 250 }), kept: ['before the slow page'] },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    mode = c.mode;
    const out = path.join(root, `slow-${c.mode}-${c.reader[0]}.csv`);
    const r = await classifyCall(() => c.run(out));
    tally.record(c.reader, r.outcome);
    expect(r.outcome, r.message).toBe('error');
    expect(r.message).toMatch(/no answer from 127\.0\.0\.1:\d+ within 0\.25 s/);
    if (c.kept.length) {
      expect(r.message).toContain('run the same command again to resume');
      expect(parsePostsCsv(await fsp.readFile(out, 'utf8'), out).map((p) => p.text)).toEqual(c.kept);
    } else expect(existsSync(out)).toBe(false);
  });
});

describe('README table', () => {
  it('test/README.md counts these cases as observed', () => {
    expect([...tally.counts.values()].every((c) => c.crash === 0)).toBe(true);
    tally.expectReadmeMatches();
  });
});
