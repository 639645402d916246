/**
 * The behaviour every network source shares: walk the pages newest-first up to a maximum, stop at posts the
 * output file already holds (incremental update), back off on HTTP 429, save after every page atomically, and
 * remember an unfinished walk so the next run resumes it instead of leaving a gap.
 *
 * A source only has to say how to fetch one page (`PagedSource.fetchPage`); this module does the rest.
 */
import * as path from 'node:path';
import { TweetlabError, errorMessage } from '../errors.js';
import type { Post, SourceInfo } from '../types.js';
import { fileExists, readTextFile, writeJsonAtomic } from '../util/fs.js';
import { promises as fsp } from 'node:fs';
import { parsePostsCsv, writePostsCsv } from './files.js';

/** One page of a source, newest post first. */
export interface PostPage {
  /** Posts kept after the source's own filters (replies, reposts, empty text). */
  posts: Post[];
  /** Items the page held before filtering (for progress reports). */
  rawCount: number;
  /** Cursor of the next (older) page; undefined at the end of the timeline. */
  next?: string;
}

export interface PageRequest {
  /** Cursor returned by the previous page; undefined for the newest page. */
  cursor?: string;
  /** How many posts are still wanted (a source may ask for fewer or more per request). */
  wanted: number;
  /** Only posts newer than this id, for sources whose API can filter by id (Twitter, Mastodon). */
  sinceId?: string;
}

/** A paginated source of posts, newest first. */
export interface PagedSource {
  /** twitter | bluesky | mastodon */
  kind: string;
  /** Account the posts come from, as the user wrote it (username, handle). */
  name: string;
  /** True when `PageRequest.sinceId` is honoured by the server. */
  supportsSinceId: boolean;
  fetchPage(req: PageRequest): Promise<PostPage>;
}

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

/** Progress events, for a CLI line or a notebook cell. */
export type FetchProgress =
  | { type: 'page'; page: number; received: number; added: number; total: number }
  | { type: 'wait'; seconds: number; until: string }
  | { type: 'resume'; cursor: string };

export interface FetchOptions {
  /** CSV file to merge into and save after every page. Default: none (posts are only returned). */
  out?: string;
  /** Most posts to add in this run. Default: 3200. */
  max?: number;
  /** Read `out` (when it exists), fetch only newer posts and merge. Default: true. */
  incremental?: boolean;
  /** Stop at this id (exclusive); defaults to the newest numeric id of `out` when incremental. */
  sinceId?: string;
  /** On 429, sleep until the reset time when it is at most `maxWaitSeconds` away. Default: false. */
  waitOnRateLimit?: boolean;
  /** Longest wait for a rate-limit reset, in seconds. Default: 900 (one Twitter window). */
  maxWaitSeconds?: number;
  /** Waits in a row for one page before giving up. Default: 3. */
  maxRetries?: number;
  /** Injected for tests. Default: setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected for tests. Default: Date.now. */
  now?: () => number;
  onProgress?: (p: FetchProgress) => void;
}

/** Why a fetch stopped. */
export type FetchStop =
  /** The timeline has no older page. */
  | 'end'
  /** `max` posts were added. */
  | 'max'
  /** Reached posts already saved (incremental update). */
  | 'caught-up'
  /** The server's rate limit stopped the fetch; what was fetched is saved and the next run resumes. */
  | 'rate-limited';

export interface FetchResult {
  source: SourceInfo;
  /** The output file, when one was given. */
  out?: string;
  /** Posts received in this run after the source's filters, including already-saved ones at the boundary. */
  fetched: number;
  /** Posts that were not in `out` before. */
  added: number;
  /** Posts in the result (and in `out`). */
  total: number;
  /** Pages requested successfully. */
  pages: number;
  /** False when the fetch stopped early (rate limit); re-running resumes it. */
  complete: boolean;
  stop: FetchStop;
  /** One sentence for the user when `complete` is false. */
  message?: string;
  /** All posts, newest first, merged with the previous content of `out`. */
  posts: Post[];
}

/** The file beside `out` that remembers an unfinished walk. */
export function fetchStatePath(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.fetch-state.json`);
}

/**
 * One newest-first walk down a timeline. A walk that was cut short is saved as pending and resumed first on
 * the next run; it ends at `boundaryId`, the newest post the file held when the walk began.
 */
interface PendingWalk {
  cursor: string;
  sinceId?: string;
  boundaryId?: string;
}

interface Walk {
  cursor?: string;
  sinceId?: string;
  boundaryId?: string;
  resumed: boolean;
}

interface FetchState {
  version: 1;
  kind: string;
  name: string;
  pending: PendingWalk;
}

/** True for ids made only of digits (Twitter and Mastodon ids), which order by value. */
function isNumericId(id: string): boolean {
  return /^\d+$/.test(id);
}

/** The largest numeric id, or undefined when there is none. */
export function newestNumericId(posts: readonly Post[]): string | undefined {
  let best: bigint | undefined;
  for (const p of posts) {
    if (!isNumericId(p.id)) continue;
    const v = BigInt(p.id);
    if (best === undefined || v > best) best = v;
  }
  return best === undefined ? undefined : best.toString();
}

/** Newest first: by creation time when both posts have one, else by numeric id, else keep order. */
function compareNewestFirst(a: Post, b: Post): number {
  const ta = a.createdAt ? Date.parse(a.createdAt) : NaN;
  const tb = b.createdAt ? Date.parse(b.createdAt) : NaN;
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return tb - ta;
  if (isNumericId(a.id) && isNumericId(b.id)) {
    const d = BigInt(b.id) - BigInt(a.id);
    return d > 0n ? 1 : d < 0n ? -1 : 0;
  }
  return 0;
}

/**
 * Merges fresh posts into existing ones: one post per id (the fresh copy wins, so edits show up), newest first.
 * The sort is stable, so posts without dates or numeric ids keep their order.
 */
export function mergePosts(fresh: readonly Post[], existing: readonly Post[]): Post[] {
  const seen = new Set<string>();
  const merged: Post[] = [];
  for (const p of [...fresh, ...existing]) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    merged.push(p);
  }
  return merged.sort(compareNewestFirst);
}

async function readState(file: string): Promise<FetchState | undefined> {
  if (!(await fileExists(file))) return undefined;
  try {
    const state = JSON.parse(await readTextFile(file, 'fetch state')) as FetchState;
    if (state.version !== 1 || typeof state.pending?.cursor !== 'string') return undefined;
    return state;
  } catch {
    return undefined; // a damaged state file only loses the resume point, never posts
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Fetches posts from `source` newest-first and, when `opts.out` is given, merges them into that CSV after
 * every page (atomic writes: an interrupted run leaves the last good file). Returns what it did.
 *
 * Rate limits: with `waitOnRateLimit` and a reset within `maxWaitSeconds`, sleeps and retries; otherwise it stops,
 * keeps what it saved, and returns `complete: false` with a message. Other errors are re-thrown as one sentence
 * that says how many posts were kept.
 */
export async function fetchPosts(source: PagedSource, opts: FetchOptions = {}): Promise<FetchResult> {
  const max = opts.max ?? 3200;
  if (!Number.isInteger(max) || max < 1) throw new TweetlabError(`max must be a whole number ≥ 1, got ${max}`);
  const incremental = opts.incremental ?? true;
  const sleep = opts.sleep ?? defaultSleep;
  const now = opts.now ?? Date.now;
  const maxWaitMs = (opts.maxWaitSeconds ?? 900) * 1000;
  const maxRetries = opts.maxRetries ?? 3;
  const out = opts.out;
  const stateFile = out ? fetchStatePath(out) : undefined;

  let existing: Post[] = [];
  if (out && incremental && (await fileExists(out))) {
    existing = parsePostsCsv(await readTextFile(out, 'posts file'), out);
  }
  const known = new Set(existing.map((p) => p.id));
  const state = stateFile && incremental ? await readState(stateFile) : undefined;
  const walks: Walk[] = [];
  if (state && state.kind === source.kind && state.name === source.name) {
    const { cursor, sinceId, boundaryId } = state.pending;
    walks.push({ cursor, resumed: true, ...(sinceId !== undefined ? { sinceId } : {}), ...(boundaryId !== undefined ? { boundaryId } : {}) });
  }
  const freshSinceId = opts.sinceId ?? (incremental ? newestNumericId(existing) : undefined);
  walks.push({ resumed: false, ...(freshSinceId !== undefined ? { sinceId: freshSinceId } : {}) });

  const fresh: Post[] = [];
  const freshIds = new Set<string>();
  let fetched = 0;
  let pages = 0;
  let stop: FetchStop = 'end';
  let message: string | undefined;
  let merged = existing;

  const save = async (pending: PendingWalk | undefined) => {
    merged = mergePosts(fresh, existing);
    if (!out || !stateFile) return;
    await writePostsCsv(out, merged);
    if (pending) {
      const st: FetchState = { version: 1, kind: source.kind, name: source.name, pending };
      await writeJsonAtomic(stateFile, st);
    } else {
      await fsp.rm(stateFile, { force: true });
    }
  };

  walkLoop: for (let w = 0; w < walks.length; w++) {
    const walk = walks[w] as Walk;
    if (!walk.resumed) {
      const top = mergePosts(fresh, existing)[0];
      if (top) walk.boundaryId = top.id;
    }
    if (walk.resumed && walk.cursor) opts.onProgress?.({ type: 'resume', cursor: walk.cursor });
    let cursor = walk.cursor;
    const sinceId = source.supportsSinceId ? walk.sinceId : undefined;
    // A broken or hostile server may hand out cursors forever: a cursor seen before, or pages that repeat
    // posts already taken, end the walk instead of looping.
    const seenCursors = new Set<string>(cursor !== undefined ? [cursor] : []);
    let repeatPages = 0;
    let idlePages = 0;
    for (;;) {
      if (fresh.length >= max) {
        stop = 'max';
        break walkLoop;
      }
      let page: PostPage | undefined;
      for (let attempt = 0; page === undefined; attempt++) {
        try {
          page = await source.fetchPage({ cursor, wanted: max - fresh.length, sinceId });
        } catch (err) {
          const keptNote = () =>
            out ? `${merged.length} posts are saved in ${out}; run the same command again to resume` : `${fresh.length} posts were fetched`;
          if (err instanceof RateLimitedError) {
            const waitMs = err.resetAt !== undefined ? Math.max(0, err.resetAt - now()) + 1000 : undefined;
            if (opts.waitOnRateLimit && waitMs !== undefined && waitMs <= maxWaitMs && attempt < maxRetries) {
              opts.onProgress?.({ type: 'wait', seconds: Math.ceil(waitMs / 1000), until: new Date(now() + waitMs).toISOString() });
              await sleep(waitMs);
              continue;
            }
            // Remember where this walk was so the next run fills the gap.
            await save(pendingFor(cursor, walk));
            stop = 'rate-limited';
            const when = err.resetAt !== undefined ? ` after ${new Date(err.resetAt).toISOString()}` : ' later';
            const why =
              opts.waitOnRateLimit && waitMs !== undefined && waitMs > maxWaitMs
                ? ` (the reset is more than ${Math.round(maxWaitMs / 1000)} s away)`
                : '';
            message = `${err.service} rate limit reached${why}; ${keptNote()}${when}.`;
            break walkLoop;
          }
          if (out && (fresh.length > 0 || cursor !== undefined)) await save(pendingFor(cursor, walk));
          const note = fresh.length > 0 || cursor !== undefined ? ` (${keptNote()})` : '';
          if (err instanceof TweetlabError) throw new TweetlabError(`${err.message}${note}`, err.exitCode);
          throw new TweetlabError(`${source.kind} fetch failed: ${errorMessage(err)}${note}`);
        }
      }
      pages++;
      fetched += page.posts.length;
      let reachedKnown = false;
      let addedThisPage = 0;
      for (const p of page.posts) {
        if (atOrBelow(p.id, walk.sinceId) || atOrBelow(p.id, walk.boundaryId)) {
          reachedKnown = true;
          continue;
        }
        if (known.has(p.id)) {
          // A fresh walk meets saved posts only below its boundary. A resumed walk may see a few it saved
          // itself (the timeline moved under its cursor): skip those and go on.
          if (!walk.resumed) reachedKnown = true;
          continue;
        }
        if (freshIds.has(p.id)) continue; // pages may overlap when the timeline moves under us
        if (fresh.length >= max) break;
        fresh.push(p);
        freshIds.add(p.id);
        addedThisPage++;
      }
      // Safety net for a resumed walk whose boundary post was deleted: a page of nothing new ends it.
      if (walk.resumed && page.posts.length > 0 && addedThisPage === 0) reachedKnown = true;
      repeatPages = page.posts.length > 0 && addedThisPage === 0 && !reachedKnown ? repeatPages + 1 : 0;
      idlePages = addedThisPage === 0 && !reachedKnown ? idlePages + 1 : 0; // e.g. page after page of reposts
      const endless = (page.next !== undefined && seenCursors.has(page.next)) || repeatPages >= 3 || idlePages >= 100;
      if (page.next !== undefined) seenCursors.add(page.next);
      const done = reachedKnown || page.next === undefined || fresh.length >= max || endless;
      cursor = page.next;
      // A walk ends at the end of the timeline, at saved posts, or at max; otherwise remember its next page.
      await save(done ? undefined : pendingFor(cursor, walk));
      opts.onProgress?.({ type: 'page', page: pages, received: page.rawCount, added: addedThisPage, total: merged.length });
      if (done) {
        if (fresh.length >= max) {
          stop = 'max';
          break walkLoop;
        }
        stop = reachedKnown ? 'caught-up' : 'end';
        break;
      }
    }
  }
  if (stop !== 'rate-limited' && stateFile) await fsp.rm(stateFile, { force: true });
  if (!out) merged = mergePosts(fresh, existing);

  const result: FetchResult = {
    source: { kind: source.kind, name: source.name, fetchedAt: new Date(now()).toISOString() },
    fetched,
    added: fresh.length,
    total: merged.length,
    pages,
    complete: stop !== 'rate-limited',
    stop,
    posts: merged,
  };
  if (out) result.out = out;
  if (message) result.message = message;
  return result;
}

function pendingFor(cursor: string | undefined, walk: Walk): PendingWalk | undefined {
  if (cursor === undefined) return undefined;
  const p: PendingWalk = { cursor };
  if (walk.sinceId !== undefined) p.sinceId = walk.sinceId;
  if (walk.boundaryId !== undefined) p.boundaryId = walk.boundaryId;
  return p;
}

/** True when `id` is `limit` itself, or both are numeric and `id` is not newer. */
function atOrBelow(id: string, limit: string | undefined): boolean {
  if (limit === undefined) return false;
  if (id === limit) return true;
  return isNumericId(id) && isNumericId(limit) && BigInt(id) <= BigInt(limit);
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
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') throw new TweetlabError(`${ctx.service}: no answer from ${url.host} within ${timeoutMs / 1000} s${forAccount}`);
    const cause = e.cause?.code ?? e.cause?.message ?? e.message;
    throw new TweetlabError(`${ctx.service}: cannot reach ${url.host} (${cause})${forAccount}`);
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
