import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPostsCsv, parsePostsCsv, parsePostsJsonl, readPostsFile, writePostsCsv } from '../../src/sources/files.js';

describe('posts files', () => {
  it('round-trips posts through CSV with quoting, Cyrillic and emoji', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-files-'));
    const file = path.join(dir, 'posts.csv');
    const posts = [
      { id: '1', createdAt: '2020-05-01T10:00:00.000Z', text: 'Газпром, "отчёт"\nи 2019 год' },
      { id: '2', text: 'plain 😀' },
    ];
    await writePostsCsv(file, posts);
    const raw = await fsp.readFile(file, 'utf8');
    expect(raw.startsWith('id,created_at,text\r\n')).toBe(true);
    const corpus = await readPostsFile(file);
    expect(corpus.posts).toEqual(posts);
    expect(corpus.source.kind).toBe('csv');
  });

  it('uses a configurable text column and numbers rows when there is no id column', () => {
    const posts = parsePostsCsv('body,extra\nhello,1\nworld,2\n', 'x.csv', { textColumn: 'body' });
    expect(posts).toEqual([
      { id: '1', text: 'hello' },
      { id: '2', text: 'world' },
    ]);
    expect(() => parsePostsCsv('body\nhello\n', 'x.csv')).toThrow('x.csv: no column "text" (columns: body)');
  });

  it('reads JSON Lines and names the broken line', () => {
    const posts = parsePostsJsonl('{"id": 5, "text": "a"}\n\n{"text": "b", "created_at": "2021"}\n', 'p.jsonl');
    expect(posts).toEqual([
      { id: '5', text: 'a' },
      { id: '2', text: 'b', createdAt: '2021' },
    ]);
    expect(() => parsePostsJsonl('{"text": "a"}\n{oops\n', 'p.jsonl')).toThrow('p.jsonl: line 2: not valid JSON');
    expect(() => parsePostsJsonl('{"body": "a"}\n', 'p.jsonl')).toThrow('p.jsonl: line 1: field "text" is missing');
    expect(() => parsePostsJsonl('[1]\n', 'p.jsonl')).toThrow('p.jsonl: line 1: expected a JSON object');
  });

  it('formats an empty corpus as a header only', () => {
    expect(formatPostsCsv([])).toBe('id,created_at,text\r\n');
  });
});
