/**
 * Twitter/X "download your archive": `data/tweets.js` holds `window.YTD.tweets.part0 = [ {"tweet": {...}}, … ]`;
 * large archives split into `tweets-part1.js`, `tweets-part2.js` … with `part1`, `part2` … prefixes. Older
 * archives call the file `tweet.js` (`window.YTD.tweet.part0`) and may leave out the `{"tweet": …}` wrapper.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError } from '../errors.js';
import type { Corpus, Post } from '../types.js';
import { readTextFile } from '../util/fs.js';
import { mergePosts } from './incremental.js';

export interface ArchiveOptions {
  /** Leave out replies (tweets with `in_reply_to_status_id_str`). Default: true. */
  excludeReplies?: boolean;
  /** Leave out retweets (text starting "RT @"). Default: true. */
  excludeRetweets?: boolean;
  /** Also read `<name>-part1.js`, `<name>-part2.js` … found beside a given `<name>.js`. Default: true. */
  includeSplitParts?: boolean;
}

const PREFIX = /^\s*window\.YTD\.(tweets?)\.part(\d+)\s*=\s*/;

/** "Wed Oct 10 20:19:24 +0000 2018" (or any date Date.parse reads) → ISO 8601; undefined when unreadable. */
export function archiveDateToIso(value: string): string | undefined {
  const m = /^\w{3} (\w{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}) (\d{4})$/.exec(value.trim());
  let t: number;
  if (m) {
    const [, mon, day, hh, mm, ss, zone, year] = m as unknown as string[];
    t = Date.parse(`${mon} ${day}, ${year} ${hh}:${mm}:${ss} GMT${zone}`);
  } else {
    t = Date.parse(value);
  }
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** 1-based line and column of a character offset. */
function lineOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/** Parses the text of one archive file; `file` names it in errors. */
export function parseArchiveText(text: string, file: string, opts: ArchiveOptions = {}): Post[] {
  const m = PREFIX.exec(text);
  if (!m) {
    const start = text.trimStart().slice(0, 40).replace(/\s+/g, ' ');
    throw new TweetlabError(
      `${file}: not a Twitter archive tweets file (expected it to start with "window.YTD.tweets.part0 = [", found "${start}")`,
    );
  }
  const body = text.slice(m[0].length).replace(/;\s*$/, '');
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const where = pos ? lineOf(text, m[0].length + Number(pos[1])) : undefined;
    const truncated = /end of (JSON )?input|Unterminated/i.test(msg) || (pos !== null && Number(pos[1]) >= body.trimEnd().length);
    throw new TweetlabError(
      `${file}: the archive's JSON is ${truncated ? 'truncated (the file ends too early)' : 'malformed'}${
        where ? ` at line ${where.line}, column ${where.column}` : ''
      }`,
    );
  }
  if (!Array.isArray(data)) throw new TweetlabError(`${file}: expected a JSON array after "${m[0].trim()}"`);
  const excludeReplies = opts.excludeReplies ?? true;
  const excludeRetweets = opts.excludeRetweets ?? true;
  const posts: Post[] = [];
  data.forEach((item, i) => {
    const wrapper = item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : undefined;
    const tweet = (wrapper && typeof wrapper['tweet'] === 'object' ? wrapper['tweet'] : wrapper) as Record<string, unknown> | undefined;
    if (!tweet || tweet === null) throw new TweetlabError(`${file}: item ${i + 1} is not a tweet object`);
    const id = tweet['id_str'] ?? tweet['id'];
    const text = tweet['full_text'] ?? tweet['text'];
    if ((typeof id !== 'string' && typeof id !== 'number') || typeof text !== 'string') {
      throw new TweetlabError(`${file}: item ${i + 1} has no ${typeof text !== 'string' ? 'full_text' : 'id_str'}`);
    }
    if (excludeReplies && typeof tweet['in_reply_to_status_id_str'] === 'string' && tweet['in_reply_to_status_id_str'] !== '') return;
    if (excludeRetweets && /^RT @/.test(text)) return;
    if (text.trim() === '') return;
    const post: Post = { id: String(id), text };
    if (typeof tweet['created_at'] === 'string') {
      const iso = archiveDateToIso(tweet['created_at']);
      if (iso) post.createdAt = iso;
    }
    posts.push(post);
  });
  return posts;
}

/** `dir/tweets.js` → the existing `dir/tweets-part1.js`, `dir/tweets-part2.js` … in order. */
async function splitParts(file: string): Promise<string[]> {
  const dir = path.dirname(file);
  const stem = path.basename(file, path.extname(file));
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return [];
  }
  const re = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-part(\\d+)\\.js$`);
  return names
    .map((n) => ({ n, m: re.exec(n) }))
    .filter((x): x is { n: string; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) => Number(a.m[1]) - Number(b.m[1]))
    .map((x) => path.join(dir, x.n));
}

/**
 * Reads one or more archive files (a folder is searched for `data/tweets.js` or `tweets.js`) into a corpus,
 * newest first, one post per id.
 */
export async function readArchive(files: string | readonly string[], opts: ArchiveOptions = {}): Promise<Corpus> {
  const given = typeof files === 'string' ? [files] : [...files];
  if (given.length === 0) throw new TweetlabError('No archive file given');
  const all: string[] = [];
  for (let f of given) {
    const stat = await fsp.stat(f).catch(() => undefined);
    if (stat?.isDirectory()) {
      const candidates = ['data/tweets.js', 'tweets.js', 'data/tweet.js', 'tweet.js'].map((c) => path.join(f, c));
      const found = await firstExisting(candidates);
      if (!found) throw new TweetlabError(`${f}: no data/tweets.js in this folder (is it an unpacked Twitter archive?)`);
      f = found;
    }
    if (!all.includes(f)) all.push(f);
    if (opts.includeSplitParts ?? true) for (const p of await splitParts(f)) if (!all.includes(p)) all.push(p);
  }
  let posts: Post[] = [];
  for (const f of all) {
    const text = await readTextFile(f, 'archive file');
    posts = mergePosts(parseArchiveText(text, f, opts), posts);
  }
  return { source: { kind: 'archive', name: all.join(', '), fetchedAt: new Date().toISOString() }, posts };
}

async function firstExisting(paths: string[]): Promise<string | undefined> {
  for (const p of paths) {
    const s = await fsp.stat(p).catch(() => undefined);
    if (s?.isFile()) return p;
  }
  return undefined;
}
