/**
 * Hostile files through every file reader and the CLI commands that read them: CSV, JSON Lines, the Twitter
 * archive, and post contents that fight cleaning (links/emoji/mentions only, RTL, combining marks, joiners,
 * surrogate halves). Cases come from the seeded generator in corpus.ts; every one runs the real `main()`.
 */
import { existsSync, promises as fsp } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePostsCsv } from '../../src/sources/files.js';
import { archiveCases, contentCases, csvCases, jsonlCases, type FileCase } from './corpus.js';
import { classify, expectCleanError, expectHandled, runCli, Tally, tempDir } from './harness.js';

const tally = new Tally('files');
let root: string;
beforeAll(async () => {
  root = await tempDir('files');
});
afterAll(async () => {
  await tally.save();
  await fsp.rm(root, { recursive: true, force: true });
});

let caseNo = 0;
async function materialize(c: FileCase): Promise<{ dir: string; input: string; out: string }> {
  const dir = path.join(root, `case-${++caseNo}`);
  await fsp.mkdir(dir, { recursive: true });
  for (const [rel, content] of Object.entries(c.files)) {
    await fsp.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fsp.writeFile(path.join(dir, rel), content);
  }
  return { dir, input: path.join(dir, c.input), out: path.join(dir, 'out', 'saved.csv') };
}

/** The commands that read a posts file, rotated over the error cases so each reader meets every command. */
function readerCommands(input: string, out: string, flags: string[]): string[][] {
  return [
    ['stats', '--input', input, ...flags],
    ['clean', '--input', input, '--out', out, ...flags],
    ['dataset', '--input', input, '--seq-length', '2', ...flags],
    ['fetch', 'csv', input, '--out', out, ...flags],
  ];
}

async function runFileCase(c: FileCase, k: number): Promise<void> {
  const { dir, input, out } = await materialize(c);
  const flags = c.flags ?? [];
  const isArchive = c.reader.startsWith('archive');
  if (c.expect === 'error') {
    const argv = isArchive ? ['fetch', 'archive', input, '--out', out] : (readerCommands(input, out, flags)[k % 4] as string[]);
    const res = await runCli(argv);
    const exp = { mentions: [c.names ?? path.basename(input), ...(c.mentions ?? [])], noFiles: [out], noTempIn: [dir] };
    tally.record(c.reader, classify(res, exp).outcome);
    expectCleanError(res, exp);
    return;
  }
  const argv = ['fetch', isArchive ? 'archive' : 'csv', input, '--out', out, '--json', ...flags];
  const res = await runCli(argv);
  tally.record(c.reader, classify(res, { noTempIn: [dir] }).outcome);
  expectHandled(res, { noTempIn: [dir] });
  const saved = parsePostsCsv(await fsp.readFile(out, 'utf8'), out);
  expect(saved.map((p) => p.text).sort()).toEqual([...(c.texts ?? [])].sort());
  expect(new Set(saved.map((p) => p.id)).size).toBe(saved.length);
}

describe.each([
  ['CSV', csvCases()],
  ['JSONL', jsonlCases()],
  ['archive', archiveCases()],
])('%s reader', (_label, cases) => {
  it.each(cases.map((c, k) => [c.name, c, k] as const))('%s', async (_name, c, k) => {
    await runFileCase(c, k);
  });
});

describe('a 50 MB line', () => {
  // Generated in a temp folder at test time; never committed.
  it('is read in one piece (one 50 MB post), and a 50 MB line with an unclosed quote fails with its line', async () => {
    const dir = path.join(root, 'big');
    await fsp.mkdir(dir);
    const big = path.join(dir, 'big.csv');
    const word = 'слово word ';
    const body = word.repeat(Math.ceil((50 * 1024 * 1024) / Buffer.byteLength(word)));
    await fsp.writeFile(big, `id,text\n1,short post\n2,"${body}"\n3,last post\n`);
    const ok = await runCli(['stats', '--input', big, '--json']);
    tally.record('CSV file', classify(ok).outcome);
    expectHandled(ok);
    const stats = JSON.parse(ok.out) as { chars: { count: number; max: number } };
    expect(stats.chars.count).toBe(3);
    expect(stats.chars.max).toBe(body.length);

    const broken = path.join(dir, 'broken.csv');
    await fsp.writeFile(broken, `id,text\n1,short post\n2,"${body}\n3,last post\n`);
    const out = path.join(dir, 'out.csv');
    const bad = await runCli(['fetch', 'csv', broken, '--out', out]);
    const exp = { mentions: ['broken.csv', 'line 3', 'unbalanced quote'], noFiles: [out], noTempIn: [dir] };
    tally.record('CSV file', classify(bad, exp).outcome);
    expectCleanError(bad, exp);
  });
});

describe('post contents through clean and dataset', () => {
  it.each(contentCases().map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = path.join(root, `content-${++caseNo}`);
    await fsp.mkdir(dir);
    const input = path.join(dir, 'posts.jsonl');
    await fsp.writeFile(input, c.texts.map((t, i) => JSON.stringify({ id: String(i + 1), text: t })).join('\n'));
    const out = path.join(dir, 'clean.csv');
    const res = await runCli(['clean', '--input', input, '--out', out, '--json']);
    if (c.expect === 'error') {
      const exp = { mentions: ['posts.jsonl', 'empty after cleaning'], noFiles: [out], noTempIn: [dir] };
      tally.record(c.reader, classify(res, exp).outcome);
      expectCleanError(res, exp);
      return;
    }
    const ds = await runCli(['dataset', '--input', out, '--seq-length', '1', '--json']);
    // Both steps must be handled for the case to count as handled.
    const outcome = classify(res, { noTempIn: [dir] }).outcome === 'handled' ? classify(ds).outcome : 'crash';
    tally.record(c.reader, outcome);
    expectHandled(res, { noTempIn: [dir] });
    expectHandled(ds);
    const json = JSON.parse(res.out) as { kept: number; dropped: number };
    expect(json.dropped).toBe(c.dropped);
    const bytes = await fsp.readFile(out);
    expect(isUtf8(bytes)).toBe(true);
    const cleaned = parsePostsCsv(bytes.toString('utf8'), out).map((p) => p.text);
    expect(cleaned).toHaveLength(json.kept);
    const words = new Set(cleaned.join(' ').split(/\s+/));
    for (const w of c.keep ?? []) expect(words, `"${w}" in ${JSON.stringify(cleaned)}`).toContain(w);
    // No invisible or unpaired code units survive cleaning.
    for (const t of cleaned) {
      expect(t).not.toMatch(/[\u0000-\u001f\u200b-\u200f\u202a-\u202e\u2060\ufeff]/);
      expect(t).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
    expect(existsSync(out)).toBe(true);
  });
});

describe('README table', () => {
  it('test/README.md counts these cases as observed', () => {
    expect(tally.total()).toBeGreaterThan(150);
    expect([...tally.counts.values()].every((c) => c.crash === 0)).toBe(true);
    tally.expectReadmeMatches();
  });
});
