/**
 * The page loop of `fetchPosts`: one walk down a timeline, page by page, with rate-limit waits, a save after
 * every page and guards against servers that never end a walk.
 */
import { TweetlabError, errorMessage } from '../errors.js';
import type { Post } from '../types.js';
import { RateLimitedError } from './http.js';
import { atOrBelow, mergePosts, saveFetchProgress, type PendingWalk } from './incremental.js';
import type { FetchProgress, FetchResult, FetchStop, PagedSource, PageRequest, PostPage } from './paging.js';

/** A walk as planned for this run: resumed from the state file, or fresh from the top of the timeline. */
export interface Walk {
  cursor?: string;
  sinceId?: string;
  boundaryId?: string;
  resumed: boolean;
}

/** `FetchOptions` with every default filled in. */
export interface FetchSettings {
  max: number;
  incremental: boolean;
  waitOnRateLimit: boolean;
  maxWaitMs: number;
  maxRetries: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  out: string | undefined;
  sinceId: string | undefined;
  onProgress: ((p: FetchProgress) => void) | undefined;
}

/** What one run holds while it walks: the posts found so far, merged with the saved ones. */
export class FetchRun {
  readonly fresh: Post[] = [];
  private readonly freshIds = new Set<string>();
  private readonly known: Set<string>;
  fetched = 0;
  pages = 0;
  merged: Post[];
  message: string | undefined;

  constructor(
    readonly source: PagedSource,
    readonly settings: FetchSettings,
    readonly existing: Post[],
  ) {
    this.known = new Set(existing.map((p) => p.id));
    this.merged = existing;
  }

  get full(): boolean {
    return this.fresh.length >= this.settings.max;
  }

  /** Merges, and with an output file saves the posts and the walk still pending (none when it ended). */
  async save(pending: PendingWalk | undefined): Promise<void> {
    this.merged = mergePosts(this.fresh, this.existing);
    if (this.settings.out) await saveFetchProgress(this.settings.out, this.merged, this.source, pending);
  }

  /** What the user keeps after a stop, for a message. */
  keptNote(): string {
    const out = this.settings.out;
    return out ? `${this.merged.length} posts are saved in ${out}; run the same command again to resume` : `${this.fresh.length} posts were fetched`;
  }

  /** Takes a page's new posts; `reachedKnown` when the walk met posts saved before it began. */
  take(page: PostPage, walk: Walk): { added: number; reachedKnown: boolean } {
    let reachedKnown = false;
    let added = 0;
    for (const p of page.posts) {
      if (atOrBelow(p.id, walk.sinceId) || atOrBelow(p.id, walk.boundaryId)) {
        reachedKnown = true;
        continue;
      }
      if (this.known.has(p.id)) {
        // A fresh walk meets saved posts only below its boundary. A resumed walk may see a few it saved
        // itself (the timeline moved under its cursor): skip those and go on.
        if (!walk.resumed) reachedKnown = true;
        continue;
      }
      if (this.freshIds.has(p.id)) continue; // pages may overlap when the timeline moves under us
      if (this.full) break;
      this.fresh.push(p);
      this.freshIds.add(p.id);
      added++;
    }
    // Safety net for a resumed walk whose boundary post was deleted: a page of nothing new ends it.
    if (walk.resumed && page.posts.length > 0 && added === 0) reachedKnown = true;
    return { added, reachedKnown };
  }

  result(stop: FetchStop): FetchResult {
    const { source, settings } = this;
    const result: FetchResult = {
      source: { kind: source.kind, name: source.name, fetchedAt: new Date(settings.now()).toISOString() },
      fetched: this.fetched,
      added: this.fresh.length,
      total: this.merged.length,
      pages: this.pages,
      complete: stop !== 'rate-limited',
      stop,
      posts: this.merged,
    };
    if (settings.out) result.out = settings.out;
    if (this.message) result.message = this.message;
    return result;
  }
}

/**
 * A broken or hostile server may hand out cursors forever: a cursor seen before, or pages that repeat posts
 * already taken, end the walk instead of looping.
 */
class EndlessWalkGuard {
  private readonly seenCursors: Set<string>;
  private repeatPages = 0;
  private idlePages = 0;

  constructor(cursor: string | undefined) {
    this.seenCursors = new Set<string>(cursor !== undefined ? [cursor] : []);
  }

  /** True when the walk should end after this page. */
  endless(page: PostPage, added: number, reachedKnown: boolean): boolean {
    this.repeatPages = page.posts.length > 0 && added === 0 && !reachedKnown ? this.repeatPages + 1 : 0;
    this.idlePages = added === 0 && !reachedKnown ? this.idlePages + 1 : 0; // e.g. page after page of reposts
    const endless = (page.next !== undefined && this.seenCursors.has(page.next)) || this.repeatPages >= 3 || this.idlePages >= 100;
    if (page.next !== undefined) this.seenCursors.add(page.next);
    return endless;
  }
}

function pendingFor(cursor: string | undefined, walk: Walk): PendingWalk | undefined {
  if (cursor === undefined) return undefined;
  const p: PendingWalk = { cursor };
  if (walk.sinceId !== undefined) p.sinceId = walk.sinceId;
  if (walk.boundaryId !== undefined) p.boundaryId = walk.boundaryId;
  return p;
}

/**
 * One page, waiting out rate limits when allowed. Undefined when a rate limit stops the run (progress saved,
 * `run.message` says why); other errors are re-thrown as one sentence that says what was kept.
 */
async function fetchPageOrStop(run: FetchRun, walk: Walk, req: PageRequest): Promise<PostPage | undefined> {
  const { settings } = run;
  for (let attempt = 0; ; attempt++) {
    try {
      return await run.source.fetchPage(req);
    } catch (err) {
      if (!(err instanceof RateLimitedError)) throw await fetchFailure(run, walk, req.cursor, err);
      const waitMs = err.resetAt !== undefined ? Math.max(0, err.resetAt - settings.now()) + 1000 : undefined;
      if (settings.waitOnRateLimit && waitMs !== undefined && waitMs <= settings.maxWaitMs && attempt < settings.maxRetries) {
        settings.onProgress?.({ type: 'wait', seconds: Math.ceil(waitMs / 1000), until: new Date(settings.now() + waitMs).toISOString() });
        await settings.sleep(waitMs);
        continue;
      }
      // Remember where this walk was so the next run fills the gap.
      await run.save(pendingFor(req.cursor, walk));
      const when = err.resetAt !== undefined ? ` after ${new Date(err.resetAt).toISOString()}` : ' later';
      const why =
        settings.waitOnRateLimit && waitMs !== undefined && waitMs > settings.maxWaitMs
          ? ` (the reset is more than ${Math.round(settings.maxWaitMs / 1000)} s away)`
          : '';
      run.message = `${err.service} rate limit reached${why}; ${run.keptNote()}${when}.`;
      return undefined;
    }
  }
}

/** Saves what a failed walk got so far and words the error. */
async function fetchFailure(run: FetchRun, walk: Walk, cursor: string | undefined, err: unknown): Promise<TweetlabError> {
  const started = run.fresh.length > 0 || cursor !== undefined;
  if (run.settings.out && started) await run.save(pendingFor(cursor, walk));
  const note = started ? ` (${run.keptNote()})` : '';
  if (err instanceof TweetlabError) return new TweetlabError(`${err.message}${note}`, err.exitCode);
  return new TweetlabError(`${run.source.kind} fetch failed: ${errorMessage(err)}${note}`);
}

/** Walks one timeline page by page until the end, saved posts, `max` or a rate limit. */
export async function walkTimeline(run: FetchRun, walk: Walk): Promise<FetchStop> {
  const { source, settings } = run;
  if (!walk.resumed) {
    const top = mergePosts(run.fresh, run.existing)[0];
    if (top) walk.boundaryId = top.id;
  }
  if (walk.resumed && walk.cursor) settings.onProgress?.({ type: 'resume', cursor: walk.cursor });
  let cursor = walk.cursor;
  const sinceId = source.supportsSinceId ? walk.sinceId : undefined;
  const guard = new EndlessWalkGuard(cursor);
  for (;;) {
    if (run.full) return 'max';
    const page = await fetchPageOrStop(run, walk, { cursor, wanted: settings.max - run.fresh.length, sinceId });
    if (page === undefined) return 'rate-limited';
    run.pages++;
    run.fetched += page.posts.length;
    const { added, reachedKnown } = run.take(page, walk);
    const endless = guard.endless(page, added, reachedKnown);
    const done = reachedKnown || page.next === undefined || run.full || endless;
    cursor = page.next;
    // A walk ends at the end of the timeline, at saved posts, or at max; otherwise remember its next page.
    await run.save(done ? undefined : pendingFor(cursor, walk));
    settings.onProgress?.({ type: 'page', page: run.pages, received: page.rawCount, added, total: run.merged.length });
    if (done) return run.full ? 'max' : reachedKnown ? 'caught-up' : 'end';
  }
}

