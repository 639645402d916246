import * as path from 'node:path';
import { TweetlabError } from '../errors.js';
import type { Corpus, Post } from '../types.js';
import { columnIndex, formatCsv, parseCsv, restoreFormula } from '../util/csv.js';
import { readTextFile, writeFileAtomic } from '../util/fs.js';

/** The columns of every posts CSV tweetlab writes. */
export const POSTS_CSV_HEADER = ['id', 'created_at', 'text'] as const;

export interface ReadPostsOptions {
  /** Column holding the post text (CSV) or key (JSONL). Default: "text". */
  textColumn?: string;
  /** Column/key holding the id; when absent from the file, ids are the 1-based row numbers. Default: "id". */
  idColumn?: string;
  /** Column/key holding the creation time, if any. Default: "created_at". */
  dateColumn?: string;
}

/**
 * Posts as RFC 4180 CSV text with the columns id,created_at,text. Every cell a spreadsheet would run as a
 * formula gets a leading `'` (posts are untrusted); parsePostsCsv takes it off again.
 */
export function formatPostsCsv(posts: readonly Post[]): string {
  return formatCsv(
    POSTS_CSV_HEADER,
    posts.map((p) => [p.id, p.createdAt ?? '', p.text]),
    { neutraliseFormulas: true },
  );
}

/** Writes posts to `file` as CSV (id,created_at,text), atomically. */
export async function writePostsCsv(file: string, posts: readonly Post[]): Promise<void> {
  await writeFileAtomic(file, formatPostsCsv(posts));
}

/**
 * Parses CSV text into posts; `source` names the file in errors. The `'` that formatPostsCsv puts before a
 * formula starter (`'=…`, `'+…`, `'-…`, `'@…`, tab, CR) is taken off, as a spreadsheet does when it shows the cell.
 */
export function parsePostsCsv(text: string, source: string, opts: ReadPostsOptions = {}): Post[] {
  const table = parseCsv(text, source);
  const textIdx = columnIndex(table, opts.textColumn ?? 'text', source);
  const idIdx = table.header.indexOf(opts.idColumn ?? 'id');
  const dateIdx = table.header.indexOf(opts.dateColumn ?? 'created_at');
  return table.rows.map((row, r) => {
    const id = idIdx >= 0 ? restoreFormula(row[idIdx] as string) : String(r + 1);
    const post: Post = { id, text: restoreFormula(row[textIdx] as string) };
    const date = dateIdx >= 0 ? restoreFormula(row[dateIdx] as string) : '';
    if (date) post.createdAt = date;
    return post;
  });
}

/** Parses JSON Lines text (one object per line) into posts; blank lines are skipped. */
export function parsePostsJsonl(text: string, source: string, opts: ReadPostsOptions = {}): Post[] {
  const textKey = opts.textColumn ?? 'text';
  const idKey = opts.idColumn ?? 'id';
  const dateKey = opts.dateColumn ?? 'created_at';
  const posts: Post[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      throw new TweetlabError(`${source}: line ${i + 1}: not valid JSON`);
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new TweetlabError(`${source}: line ${i + 1}: expected a JSON object`);
    }
    const rec = obj as Record<string, unknown>;
    const value = rec[textKey];
    if (typeof value !== 'string') {
      throw new TweetlabError(
        `${source}: line ${i + 1}: field "${textKey}" is ${value === undefined ? 'missing' : 'not a string'}`,
      );
    }
    const id = rec[idKey];
    const post: Post = { id: typeof id === 'string' || typeof id === 'number' ? String(id) : String(posts.length + 1), text: value };
    const date = rec[dateKey];
    if (typeof date === 'string' && date) post.createdAt = date;
    posts.push(post);
  }
  return posts;
}

/**
 * Reads a posts file: `.jsonl`/`.ndjson` as JSON Lines, anything else as CSV. The text column defaults to
 * "text". Errors name the file and, where it applies, the line.
 */
export async function readPostsFile(file: string, opts: ReadPostsOptions = {}): Promise<Corpus> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') {
    // Read as CSV it would fail on its first brace with a confusing message.
    throw new TweetlabError(`${file}: .json files are not read as posts; give JSON Lines (.jsonl, one object per line) or CSV`);
  }
  const text = await readTextFile(file, 'posts file');
  const posts = ext === '.jsonl' || ext === '.ndjson' ? parsePostsJsonl(text, file, opts) : parsePostsCsv(text, file, opts);
  return {
    source: { kind: ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : 'csv', name: file, fetchedAt: new Date().toISOString() },
    posts,
  };
}
