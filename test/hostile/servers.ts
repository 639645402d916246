/**
 * A scripted HTTP server on 127.0.0.1 for hostile answers: each request gets whatever the script returns —
 * any status, a JSON value or raw text, extra headers, a delay, a hang, or a dropped connection. Used for the
 * Bluesky AppView and a Mastodon instance (the Twitter fake in test/sources/fakes has an `intercept` hook).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Answer =
  | { status: number; body: unknown; headers?: Record<string, string>; delayMs?: number }
  | { hang: true }
  | { reset: true };

export interface ScriptedServer {
  url: string;
  /** Request count so far. */
  hits(): number;
  /** Paths + queries requested, in order. */
  requests: URL[];
  close(): Promise<void>;
}

export async function startScripted(script: (url: URL, n: number) => Answer): Promise<ScriptedServer> {
  const requests: URL[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const a = script(url, requests.length);
    if ('hang' in a) return; // never answers: the client's time-out must fire
    if ('reset' in a) {
      req.socket.destroy();
      return;
    }
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(a.status, { 'content-type': 'application/json; charset=utf-8', ...(a.headers ?? {}) });
      res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
    };
    if (a.delayMs) {
      const t = setTimeout(() => {
        timers.delete(t);
        send();
      }, a.delayMs);
      timers.add(t);
    } else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: () => requests.length,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Bluesky feed item by `actor`. */
export function skeet(actor: string, rkey: string, text: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    post: {
      uri: `at://did:plc:${actor}/app.bsky.feed.post/${rkey}`,
      cid: `cid-${rkey}`,
      author: { did: `did:plc:${actor}`, handle: actor },
      record: { $type: 'app.bsky.feed.post', text, createdAt: `2024-05-0${1 + (rkey.length % 9)}T00:00:00.000Z` },
      indexedAt: '2024-05-01T00:00:00.000Z',
    },
    ...extra,
  };
}

/** A Mastodon status. */
export function toot(id: string, content: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, created_at: '2024-03-01T00:00:00.000Z', in_reply_to_id: null, reblog: null, content, visibility: 'public', ...extra };
}
