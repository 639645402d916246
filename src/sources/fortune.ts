/**
 * Fortune files as posts: the format of `fortune(6)` (Debian's `fortunes-ru`, `fortunes-off` …), entries
 * separated by lines holding only `%`. Each entry of at most 280 characters (a tweet) becomes one post, so a
 * fortune collection stands in for an account of a few thousand posts in another language.
 *
 * Decisions:
 * - The trailing signature of an entry (indented lines starting with `--`, "\t\t-- Author") is left out: it
 *   names who said it and is not part of the post.
 * - An entry that repeats an earlier one (whitespace aside) is kept once: collections file one saying under
 *   several topics, and a copy on both sides of the held-out split would flatter every model.
 * - A folder is read one level deep, files sorted by name; strfile's `.dat` indexes, hidden files and links to a
 *   file already read (Debian's `NAME.u8 → NAME`) are skipped.
 * - Text must be UTF-8 unless another encoding is given (a TextDecoder label, e.g. "koi8-r"); a file that does
 *   not decode is refused with its name, never read as U+FFFD.
 */
import { promises as fsp } from 'node:fs';
import { TextDecoder } from 'node:util';
import * as path from 'node:path';
import { TweetlabError, errorMessage } from '../errors.js';
import type { Corpus, Post } from '../types.js';
import { readTextFile } from '../util/fs.js';
import { POST_MAX_CHARS } from './sotu.js';

export interface FortuneOptions {
  /** Longest entry kept, in Unicode code points. Default 280. */
  maxChars?: number;
  /** Text encoding of the files, a TextDecoder label. Default "utf-8". */
  encoding?: string;
  /** Keep the trailing "-- Author" lines. Default false. */
  keepAttribution?: boolean;
}

/** A line holding only `%` (trailing blanks allowed) ends an entry. */
const SEPARATOR = /^%[ \t]*$/;
/** A signature line: indented, then `--`. */
const ATTRIBUTION = /^[ \t]+--/;

/** The entries of fortune-format text, trimmed, empty ones left out, signatures dropped unless asked. */
export function parseFortunes(text: string, opts: Pick<FortuneOptions, 'keepAttribution'> = {}): string[] {
  const entries: string[] = [];
  let lines: string[] = [];
  const flush = () => {
    let end = lines.length;
    if (!opts.keepAttribution) {
      const sig = lines.findIndex((l, i) => i > 0 && ATTRIBUTION.test(l));
      if (sig > 0) end = sig;
    }
    const entry = lines.slice(0, end).map((l) => l.trimEnd()).join('\n').trim();
    if (entry !== '') entries.push(entry);
    lines = [];
  };
  for (const line of text.split(/\r\n|\n|\r/)) {
    if (SEPARATOR.test(line)) flush();
    else lines.push(line);
  }
  flush();
  return entries;
}

/** The text of one fortune file in `encoding`; errors name the file. */
async function readFortuneText(file: string, encoding: string): Promise<string> {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new TweetlabError(`${file}: unknown text encoding "${encoding}" (use a TextDecoder label such as utf-8, koi8-r, windows-1251)`);
  }
  if (decoder.encoding === 'utf-8') {
    try {
      return await readTextFile(file, 'fortune file');
    } catch (err) {
      const msg = errorMessage(err);
      // The usual cause: an old Russian fortune file in KOI8-R. Say how to read it.
      if (!/not UTF-8/.test(msg)) throw err;
      throw new TweetlabError(`${msg.replace(/; save it as UTF-8 and try again$/, '')}; convert it (old Russian files are KOI8-R: iconv -f KOI8-R -t UTF-8) or give readFortunes its encoding`);
    }
  }
  let bytes: Buffer;
  try {
    bytes = await fsp.readFile(file);
  } catch (err) {
    throw new TweetlabError(`Cannot read fortune file ${file}: ${errorMessage(err)}`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new TweetlabError(`${file}: the fortune file is not ${decoder.encoding} text`);
  }
}

/** The fortune files of a folder: regular files one level deep, sorted, without `.dat`, hidden files or duplicate links. */
async function folderFiles(dir: string): Promise<string[]> {
  let all: string[];
  try {
    all = await fsp.readdir(dir);
  } catch (err) {
    throw new TweetlabError(`Cannot read fortune folder ${dir}: ${errorMessage(err)}`);
  }
  const names = all.filter((n) => !n.startsWith('.') && !n.endsWith('.dat')).sort();
  const seen = new Set<string>();
  const files: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const real = await fsp.realpath(file).catch(() => null);
    if (real === null || seen.has(real)) continue;
    const st = await fsp.stat(real);
    if (!st.isFile()) continue;
    seen.add(real);
    files.push(file);
  }
  return files;
}

/**
 * Reads a fortune file, or every fortune file of a folder, as posts. Ids are `<file name>-<n>`, n the 1-based
 * position of the entry in its file (so ids do not change with `maxChars`); there are no dates.
 */
export async function readFortunes(target: string, opts: FortuneOptions = {}): Promise<Corpus> {
  const maxChars = opts.maxChars ?? POST_MAX_CHARS;
  const st = await fsp.stat(target).catch(() => null);
  if (st === null) throw new TweetlabError(`Fortune file or folder not found: ${target}`);
  const files = st.isDirectory() ? await folderFiles(target) : [target];
  if (files.length === 0) throw new TweetlabError(`${target}: the folder holds no fortune files`);
  const posts: Post[] = [];
  const seen = new Set<string>();
  let entries = 0;
  for (const file of files) {
    const text = await readFortuneText(file, opts.encoding ?? 'utf-8');
    if (text.includes('\0')) throw new TweetlabError(`${file}: a binary file, not fortune text (a strfile .dat index?)`);
    parseFortunes(text, opts).forEach((entry, i) => {
      entries++;
      const key = entry.replace(/\s+/g, ' ');
      if ([...entry].length > maxChars || seen.has(key)) return;
      seen.add(key);
      posts.push({ id: `${path.basename(file)}-${i + 1}`, text: entry });
    });
  }
  if (entries === 0) throw new TweetlabError(`${target}: no fortune entries (entries are separated by lines holding only %)`);
  if (posts.length === 0) throw new TweetlabError(`${target}: none of its ${entries} fortune entries has at most ${maxChars} characters`);
  return { source: { kind: 'fortune', name: `fortune:${target}`, fetchedAt: new Date().toISOString() }, posts };
}
