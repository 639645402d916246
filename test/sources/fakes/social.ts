/**
 * Plain-HTTP fakes on 127.0.0.1 for the Bluesky AppView (getAuthorFeed) and a Mastodon instance
 * (accounts/lookup, accounts/:id/statuses). Both record every request for assertions.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  path: string;
  query: Record<string, string>;
  userAgent: string | undefined;
}

export interface FakeServer {
  url: string;
  requests: Recorded[];
  /** Make the next `count` requests answer 429 with the given headers. */
  rateLimit(count: number, headers: Record<string, string>): void;
  close(): Promise<void>;
}

type Handler = (url: URL) => { status: number; body: unknown; headers?: Record<string, string> };

async function startJsonServer(handler: Handler): Promise<FakeServer> {
  const requests: Recorded[] = [];
  let limited = 0;
  let limitHeaders: Record<string, string> = {};
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams.entries()), userAgent: req.headers['user-agent'] });
    let out: { status: number; body: unknown; headers?: Record<string, string> };
    if (limited > 0) {
      limited--;
      out = { status: 429, body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, headers: limitHeaders };
    } else {
      out = handler(url);
    }
    res.writeHead(out.status, { 'content-type': 'application/json; charset=utf-8', ...(out.headers ?? {}) });
    res.end(JSON.stringify(out.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    rateLimit(count, headers) {
      limited = count;
      limitHeaders = headers;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------- Bluesky

export interface FakeSkeet {
  rkey: string;
  text: string;
  createdAt: string;
  /** A reply to someone (only served with filter=posts_with_replies). */
  reply?: boolean;
  /** A repost of another account's post by this account. */
  repost?: boolean;
}

/** Serves `feeds[actor]` (newest first) with opaque cursors; unknown actors get 400 "Profile not found". */
export async function startFakeBluesky(feeds: Record<string, FakeSkeet[]>): Promise<FakeServer> {
  return startJsonServer((url) => {
    if (url.pathname !== '/xrpc/app.bsky.feed.getAuthorFeed') return { status: 404, body: { error: 'MethodNotImplemented' } };
    const actor = url.searchParams.get('actor') ?? '';
    const feed = feeds[actor];
    if (!feed) return { status: 400, body: { error: 'InvalidRequest', message: 'Profile not found' } };
    const limit = Number(url.searchParams.get('limit') ?? '50');
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return { status: 400, body: { error: 'InvalidRequest', message: 'bad limit' } };
    const filter = url.searchParams.get('filter') ?? 'posts_with_replies';
    const visible = feed.filter((s) => !(filter === 'posts_no_replies' && s.reply));
    const cursor = url.searchParams.get('cursor');
    const offset = cursor ? Number(cursor.replace(/^c/, '')) : 0;
    const page = visible.slice(offset, offset + limit);
    const items = page.map((s) => {
      const author = s.repost ? { did: 'did:plc:someoneelse', handle: 'someone.else.test' } : { did: `did:plc:${actor}`, handle: actor };
      const uri = `at://${author.did}/app.bsky.feed.post/${s.rkey}`;
      const record: Record<string, unknown> = { $type: 'app.bsky.feed.post', text: s.text, createdAt: s.createdAt };
      const item: Record<string, unknown> = { post: { uri, cid: `cid-${s.rkey}`, author, record, indexedAt: s.createdAt } };
      if (s.reply) {
        const parent = { uri: `at://did:plc:other/app.bsky.feed.post/p${s.rkey}` };
        record['reply'] = { root: parent, parent };
        item['reply'] = { root: { $type: 'app.bsky.feed.defs#postView', ...parent }, parent: { $type: 'app.bsky.feed.defs#postView', ...parent } };
      }
      if (s.repost) item['reason'] = { $type: 'app.bsky.feed.defs#reasonRepost', by: { did: `did:plc:${actor}`, handle: actor }, indexedAt: s.createdAt };
      return item;
    });
    const body: Record<string, unknown> = { feed: items };
    if (offset + limit < visible.length) body['cursor'] = `c${offset + limit}`;
    return { status: 200, body };
  });
}

// ---------------------------------------------------------------- Mastodon

export interface FakeToot {
  id: string;
  content: string;
  created_at: string;
  reply?: boolean;
  reblog?: boolean;
}

/** Serves `accounts[acct]` statuses (any order; served newest first) with max_id/since_id paging, max 40. */
export async function startFakeMastodon(accounts: Record<string, { id: string; statuses: FakeToot[] }>): Promise<FakeServer> {
  const desc = (a: FakeToot, b: FakeToot) => (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0);
  return startJsonServer((url) => {
    if (url.pathname === '/api/v1/accounts/lookup') {
      const acct = url.searchParams.get('acct') ?? '';
      const account = accounts[acct];
      if (!account) return { status: 404, body: { error: 'Record not found' } };
      return { status: 200, body: { id: account.id, username: acct, acct } };
    }
    const m = /^\/api\/v1\/accounts\/([^/]+)\/statuses$/.exec(url.pathname);
    if (m) {
      const account = Object.values(accounts).find((a) => a.id === m[1]);
      if (!account) return { status: 404, body: { error: 'Record not found' } };
      const limit = Math.min(40, Number(url.searchParams.get('limit') ?? '20'));
      const maxId = url.searchParams.get('max_id');
      const sinceId = url.searchParams.get('since_id');
      let list = [...account.statuses].sort(desc);
      if (url.searchParams.get('exclude_replies') === 'true') list = list.filter((s) => !s.reply);
      if (url.searchParams.get('exclude_reblogs') === 'true') list = list.filter((s) => !s.reblog);
      if (maxId) list = list.filter((s) => BigInt(s.id) < BigInt(maxId));
      if (sinceId) list = list.filter((s) => BigInt(s.id) > BigInt(sinceId));
      const page = list.slice(0, limit).map((s) => ({
        id: s.id,
        created_at: s.created_at,
        in_reply_to_id: s.reply ? '1' : null,
        reblog: s.reblog ? { id: '2', content: '<p>someone else</p>' } : null,
        content: s.reblog ? '' : s.content,
        visibility: 'public',
      }));
      return { status: 200, body: page };
    }
    return { status: 404, body: { error: 'Not found' } };
  });
}
