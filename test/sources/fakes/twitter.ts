/**
 * A fake Twitter API v2 on 127.0.0.1 over HTTPS with a self-signed certificate for api.x.com. The client reaches
 * it through `agent`, an https.Agent that trusts the certificate and connects every socket to the fake's port,
 * so the production URLs (https://api.x.com/2/...) are used unchanged.
 */
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import * as selfsigned from 'selfsigned';

export const FAKE_API_HOST = 'api.x.com';

export interface FakeTweet {
  id: string;
  text: string;
  created_at: string;
  reply?: boolean;
  retweet?: boolean;
}

export interface FakeTwitterOptions {
  token: string;
  /** username → user id */
  users: Record<string, string>;
  /** user id → tweets, any order (served newest first). */
  timelines: Record<string, FakeTweet[]>;
  /** How unknown usernames are answered: HTTP 404, or 200 with an `errors` array like the real API. */
  notFound?: 'http' | 'partial';
  /** User ids whose timeline answers 403 like an app without the needed API access. */
  forbiddenUserIds?: string[];
  /**
   * Hostile-input hook: called for every authorised request before the normal handling; an answer it returns
   * is sent instead (a string body is sent as it is, so broken JSON and HTML can be served).
   */
  intercept?: (path: string, query: Record<string, string>) => InterceptAnswer | undefined;
}

export interface InterceptAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (slow server → client time-out). */
  delayMs?: number;
}

export interface RecordedRequest {
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
}

export interface FakeTwitter {
  agent: https.Agent;
  requests: RecordedRequest[];
  /** Add tweets to a timeline (e.g. new posts between two runs). */
  addTweets(userId: string, tweets: FakeTweet[]): void;
  /**
   * Answer the next `count` timeline requests made after `afterRequests` more successful ones with 429 and an
   * `x-rate-limit-reset` `resetInSeconds` from now.
   */
  rateLimit(opts: { afterRequests: number; count: number; resetInSeconds: number }): void;
  close(): Promise<void>;
}

/** Every socket goes to 127.0.0.1:port, TLS-verified against the fake's certificate for api.x.com. */
class LoopbackAgent extends https.Agent {
  constructor(
    private readonly port: number,
    private readonly caCert: string,
  ) {
    super({ keepAlive: false });
  }
  override createConnection(options: tls.ConnectionOptions): tls.TLSSocket {
    return tls.connect({
      ...options,
      host: '127.0.0.1',
      port: this.port,
      servername: FAKE_API_HOST,
      ca: this.caCert,
    });
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Tweet ids are numeric strings; newest first = largest first. */
function byIdDesc(a: FakeTweet, b: FakeTweet): number {
  const d = BigInt(b.id) - BigInt(a.id);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

export async function startFakeTwitter(opts: FakeTwitterOptions): Promise<FakeTwitter> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: FAKE_API_HOST }], {
    keyType: 'ec',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: FAKE_API_HOST }] }],
  });
  const timelines: Record<string, FakeTweet[]> = {};
  for (const [id, list] of Object.entries(opts.timelines)) timelines[id] = [...list].sort(byIdDesc);
  const requests: RecordedRequest[] = [];
  let limit: { afterRequests: number; count: number; resetInSeconds: number } | undefined;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `https://${FAKE_API_HOST}`);
    const query = Object.fromEntries(url.searchParams.entries());
    requests.push({ path: url.pathname, query, authorization: req.headers.authorization });
    if (req.headers.authorization !== `Bearer ${opts.token}`) {
      send(res, 401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
      return;
    }
    const answer = opts.intercept?.(url.pathname, query);
    if (answer) {
      const sendIt = () => {
        if (res.destroyed) return;
        if (typeof answer.body === 'string') {
          res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...(answer.headers ?? {}) });
          res.end(answer.body);
        } else send(res, answer.status, answer.body, answer.headers);
      };
      if (answer.delayMs) setTimeout(sendIt, answer.delayMs);
      else sendIt();
      return;
    }
    const userMatch = /^\/2\/users\/by\/username\/([^/]+)$/.exec(url.pathname);
    if (userMatch) {
      const username = decodeURIComponent(userMatch[1] as string);
      const id = opts.users[username];
      if (id === undefined) {
        const detail = `Could not find user with username: [${username}].`;
        if (opts.notFound === 'http') send(res, 404, { title: 'Not Found Error', detail, type: 'about:blank', status: 404 });
        else send(res, 200, { errors: [{ value: username, detail, title: 'Not Found Error', parameter: 'username' }] });
        return;
      }
      send(res, 200, { data: { id, name: username, username } });
      return;
    }
    const tlMatch = /^\/2\/users\/([^/]+)\/tweets$/.exec(url.pathname);
    if (tlMatch) {
      const id = decodeURIComponent(tlMatch[1] as string);
      if (opts.forbiddenUserIds?.includes(id)) {
        send(res, 403, {
          title: 'Client Forbidden',
          detail: 'This app is not attached to a project with the required access.',
          reason: 'client-not-enrolled',
          type: 'https://api.twitter.com/2/problems/client-forbidden',
        });
        return;
      }
      const all = timelines[id];
      if (!all) {
        send(res, 404, { title: 'Not Found Error', detail: `Could not find user with id: [${id}].`, status: 404 });
        return;
      }
      if (limit) {
        if (limit.afterRequests > 0) limit.afterRequests--;
        else if (limit.count > 0) {
          limit.count--;
          const reset = Math.floor(Date.now() / 1000) + limit.resetInSeconds;
          send(res, 429, { title: 'Too Many Requests', detail: 'Too Many Requests', status: 429 }, {
            'x-rate-limit-limit': '900',
            'x-rate-limit-remaining': '0',
            'x-rate-limit-reset': String(reset),
          });
          return;
        }
      }
      const max = Number(query['max_results'] ?? '10');
      if (!Number.isInteger(max) || max < 5 || max > 100) {
        send(res, 400, { title: 'Invalid Request', detail: 'max_results must be between 5 and 100', status: 400 });
        return;
      }
      const exclude = new Set((query['exclude'] ?? '').split(',').filter(Boolean));
      // The endpoint reaches the 3,200 most recent posts only, whatever the filters.
      let list = all.slice(0, 3200).filter((t) => !(exclude.has('replies') && t.reply) && !(exclude.has('retweets') && t.retweet));
      const since = query['since_id'];
      if (since) list = list.filter((t) => BigInt(t.id) > BigInt(since));
      const offset = query['pagination_token'] ? Number(Buffer.from(query['pagination_token'], 'base64url').toString()) : 0;
      const page = list.slice(offset, offset + max);
      const withDates = (query['tweet.fields'] ?? '').split(',').includes('created_at');
      const meta: Record<string, unknown> = { result_count: page.length };
      if (page.length) {
        meta['newest_id'] = page[0]?.id;
        meta['oldest_id'] = page[page.length - 1]?.id;
      }
      if (offset + max < list.length) meta['next_token'] = Buffer.from(String(offset + max)).toString('base64url');
      const body: Record<string, unknown> = { meta };
      if (page.length) {
        body['data'] = page.map((t) => ({
          id: t.id,
          text: t.text,
          edit_history_tweet_ids: [t.id],
          ...(withDates ? { created_at: t.created_at } : {}),
        }));
      }
      send(res, 200, body, { 'x-rate-limit-limit': '900', 'x-rate-limit-remaining': '899', 'x-rate-limit-reset': '0' });
      return;
    }
    send(res, 404, { title: 'Not Found Error', detail: 'no such endpoint', status: 404 });
  };

  const server = https.createServer({ key: pems.private, cert: pems.cert }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const agent = new LoopbackAgent(port, pems.cert);
  return {
    agent,
    requests,
    addTweets(userId, tweets) {
      timelines[userId] = [...(timelines[userId] ?? []), ...tweets].sort(byIdDesc);
    },
    rateLimit(o) {
      limit = { ...o };
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `n` tweets with ids base+1 … base+n (newer = larger id), one per minute from `start`. */
export function makeTweets(n: number, opts: { base?: bigint; start?: number; every?: number } = {}): FakeTweet[] {
  const base = opts.base ?? 1_500_000_000_000_000_000n;
  const start = opts.start ?? Date.UTC(2021, 0, 1);
  const out: FakeTweet[] = [];
  for (let i = 1; i <= n; i++) {
    const t: FakeTweet = {
      id: (base + BigInt(i)).toString(),
      text: `post number ${i}, with "quotes", commas\nand a second line`,
      created_at: new Date(start + i * 60_000).toISOString(),
    };
    if (opts.every && i % opts.every === 0) t.reply = true;
    if (opts.every && i % opts.every === 1 && i > 1) t.retweet = true;
    out.push(t);
  }
  return out;
}
