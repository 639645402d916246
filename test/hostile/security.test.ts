/**
 * Security: post text is untrusted. Script, event-handler and javascript: payloads go through the whole main
 * job (`tweetlab run --quick` on a tiny corpus whose posts and file name carry them) and through every notebook
 * display helper; the HTML they export must hold none of them as markup (that Chromium opens no dialog when it
 * loads them is checked by test/e2e/security-browser.test.ts). The bearer token must not reach any output.
 * (Paths from usernames: cli.test.ts.)
 */
import { spawn } from 'node:child_process';
import { promises as fsp, readdirSync, statSync } from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotebookDisplay, type MimeBundle } from '../../src/viz/notebook.js';
import { makeTweets, startFakeTwitter, type FakeTwitter } from '../sources/fakes/twitter.js';
import { classify, runCli, Tally, tempDir } from './harness.js';
import { PAYLOADS, payloadCorpus, payloadDisplays, unsafeMarkup } from './payloads.js';

const tally = new Tally('security');
let root: string;
beforeAll(async () => {
  root = await tempDir('security');
});
afterAll(async () => {
  await tally.save();
  await fsp.rm(root, { recursive: true, force: true });
});

describe('the checks can fail (controls)', () => {
  it('unsafeMarkup finds each payload when it is not escaped', () => {
    for (const p of PAYLOADS.filter((x) => x.includes('<'))) expect(unsafeMarkup(`<html><body><p>${p}</p></body></html>`), p).not.toEqual([]);
    expect(unsafeMarkup('<script>var fig = {"t": "</script><script>alert(5)</script>"};</script>')).not.toEqual([]);
    expect(unsafeMarkup('<p>&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;svg onload=alert(4)&gt;</p>')).toEqual([]);
  });
});

describe('HTML outputs escape post text', () => {
  it('the main job (tweetlab run --quick) writes a report with no payload as markup', async () => {
    // The file name carries a payload too: it is shown in the report's source line.
    const dir = path.join(root, 'run');
    await fsp.mkdir(dir);
    const input = path.join(dir, '"><img src=x onerror=alert(13)>.csv');
    await fsp.writeFile(input, payloadCorpus());
    const res = await runCli(['run', '--quick', '--input', input, '--out', path.join(dir, 'out'), '--epochs', '1', '--json']);
    tally.record('HTML escaping', classify(res).outcome);
    expect(res.code, res.err).toBe(0);
    const json = JSON.parse(res.out) as { report: string; summary: string };
    const html = await fsp.readFile(json.report, 'utf8');
    // The raw posts are in the report (escaped), so the payloads really went through it.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('onerror=alert(13)');
    expect(unsafeMarkup(html)).toEqual([]);
  }, 120_000);

  it('every notebook display helper escapes what it shows', async () => {
    const { shown, page } = payloadDisplays();
    const htmls = shown.map((b) => b['text/html']).filter((h): h is string => typeof h === 'string');
    expect(htmls.length).toBeGreaterThan(10);
    for (const h of [...htmls, page]) expect(unsafeMarkup(h)).toEqual([]);
    // The plotly MIME part is data, rendered by JupyterLab's plotly renderer: its strings may hold the text,
    // but never as HTML that plotly would interpret (plotly renders a subset of tags in titles).
    for (const b of shown) {
      const fig = b['application/vnd.plotly.v1+json'];
      if (fig) expect(JSON.stringify(fig)).not.toMatch(/<(script|img|svg|iframe|a )/i);
    }
    tally.record('HTML escaping', 'handled');
  });
});

// ---------------------------------------------------------------- the bearer token

describe('the bearer token never reaches an output', () => {
  // Shaped like an app-only bearer token (a run of A's, then URL-encoded base64) so any leak is easy to spot.
  // It is a fake, built at run time so no token-looking literal sits in the repository.
  const TOKEN = `${'A'.repeat(21)}HostileTestToken%2FzYx9Kq3Lm0Pw7Rt5Vb1Nc`;
  let fake: FakeTwitter;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const httpsModule = require('node:https') as typeof https;
  const originalAgent = httpsModule.globalAgent;
  const streams: string[] = [];
  let dir: string;

  beforeAll(async () => {
    dir = path.join(root, 'token');
    await fsp.mkdir(dir);
    let failNext: number | undefined;
    fake = await startFakeTwitter({
      token: TOKEN,
      users: { dana: '55' },
      timelines: { '55': makeTweets(120).map((t, i) => (i % 9 === 0 ? { ...t, text: `${t.text} ${PAYLOADS[i % PAYLOADS.length]}` } : t)) },
      intercept: (p) => {
        if (failNext !== undefined && p.endsWith('/tweets')) {
          const status = failNext;
          failNext = undefined;
          return { status, body: { title: 'Error', detail: `echo of nothing secret (${status})` } };
        }
        return undefined;
      },
    });
    (fake as FakeTwitter & { failNext(s: number): void }).failNext = (s: number) => void (failNext = s);
    httpsModule.globalAgent = fake.agent;
  });
  afterAll(async () => {
    httpsModule.globalAgent = originalAgent;
    delete process.env['TWITTER_BEARER_TOKEN'];
    await fake.close();
  });

  it('fetch (success, 401, 403, 429, 500), run and the notebook helpers never print or save it', async () => {
    const out = path.join(dir, 'dana.csv');
    const failNext = (fake as FakeTwitter & { failNext(s: number): void }).failNext;
    process.env['TWITTER_BEARER_TOKEN'] = TOKEN;
    const ok = await runCli(['fetch', 'twitter', 'dana', '--out', out, '--json']);
    streams.push(ok.out, ok.err);
    expect(ok.code, ok.err).toBe(0);
    for (const status of [403, 429, 500, 503]) {
      failNext(status);
      const r = await runCli(['fetch', 'twitter', 'dana', '--out', path.join(dir, `fail-${status}.csv`), '--no-wait', '--json']);
      streams.push(r.out, r.err);
      expect(r.code).not.toBe(0);
    }
    // A wrong token: the server's 401 must not echo what was sent.
    process.env['TWITTER_BEARER_TOKEN'] = `${TOKEN}-wrong`;
    const bad = await runCli(['fetch', 'twitter', 'dana', '--out', path.join(dir, 'bad.csv')]);
    streams.push(bad.out, bad.err);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/401/);
    process.env['TWITTER_BEARER_TOKEN'] = TOKEN;
    // The whole main job on the fetched posts, with the token still in the environment.
    const run = await runCli(['run', '--quick', '--input', out, '--out', path.join(dir, 'runs'), '--epochs', '1', '--models', '1', '--json']);
    streams.push(run.out, run.err);
    expect(run.code, run.err).toBe(0);
    // The notebook helpers showing what a notebook would show: the corpus, the summary, the environment.
    const shown: MimeBundle[] = [];
    const nb = new NotebookDisplay({ show: (b) => void shown.push(b) });
    const { readPostsFile } = await import('../../src/sources/files.js');
    const corpus = await readPostsFile(out);
    nb.table(corpus.posts.slice(0, 20));
    const summary = JSON.parse(await fsp.readFile((JSON.parse(run.out) as { summary: string }).summary, 'utf8')) as object;
    nb.keyValues(summary);
    const { environmentInfo } = await import('../../src/notebook/environment.js');
    nb.keyValues(environmentInfo({ preset: 'quick' }));
    await fsp.writeFile(path.join(dir, 'notebook-outputs.json'), JSON.stringify(shown));

    const leaks: string[] = [];
    const fragments = [TOKEN, TOKEN.slice(20, 44), encodeURIComponent(TOKEN), decodeURIComponent(TOKEN)];
    const check = (what: string, text: string) => {
      for (const f of fragments) if (text.includes(f)) leaks.push(what);
    };
    streams.forEach((s, i) => check(`stream ${i}`, s));
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(path.join(d, n)).isDirectory() ? walk(path.join(d, n)) : [path.join(d, n)]));
    const files = walk(dir);
    expect(files.some((f) => f.endsWith('report.html'))).toBe(true);
    expect(files.some((f) => f.endsWith('summary.json'))).toBe(true);
    for (const f of files) check(f, (await fsp.readFile(f)).toString('latin1'));
    expect(leaks).toEqual([]);
    tally.record('bearer token', 'handled');
  }, 120_000);

  it('the built CLI in a child process, with TWEETLAB_DEBUG on, never prints it', async () => {
    const agent = fake.agent as unknown as { port: number; caCert: string };
    const preload = path.join(__dirname, 'fake-twitter-preload.cjs');
    const run = (args: string[], env: Record<string, string>) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, ['--require', preload, path.join(__dirname, '..', '..', 'dist', 'cli.js'), ...args], {
          env: { ...process.env, TWEETLAB_TEST_FAKE_TWITTER_PORT: String(agent.port), TWEETLAB_TEST_FAKE_TWITTER_CA: agent.caCert, ...env },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('close', (code) => resolve({ code, out, err }));
      });
    const out = path.join(dir, 'child.csv');
    const ok = await run(['fetch', 'twitter', 'dana', '--out', out, '--json'], { TWITTER_BEARER_TOKEN: TOKEN, TWEETLAB_DEBUG: '1' });
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ kind: 'twitter', total: 120 });
    const bad = await run(['fetch', 'twitter', 'dana', '--out', path.join(dir, 'child-bad.csv')], { TWITTER_BEARER_TOKEN: `${TOKEN}x`, TWEETLAB_DEBUG: '1' });
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    for (const s of [ok.out, ok.err, bad.out, bad.err, await fsp.readFile(out, 'utf8')]) expect(s).not.toContain(TOKEN.slice(20, 44));
    tally.record('bearer token', 'handled');
  }, 60_000);
});

describe('README table', () => {
  it('test/README.md counts these cases as observed', () => {
    expect([...tally.counts.values()].every((c) => c.crash === 0)).toBe(true);
    tally.expectReadmeMatches();
  });
});
