import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePostsCsv } from '../../src/sources/files.js';
import { decodeHtmlEntities, fetchMastodon, htmlToText, parseMastodonHandle } from '../../src/sources/mastodon.js';
import { startFakeMastodon, type FakeServer, type FakeToot } from './fakes/social.js';

function toots(n: number, base: bigint): FakeToot[] {
  const out: FakeToot[] = [];
  for (let i = 1; i <= n; i++) {
    out.push({
      id: (base + BigInt(i)).toString(),
      content: `<p>Toot ${i} &amp; friends</p><p>second <a href="https://example.org/x"><span class="invisible">https://</span>example.org/x</a><br>line</p>`,
      created_at: new Date(Date.UTC(2023, 5, 1) + i * 3_600_000).toISOString(),
      reply: i % 6 === 0,
      reblog: i % 4 === 0,
    });
  }
  return out;
}

let fake: FakeServer;
let dir: string;
const accounts = {
  carol: { id: '900', statuses: toots(95, 110_000_000_000_000_000n) },
};

beforeAll(async () => {
  fake = await startFakeMastodon(accounts);
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-masto-'));
});
afterAll(async () => {
  await fake.close();
  await fsp.rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.requests.length = 0;
});

describe('HTML → text', () => {
  it('turns breaks and paragraphs into newlines, strips tags and decodes entities', () => {
    expect(htmlToText('<p>Hello <strong>world</strong>!</p><p>Line one<br>line two<br />three</p>')).toBe(
      'Hello world!\n\nLine one\nline two\nthree',
    );
    expect(htmlToText('<p>5 &lt; 6 &amp;&amp; &quot;ok&quot; &#39;yes&#39; &#x1F600; caf&eacute;</p>')).toBe(
      '5 < 6 && "ok" \'yes\' 😀 caf&eacute;',
    );
    // Escaped markup stays text after tags are stripped.
    expect(htmlToText('<p>&lt;b&gt;not bold&lt;/b&gt;</p>')).toBe('<b>not bold</b>');
    expect(decodeHtmlEntities('&amp;lt;')).toBe('&lt;'); // decoded once, not twice
  });

  it('never leaves a tag behind in text without angle-bracket entities', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('<p>', '</p>', '<br>', '<a href="x">', '</a>', '<span class="invisible">', '</span>'), fc.constantFrom('&amp;', '&quot;', '&#39;'), fc.stringMatching(/^[a-z ;]{0,8}$/)), { maxLength: 12 }), (parts) => {
        const text = htmlToText(parts.join(''));
        expect(text).not.toMatch(/<[^>]*>/);
      }),
      { numRuns: 200 },
    );
  });
});

describe('mastodon handles', () => {
  it('reads user@instance, @user@instance, profile URLs and --instance', () => {
    expect(parseMastodonHandle('carol@social.example')).toEqual({ user: 'carol', origin: 'https://social.example' });
    expect(parseMastodonHandle('@carol@social.example')).toEqual({ user: 'carol', origin: 'https://social.example' });
    expect(parseMastodonHandle('https://social.example/@carol')).toEqual({ user: 'carol', origin: 'https://social.example' });
    expect(parseMastodonHandle('carol', 'http://127.0.0.1:9')).toEqual({ user: 'carol', origin: 'http://127.0.0.1:9' });
    expect(() => parseMastodonHandle('carol')).toThrow(/has no instance/);
    expect(() => parseMastodonHandle('../x@social.example')).toThrow(/not a Mastodon handle/);
  });
});

describe('mastodon source against a fake instance on 127.0.0.1', () => {
  it('looks the account up, pages with max_id, and leaves replies and boosts out', async () => {
    const out = path.join(dir, 'carol.csv');
    const res = await fetchMastodon('carol', { out }, { instance: fake.url });
    const own = accounts.carol.statuses.filter((s) => !s.reply && !s.reblog).reverse();
    expect(res.total).toBe(own.length);
    expect(res.source.name).toBe(`carol@${new URL(fake.url).host}`);
    expect(fake.requests[0]).toMatchObject({ path: '/api/v1/accounts/lookup', query: { acct: 'carol' } });
    const pages = fake.requests.filter((r) => r.path === '/api/v1/accounts/900/statuses');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.every((r) => r.query['exclude_replies'] === 'true' && r.query['exclude_reblogs'] === 'true' && r.query['limit'] === '40')).toBe(true);
    expect(pages[0]?.query['max_id']).toBeUndefined();
    expect(pages[1]?.query['max_id']).toBe(own[39]?.id); // the last id of page one
    const saved = parsePostsCsv(await fsp.readFile(out, 'utf8'), out);
    expect(saved.map((p) => p.id)).toEqual(own.map((s) => s.id));
    expect(saved[0]?.text).toBe(`Toot ${Number(BigInt(own[0]!.id) - 110_000_000_000_000_000n)} & friends\n\nsecond https://example.org/x\nline`);
  });

  it('updates incrementally with since_id', async () => {
    const out = path.join(dir, 'carol-inc.csv');
    await fetchMastodon('carol', { out }, { instance: fake.url });
    accounts.carol.statuses.push({ id: '110000000000000200', content: '<p>brand new</p>', created_at: '2024-01-01T00:00:00.000Z' });
    fake.requests.length = 0;
    const res = await fetchMastodon('carol', { out }, { instance: fake.url });
    expect(res.added).toBe(1);
    const pages = fake.requests.filter((r) => r.path.endsWith('/statuses'));
    expect(pages[0]?.query['since_id']).toBeDefined();
    const saved = parsePostsCsv(await fsp.readFile(out, 'utf8'), out);
    expect(saved[0]).toEqual({ id: '110000000000000200', createdAt: '2024-01-01T00:00:00.000Z', text: 'brand new' });
    expect(new Set(saved.map((p) => p.id)).size).toBe(saved.length);
  });

  it('keeps replies and boosts when asked (boosts without own text are skipped)', async () => {
    const res = await fetchMastodon('carol', {}, { instance: fake.url, includeReplies: true, includeReblogs: true });
    const withText = accounts.carol.statuses.filter((s) => !s.reblog);
    expect(res.total).toBe(withText.length);
    expect(fake.requests.find((r) => r.path.endsWith('/statuses'))?.query['exclude_replies']).toBeUndefined();
  });

  it('says clearly when the account does not exist', async () => {
    await expect(fetchMastodon('nobody', {}, { instance: fake.url })).rejects.toThrow(
      `Mastodon account @nobody not found on ${new URL(fake.url).host}`,
    );
  });

  it('names the account in HTTP errors, never the query or a token', async () => {
    const answer = (status: number, body: string) => (async () => new Response(body, { status })) as typeof fetch;
    const lookup = (status: number, body: string) =>
      fetchMastodon('dave@social.example', {}, { fetch: answer(status, body) });
    await expect(lookup(500, '{"error":"boom"}')).rejects.toThrow(
      'Mastodon (social.example) answered HTTP 500 for /api/v1/accounts/lookup (account @dave@social.example): boom',
    );
    await expect(lookup(401, '{"error":"The access token is invalid"}')).rejects.toThrow(
      'Mastodon (social.example) refused access (HTTP 401, account @dave@social.example): The access token is invalid',
    );
    // The statuses request, after a lookup that worked.
    let calls = 0;
    const second = (async () => (++calls === 1 ? new Response('{"id":"42"}', { status: 200 }) : new Response('', { status: 503 }))) as typeof fetch;
    await expect(fetchMastodon('dave@social.example', {}, { fetch: second })).rejects.toThrow(
      'Mastodon (social.example) answered HTTP 503 for /api/v1/accounts/42/statuses (account @dave@social.example)',
    );
  });
});
