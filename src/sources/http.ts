/**
 * HTTP for the network sources: one JSON GET with a timeout and a User-Agent, HTTP errors turned into one
 * sentence, and HTTP 429 turned into a `RateLimitedError` that carries the reset time.
 */
import { TweetlabError } from '../errors.js';

/**
 * Thrown by a source when the server answered 429. `resetAt` is the epoch time (ms) when the limit resets,
 * when the server said so.
 */
export class RateLimitedError extends TweetlabError {
  override name = 'RateLimitedError';
  constructor(
    readonly service: string,
    readonly resetAt?: number,
  ) {
    super(`${service} rate limit reached${resetAt !== undefined ? ` (resets at ${new Date(resetAt).toISOString()})` : ''}`);
  }
}

/** Where a source's HTTP requests go and how they behave; injectable for tests. */
export interface HttpOptions {
  /** Per-request timeout in ms. Default: 30000. */
  timeoutMs?: number;
  /** User-Agent header. Default: DEFAULT_USER_AGENT. */
  userAgent?: string;
  /** Injected for tests. Default: the global fetch. */
  fetch?: typeof fetch;
}

export const DEFAULT_USER_AGENT = 'tweetlab/0.1 (text-generation study tool)';

/** Epoch ms from a rate-limit reset header: unix seconds, a delay in seconds (Retry-After), or a date. */
export function parseResetHeader(value: string | null | undefined, now: number, relative = false): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) {
    const n = Number(v);
    if (relative || n < 1e9) return now + n * 1000; // a delay, not a timestamp
    return n < 1e11 ? n * 1000 : n;
  }
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

export interface GetJsonContext {
  /** Service name for messages ("Bluesky", "Mastodon (mastodon.social)"). */
  service: string;
  /** Message for 404 (e.g. "Bluesky account alice.bsky.social not found"). */
  notFound: string;
  /** The account asked about ("alice.bsky.social", "@alice@mastodon.social"), named in every error. */
  account?: string;
}

/**
 * GET a JSON document with a timeout and a User-Agent. HTTP errors become one clear sentence; 429 becomes a
 * RateLimitedError carrying the reset time from `ratelimit-reset`, `x-ratelimit-reset` or `retry-after`.
 */
export async function getJson(url: URL, ctx: GetJsonContext, http: HttpOptions = {}): Promise<unknown> {
  const doFetch = http.fetch ?? fetch;
  // Only the account name: the URL's query and any token stay out of messages.
  const forAccount = ctx.account ? ` (account ${ctx.account})` : '';
  const timeoutMs = http.timeoutMs ?? 30_000;
  let res: Response;
  try {
    res = await doFetch(url, {
      headers: { 'User-Agent': http.userAgent ?? DEFAULT_USER_AGENT, Accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual', // issue 15: a redirect is reported, never followed (it read as "not found")
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') throw new TweetlabError(`${ctx.service}: no answer from ${url.host} within ${timeoutMs / 1000} s${forAccount}`);
    const cause = e.cause?.code ?? e.cause?.message ?? e.message;
    throw new TweetlabError(`${ctx.service}: cannot reach ${url.host} (${cause})${forAccount}`);
  }
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel().catch(() => undefined);
    throw new TweetlabError(`${ctx.service} answered HTTP ${res.status} for ${url.pathname}${forAccount}: ${redirectNote(res.headers.get('location'), url)}`);
  }
  if (res.status === 429) {
    const now = Date.now();
    const reset =
      parseResetHeader(res.headers.get('ratelimit-reset'), now) ??
      parseResetHeader(res.headers.get('x-ratelimit-reset'), now) ??
      parseResetHeader(res.headers.get('retry-after'), now, true);
    await res.body?.cancel().catch(() => undefined);
    throw new RateLimitedError(ctx.service, reset);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) {
    const detail = serverMessage(text);
    // Bluesky answers an unknown actor with 400 "Profile not found".
    if (res.status === 404 || (res.status === 400 && /not found/i.test(detail))) throw new TweetlabError(ctx.notFound);
    if (res.status === 401 || res.status === 403) {
      throw new TweetlabError(`${ctx.service} refused access (HTTP ${res.status}${ctx.account ? `, account ${ctx.account}` : ''})${detail ? `: ${detail}` : ''}`);
    }
    throw new TweetlabError(`${ctx.service} answered HTTP ${res.status} for ${url.pathname}${forAccount}${detail ? `: ${detail}` : ''}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TweetlabError(`${ctx.service} sent a reply that is not JSON for ${url.pathname}${forAccount}`);
  }
}

/** Where a redirect points (host only: its path or query may hold anything), and that it is not followed. */
function redirectNote(location: string | null, base: URL): string {
  let host = 'another address';
  try {
    if (location) host = new URL(location, base).host;
  } catch {
    // an unreadable Location is still a redirect
  }
  return `a redirect to ${host}, which an API should not send; it is not followed`;
}

/** The human part of an error body ({"error": …, "message": …}), shortened to one line. */
function serverMessage(body: string): string {
  let msg = '';
  try {
    const obj = JSON.parse(body) as Record<string, unknown>;
    const parts = [obj['error'], obj['message'], obj['error_description']].filter((x): x is string => typeof x === 'string');
    msg = [...new Set(parts)].join(': ');
  } catch {
    msg = '';
  }
  msg = msg.replace(/\s+/g, ' ').trim();
  return msg.length > 200 ? msg.slice(0, 199) + '…' : msg;
}

/** Guards a value read from JSON: a plain object or undefined. */
export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
