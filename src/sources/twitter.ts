/**
 * Twitter / X API v2 through `twitter-api-v2`: look the user up by username, then walk the user timeline
 * (`GET /2/users/:id/tweets`), which reaches the 3,200 most recent posts at most. Reading timelines needs a paid
 * API tier; the free routes are the archive, Bluesky, Mastodon and CSV sources.
 *
 * The bearer token comes from TWITTER_BEARER_TOKEN only and never appears in a message, a file or a log: errors
 * are rebuilt from the status code and the API's own error title, never from the request.
 */
import type { Agent } from 'node:http';
import { ApiPartialResponseError, ApiRequestError, ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { TweetlabError, UsageError } from '../errors.js';
import type { Post } from '../types.js';
import { withoutSecrets } from '../util/redact.js';
import { fetchPosts } from './fetch.js';
import { RateLimitedError, asRecord, parseResetHeader } from './http.js';
import type { FetchOptions, FetchResult, PagedSource, PageRequest, PostPage } from './paging.js';

/** The platform cap of the user-timeline endpoint. */
export const TWITTER_TIMELINE_CAP = 3200;

export interface TwitterSourceOptions {
  /** Leave replies out (API `exclude=replies`). Default: true. */
  excludeReplies?: boolean;
  /** Leave retweets out (API `exclude=retweets`). Default: true. */
  excludeRetweets?: boolean;
  /** Where TWITTER_BEARER_TOKEN is read from. Default: process.env. */
  env?: Record<string, string | undefined>;
  /** HTTPS agent for every request (a proxy, or a test agent that trusts a local certificate). Default: Node's. */
  httpAgent?: Agent;
  /** API origin. Default: "https://api.x.com" (twitter-api-v2 speaks HTTPS only). */
  apiBase?: string;
  /** Per-request timeout in ms. Default: 30000. */
  timeoutMs?: number;
}

/** A Twitter username as typed by a user: a leading "@" is dropped; anything but [A-Za-z0-9_]{1,15} is refused. */
export function normalizeTwitterUsername(username: string): string {
  const u = username.trim().replace(/^@/, '');
  if (!/^[A-Za-z0-9_]{1,15}$/.test(u)) {
    throw new UsageError(`"${username}" is not a Twitter username (1–15 letters, digits or _)`);
  }
  return u;
}

function readToken(env: Record<string, string | undefined>): string {
  const token = env['TWITTER_BEARER_TOKEN']?.trim();
  if (!token) {
    throw new TweetlabError(
      'TWITTER_BEARER_TOKEN is not set: export your X API bearer token in that variable (reading timelines needs a paid API tier; the archive, Bluesky, Mastodon and CSV sources are free)',
    );
  }
  return token;
}

/** Turns a twitter-api-v2 error into one sentence without any request detail (headers hold the token). */
function describeError(err: unknown, what: string, now: number, secrets: readonly string[]): Error {
  if (err instanceof ApiResponseError) {
    if (err.code === 429) {
      const header = err.headers?.['x-rate-limit-reset'];
      const reset =
        err.rateLimit?.reset !== undefined && Number.isFinite(err.rateLimit.reset)
          ? err.rateLimit.reset * 1000
          : parseResetHeader(Array.isArray(header) ? header[0] : header, now);
      return new RateLimitedError('Twitter API', reset);
    }
    const title = apiErrorTitle(err.data, secrets);
    const suffix = title ? ` (${title})` : '';
    if (err.code === 401) return new TweetlabError(`Twitter API rejected the bearer token (HTTP 401)${suffix}: check TWITTER_BEARER_TOKEN`);
    if (err.code === 403) {
      return new TweetlabError(`Twitter API refused ${what} (HTTP 403)${suffix}: your API tier or app permissions may not allow it`);
    }
    if (err.code === 404) return new TweetlabError(`Twitter API: ${what} not found (HTTP 404)${suffix}`);
    return new TweetlabError(`Twitter API answered HTTP ${err.code} for ${what}${suffix}`);
  }
  if (err instanceof ApiPartialResponseError) {
    // The server answered but the body was cut off or was not JSON (a proxy's HTML error page, say).
    const status = err.response?.statusCode ?? 0;
    if (status >= 400) return new TweetlabError(`Twitter API answered HTTP ${status} for ${what} (with a body that is not JSON)`);
    if (/abruptly closed/.test(err.message)) return new TweetlabError(`Twitter API closed the connection in the middle of the reply for ${what}`);
    return new TweetlabError(`Twitter API sent a reply that is not JSON for ${what}`);
  }
  if (err instanceof ApiRequestError) {
    const cause = (err.requestError as NodeJS.ErrnoException | undefined)?.code ?? err.requestError?.message ?? 'network error';
    return new TweetlabError(`Twitter API could not be reached for ${what} (${cause})`);
  }
  if (err instanceof TweetlabError) return err;
  return new TweetlabError(`Twitter API request for ${what} failed`);
}

/** The API's own error title/detail, shortened; never includes request data. */
function apiErrorTitle(data: unknown, secrets: readonly string[]): string {
  const rec = asRecord(data);
  if (!rec) return '';
  const parts: string[] = [];
  const errors = rec['errors'];
  // Top-level problem fields, else the first entry of a partial-error `errors` array.
  const source = typeof rec['title'] === 'string' || !Array.isArray(errors) ? rec : (asRecord(errors[0]) ?? {});
  for (const key of ['title', 'detail', 'message']) if (typeof source[key] === 'string') parts.push(source[key] as string);
  // Issue 15: checked before shortening, so no cut-off piece of the token can slip through.
  const msg = withoutSecrets([...new Set(parts)].join(': ').replace(/\s+/g, ' ').trim(), secrets);
  return msg.length > 160 ? msg.slice(0, 159) + '…' : msg;
}

/** Partial-result errors: the v2 API answers 200 with `errors` and no `data` for a suspended or missing user. */
function userFromLookup(body: unknown, username: string, secrets: readonly string[]): { id: string; username: string } {
  const rec = asRecord(body);
  const data = asRecord(rec?.['data']);
  if (data && typeof data['id'] === 'string') {
    return { id: data['id'] as string, username: typeof data['username'] === 'string' ? (data['username'] as string) : username };
  }
  const detail = apiErrorTitle(Array.isArray(rec?.['errors']) ? { errors: rec?.['errors'] } : undefined, secrets);
  throw new TweetlabError(`Twitter API: user @${username} not found${detail ? ` (${detail})` : ''}`);
}

/** A GET that refuses a redirect (issue 15): a 3xx resolves in twitter-api-v2, and would read as "not found". */
function redirectRefusingGet(client: TwitterApi, timeout: number, secrets: readonly string[]) {
  return async (url: string, query: Record<string, string>, what: string): Promise<unknown> => {
    let resp;
    try {
      resp = await client.get(url, query, { timeout, fullResponse: true });
    } catch (err) {
      throw describeError(err, what, Date.now(), secrets);
    }
    const location = resp.headers['location'];
    if (location !== undefined) {
      let host = 'another address';
      try {
        host = new URL(String(location), url).host;
      } catch {
        // an unreadable Location still is a redirect
      }
      throw new TweetlabError(`Twitter API answered ${what} with a redirect (to ${host}); an API answer must come from the API, so nothing was read`);
    }
    return resp.data;
  };
}

/** The query of one timeline page. */
function timelineQuery(req: PageRequest, exclude: readonly string[]): Record<string, string> {
  const query: Record<string, string> = {
    // The endpoint accepts 5..100 per page.
    max_results: String(Math.min(100, Math.max(5, req.wanted))),
    'tweet.fields': 'created_at',
  };
  if (exclude.length) query['exclude'] = exclude.join(',');
  if (req.sinceId) query['since_id'] = req.sinceId;
  if (req.cursor) query['pagination_token'] = req.cursor;
  return query;
}

/** The posts of one timeline reply (empty ones left out), and the next page's token when there is one. */
function timelinePage(body: unknown, name: string): PostPage {
  if (typeof body === 'string') throw new TweetlabError(`Twitter API sent a reply that is not JSON for the timeline of @${name}`);
  const rec = asRecord(body);
  if (!rec || (rec['data'] !== undefined && !Array.isArray(rec['data']))) {
    throw new TweetlabError(`Twitter API sent an unexpected reply for the timeline of @${name} ("data" is not a list)`);
  }
  const data = Array.isArray(rec['data']) ? (rec['data'] as unknown[]) : [];
  const posts: Post[] = [];
  for (const item of data) {
    const t = asRecord(item);
    if (!t || typeof t['id'] !== 'string' || typeof t['text'] !== 'string') continue;
    if ((t['text'] as string).trim() === '') continue;
    const post: Post = { id: t['id'] as string, text: t['text'] as string };
    if (typeof t['created_at'] === 'string') post.createdAt = t['created_at'] as string;
    posts.push(post);
  }
  const meta = asRecord(rec['meta']);
  const next = typeof meta?.['next_token'] === 'string' ? (meta['next_token'] as string) : undefined;
  const page: PostPage = { posts, rawCount: data.length };
  if (next !== undefined && data.length > 0) page.next = next;
  return page;
}

/**
 * A PagedSource over one user's timeline. The user id is looked up on the first page request, so creating the
 * source makes no request.
 */
export function twitterSource(username: string, opts: TwitterSourceOptions = {}): PagedSource {
  const name = normalizeTwitterUsername(username);
  const token = readToken(opts.env ?? process.env);
  const client = new TwitterApi(token, opts.httpAgent ? { httpAgent: opts.httpAgent } : {});
  const base = (opts.apiBase ?? 'https://api.x.com').replace(/\/+$/, '');
  const exclude = [opts.excludeReplies ?? true ? 'replies' : '', opts.excludeRetweets ?? true ? 'retweets' : ''].filter(Boolean);
  const secrets = [token];
  const apiGet = redirectRefusingGet(client, opts.timeoutMs ?? 30_000, secrets);
  let userId: string | undefined;

  async function lookupUser(): Promise<string> {
    if (userId !== undefined) return userId;
    const body = await apiGet(`${base}/2/users/by/username/${encodeURIComponent(name)}`, {}, `user @${name}`);
    userId = userFromLookup(body, name, secrets).id;
    return userId;
  }

  return {
    kind: 'twitter',
    name,
    supportsSinceId: true,
    async fetchPage(req: PageRequest): Promise<PostPage> {
      const id = await lookupUser();
      const body = await apiGet(`${base}/2/users/${encodeURIComponent(id)}/tweets`, timelineQuery(req, exclude), `the timeline of @${name}`);
      return timelinePage(body, name);
    },
  };
}

/**
 * Fetches one user's timeline (at most the 3,200 most recent posts) into `fetchOpts.out`, incrementally.
 * `fetchOpts.max` is capped at 3,200.
 */
export async function fetchTwitter(
  username: string,
  fetchOpts: FetchOptions = {},
  sourceOpts: TwitterSourceOptions = {},
): Promise<FetchResult> {
  const max = Math.min(fetchOpts.max ?? TWITTER_TIMELINE_CAP, TWITTER_TIMELINE_CAP);
  return fetchPosts(twitterSource(username, sourceOpts), { ...fetchOpts, max });
}
