import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/sources/index.js';
import { loadSotuCorpus, sotuPresidents, splitSentences } from '../../src/sources/sotu.js';

describe('State of the Union default corpus', () => {
  it('gives a few thousand sentences of Barack Obama, each at most 280 characters, with unique ids', () => {
    const corpus = loadSotuCorpus();
    expect(corpus.source).toMatchObject({ kind: 'default', name: 'sotu:Barack Obama' });
    expect(corpus.posts.length).toBeGreaterThan(2500);
    expect(corpus.posts.length).toBeLessThan(3300);
    expect(corpus.posts.every((p) => [...p.text].length <= 280 && p.text.trim() === p.text && p.text !== '')).toBe(true);
    expect(new Set(corpus.posts.map((p) => p.id)).size).toBe(corpus.posts.length);
    expect(corpus.posts.every((p) => /^sotu-20(09|1[0-6])-\d+$/.test(p.id))).toBe(true);
    expect(corpus.posts[0]?.createdAt).toBe('2009-01-01T00:00:00.000Z');
    // No sentence is cut after "Mr." / "Mrs.".
    expect(corpus.posts.some((p) => /\b(Mr|Mrs)\.$/.test(p.text))).toBe(false);
  });

  it('is stable across loads and under a different length cap', () => {
    const a = loadSotuCorpus();
    const b = loadSotuCorpus();
    expect(b.posts).toEqual(a.posts);
    const short = loadSotuCorpus({ maxChars: 100 });
    const byId = new Map(a.posts.map((p) => [p.id, p.text]));
    expect(short.posts.length).toBeLessThan(a.posts.length);
    expect(short.posts.every((p) => byId.get(p.id) === p.text)).toBe(true);
  });

  it('chooses another president by name, case and dots ignored, and lists valid names for an unknown one', async () => {
    const lincoln = loadSotuCorpus({ president: 'abraham lincoln' });
    expect(lincoln.source.name).toBe('sotu:Abraham Lincoln');
    expect(lincoln.posts.length).toBeGreaterThan(100);
    expect(loadSotuCorpus({ president: 'Franklin D. Roosevelt' }).source.name).toBe('sotu:Franklin D Roosevelt');
    expect(sotuPresidents()).toContain('George Washington');
    expect(() => loadSotuCorpus({ president: 'Nobody Atall' })).toThrow(
      /^Unknown president "Nobody Atall" for the State of the Union corpus; valid names: George Washington, John Adams, .*Barack Obama/,
    );
    const viaLoad = await loadCorpus({ president: 'Abraham Lincoln' });
    expect(viaLoad.posts).toEqual(lincoln.posts);
  });

  it('splits sentences but not after titles and initials', () => {
    expect(splitSentences('Mr. Speaker, thank you.  We met Franklin D. Roosevelt today! Did we?\nYes.')).toEqual([
      'Mr. Speaker, thank you.',
      'We met Franklin D. Roosevelt today!',
      'Did we?',
      'Yes.',
    ]);
  });
});

describe('loadCorpus', () => {
  it('defaults to the SOTU corpus and reads CSV/JSONL files with a chosen text column', async () => {
    expect((await loadCorpus()).source.name).toBe('sotu:Barack Obama');
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-load-'));
    try {
      const csv = path.join(dir, 'p.csv');
      await fsp.writeFile(csv, 'id,body\n1,"hello, world"\n2,second\n');
      const fromCsv = await loadCorpus({ input: csv, textColumn: 'body' });
      expect(fromCsv.posts).toEqual([
        { id: '1', text: 'hello, world' },
        { id: '2', text: 'second' },
      ]);
      await expect(loadCorpus({ input: csv })).rejects.toThrow(/text/);
      const jsonl = path.join(dir, 'p.ndjson');
      await fsp.writeFile(jsonl, '{"id": 7, "content": "from jsonl"}\n');
      expect((await loadCorpus({ input: jsonl, textColumn: 'content' })).posts).toEqual([{ id: '7', text: 'from jsonl' }]);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('sentences after dotted abbreviations', () => {
  it('do not break after U.S., U.N. or D.C.', () => {
    expect(splitSentences('We make the U.S. economy stronger. The U.N. met in Washington, D.C. today.')).toEqual([
      'We make the U.S. economy stronger.',
      'The U.N. met in Washington, D.C. today.',
    ]);
  });
});
