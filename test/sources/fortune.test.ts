import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readInputCorpus } from '../../src/cli/input.js';
import { loadCorpus } from '../../src/sources/index.js';
import { parseFortunes, readFortunes } from '../../src/sources/fortune.js';
import { isCorpusSpec, parseCorpusSpec } from '../../src/sources/spec.js';
import { sotuSizes } from '../../src/sources/sotu.js';
import { cleanPosts } from '../../src/text/clean.js';
import { buildVocabulary, tokenizeWords } from '../../src/text/tokenize.js';

// Invented entries in the format of Debian's fortunes-ru (no real fortunes are committed).
const TOPIC_A = [
  'Кот учёный ходит по цепи кругом,',
  'но цепь давно уже пластиковая.',
  '\t\t-- Выдуманный Автор',
  '%',
  '- Ты где?',
  '- Дома, пишу тесты.',
  '%',
  'Ёжик в тумане ищет Санкт-Петербург, а находит Ямало-Ненецкий округ.',
  '%',
  '',
  '%',
].join('\n');
const TOPIC_B = ['Вторая тема: ёлка зелёная.', '% ', 'Кот учёный ходит по цепи кругом,\nно цепь   давно уже пластиковая.', '%'].join('\r\n');

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-fortune-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('parseFortunes', () => {
  it('splits on lines holding only %, drops empty entries and the indented -- signature, keeps dialogue dashes', () => {
    expect(parseFortunes(TOPIC_A)).toEqual([
      'Кот учёный ходит по цепи кругом,\nно цепь давно уже пластиковая.',
      '- Ты где?\n- Дома, пишу тесты.',
      'Ёжик в тумане ищет Санкт-Петербург, а находит Ямало-Ненецкий округ.',
    ]);
    expect(parseFortunes(TOPIC_A, { keepAttribution: true })[0]).toBe('Кот учёный ходит по цепи кругом,\nно цепь давно уже пластиковая.\n\t\t-- Выдуманный Автор');
    // CRLF, a separator with a trailing blank, and no final separator.
    expect(parseFortunes(TOPIC_B)).toEqual(['Вторая тема: ёлка зелёная.', 'Кот учёный ходит по цепи кругом,\nно цепь   давно уже пластиковая.']);
    expect(parseFortunes('one\n%\ntwo')).toEqual(['one', 'two']);
    // A "--" that is not indented, or on the first line, is part of the text.
    expect(parseFortunes('-- not a signature\n%\nsay\n-- this too\n%')).toEqual(['-- not a signature', 'say\n-- this too']);
  });
});

describe('readFortunes', () => {
  it('reads a folder: sorted files, no .dat, hidden files or duplicate links, entries ≤ 280 characters, repeats kept once', async () => {
    await fsp.writeFile(path.join(dir, 'b-topic'), TOPIC_B);
    await fsp.writeFile(path.join(dir, 'a-topic'), TOPIC_A);
    await fsp.writeFile(path.join(dir, 'a-topic.dat'), Buffer.from([0, 0, 0, 2, 0xff, 0x00]));
    await fsp.writeFile(path.join(dir, '.hidden'), 'скрыто\n%\n');
    await fsp.symlink('a-topic', path.join(dir, 'a-topic.u8'));
    const long = 'я'.repeat(280);
    await fsp.writeFile(path.join(dir, 'c-lengths'), `${long}\n%\n${long}ю\n%\n${'😀'.repeat(280)}\n%\n`);
    const corpus = await readFortunes(dir);
    expect(corpus.source).toMatchObject({ kind: 'fortune', name: `fortune:${dir}` });
    expect(corpus.posts.map((p) => p.id)).toEqual(['a-topic-1', 'a-topic-2', 'a-topic-3', 'b-topic-1', 'c-lengths-1', 'c-lengths-3']);
    // b-topic's second entry repeats a-topic's first (whitespace aside): kept once, under its first id.
    expect(corpus.posts.every((p) => [...p.text].length <= 280)).toBe(true);
    expect(corpus.posts.some((p) => p.createdAt !== undefined)).toBe(false);
    expect((await readFortunes(dir, { maxChars: 40 })).posts.map((p) => p.id)).toEqual(['a-topic-2', 'b-topic-1']);
  });

  it('reads one file and other encodings when told', async () => {
    const file = path.join(dir, 'koi8');
    // "Привет\n%\nмир" in KOI8-R.
    await fsp.writeFile(file, Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4, 0x0a, 0x25, 0x0a, 0xcd, 0xc9, 0xd2]));
    expect((await readFortunes(file, { encoding: 'koi8-r' })).posts.map((p) => p.text)).toEqual(['Привет', 'мир']);
    await expect(readFortunes(file)).rejects.toThrow(`${file}: line 1: the fortune file is not UTF-8 (byte 0xF0 at offset 0); convert it (old Russian files are KOI8-R: iconv -f KOI8-R -t UTF-8) or give readFortunes its encoding`);
    await expect(readFortunes(file, { encoding: 'klingon' })).rejects.toThrow(`${file}: unknown text encoding "klingon"`);
  });

  it('fails with one line naming the path: missing, empty folder, no entries, all too long, binary', async () => {
    const missing = path.join(dir, 'nope');
    await expect(readFortunes(missing)).rejects.toThrow(`Fortune file or folder not found: ${missing}`);
    await expect(readFortunes(dir)).rejects.toThrow(`${dir}: the folder holds no fortune files`);
    const seps = path.join(dir, 'seps');
    await fsp.writeFile(seps, '%\n%\n\n%\n');
    await expect(readFortunes(seps)).rejects.toThrow(`${seps}: no fortune entries (entries are separated by lines holding only %)`);
    const long = path.join(dir, 'long');
    await fsp.writeFile(long, 'x'.repeat(300));
    await expect(readFortunes(long)).rejects.toThrow(`${long}: none of its 1 fortune entries has at most 280 characters`);
    const bin = path.join(dir, 'bin');
    await fsp.writeFile(bin, 'text\0more');
    await expect(readFortunes(bin)).rejects.toThrow(`${bin}: a binary file, not fortune text`);
    for (const e of await Promise.allSettled([readFortunes(missing), readFortunes(seps), readFortunes(bin)])) {
      expect(e.status === 'rejected' && !String((e.reason as Error).message).includes('\n')).toBe(true);
    }
  });

  it('keeps Cyrillic words through cleaning and tokenising', async () => {
    await fsp.writeFile(path.join(dir, 'a-topic'), TOPIC_A);
    const cleaned = cleanPosts((await readFortunes(dir)).posts);
    const vocab = buildVocabulary(cleaned.posts.map((p) => tokenizeWords(p.text)));
    expect(cleaned.posts.map((p) => p.text)).toEqual([
      'кот учёный ходит по цепи кругом но цепь давно уже пластиковая',
      'ты где дома пишу тесты',
      'ёжик в тумане ищет санкт-петербург а находит ямало-ненецкий округ',
    ]);
    expect(vocab.words).toContain('учёный');
    expect(vocab.words).toContain('санкт-петербург');
    expect(vocab.words.filter((w) => w !== '<unk>').every((w) => /^[а-яё-]+$/u.test(w))).toBe(true);
  });
});

describe('corpus specs', () => {
  it('parses sotu: and fortune: specs; anything else is a path', () => {
    expect(parseCorpusSpec('sotu:Harry S. Truman')).toEqual({ kind: 'sotu', president: 'Harry S. Truman' });
    expect(parseCorpusSpec('sotu:')).toEqual({ kind: 'sotu', president: 'Barack Obama' });
    expect(parseCorpusSpec('fortune:/usr/share/games/fortunes/ru')).toEqual({ kind: 'fortune', path: '/usr/share/games/fortunes/ru' });
    expect(parseCorpusSpec('./sotu:x.csv')).toEqual({ kind: 'file', path: './sotu:x.csv' });
    expect(isCorpusSpec('data/posts.csv')).toBe(false);
    expect(() => parseCorpusSpec('fortune:')).toThrow('fortune: give a fortune file or folder, e.g. fortune:/usr/share/games/fortunes/ru');
  });

  it('loads them through loadCorpus and the commands\' --input', async () => {
    await fsp.writeFile(path.join(dir, 'a-topic'), TOPIC_A);
    const viaLoad = await loadCorpus({ input: `fortune:${dir}` });
    expect(viaLoad.posts).toHaveLength(3);
    expect((await readInputCorpus(`fortune:${dir}`, undefined)).posts).toEqual(viaLoad.posts);
    const truman = await readInputCorpus('sotu:harry s. truman', undefined);
    expect(truman.source.name).toBe('sotu:Harry S Truman');
    const sizes = sotuSizes({ presidents: ['George W Bush', 'harry s truman'] });
    expect(sizes.map((s) => [s.president, s.posts])).toEqual([['Harry S Truman', truman.posts.length], ['George W Bush', expect.any(Number)]]);
    expect(sizes.every((s) => s.posts >= 2000 && s.words > 30_000)).toBe(true);
  });
});
