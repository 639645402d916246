/**
 * Bad command lines for every command, the k-means songs reader, and paths from inputs that try to leave
 * their folder (usernames with ../ or an absolute path, --out under a regular file). In-process via main().
 */
import { existsSync, mkdtempSync, promises as fsp, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, expectCleanError, runCli, Tally } from './harness.js';
import { TINY_TRAIN_FLAGS, tinyCorpusCsv } from './tiny.js';

const tally = new Tally('cli');
// Made at load time so the case names (built from the argv) can be computed when tests are collected.
const root = mkdtempSync(path.join(os.tmpdir(), 'tweetlab-hostile-cli-'));
const posts = path.join(root, 'posts.csv');
const blocker = path.join(root, 'a-file');
const tiny = path.join(root, 'tiny.csv');

beforeAll(async () => {
  await fsp.writeFile(posts, 'id,text\n1,one two three four\n2,five six seven eight\n');
  await fsp.writeFile(blocker, 'I am a file, not a folder');
  await fsp.writeFile(tiny, tinyCorpusCsv());
});
afterAll(async () => {
  await tally.save();
  await fsp.rm(root, { recursive: true, force: true });
});

interface FlagCase {
  argv: () => string[];
  mentions: (string | RegExp)[];
  /** Exit code, when it must be a particular one (2 = usage). */
  code?: number;
}

const P = () => posts;
const flagCases: FlagCase[] = [
  { argv: () => ['frobnicate'], mentions: ['unknown command "frobnicate"'], code: 2 },
  { argv: () => ['--no-such-flag'], mentions: ['unknown command'], code: 2 },
  { argv: () => ['stats', '--input'], mentions: ['stats', '--input'], code: 2 },
  { argv: () => ['stats', '--inptu', P()], mentions: ['stats', 'inptu'], code: 2 },
  { argv: () => ['stats', P()], mentions: ['unexpected argument'], code: 2 },
  { argv: () => ['stats', '--input', P(), '--json=yes'], mentions: ['stats', 'json'], code: 2 },
  { argv: () => ['clean', '--input', P()], mentions: ['--out is required'], code: 2 },
  { argv: () => ['clean', '--input', P(), '--out', path.join(root, 'c.csv'), '--disable', 'nope'], mentions: ['unknown rule "nope"'], code: 2 },
  { argv: () => ['clean', '--input', P(), '--out', ''], mentions: ['--out is required'], code: 2 },
  { argv: () => ['dataset', '--input', P()], mentions: ['--seq-length is required'], code: 2 },
  { argv: () => ['dataset', '--input', P(), '--seq-length', 'ten'], mentions: ['--seq-length', 'whole number'], code: 2 },
  { argv: () => ['dataset', '--input', P(), '--seq-length', '0'], mentions: ['--seq-length', 'between'], code: 2 },
  { argv: () => ['dataset', '--input', P(), '--seq-length', '-3'], mentions: ['--seq-length'], code: 2 },
  { argv: () => ['dataset', '--input', P(), '--seq-length', '1e3'], mentions: ['--seq-length', 'whole number'], code: 2 },
  { argv: () => ['dataset', '--input', P(), '--seq-length', '99999999999999999999'], mentions: ['--seq-length'], code: 2 },
  { argv: () => ['dataset', '--input', P(), '--seq-length', '50'], mentions: ['longer than every post'] },
  { argv: () => ['fetch'], mentions: ['say what to fetch'], code: 2 },
  { argv: () => ['fetch', 'myspace', 'tom'], mentions: ['unknown kind "myspace"'], code: 2 },
  { argv: () => ['fetch', 'bluesky'], mentions: ['exactly one'], code: 2 },
  { argv: () => ['fetch', 'bluesky', 'a.test', 'b.test'], mentions: ['exactly one'], code: 2 },
  { argv: () => ['fetch', 'bluesky', 'not a handle!'], mentions: ['not a Bluesky handle'], code: 2 },
  { argv: () => ['fetch', 'mastodon', 'nobody'], mentions: ['no instance'], code: 2 },
  { argv: () => ['fetch', 'mastodon', 'x@bad host'], mentions: ['not an instance host name'], code: 2 },
  { argv: () => ['fetch', 'twitter', 'this_name_is_far_too_long'], mentions: ['not a Twitter username'] },
  { argv: () => ['fetch', 'csv', P()], mentions: ['--out is required'], code: 2 },
  { argv: () => ['fetch', 'csv', P(), '--out', path.join(root, 'x.txt')], mentions: ['--out must be a .csv file'], code: 2 },
  { argv: () => ['fetch', 'csv', P(), '--out', path.join(root, 'o.csv'), '--max', '0'], mentions: ['--max'], code: 2 },
  { argv: () => ['fetch', 'bluesky', 'a.test', '--max-wait', '-1'], mentions: ['--max-wait'], code: 2 },
  { argv: () => ['fetch', 'archive'], mentions: ['give the tweets.js'], code: 2 },
  { argv: () => ['fetch', 'default', 'A', 'B'], mentions: ['at most one president'], code: 2 },
  { argv: () => ['fetch', 'default', 'Nobody Atall', '--out', path.join(root, 'sotu.csv')], mentions: ['Nobody Atall'] },
  { argv: () => ['kmeans', '--k', '0'], mentions: ['--k'], code: 2 },
  { argv: () => ['kmeans', '--nstart', 'many'], mentions: ['--nstart'], code: 2 },
  { argv: () => ['kmeans', '--rng', 'python'], mentions: ['--rng'], code: 2 },
  { argv: () => ['train', '--input', P(), '--out', path.join(root, 't')], mentions: ['--model-number'], code: 2 },
  { argv: () => ['train', '--input', P(), '--model-number', '5', '--out', path.join(root, 't')], mentions: ['--model-number'], code: 2 },
  { argv: () => ['train', '--input', P(), '--model-number', '1', '--preset', 'huge', '--out', path.join(root, 't')], mentions: ['--preset'], code: 2 },
  { argv: () => ['train', '--input', P(), '--model-number', '1', '--dataset', '2', '--out', path.join(root, 't')], mentions: ['disagree'], code: 2 },
  { argv: () => ['train', '--input', P(), '--model-number', '1', '--epochs', 'x', '--out', path.join(root, 't')], mentions: ['--epochs'], code: 2 },
  { argv: () => ['generate'], mentions: ['--model is required'], code: 2 },
  { argv: () => ['generate', '--model', path.join(root, 'none'), '--temperature', '-1'], mentions: ['--temperature'], code: 2 },
  { argv: () => ['generate', '--model', path.join(root, 'none'), '-n', 'lots'], mentions: ['--count'], code: 2 },
  { argv: () => ['run', '--preset', 'huge'], mentions: ['preset'], code: 2 },
  { argv: () => ['run', '--models', '1,9'], mentions: ['--models'], code: 2 },
  { argv: () => ['run', '--epochs', '-2'], mentions: ['--epochs'], code: 2 },
];

describe('bad command lines', () => {
  it.each(flagCases.map((c) => [c.argv().slice(0, 4).join(' ').replace(root, '<tmp>'), c] as const))('tweetlab %s', async (_n, c) => {
    const res = await runCli(c.argv());
    tally.record('command line', classify(res).outcome);
    expectCleanError(res, { mentions: c.mentions, noTempIn: [root] });
    if (c.code !== undefined) expect(res.code).toBe(c.code);
  });
});

describe('k-means songs reader', () => {
  const songs = (rows: string) => `name,artist,artist_top_genre,popularity,danceability,acousticness,loudness,energy\n${rows}`;
  const good = 'a,x,afropop,50,0.5,0.1,-5,0.7\nb,y,afropop,40,0.6,0.2,-6,0.6\nc,z,afro dancehall,30,0.7,0.3,-7,0.5\nd,w,nigerian pop,60,0.4,0.4,-4,0.8\n';
  const cases: { name: string; text: string | Buffer; flags?: string[]; mentions: (string | RegExp)[] }[] = [
    { name: 'missing file', text: '', mentions: ['not found'] },
    { name: 'no genre column', text: 'name,popularity\na,1\n', mentions: [/artist_top_genre|column/] },
    { name: 'a numeric column missing', text: songs(good).replace('energy', 'power'), mentions: ['energy'] },
    { name: 'a non-numeric value', text: songs(good.replace('0.5,0.1', 'high,0.1')), mentions: [/danceability|number|numeric|line/] },
    { name: 'zero rows', text: songs(''), mentions: [/no songs|rows|empty|no rows/] },
    { name: 'genre filter keeps nothing', text: songs(good), flags: ['--genres', 'polka'], mentions: [/polka|no songs|rows/] },
    { name: 'more clusters than songs', text: songs(good), flags: ['--k', '9', '--nstart', '1'], mentions: [/--k|cluster|songs|rows|distinct/] },
    { name: 'unbalanced quote', text: songs('"a,x,afropop,50,0.5,0.1,-5,0.7\n'), mentions: ['unbalanced quote'] },
    { name: 'not UTF-8', text: Buffer.concat([Buffer.from(songs('')), Buffer.from([0x61, 0xe9, 0x0a])]), mentions: ['not UTF-8'] },
    { name: 'unknown column in --columns', text: songs(good), flags: ['--columns', 'popularity,tempo'], mentions: ['tempo'] },
  ];
  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_n, c, i) => {
    const file = path.join(root, `songs-${i}.csv`);
    if (c.name !== 'missing file') await fsp.writeFile(file, c.text);
    const res = await runCli(['kmeans', '--input', file, ...(c.flags ?? [])]);
    tally.record('songs CSV (kmeans)', classify(res).outcome);
    expectCleanError(res, { mentions: c.mentions });
  });
});

describe('paths from inputs cannot escape their folder', () => {
  const escapes = ['../escape', '../../etc/evil', '/tmp/absolute', 'a/../../b', '..', 'dir\\..\\x', 'nul\u0000byte'];
  const kinds = ['bluesky', 'twitter', 'mastodon'] as const;
  const pairs: [string, (typeof kinds)[number]][] = kinds.flatMap((k) => escapes.map((u): [string, (typeof kinds)[number]] => [u, k]));
  it.each(pairs)(
    'username %j for %s',
    async (user, kind) => {
      const cwd = path.join(root, `cwd-${kind}-${Buffer.from(user).toString('hex')}`);
      await fsp.mkdir(cwd);
      const before = process.cwd();
      process.chdir(cwd); // default --out is data/<kind>-<user>.csv relative to here
      let res;
      try {
        res = await runCli(['fetch', kind, user, '--instance', 'http://127.0.0.1:9', '--appview', 'http://127.0.0.1:9']);
      } finally {
        process.chdir(before);
      }
      tally.record('paths from inputs', classify(res).outcome);
      expectCleanError(res, { mentions: [/not a (Bluesky handle|Twitter username|Mastodon handle)|cannot name the output file|instance/], noTempIn: [root] });
      expect(res.code).toBe(2);
      // Nothing was created anywhere: not in the working folder, not above it.
      expect(readdirSync(cwd)).toEqual([]);
      expect(existsSync(path.join(root, 'escape'))).toBe(false);
      expect(existsSync('/tmp/absolute')).toBe(false);
    },
  );

  it.each(escapes)('notebook source cache path for %j stays in the data folder', async (user) => {
    const { sourceCachePath } = await import('../../src/notebook/source.js');
    const data = path.join(root, 'nb-data');
    for (const spec of [{ kind: 'twitter' as const, user }, { kind: 'bluesky' as const, handle: user }, { kind: 'mastodon' as const, handle: user }]) {
      const file = path.resolve(sourceCachePath(spec, data) as string);
      expect(path.dirname(file), `${spec.kind} ${JSON.stringify(user)} → ${file}`).toBe(path.resolve(data));
      expect(path.basename(file)).toMatch(/^(twitter|bluesky|mastodon)-[A-Za-z0-9._-]+\.csv$/);
    }
    tally.record('paths from inputs', 'handled');
  });

  it.each<[string, (out: string) => string[]]>([
    ['clean', (out: string): string[] => ['clean', '--input', posts, '--out', out]],
    ['fetch csv', (out: string): string[] => ['fetch', 'csv', posts, '--out', out]],
    ['train', (out: string): string[] => ['train', '--input', tiny, '--model-number', '1', '--out', out.replace(/\.csv$/, ''), ...TINY_TRAIN_FLAGS, '--epochs', '1']],
  ])('--out under a regular file fails cleanly (%s)', async (_n, argv) => {
    const out = path.join(blocker, 'sub', 'out.csv');
    const res = await runCli(argv(out));
    tally.record('paths from inputs', classify(res).outcome);
    expectCleanError(res, { mentions: [/a-file/, /Cannot (create|write)|not a folder|ENOTDIR|folder/i], noTempIn: [root] });
    expect((await fsp.readFile(blocker, 'utf8')).startsWith('I am a file')).toBe(true);
  });
});

describe('the main job (tweetlab run) on bad input leaves no run folder', () => {
  const cases: { name: string; file: string; content: string | Buffer; mentions: (string | RegExp)[] }[] = [
    { name: 'unbalanced quote', file: 'q.csv', content: 'id,text\n1,"never closed\n', mentions: ['q.csv', 'unbalanced quote'] },
    { name: 'not UTF-8', file: 'w.csv', content: Buffer.from([0x69, 0x64, 0x2c, 0x74, 0x65, 0x78, 0x74, 0x0a, 0x31, 0x2c, 0xe9, 0x0a]), mentions: ['w.csv', 'not UTF-8'] },
    { name: 'empty file', file: 'e.csv', content: '', mentions: ['e.csv', 'empty'] },
    { name: 'header only', file: 'h.csv', content: 'id,text\n', mentions: ['h.csv', /no posts|empty/] },
    { name: 'every post is junk', file: 'j.csv', content: 'id,text\n1,https://t.co/abc\n2,😀🎉\n3,!!!\n', mentions: ['j.csv', 'empty after cleaning'] },
    { name: 'posts shorter than the window', file: 's.csv', content: 'id,text\n1,one two\n2,three four\n3,five six\n', mentions: [/seqLength|longer than every post/] },
    { name: 'broken JSONL line', file: 'b.jsonl', content: '{"text": "fine post here"}\n{"text": \n', mentions: ['b.jsonl', 'line 2'] },
    { name: 'truncated archive', file: 'tweets.js', content: 'window.YTD.tweets.part0 = [ {"tweet": {"id_str": "1", "full_te', mentions: ['tweets.js', /truncated|malformed/] },
    { name: 'missing input', file: 'missing.csv', content: '', mentions: ['missing.csv', 'not found'] },
  ];
  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_n, c, i) => {
    const dir = path.join(root, `run-${i}`);
    await fsp.mkdir(dir);
    const input = path.join(dir, c.file);
    if (c.name !== 'missing input') await fsp.writeFile(input, c.content);
    const out = path.join(dir, 'out');
    const res = await runCli(['run', '--quick', '--input', input, '--out', out, '--json']);
    tally.record('main job input (run)', classify(res, { noFiles: [out], noTempIn: [dir] }).outcome);
    expectCleanError(res, { mentions: c.mentions, noFiles: [out], noTempIn: [dir] });
    expect(res.out).toBe('');
  });
});

describe('README table', () => {
  it('test/README.md counts these cases as observed', () => {
    expect([...tally.counts.values()].every((c) => c.crash === 0)).toBe(true);
    tally.expectReadmeMatches();
  });
});
