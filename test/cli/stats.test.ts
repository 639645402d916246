import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { FEED_CSV, captureIO, tempDir } from './helpers.js';

describe('tweetlab stats', () => {
  it('--json gives describe() of chars and words with pandas keys', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'feed.csv');
    await fsp.writeFile(file, 'id,text\n1,"газ нефть уголь"\n2,"a b"\n3,"🔥 x"\n4,"один два три четыре"\n');
    const io = captureIO();
    expect(await main(['stats', '--input', file, '--json'], io)).toBe(0);
    const json = JSON.parse(io.stdout.join('\n'));
    expect(Object.keys(json)).toEqual(['chars', 'words']);
    expect(Object.keys(json.words)).toEqual(['count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max']);
    // words per post: 3, 2, 2, 4 → sorted 2 2 3 4
    expect(json.words).toMatchObject({ count: 4, mean: 2.75, min: 2, '25%': 2, '50%': 2.5, '75%': 3.25, max: 4 });
    // chars per post (code points): 15, 3, 3, 19
    expect(json.chars).toMatchObject({ count: 4, min: 3, max: 19, '50%': 9 });
  });

  it('prints both tables as pandas-like text', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'feed.csv');
    await fsp.writeFile(file, FEED_CSV);
    const io = captureIO();
    expect(await main(['stats', '--input', file], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/^4 posts from /);
    expect(text).toMatch(/Name: chars, dtype: float64/);
    expect(text).toMatch(/Name: words, dtype: float64/);
    expect(text).toMatch(/^count\s+4\.000000$/m);
  });

  it('reads another text column', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'feed.csv');
    await fsp.writeFile(file, 'id,body\n1,"a b c"\n');
    const io = captureIO();
    expect(await main(['stats', '--input', file, '--text-column', 'body', '--json'], io)).toBe(0);
    expect(JSON.parse(io.stdout.join('')).words.std).toBeNull();
  });

  it('fails with one line on a missing file, a missing column, malformed CSV and bad flags', async () => {
    const dir = await tempDir();
    const cases: [string[], RegExp, number][] = [
      [['stats', '--input', path.join(dir, 'nope.csv')], /^tweetlab stats: Input posts file not found: .*nope\.csv$/, 1],
      [['stats', '--input', path.join(dir, 'feed.csv'), '--text-column', 'body'], /body/, 1],
      [['stats', '--input', path.join(dir, 'bad.csv')], /line 3/, 1],
      [['stats', '--bogus'], /^tweetlab stats: .*bogus/, 2],
      [['stats', 'extra'], /unexpected argument "extra"/, 2],
    ];
    await fsp.writeFile(path.join(dir, 'feed.csv'), FEED_CSV);
    await fsp.writeFile(path.join(dir, 'bad.csv'), 'id,text\n1,"ok"\n2,"unterminated\n');
    for (const [argv, message, code] of cases) {
      const io = captureIO();
      expect(await main(argv, io), argv.join(' ')).toBe(code);
      expect(io.stderr, argv.join(' ')).toHaveLength(1);
      expect(io.stderr[0]).toMatch(message);
      expect(io.stderr[0]).not.toMatch(/\n|at .*\.ts:\d+/);
    }
  });
});

describe('tweetlab stats without --input', () => {
  it('describes the default corpus', async () => {
    const io = captureIO();
    expect(await main(['stats', '--json'], io)).toBe(0);
    const json = JSON.parse(io.stdout.join('\n'));
    expect(json.chars.count).toBeGreaterThan(100);
    expect(json.words.count).toBe(json.chars.count);
    expect(json.chars.max).toBeLessThanOrEqual(280); // sentences of at most 280 characters
  });
});
