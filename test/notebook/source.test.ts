import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSourceCorpus, sourceCachePath, type SourceSpec } from '../../src/notebook/source.js';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-nb-source-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('loadSourceCorpus', () => {
  it('reads the default corpus offline', async () => {
    const loaded = await loadSourceCorpus({ kind: 'default' });
    expect(loaded.corpus.source.kind).toBe('default');
    expect(loaded.corpus.posts.length).toBeGreaterThan(100);
    expect(loaded.file).toBeUndefined();
    expect(loaded.note).toMatch(/^default corpus: .*\d+ posts$/);
  });

  it('reads a CSV with a chosen text column', async () => {
    const file = path.join(dir, 'posts.csv');
    await fsp.writeFile(file, 'id,body\n1,first post here\n2,"second, with a comma"\n');
    const loaded = await loadSourceCorpus({ kind: 'csv', path: file, textColumn: 'body' });
    expect(loaded.corpus.posts.map((p) => p.text)).toEqual(['first post here', 'second, with a comma']);
    expect(loaded.note).toBe(`2 posts read from ${file}`);
  });

  it('reads a network source from its cache file without fetching', async () => {
    const spec: SourceSpec = { kind: 'twitter', user: '@some_user' };
    const cache = sourceCachePath(spec, dir)!;
    expect(cache).toBe(path.join(dir, 'twitter-some_user.csv'));
    await fsp.writeFile(cache, 'id,created_at,text\n10,2020-05-01T00:00:00Z,cached post\n');
    const saved = process.env.TWITTER_BEARER_TOKEN;
    delete process.env.TWITTER_BEARER_TOKEN; // a fetch would fail without it: proves none happens
    try {
      const loaded = await loadSourceCorpus(spec, { dataDir: dir });
      expect(loaded.corpus.posts.map((p) => p.text)).toEqual(['cached post']);
      expect(loaded.fetch).toBeUndefined();
      expect(loaded.note).toMatch(/fetched earlier/);
    } finally {
      if (saved !== undefined) process.env.TWITTER_BEARER_TOKEN = saved;
    }
  });

  it('names cache files after the account, safely', () => {
    expect(sourceCachePath({ kind: 'bluesky', handle: 'nasa.gov' }, 'data')).toBe(path.join('data', 'bluesky-nasa.gov.csv'));
    expect(sourceCachePath({ kind: 'mastodon', handle: '@a@b.social' }, 'd')).toBe(path.join('d', 'mastodon-a_b.social.csv'));
    expect(sourceCachePath({ kind: 'bluesky', handle: '../../etc' }, 'd')).toBe(path.join('d', 'bluesky-.._.._etc.csv'));
    expect(sourceCachePath({ kind: 'twitter', user: 'x', out: 'mine.csv' })).toBe('mine.csv');
    expect(sourceCachePath({ kind: 'csv', path: 'p.csv' })).toBeUndefined();
  });

  it('rejects an unknown kind with one sentence', async () => {
    await expect(loadSourceCorpus({ kind: 'myspace' } as unknown as SourceSpec)).rejects.toThrow(
      /Unknown source kind "myspace"/,
    );
  });
});
