import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { NgramIndex } from '../../src/evaluate/metrics.js';
import { writeModelPage } from '../../src/page/page.js';
import { OWN_GENERATION_DEFAULTS } from '../../src/pipeline/config.js';
import { captureIO } from '../cli/helpers.js';
import { fixtureModel, ownFixtureModel, type FixtureModel } from '../page/fixture.js';

/**
 * The page in a real Chromium, opened from file://: its posts equal `tweetlab generate`'s for the same
 * settings and seed, it makes no network request and logs no error, and hostile vocabulary shows as text.
 */

// The page callbacks below run in Chromium; this file is type-checked without the DOM lib, so it names the
// little of the DOM they use.
interface PageElement {
  textContent: string | null;
  value: string;
  dispatchEvent(event: unknown): boolean;
}
declare const document: { getElementById(id: string): PageElement | null; querySelectorAll(selector: string): { length: number } };
declare const window: { pwned?: number };
declare const Event: new (type: string) => unknown;

const HOSTILE = '<img src=x onerror="window.pwned=1"><b>bold</b>';
const CHROMIUM = process.env.TWEETLAB_CHROMIUM ?? '/usr/bin/chromium';

let fixture: FixtureModel;
let pageUrl: string;
let browser: Browser;

interface Settings {
  start?: string;
  temperature: number;
  topK?: number;
  length?: number;
  count: number;
  seed: number;
  newOnly?: boolean;
}

async function cliPosts(s: Settings, dir = fixture.dir): Promise<string[]> {
  const argv = ['generate', '--model', dir, '--backend', 'fast-wasm', '--json', '-n', String(s.count), '--seed', String(s.seed),
    '--temperature', String(s.temperature), '--top-k', String(s.topK ?? 0)];
  if (s.start !== undefined) argv.push('--start', s.start);
  if (s.length !== undefined) argv.push('--length', String(s.length));
  const io = captureIO();
  expect(await main(argv, io)).toBe(0);
  return (JSON.parse(io.stdout.join('\n')) as { posts: { text: string }[] }).posts.map((p) => p.text);
}

async function setControls(page: Page, s: Settings): Promise<void> {
  await page.fill('#start', s.start ?? '');
  await page.evaluate((t) => {
    const input = document.getElementById('temperature') as PageElement;
    input.value = String(t);
    input.dispatchEvent(new Event('input'));
  }, s.temperature);
  await page.fill('#top-k', String(s.topK ?? 0));
  await page.selectOption('#length-mode', s.length === undefined ? 'drawn' : 'fixed');
  if (s.length !== undefined) await page.fill('#length', String(s.length));
  await page.fill('#count', String(s.count));
  await page.fill('#seed', String(s.seed));
  await page.setChecked('#new-only', s.newOnly ?? false);
}

async function pagePosts(page: Page, s: Settings): Promise<string[]> {
  await setControls(page, s);
  await page.click('#go');
  await page.waitForFunction(() => /^(Done|Error)/.test(document.getElementById('status')?.textContent ?? ''));
  expect(await page.textContent('#status')).toMatch(/^Done/);
  return page.$$eval('#posts .text', (els) => els.map((e) => e.textContent ?? ''));
}

/** A fresh page that records console errors and every request that is not the file itself or a blob. */
async function openPage(url = pageUrl): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith('file://') && !r.url().startsWith('blob:')) requests.push(r.url());
  });
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Model loaded'));
  return { page, errors, requests };
}

beforeAll(async () => {
  fixture = await fixtureModel('e2e');
  // Hostile training text: the most frequent word becomes markup, so generated posts are full of it.
  const file = path.join(fixture.dir, 'vocab.json');
  const vocab = JSON.parse(await fsp.readFile(file, 'utf8')) as { words: string[]; counts: number[] };
  const top = vocab.counts.indexOf(Math.max(...vocab.counts));
  vocab.words[top] = HOSTILE;
  await fsp.writeFile(file, JSON.stringify(vocab));
  const { file: html } = await writeModelPage({ modelDir: fixture.dir, outDir: path.join(path.dirname(fixture.dir), 'site'), trainingPosts: fixture.posts });
  pageUrl = pathToFileURL(html).href;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
});

describe('the model page in Chromium', () => {
  it('writes the same posts as tweetlab generate, shows hostile words as text, with no request and no error', async () => {
    const { page, errors, requests } = await openPage();
    const cases: Settings[] = [
      { start: 'the river', temperature: 0.8, count: 4, seed: 7 },
      { temperature: 1, topK: 3, count: 5, seed: 21 },
      { start: 'our town', temperature: 0, length: 9, count: 2, seed: 1 },
      { temperature: 1.6, count: 6, seed: 3 },
    ];
    let hostileShown = 0;
    for (const s of cases) {
      const posts = await pagePosts(page, s);
      expect(posts).toEqual(await cliPosts(s));
      hostileShown += posts.filter((p) => p.includes(HOSTILE)).length;
    }
    expect(hostileShown).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.querySelectorAll('#posts img, #posts b').length)).toBe(0);
    expect(await page.evaluate(() => window.pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it("writes tweetlab's own model's posts as tweetlab generate does: until <eos>, the main job's sampling, its length factor", async () => {
    const own = await ownFixtureModel('e2e-own', 1.5);
    const { file } = await writeModelPage({ modelDir: own.dir, outDir: path.join(path.dirname(own.dir), 'site') });
    const { page, errors, requests } = await openPage(pathToFileURL(file).href);
    // The page starts with the CLI's defaults for this model; setControls leaves top-p as the page set it.
    const { temperature, topP } = OWN_GENERATION_DEFAULTS;
    expect([await page.inputValue('#temperature'), await page.inputValue('#top-p')]).toEqual([String(temperature), String(topP)]);
    for (const s of [{ temperature, count: 8, seed: 5 }, { start: 'the river', temperature: 0.8, count: 4, seed: 9 }]) {
      expect(await pagePosts(page, s)).toEqual(await cliPosts(s, own.dir));
    }
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('names unknown start words, keeps only new posts with their longest copied run, and can be stopped', async () => {
    const { page, errors, requests } = await openPage();
    expect(await page.textContent('#facts')).toContain('Model variant 1, dataset variant 2, 4 epochs');
    expect(await page.textContent('#facts')).toContain('held-out perplexity 4.48');
    // Keyboard only: Enter in the start words field writes the posts.
    await setControls(page, { start: 'the river zzqx', temperature: 1, count: 1, seed: 2 });
    await page.focus('#start');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /^Done/.test(document.getElementById('status')?.textContent ?? ''));
    expect(await page.textContent('#unknown')).toContain('zzqx');
    expect(await page.$$eval('#posts .text', (els) => els.map((e) => e.textContent ?? ''))).toEqual(
      await cliPosts({ start: 'the river zzqx', temperature: 1, count: 1, seed: 2 }),
    );

    const kept = await pagePosts(page, { temperature: 1.5, count: 3, seed: 4, newOnly: true });
    expect(kept).toHaveLength(3);
    const index = new NgramIndex(fixture.posts, 6);
    const all = await cliPosts({ temperature: 1.5, count: 60, seed: 4 });
    for (const text of kept) {
      expect(all).toContain(text);
      expect(index.findCopiedRun(text.split(' '))).toBeUndefined();
    }
    const notes = await page.$$eval('#posts .copied', (els) => els.map((e) => e.textContent ?? ''));
    expect(notes).toHaveLength(3);
    for (const note of notes) expect(note).toMatch(/^longest run also in a training post: [1-5] words? — “.+”$/);

    // 1,000 posts of 200 words: far longer than the test waits before pressing Stop.
    await setControls(page, { temperature: 1, length: 200, count: 1000, seed: 5 });
    await page.click('#go');
    await page.waitForSelector('#posts li');
    await page.click('#stop');
    expect(await page.textContent('#status')).toBe('Stopped.');
    expect(await page.isEnabled('#go')).toBe(true);
    // Posts finished before the stop stay; the one being written goes.
    expect(await page.$$eval('#posts li.writing', (els) => els.length)).toBe(0);
    // The next run waits for the restarted worker by itself.
    expect(await pagePosts(page, { temperature: 0.8, count: 2, seed: 9 })).toEqual(await cliPosts({ temperature: 0.8, count: 2, seed: 9 }));
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
