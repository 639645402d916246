/**
 * The behaviour every network source shares: walk the pages newest-first up to a maximum, stop at posts the
 * output file already holds (incremental update), back off on HTTP 429, save after every page atomically, and
 * remember an unfinished walk so the next run resumes it instead of leaving a gap.
 *
 * A source only has to say how to fetch one page (`PagedSource.fetchPage`); this module does the rest.
 */
import { TweetlabError } from '../errors.js';
import type { Post } from '../types.js';
import { fileExists, readTextFile } from '../util/fs.js';
import { parsePostsCsv } from './files.js';
import { clearFetchState, fetchStatePath, mergePosts, newestNumericId, readPendingWalk } from './incremental.js';
import type { FetchOptions, FetchResult, FetchStop, PagedSource } from './paging.js';
import { FetchRun, walkTimeline, type FetchSettings, type Walk } from './walk.js';

export type { FetchOptions, FetchProgress, FetchResult, FetchStop, PagedSource, PageRequest, PostPage } from './paging.js';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function resolveSettings(opts: FetchOptions): FetchSettings {
  const max = opts.max ?? 3200;
  if (!Number.isInteger(max) || max < 1) throw new TweetlabError(`max must be a whole number ≥ 1, got ${max}`);
  return {
    max,
    incremental: opts.incremental ?? true,
    waitOnRateLimit: opts.waitOnRateLimit ?? false,
    maxWaitMs: (opts.maxWaitSeconds ?? 900) * 1000,
    maxRetries: opts.maxRetries ?? 3,
    sleep: opts.sleep ?? defaultSleep,
    now: opts.now ?? Date.now,
    out: opts.out,
    sinceId: opts.sinceId,
    onProgress: opts.onProgress,
  };
}

/** The walks of this run: an unfinished one from the state file first, then a fresh one from the top. */
async function planWalks(source: PagedSource, settings: FetchSettings, existing: readonly Post[]): Promise<Walk[]> {
  const walks: Walk[] = [];
  const pending = settings.out && settings.incremental ? await readPendingWalk(fetchStatePath(settings.out), source) : undefined;
  if (pending) {
    const { cursor, sinceId, boundaryId } = pending;
    walks.push({ cursor, resumed: true, ...(sinceId !== undefined ? { sinceId } : {}), ...(boundaryId !== undefined ? { boundaryId } : {}) });
  }
  const freshSinceId = settings.sinceId ?? (settings.incremental ? newestNumericId(existing) : undefined);
  walks.push({ resumed: false, ...(freshSinceId !== undefined ? { sinceId: freshSinceId } : {}) });
  return walks;
}

/**
 * Fetches posts from `source` newest-first and, when `opts.out` is given, merges them into that CSV after
 * every page (atomic writes: an interrupted run leaves the last good file). Returns what it did.
 *
 * Rate limits: with `waitOnRateLimit` and a reset within `maxWaitSeconds`, sleeps and retries; otherwise it stops,
 * keeps what it saved, and returns `complete: false` with a message. Other errors are re-thrown as one sentence
 * that says how many posts were kept.
 */
export async function fetchPosts(source: PagedSource, opts: FetchOptions = {}): Promise<FetchResult> {
  const settings = resolveSettings(opts);
  const out = settings.out;
  const existing = out && settings.incremental && (await fileExists(out)) ? parsePostsCsv(await readTextFile(out, 'posts file'), out) : [];
  const run = new FetchRun(source, settings, existing);
  let stop: FetchStop = 'end';
  for (const walk of await planWalks(source, settings, existing)) {
    stop = await walkTimeline(run, walk);
    if (stop === 'max' || stop === 'rate-limited') break;
  }
  if (stop !== 'rate-limited' && out) await clearFetchState(out);
  if (!out) run.merged = mergePosts(run.fresh, existing);
  return run.result(stop);
}
