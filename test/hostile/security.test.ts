/**
 * Security: post text is untrusted. Script, event-handler and javascript: payloads go through the whole main
 * job (`tweetlab run --quick` on a tiny corpus whose posts and file name carry them) and through every notebook
 * display helper; the HTML they export must hold none of them as markup, and Chromium must open no dialog when
 * it loads them. The bearer token must not reach any output. (Paths from usernames: cli.test.ts.)
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fsp, readdirSync, statSync } from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotebookDisplay, type MimeBundle } from '../../src/viz/notebook.js';
import { renderHtmlPage } from '../../src/viz/html.js';
import { histogramFigure, lineChartFigure, barChartFigure } from '../../src/viz/figures.js';
import { makeTweets, startFakeTwitter, type FakeTwitter } from '../sources/fakes/twitter.js';
import { classify, runCli, Tally, tempDir } from './harness.js';

const tally = new Tally('security');
let root: string;
beforeAll(async () => {
  root = await tempDir('security');
});
afterAll(async () => {
  await tally.save();
  await fsp.rm(root, { recursive: true, force: true });
});

/** Each payload calls alert(<n>) if it ever runs; the browser test listens for any dialog. */
export const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '<a href="javascript:alert(3)">click me</a>',
  '"><svg onload=alert(4)>',
  '</script><script>alert(5)</script>',
  "javascript:alert(6)",
  "'-alert(7)-'",
  '<iframe src="javascript:alert(8)"></iframe>',
  '<body onload=alert(9)>',
  '{{constructor.constructor("alert(10)")()}}',
  '<style>@import "javascript:alert(11)";</style>',
  '<math><mi xlink:href="javascript:alert(12)">x</mi></math>',
];

/**
 * Static checks of exported HTML: no payload verbatim; outside <script>/<style> contents no dangerous element,
 * no on* attribute and no javascript: URL in any tag; no markup inside our own script blocks. (Whether
 * anything runs is the browser test's job.)
 */
export function unsafeMarkup(html: string): string[] {
  const problems: string[] = [];
  for (const p of PAYLOADS) if (p.includes('<') && html.includes(p)) problems.push(`payload verbatim: ${p}`);
  const scripts: string[] = [];
  const outside = html.replace(/<(script|style)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi, (_m, tag: string, body: string) => {
    if (tag.toLowerCase() === 'script') scripts.push(body);
    return `<${tag}></${tag}>`;
  });
  for (const body of scripts) {
    if (body.trimStart().startsWith('if (!window.Plotly)')) continue; // the inlined plotly.js bundle itself
    // Data inside a script (figure JSON) must hold no markup at all: a "<" before a letter, "/" or "!" could
    // close the script or open a tag; escaped text shows up as \u003c or &lt; instead.
    const m = /<[a-zA-Z/!]/.exec(body);
    if (m) problems.push(`markup inside a script block: ${body.slice(Math.max(0, m.index - 40), m.index + 40)}`);
  }
  for (const m of outside.matchAll(/<([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    const [tag, name, attrs] = m as unknown as [string, string, string];
    if (/^(img|svg|iframe|object|embed|math|base|form)$/i.test(name)) problems.push(`element <${name}>`);
    if (/\son\w+\s*=/i.test(attrs)) problems.push(`event handler attribute in ${tag}`);
    if (/=\s*["']?\s*javascript:/i.test(attrs)) problems.push(`javascript: URL in ${tag}`);
  }
  return problems;
}

/** A corpus whose every post carries a payload among ordinary words. */
function payloadCorpus(): string {
  const words = 'the cat sat on a mat and the dog ran to the park with a red ball while birds sang songs'.split(' ');
  let s = 'id,text\n';
  for (let i = 0; i < 90; i++) {
    const t = Array.from({ length: 6 + (i % 5) }, (_, j) => words[(i * 7 + j * 3) % words.length] as string);
    t.splice(1 + (i % 4), 0, PAYLOADS[i % PAYLOADS.length] as string);
    s += `${i + 1},"${t.join(' ').replace(/"/g, '""')}"\n`;
  }
  return s;
}

let reportFile = '';
let notebookPage = '';

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
    reportFile = json.report;
    const html = await fsp.readFile(json.report, 'utf8');
    // The raw posts are in the report (escaped), so the payloads really went through it.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('onerror=alert(13)');
    expect(unsafeMarkup(html)).toEqual([]);
  }, 120_000);

  it('every notebook display helper escapes what it shows', async () => {
    const shown: MimeBundle[] = [];
    const nb = new NotebookDisplay({ show: (b) => void shown.push(b) });
    const P = PAYLOADS;
    nb.figure(histogramFigure([1, 2, 2, 3, 5], { title: P[0], xTitle: P[1], yTitle: P[2] } as never));
    nb.figure(lineChartFigure([{ name: P[3] as string, x: [1, 2], y: [3, 4] }], { title: P[4] } as never));
    nb.figure(barChartFigure(P.slice(0, 4), [{ name: P[5] as string, values: [1, 2, 3, 4] }], { title: P[6] } as never));
    nb.figure({ data: [{ type: 'scatter', x: [1], y: [1], text: [P[0]], hovertext: [P[1]], name: P[4] }], layout: { title: { text: P[2] }, annotations: [{ text: P[3] }] } } as never);
    nb.table(P.map((p, i) => ({ [p]: p, n: i })), { caption: P[4] });
    nb.table(P.map((p) => [p, p]), { columns: [P[0] as string, P[1] as string] });
    nb.describe({ [P[0] as string]: { count: 1, mean: 1, std: 0, min: 1, q25: 1, q50: 1, q75: 1, max: 1 } } as never, { caption: P[1] } as never);
    nb.keyValues({ [P[2] as string]: P[3], nested: { deep: P[4] } }, { caption: P[5], keyHeader: P[6], valueHeader: P[7] });
    for (const p of P) nb.text(p);
    const prog = nb.progress(P[0]);
    prog.update({ label: P[1], epoch: 1, epochs: 2, note: P[2] }, true);
    prog.log(P[3] as string);
    prog.update(P[4] as string, true);
    prog.done(P[5]);
    const page = renderHtmlPage({
      title: P[0] as string,
      subtitle: [P[1] as string],
      sections: [{ heading: P[2] as string, blocks: [{ text: P[3] as string }, { list: P.slice() }, { table: [{ a: P[4] }], caption: P[5] }] }],
      footer: P[6],
    });
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
    // One page holding every display output, for the browser test.
    notebookPage = path.join(root, 'notebook-outputs.html');
    await fsp.writeFile(notebookPage, `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${htmls.join('\n')}${page}</body></html>`);
  });
});

describe('Chromium opens no dialog', () => {
  it('loads the report and the notebook outputs without any alert/confirm/prompt', async () => {
    expect(existsSync('/usr/bin/chromium'), 'Chromium is needed at /usr/bin/chromium (apt-get install chromium)').toBe(true);
    expect(reportFile && notebookPage, 'the HTML tests above must run first').toBeTruthy();
    const { chromium } = await import('playwright-core');
    const profile = await fsp.mkdtemp(path.join(root, 'chromium-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      // Control: an unescaped payload does open a dialog, so the listener below would see one.
      const control = await context.newPage();
      const seen: string[] = [];
      control.on('dialog', (d) => {
        seen.push(d.message());
        void d.dismiss();
      });
      await control.setContent(`<p>${PAYLOADS[1]}</p>`);
      await control.waitForTimeout(300);
      expect(seen).toEqual(['2']);
      await control.close();
      for (const file of [reportFile, notebookPage]) {
        const page = await context.newPage();
        const dialogs: string[] = [];
        page.on('dialog', (d) => {
          dialogs.push(`${d.type()}: ${d.message()}`);
          void d.dismiss();
        });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`file://${file}`, { waitUntil: 'load' });
        await page.waitForTimeout(500);
        // Runs in the page (a string, so this file needs no DOM typings).
        const dom = (await page.evaluate(`(() => {
          const all = Array.from(document.querySelectorAll('*'));
          const handlers = all.filter((el) => Array.from(el.attributes).some((a) => /^on/i.test(a.name))).map((el) => el.outerHTML.slice(0, 80));
          const jsUrls = all.filter((el) => Array.from(el.attributes).some((a) => /^\\s*javascript:/i.test(a.value))).map((el) => el.outerHTML.slice(0, 80));
          return { handlers, jsUrls, iframes: document.querySelectorAll('iframe, img, object, embed').length, plots: document.querySelectorAll('.js-plotly-plot').length };
        })()`)) as { handlers: string[]; jsUrls: string[]; iframes: number; plots: number };
        expect(dialogs, file).toEqual([]);
        expect(dom.handlers, file).toEqual([]);
        expect(dom.jsUrls, file).toEqual([]);
        expect(dom.iframes, file).toBe(0);
        expect(dom.plots, `${file}: charts render offline`).toBeGreaterThan(0);
        await page.close();
      }
      tally.record('HTML escaping', 'handled');
    } finally {
      await context.close();
    }
  }, 120_000);
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
