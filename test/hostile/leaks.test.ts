/**
 * Secrets, redirects, bidirectional text and special files (issue 15): a server that echoes the bearer token in
 * its error body never gets it onto stderr or into a file; a 3xx from the API is its own error; bidi controls
 * in posts are shown in HTML, not obeyed; devices and FIFOs given as input are refused, so nothing hangs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { histogramFigure } from '../../src/viz/figures.js';
import { escapeHtml, renderHtmlPage, sanitizeFigure } from '../../src/viz/html.js';
import { startFakeTwitter, type FakeTwitter, type InterceptAnswer } from '../sources/fakes/twitter.js';
import { classify, expectCleanError, runCli, Tally, tempDir } from './harness.js';
import { startScripted, type ScriptedServer } from './servers.js';

const tally = new Tally('leaks');
// A fake bearer token, built at run time so no token-shaped literal sits in the repository; it keeps the shape of
// a real one (the A-padding, an URL-encoded slash) so the redaction of raw and URL-encoded forms is exercised.
const TOKEN = ['A'.repeat(21), 'HostileLeak', 'Token', encodeURIComponent('/'), 'q8ZkP3x7Wm'].join('');
let root: string;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const httpsModule = require('node:https') as typeof https;
const originalAgent = httpsModule.globalAgent;

beforeAll(async () => {
  root = await tempDir('leaks');
});
afterAll(async () => {
  httpsModule.globalAgent = originalAgent;
  await tally.save();
  await fsp.rm(root, { recursive: true, force: true });
});

/** Every 10-character piece of the token, raw and URL-decoded: none may appear anywhere. */
function tokenPieces(): string[] {
  const pieces: string[] = [];
  for (const t of [TOKEN, decodeURIComponent(TOKEN)]) for (let i = 0; i + 10 <= t.length; i++) pieces.push(t.slice(i, i + 10));
  return pieces.filter((p) => !/^A+$/.test(p)); // runs of the leading A's are not secret-looking on their own
}

describe('the bearer token echoed by the server', () => {
  let fake: FakeTwitter;
  let answer: (p: string) => InterceptAnswer | undefined = () => undefined;
  beforeAll(async () => {
    fake = await startFakeTwitter({ token: TOKEN, users: { dana: '55' }, timelines: { '55': [] }, intercept: (p) => answer(p) });
    httpsModule.globalAgent = fake.agent;
    process.env['TWITTER_BEARER_TOKEN'] = TOKEN;
  });
  afterAll(async () => {
    delete process.env['TWITTER_BEARER_TOKEN'];
    httpsModule.globalAgent = originalAgent;
    await fake.close();
  });

  const echo = `Authorization: Bearer ${TOKEN}`;
  const long = `request rejected; we received ${'x'.repeat(60)} ${echo} and more`;
  it.each<[string, InterceptAnswer]>([
    ['401 whose detail repeats the header', { status: 401, body: { title: 'Unauthorized', detail: echo } }],
    ['500 whose message repeats the token URL-encoded', { status: 500, body: { title: 'Internal', message: encodeURIComponent(TOKEN) } }],
    ['400 whose detail would be cut through the token', { status: 400, body: { title: 'Invalid Request', detail: long } }],
    ['403 whose title is the raw token', { status: 403, body: { title: TOKEN } }],
    ['200 with an errors array repeating the token', { status: 200, body: { errors: [{ title: 'Not Found Error', detail: `${long} ${TOKEN}` }] } }],
  ])('%s: no piece of the token on stderr, stdout or in a file', async (_n, a) => {
    answer = (p) => (p.includes('/users/by/username/') ? a : undefined);
    const dir = await fsp.mkdtemp(path.join(root, 'echo-'));
    const out = path.join(dir, 'posts.csv');
    const res = await runCli(['fetch', 'twitter', 'dana', '--out', out, '--no-wait']);
    tally.record('secrets and redirects', classify(res, { noFiles: [out], noTempIn: [dir] }).outcome);
    expectCleanError(res, { mentions: ['Twitter API'], noFiles: [out], noTempIn: [dir] });
    const seen = res.err + res.out + (await fsp.readdir(dir)).join(' ');
    for (const piece of tokenPieces()) expect(seen, piece).not.toContain(piece);
  });

  it.each([
    ['the user lookup', '/users/by/username/'],
    ['the timeline', '/tweets'],
  ])('a 302 on %s is reported as a redirect, not as "not found"', async (_n, where) => {
    answer = (p) => (p.includes(where) ? { status: 302, body: {}, headers: { location: 'https://login.example.com/sso' } } : undefined);
    const dir = await fsp.mkdtemp(path.join(root, 'redirect-'));
    const out = path.join(dir, 'posts.csv');
    const res = await runCli(['fetch', 'twitter', 'dana', '--out', out, '--no-wait']);
    tally.record('secrets and redirects', classify(res, { noFiles: [out], noTempIn: [dir] }).outcome);
    expectCleanError(res, { mentions: ['Twitter API', 'redirect', 'login.example.com'], noFiles: [out], noTempIn: [dir] });
    expect(res.err).not.toMatch(/not found/);
  });
});

describe('a redirect from the Bluesky or Mastodon API', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScripted(() => ({ status: 302, body: '', headers: { location: 'http://127.0.0.1:9/elsewhere?x=1' } }));
  });
  afterAll(() => server.close());
  it.each([
    ['Bluesky', () => ['fetch', 'bluesky', 'alice.test', '--appview', server.url]],
    ['Mastodon', () => ['fetch', 'mastodon', 'frank', '--instance', server.url]],
  ])('%s: reported as a redirect and not followed', async (service, argv) => {
    const dir = await fsp.mkdtemp(path.join(root, 'redirect-'));
    const out = path.join(dir, 'posts.csv');
    const hits = server.hits();
    const res = await runCli([...argv(), '--out', out, '--no-wait']);
    tally.record('secrets and redirects', classify(res, { noFiles: [out], noTempIn: [dir] }).outcome);
    expectCleanError(res, { mentions: [service, 'HTTP 302', 'redirect to 127.0.0.1:9', 'not followed'], noFiles: [out], noTempIn: [dir] });
    expect(server.hits()).toBe(hits + 1);
  });
});

describe('bidirectional controls are shown, not obeyed', () => {
  const CONTROLS = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F'];
  const post = (c: string) => `pay ${c}0001$ to alice`;
  it('in escaped text, pages and figures', () => {
    const page = renderHtmlPage({ title: post('\u202E'), sections: [{ heading: post('\u2067'), blocks: [{ text: post('\u202D') }, { table: [{ post: post('\u200F') }] }] }] });
    const figure = JSON.stringify(sanitizeFigure(histogramFigure(CONTROLS.map((_c, i) => i), { title: post('\u202E') })));
    for (const html of [...CONTROLS.map((c) => escapeHtml(post(c))), page, figure]) {
      expect(html).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F]/);
    }
    expect(escapeHtml(post('\u202E'))).toBe('pay [U+202E]0001$ to alice');
    tally.record('bidi text in HTML', 'handled');
  });
});

describe('devices and FIFOs as input are refused at once', () => {
  let fifo: string;
  beforeAll(async () => {
    fifo = path.join(root, 'posts.csv');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  });
  it.each<[string, () => string[]]>([
    ['stats --input /dev/zero', () => ['stats', '--input', '/dev/zero']],
    ['stats --input /dev/urandom', () => ['stats', '--input', '/dev/urandom']],
    ['stats --input a FIFO', () => ['stats', '--input', fifo]],
    ['clean --input a FIFO', () => ['clean', '--input', fifo, '--out', path.join(root, 'clean.csv')]],
    ['fetch csv /dev/zero', () => ['fetch', 'csv', '/dev/zero', '--out', path.join(root, 'fetched.csv')]],
    ['fetch archive of a FIFO', () => ['fetch', 'archive', fifo, '--out', path.join(root, 'archive.csv')]],
    ['dataset --input /dev/zero', () => ['dataset', '--input', '/dev/zero', '--seq-length', '2']],
    ['kmeans --input /dev/zero', () => ['kmeans', '--input', '/dev/zero']],
  ])('%s', async (_n, argv) => {
    const res = await runCli(argv());
    tally.record('devices and FIFOs', classify(res).outcome);
    expectCleanError(res, { mentions: [/\/dev\/(zero|urandom)|posts\.csv/, /device|FIFO/] });
    for (const f of ['clean.csv', 'fetched.csv', 'archive.csv']) expect(existsSync(path.join(root, f))).toBe(false);
  });
});

describe('README table', () => {
  it('test/README.md counts these cases as observed', () => {
    expect([...tally.counts.values()].every((c) => c.crash === 0)).toBe(true);
    tally.expectReadmeMatches();
  });
});
