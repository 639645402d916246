import type { DataFrame } from 'danfojs-node';
import { TweetlabError } from '../errors.js';
import type { Describe, Post } from '../types.js';
import { DESCRIBE_ROWS, isDescribe } from './describe.js';
import { charsPerPost, wordsPerPost } from './lengths.js';

/**
 * A danfojs DataFrame under a name tweetlab exports: tslab declares each cell's variables, and a type it can
 * only reach inside danfojs' own folders ("cannot be named without a reference to …") fails the cell.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Frame extends DataFrame {}

/**
 * The report's pandas DataFrame in danfojs: one row per post with `num_chars` and `num_words`, the columns its
 * analysis adds (`df['num_words'] = df['text'].str.split().str.len()`). danfojs loads on first use, so
 * importing tweetlab stays light. (For describe() use describeFrame: danfo's own describe() has no quartiles.)
 */
export function postsFrame(posts: readonly Post[]): Frame {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dfd = require('danfojs-node') as typeof import('danfojs-node');
  const chars = charsPerPost(posts);
  const words = wordsPerPost(posts);
  const data: Record<string, (string | number)[]> = {
    id: posts.map((p) => p.id),
    created_at: posts.map((p) => p.createdAt ?? ''),
    text: posts.map((p) => p.text),
    num_chars: chars,
    num_words: words,
  };
  return new dfd.DataFrame(data) as Frame;
}

/** What a table needs of a DataFrame (danfojs or anything shaped like it). */
export interface FrameLike {
  index: readonly (string | number)[];
  columns: readonly string[];
  values: readonly (readonly unknown[])[] | readonly unknown[];
}

/** A DataFrame as table columns and rows, its index as the first, unnamed column (as pandas prints it). */
export function frameRows(frame: FrameLike): { columns: string[]; rows: unknown[][] } {
  const columns = ['', ...frame.columns];
  const rows = frame.index.map((label, i) => {
    const row = frame.values[i];
    return [label, ...(Array.isArray(row) ? row : [row])];
  });
  return { columns, rows };
}

/** A describe() frame (rows count … max, one column per measure; see describeFrame) back as Describe values. */
export function describeFromFrame(frame: FrameLike): Record<string, Describe> {
  const labels = DESCRIBE_ROWS.map(([label]) => label);
  if (frame.index.length !== labels.length || frame.index.some((l, i) => l !== labels[i])) {
    throw new TweetlabError(`Not a describe() frame: its rows are ${frame.index.join(', ')}, expected ${labels.join(', ')}`);
  }
  const out: Record<string, Describe> = {};
  frame.columns.forEach((name, c) => {
    const d: Record<string, number> = {};
    DESCRIBE_ROWS.forEach(([, field], r) => {
      d[field] = Number((frame.values[r] as readonly unknown[])[c]);
    });
    out[name] = d as unknown as Describe;
  });
  return out;
}

/**
 * describe()s as a danfojs-node DataFrame for notebook display, with pandas' row labels
 * (count, mean, std, min, 25%, 50%, 75%, max) and one column per measure. danfojs is loaded on first use
 * so importing tweetlab stays light; its own describe() has no quartiles, so the frame holds our numbers.
 * A single Describe becomes one column called `name`.
 */
export function describeFrame(described: Describe | Readonly<Record<string, Describe>>, name = 'value'): Frame {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dfd = require('danfojs-node') as typeof import('danfojs-node');
  const columns: Readonly<Record<string, Describe>> = isDescribe(described) ? { [name]: described } : described;
  const data: Record<string, number[]> = {};
  for (const [name, d] of Object.entries(columns)) data[name] = DESCRIBE_ROWS.map(([, field]) => d[field]);
  return new dfd.DataFrame(data, { index: DESCRIBE_ROWS.map(([label]) => label) }) as Frame;
}
