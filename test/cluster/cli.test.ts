import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/common.js';
import { SONGS_CSV } from './songs.js';

function sinks(): { io: CliIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false }, out, err };
}

async function run(args: string[]) {
  const s = sinks();
  const code = await main(['kmeans', ...args], s.io);
  return { code, out: s.out.join('\n'), err: s.err.join('\n') };
}

let dir: string;
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-kmeans-cli-'));
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('tweetlab kmeans', () => {
  it('--json gives the documented shape with the lesson’s results', async () => {
    const r = await run(['--input', SONGS_CSV, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual([
      'rows', 'sizes', 'centers', 'totWithinss', 'betweenss', 'totss', 'silhouette', 'accuracy', 'bestAccuracy', 'elbow',
    ]);
    expect(json.rows).toBe(286);
    expect([...json.sizes].sort((a: number, b: number) => a - b)).toEqual([65, 110, 111]);
    expect(json.centers).toHaveLength(3);
    expect(Object.keys(json.centers[0])).toEqual(['popularity', 'danceability', 'acousticness', 'loudness', 'energy']);
    expect(Math.abs(json.silhouette - 0.549)).toBeLessThanOrEqual(0.001);
    expect(json.betweenss + json.totWithinss).toBeCloseTo(json.totss, 6);
    expect(json.bestAccuracy).toBeGreaterThanOrEqual(json.accuracy);
    expect(json.elbow).toEqual([]);
  });

  it('--elbow adds the series, --scale changes the data, human output names the essentials', async () => {
    const j = JSON.parse((await run(['--input', SONGS_CSV, '--json', '--elbow', '1..4', '--nstart', '5'])).out);
    expect(j.elbow.map((p: { k: number }) => p.k)).toEqual([1, 2, 3, 4]);
    expect(j.elbow[0].totWithinss).toBeCloseTo(j.totss, 6);
    const scaled = JSON.parse((await run(['--input', SONGS_CSV, '--json', '--scale', '--nstart', '5'])).out);
    expect(scaled.totss).toBeCloseTo(285 * 5, 6);
    const human = await run(['--input', SONGS_CSV, '--elbow', '3', '--nstart', '5', '--k', '2']);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/^286 songs/);
    expect(human.out).toMatch(/tot\.withinss/);
    expect(human.out).toMatch(/mean silhouette 0\.\d{3}/);
    expect(human.out).toMatch(/best accuracy/);
    expect(human.out).toMatch(/\n\s*3\s+\d+\.\d{3}$/); // last elbow row, k = 3
  });

  it('k = 1 has no silhouette (null) and one cluster holding every song', async () => {
    const j = JSON.parse((await run(['--input', SONGS_CSV, '--json', '--k', '1'])).out);
    expect(j.sizes).toEqual([286]);
    expect(j.silhouette).toBeNull();
    expect(j.totWithinss).toBeCloseTo(j.totss, 9);
    expect(j.betweenss).toBe(0);
  });

  it('same seed, same output; --genres all keeps every genre', async () => {
    const a = await run(['--input', SONGS_CSV, '--json', '--seed', '7', '--nstart', '3']);
    const b = await run(['--input', SONGS_CSV, '--json', '--seed', '7', '--nstart', '3']);
    expect(a.out).toBe(b.out);
    const all = JSON.parse((await run(['--input', SONGS_CSV, '--json', '--genres', 'all', '--nstart', '3'])).out);
    expect(all.rows).toBeGreaterThan(286);
  });

  it('bad input → one clear line and a non-zero exit', async () => {
    const cases: [string[], RegExp, number][] = [
      [['--columns', 'popularity,nope'], /no column "nope" \(columns: name, album/, 1],
      [['--columns', 'popularity,artist'], /line \d+, column "artist": ".*" is not a number/, 1],
      [['--k', '300'], /k = 300 is larger than the 286 rows/, 1],
      [['--genres', 'polka'], /no rows left after filtering \(genres "polka", popularity ≠ 0\)/, 1],
      [['--elbow', 'x..y'], /--elbow must look like 1\.\.10/, 2],
      [['--k', 'three'], /--k must be a whole number/, 2],
    ];
    for (const [args, pattern, code] of cases) {
      const r = await run(['--input', SONGS_CSV, ...args]);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.err, args.join(' ')).toMatch(pattern);
      expect(r.err.split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.out).toBe('');
    }
  });

  it('a non-numeric cell is reported with its line and column', async () => {
    const file = path.join(dir, 'bad.csv');
    await fsp.writeFile(
      file,
      'artist_top_genre,popularity,energy\nafropop,10,0.5\nafropop,12,loud\nafropop,11,0.7\n',
    );
    const r = await run(['--input', file, '--genres', 'afropop', '--columns', 'popularity,energy', '--k', '2']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`tweetlab kmeans: ${file}: line 3, column "energy": "loud" is not a number`);
  });

  it('a missing input file is one line', async () => {
    const r = await run(['--input', path.join(dir, 'missing.csv')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not found: .*missing\.csv/);
  });
});
