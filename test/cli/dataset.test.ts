import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { captureIO, tempDir } from './helpers.js';

const CLEAN_CSV = [
  'id,created_at,text',
  '1,,газпром запустил новую станцию на ямале', // 6 words
  '2,,газпром и user обсудили проекты', // 5 words
  '3,,фоторепортаж', // 1 word
  '4,,итоги года добыча газа выросла', // 5 words
].join('\n');

describe('tweetlab dataset', () => {
  it('--json gives the sample counts of both variants', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'clean.csv');
    await fsp.writeFile(file, CLEAN_CSV);
    const io = captureIO();
    expect(await main(['dataset', '--input', file, '--seq-length', '4', '--json'], io)).toBe(0);
    const json = JSON.parse(io.stdout.join('\n'));
    expect(Object.keys(json)).toEqual(['posts', 'words', 'uniqueWords', 'seqLength', 'variant1', 'variant2']);
    expect(json).toEqual({
      posts: 4,
      words: 17,
      uniqueWords: 16, // газпром twice
      seqLength: 4,
      variant1: { samples: (6 - 4) + (5 - 4) + (5 - 4), excludedPosts: 1 },
      variant2: { samples: 17 - 4 },
    });
  });

  it('prints a human summary with the one-hot memory note', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'clean.csv');
    await fsp.writeFile(file, CLEAN_CSV);
    const io = captureIO();
    expect(await main(['dataset', '--input', file, '--seq-length', '2'], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/17 words, 16 unique words/);
    expect(text).toMatch(/Variant 1 \(split by post\): 10 samples; 1 post shorter than 3 words excluded/);
    expect(text).toMatch(/Variant 2 \(no split\):\s+15 samples/);
    expect(text).toMatch(/one-hot float32/);
  });

  it('fails clearly when seqLength is longer than every post', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'clean.csv');
    await fsp.writeFile(file, CLEAN_CSV);
    const io = captureIO();
    expect(await main(['dataset', '--input', file, '--seq-length', '6'], io)).toBe(1);
    expect(io.stderr).toEqual([
      'tweetlab dataset: seqLength 6 is longer than every post: variant 1 needs a post of at least 7 words, the longest has 6',
    ]);
  });

  it('fails clearly on an empty corpus', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'empty.csv');
    await fsp.writeFile(file, 'id,text\n1,""\n2,"  "\n');
    const io = captureIO();
    expect(await main(['dataset', '--input', file, '--seq-length', '2'], io)).toBe(1);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/empty\.csv: the corpus is empty/);
  });

  it('rejects bad flags', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'clean.csv');
    await fsp.writeFile(file, CLEAN_CSV);
    const cases: [string[], RegExp][] = [
      [['dataset', '--input', file], /--seq-length is required/],
      [['dataset', '--input', file, '--seq-length', 'ten'], /--seq-length must be a whole number, got "ten"/],
      [['dataset', '--input', file, '--seq-length', '0'], /--seq-length must be between 1 and/],
      [['dataset', '--input', file, '--seq-length', '3', '--bogus'], /bogus/],
    ];
    for (const [argv, message] of cases) {
      const io = captureIO();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderr).toHaveLength(1);
      expect(io.stderr[0]).toMatch(message);
    }
  });
});
