/**
 * The security suite's pages in a real browser (test/hostile/security.test.ts checks the same HTML statically):
 * the report of `tweetlab run --quick` on posts full of script payloads, and every notebook display helper's
 * output, must open no dialog in Chromium, hold no event handler, javascript: URL or embedded element, and
 * still draw their charts offline.
 */
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../hostile/harness.js';
import { PAYLOADS, notebookOutputsPage, payloadCorpus, payloadDisplays } from '../hostile/payloads.js';
import { launchChromium } from './browser.js';

let root: string;
let browser: Awaited<ReturnType<typeof launchChromium>>;
beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-e2e-security-'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await fsp.rm(root, { recursive: true, force: true });
});

/** The report and the notebook outputs page, both carrying every payload. */
async function pagesWithPayloads(): Promise<string[]> {
  const input = path.join(root, '"><img src=x onerror=alert(13)>.csv');
  await fsp.writeFile(input, payloadCorpus());
  const res = await runCli(['run', '--quick', '--input', input, '--out', path.join(root, 'out'), '--epochs', '1', '--models', '1', '--json']);
  expect(res.code, res.err).toBe(0);
  const { shown, page } = payloadDisplays();
  const htmls = shown.map((b) => b['text/html']).filter((h): h is string => typeof h === 'string');
  const notebookPage = path.join(root, 'notebook-outputs.html');
  await fsp.writeFile(notebookPage, notebookOutputsPage(htmls, page));
  return [(JSON.parse(res.out) as { report: string }).report, notebookPage];
}

describe('Chromium opens no dialog', () => {
  it('an unescaped payload does open one (control)', async () => {
    const page = await browser.context.newPage();
    const seen: string[] = [];
    page.on('dialog', (d) => {
      seen.push(d.message());
      void d.dismiss();
    });
    await page.setContent(`<p>${PAYLOADS[1]}</p>`);
    await page.waitForTimeout(300);
    expect(seen).toEqual(['2']);
    await page.close();
  });

  it('loads the report and the notebook outputs without any alert/confirm/prompt, charts drawn', async () => {
    for (const file of await pagesWithPayloads()) {
      const page = await browser.context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(`${d.type()}: ${d.message()}`);
        void d.dismiss();
      });
      await page.goto(`file://${file}`, { waitUntil: 'load' });
      await page.waitForFunction(`Array.from(document.querySelectorAll('.tweetlab-plot')).every((d) => d.querySelector('svg.main-svg'))`, undefined, { timeout: 60_000 });
      const dom = (await page.evaluate(`(() => {
        const all = Array.from(document.querySelectorAll('*'));
        const handlers = all.filter((el) => Array.from(el.attributes).some((a) => /^on/i.test(a.name))).map((el) => el.outerHTML.slice(0, 80));
        const jsUrls = all.filter((el) => Array.from(el.attributes).some((a) => /^\\s*javascript:/i.test(a.value))).map((el) => el.outerHTML.slice(0, 80));
        return { handlers, jsUrls, embedded: document.querySelectorAll('iframe, img, object, embed').length, plots: document.querySelectorAll('.js-plotly-plot').length };
      })()`)) as { handlers: string[]; jsUrls: string[]; embedded: number; plots: number };
      expect(dialogs, file).toEqual([]);
      expect(dom.handlers, file).toEqual([]);
      expect(dom.jsUrls, file).toEqual([]);
      expect(dom.embedded, file).toBe(0);
      expect(dom.plots, `${file}: charts render offline`).toBeGreaterThan(0);
      await page.close();
    }
  });
});
