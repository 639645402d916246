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
    // R mode reports what R does: tot.withinss summed point by point (MacQueen's C loop) and totss by sum() in
    // long double differ in the last bits, so R's betweenss for k = 1 is -1.5e-10, not exactly 0.
    expect(Math.abs(j.betweenss)).toBeLessThan(1e-6);
    const own = JSON.parse((await run(['--input', SONGS_CSV, '--json', '--k', '1', '--rng', 'tweetlab'])).out);
    expect(own.betweenss).toBe(0);
  });

  it('--rng r (default) gives R’s numbers after set.seed(seed); --rng tweetlab keeps the partition, not the numbering', async () => {
    const r = JSON.parse((await run(['--input', SONGS_CSV, '--json', '--elbow', '1..10'])).out);
    const explicit = JSON.parse((await run(['--input', SONGS_CSV, '--json', '--elbow', '1..10', '--rng', 'r', '--seed', '2056'])).out);
    expect(explicit).toEqual(r);
    // R 4.2.2, set.seed(2056); kmeans(x, 3, nstart = 25): sizes in this order; then the elbow on the same stream.
    expect(r.sizes).toEqual([65, 111, 110]);
    expect(r.totWithinss).toBeCloseTo(12998.660252742311, 8);
    expect(r.elbow[9]).toEqual({ k: 10, totWithinss: expect.closeTo(2713.2714166053011, 8) });
    const own = JSON.parse((await run(['--input', SONGS_CSV, '--json', '--rng', 'tweetlab'])).out);
    expect([...own.sizes].sort((a: number, b: number) => a - b)).toEqual([65, 110, 111]);
    expect(own.totWithinss).toBeCloseTo(r.totWithinss, 8);
    const human = await run(['--input', SONGS_CSV, '--elbow', '3']);
    expect(human.out).toMatch(/R's random stream after set\.seed\(2056\)/);
    expect(human.out).toMatch(/final_kmeans +accuracy 0\.381 \(109 of 286\) on the elbow's own k = 3 fit, sizes 111, 110, 65/);
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
      [['--rng', 'mt'], /--rng must be "r" or "tweetlab", got "mt"/, 2],
      [['--seed', '3000000000'], /--seed must be between 0 and 2147483647/, 2], // R's set.seed takes 32-bit integers
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
