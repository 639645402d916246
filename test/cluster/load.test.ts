import { promises as fsp } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadSongsCsv, loadSongs, resolveSongsCsv } from '../../src/cluster/index.js';
import { SONGS_CSV } from './songs.js';

const SMALL_CSV = 'name,artist_top_genre,popularity,energy\r\nA,afropop,10,0.5\r\nB,afro dancehall,0,0.7\r\n';

/** A fake file server on 127.0.0.1: /songs.csv, /missing (404) and /html (a page that is not the table). */
let server: http.Server;
let base: string;
let hits: string[] = [];
let dir: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/songs.csv') {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(SMALL_CSV);
    } else if (req.url === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>rate limited</body></html>\n');
    } else {
      res.writeHead(404, 'Not Found');
      res.end('nope');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-songs-'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('finding and caching the songs file', () => {
  it('prefers --input, then NIGERIAN_SONGS_CSV, without touching the network', async () => {
    hits = [];
    expect(await resolveSongsCsv({ input: 'x.csv', env: { NIGERIAN_SONGS_CSV: 'y.csv' }, url: `${base}/songs.csv` })).toEqual({
      path: 'x.csv',
      origin: 'input',
    });
    expect(await resolveSongsCsv({ env: { NIGERIAN_SONGS_CSV: 'y.csv' }, url: `${base}/songs.csv` })).toEqual({
      path: 'y.csv',
      origin: 'env',
    });
    expect(hits).toEqual([]);
  });

  it('downloads once into the data folder, then reads the cache', async () => {
    hits = [];
    const dataDir = path.join(dir, 'data');
    const announced: string[] = [];
    const first = await loadSongs({ env: {}, dataDir, url: `${base}/songs.csv`, onDownload: (u) => announced.push(u) });
    expect(first.origin).toBe('download');
    expect(first.rows).toHaveLength(2);
    expect(announced).toEqual([`${base}/songs.csv`]);
    expect(await fsp.readFile(path.join(dataDir, 'nigerian-songs.csv'), 'utf8')).toBe(SMALL_CSV);
    const second = await loadSongs({ env: {}, dataDir, url: `${base}/songs.csv` });
    expect(second.origin).toBe('cache');
    expect(second.rows).toEqual(first.rows);
    expect(hits).toEqual(['/songs.csv']);
    // no temp files left behind by the atomic write
    expect(await fsp.readdir(dataDir)).toEqual(['nigerian-songs.csv']);
  });

  it('an HTTP error or a page that is not the table is an error and caches nothing', async () => {
    const dataDir = path.join(dir, 'empty');
    await expect(resolveSongsCsv({ env: {}, dataDir, url: `${base}/missing` })).rejects.toThrow(
      /Cannot download http:\/\/127\.0\.0\.1:\d+\/missing: HTTP 404 Not Found/,
    );
    await expect(downloadSongsCsv(path.join(dataDir, 'x.csv'), { url: `${base}/html` })).rejects.toThrow(
      /is not the songs table \(no "artist_top_genre" column\)/,
    );
    await expect(fsp.readdir(dataDir)).rejects.toThrow(); // folder never created
  });

  it('offline: one line naming NIGERIAN_SONGS_CSV and the full path where the file is expected', async () => {
    const dataDir = path.join(dir, 'offline');
    const err = await resolveSongsCsv({
      env: {},
      dataDir,
      fetch: async () => Promise.reject(new TypeError('fetch failed')),
    }).then(
      () => new Error('expected a failure'),
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('TweetlabError');
    expect(err.message).toBe(
      `No songs file, and the download failed (Cannot download https://raw.githubusercontent.com/microsoft/ML-For-Beginners/main/5-Clustering/data/nigerian-songs.csv: fetch failed): ` +
        `set NIGERIAN_SONGS_CSV to a copy of nigerian-songs.csv, or put it at ${path.join(dataDir, 'nigerian-songs.csv')}`,
    );
  });

  it('uses an injected fetch when given one, and can refuse to download', async () => {
    const dataDir = path.join(dir, 'injected');
    const asked: string[] = [];
    const source = await resolveSongsCsv({
      env: {},
      dataDir,
      url: 'https://example.invalid/songs.csv',
      fetch: async (u) => {
        asked.push(u);
        return { ok: true, status: 200, text: async () => SMALL_CSV };
      },
    });
    expect(source.origin).toBe('download');
    expect(asked).toEqual(['https://example.invalid/songs.csv']);
    await expect(resolveSongsCsv({ env: {}, dataDir: path.join(dir, 'none'), allowDownload: false })).rejects.toThrow(
      /No songs file: give --input, set NIGERIAN_SONGS_CSV/,
    );
  });

  it('reads the shared copy of the real file (530 songs)', async () => {
    const t = await loadSongs({ input: SONGS_CSV });
    expect(t.rows).toHaveLength(530);
    expect(t.origin).toBe('input');
  });
});
