import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveDateToIso, parseArchiveText, readArchive } from '../../src/sources/archive.js';
import { loadCorpus } from '../../src/sources/index.js';

let dir: string;

function tweet(id: string, text: string, created: string, extra: Record<string, unknown> = {}) {
  return { tweet: { id_str: id, id, full_text: text, created_at: created, favorite_count: '0', ...extra } };
}

const PART0 = `window.YTD.tweets.part0 = ${JSON.stringify(
  [
    tweet('1001', 'first &amp; oldest', 'Mon Jan 04 10:00:00 +0000 2021'),
    tweet('1003', 'a reply', 'Wed Jan 06 10:00:00 +0000 2021', { in_reply_to_status_id_str: '77' }),
    tweet('1002', 'second, with "quotes"\nand a newline', 'Tue Jan 05 10:00:00 +0000 2021'),
    tweet('1004', 'RT @someone: not mine', 'Thu Jan 07 10:00:00 +0000 2021'),
  ],
  null,
  2,
)}`;
const PART1 = `window.YTD.tweets.part1 = ${JSON.stringify([tweet('1005', 'from the split part', 'Fri Jan 08 23:30:00 +0200 2021')])};\n`;

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-archive-'));
  await fsp.mkdir(path.join(dir, 'arch', 'data'), { recursive: true });
  await fsp.writeFile(path.join(dir, 'arch', 'data', 'tweets.js'), PART0);
  await fsp.writeFile(path.join(dir, 'arch', 'data', 'tweets-part1.js'), PART1);
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('Twitter archive tweets.js', () => {
  it('converts archive dates to ISO, honouring the zone offset', () => {
    expect(archiveDateToIso('Wed Oct 10 20:19:24 +0000 2018')).toBe('2018-10-10T20:19:24.000Z');
    expect(archiveDateToIso('Fri Jan 08 23:30:00 +0200 2021')).toBe('2021-01-08T21:30:00.000Z');
    expect(archiveDateToIso('not a date')).toBeUndefined();
  });

  it('reads full_text, id_str and dates, leaving replies and retweets out by default', () => {
    const posts = parseArchiveText(PART0, 'tweets.js');
    expect(posts).toEqual([
      { id: '1001', text: 'first &amp; oldest', createdAt: '2021-01-04T10:00:00.000Z' },
      { id: '1002', text: 'second, with "quotes"\nand a newline', createdAt: '2021-01-05T10:00:00.000Z' },
    ]);
    const all = parseArchiveText(PART0, 'tweets.js', { excludeReplies: false, excludeRetweets: false });
    expect(all.map((p) => p.id)).toEqual(['1001', '1003', '1002', '1004']);
  });

  it('accepts the older tweet.js form without the {"tweet": …} wrapper', () => {
    const old = `window.YTD.tweet.part0 = [{"id_str": "5", "full_text": "old style", "created_at": "Sat Jan 02 00:00:00 +0000 2016"}]`;
    expect(parseArchiveText(old, 'tweet.js')).toEqual([{ id: '5', text: 'old style', createdAt: '2016-01-02T00:00:00.000Z' }]);
  });

  it('reads split parts and archive folders, newest first', async () => {
    const viaFile = await readArchive(path.join(dir, 'arch', 'data', 'tweets.js'));
    expect(viaFile.posts.map((p) => p.id)).toEqual(['1005', '1002', '1001']);
    expect(viaFile.source.kind).toBe('archive');
    const viaDir = await readArchive(path.join(dir, 'arch'));
    expect(viaDir.posts.map((p) => p.id)).toEqual(['1005', '1002', '1001']);
    const onlyGiven = await readArchive([path.join(dir, 'arch', 'data', 'tweets.js')], { includeSplitParts: false });
    expect(onlyGiven.posts.map((p) => p.id)).toEqual(['1002', '1001']);
    const viaLoad = await loadCorpus({ input: path.join(dir, 'arch', 'data', 'tweets.js') });
    expect(viaLoad.posts).toHaveLength(3);
  });

  it('names the file for a wrong prefix, truncated JSON and missing fields', async () => {
    expect(() => parseArchiveText('var x = [];', 'data/tweets.js')).toThrow(
      'data/tweets.js: not a Twitter archive tweets file (expected it to start with "window.YTD.tweets.part0 = [", found "var x = [];")',
    );
    expect(() => parseArchiveText(PART0.slice(0, 200), 'data/tweets.js')).toThrow(/^data\/tweets\.js: the archive's JSON is truncated \(the file ends too early\)/);
    expect(() => parseArchiveText('window.YTD.tweets.part0 = [ {"tweet": {"id_str": "1", "full_text": "x"}}, }', 'p.js')).toThrow(
      /^p\.js: the archive's JSON is malformed/,
    );
    expect(() => parseArchiveText('window.YTD.tweets.part0 = [\n{"tweet": {"id_str": "1", "full_text": "x"}}\n{"tweet": {}}]', 'q.js')).toThrow(
      /^q\.js: the archive's JSON is malformed at line 3, column 1$/,
    );
    expect(() => parseArchiveText('window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "full_text": "x"}', 'r.js')).toThrow(
      /^r\.js: the archive's JSON is truncated/,
    );
    expect(() => parseArchiveText('window.YTD.tweets.part0 = [{"tweet": {"id_str": "1"}}]', 'p.js')).toThrow('p.js: item 1 has no full_text');
    await expect(readArchive(path.join(dir, 'missing.js'))).rejects.toThrow(/^Input archive file not found: /);
    await expect(readArchive(dir)).rejects.toThrow(/no data\/tweets\.js in this folder/);
  });
});
