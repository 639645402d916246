import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext } from 'playwright-core';

/** Headless Chromium ($TWEETLAB_CHROMIUM or /usr/bin/chromium) with a fresh profile, removed on close. */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const { chromiumPath } = await import('../../scripts/e2e-tools.mjs');
  const { chromium } = await import('playwright-core');
  const profile = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await fsp.rm(profile, { recursive: true, force: true });
    },
  };
}

/** Opens a file, waits until every .tweetlab-plot holds a drawn plotly SVG (or the timeout), and reports. */
export async function chartsOnPage(
  context: BrowserContext,
  file: string,
  timeoutMs = 60_000,
): Promise<{ charts: { id: string; drawn: boolean; text: string }[]; errors: string[]; dialogs: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`file://${file}`, { waitUntil: 'load', timeout: 120_000 });
  // Strings, so this file needs no DOM typings.
  await page
    .waitForFunction(`Array.from(document.querySelectorAll('.tweetlab-plot')).every((d) => d.querySelector('svg.main-svg') || d.textContent)`, undefined, {
      timeout: timeoutMs,
      polling: 250,
    })
    .catch(() => undefined);
  const charts = (await page.evaluate(
    `Array.from(document.querySelectorAll('.tweetlab-plot')).map((d) => ({ id: d.id, drawn: d.querySelector('svg.main-svg') !== null, text: d.textContent.slice(0, 200) }))`,
  )) as { id: string; drawn: boolean; text: string }[];
  await page.close();
  return { charts, errors, dialogs };
}
