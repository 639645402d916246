#!/usr/bin/env node
// Opens every exported notebook HTML (out/notebooks/*.html, written by `npm run notebooks:execute`) in headless
// Chromium and checks what a reader would see: every chart div drew a plotly SVG, no script threw, and every
// describe() table has pandas' rows. Saves a full-page screenshot next to each HTML. Exits 1 on any failure.
//
// Usage: node scripts/check-notebooks-browser.mjs [DIR or FILE.html …]
// Env: TWEETLAB_CHROMIUM (default /usr/bin/chromium), TWEETLAB_CHART_TIMEOUT_MS (default 60000: how long charts may take).
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DESCRIBE_ROWS = ['count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max'];
const CHART_TIMEOUT_MS = Number(process.env.TWEETLAB_CHART_TIMEOUT_MS ?? 60_000);

function htmlFiles(args) {
  const inputs = args.length > 0 ? args : [path.join(repoRoot, 'out', 'notebooks')];
  const files = [];
  for (const input of inputs) {
    if (!existsSync(input)) throw new Error(`${input} does not exist: run \`npm run notebooks:execute\` first.`);
    if (statSync(input).isDirectory()) {
      for (const name of readdirSync(input).sort()) if (name.endsWith('.html')) files.push(path.join(input, name));
    } else files.push(input);
  }
  if (files.length === 0) throw new Error(`No .html files in ${inputs.join(', ')}: run \`npm run notebooks:execute\` first.`);
  return files;
}

async function checkPage(browser, file) {
  const problems = [];
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 120_000 });

  const chartCount = await page.locator('.tweetlab-plot').count();
  if (chartCount > 0) {
    try {
      await page.waitForFunction(
        () => [...document.querySelectorAll('.tweetlab-plot')].every((d) => d.querySelector('svg.main-svg')),
        undefined,
        { timeout: CHART_TIMEOUT_MS, polling: 250 },
      );
    } catch {
      // reported per chart below
    }
  }
  const charts = await page.$$eval('.tweetlab-plot', (divs) =>
    divs.map((d) => ({ id: d.id, drawn: d.querySelector('svg.main-svg') !== null, text: d.textContent.slice(0, 200) })),
  );
  for (const c of charts) if (!c.drawn) problems.push(`chart ${c.id} not drawn${c.text ? ` (${c.text})` : ''}`);

  const tables = await page.$$eval('table.tweetlab-describe', (ts) =>
    ts.map((t) => [...t.querySelectorAll('tbody tr')].map((tr) => tr.querySelector('th')?.textContent?.trim() ?? '')),
  );
  tables.forEach((rows, i) => {
    if (rows.join('|') !== DESCRIBE_ROWS.join('|')) {
      problems.push(`describe table ${i + 1} has rows [${rows.join(', ')}], expected [${DESCRIBE_ROWS.join(', ')}]`);
    }
  });

  // Let MathJax's "Loading …" box go away before the screenshot (it has nothing to do with the checks).
  await page
    .waitForFunction(() => {
      const m = document.getElementById('MathJax_Message');
      return !m || m.style.display === 'none' || m.textContent === '';
    }, undefined, { timeout: 10_000 })
    .catch(() => undefined);
  const shot = file.replace(/\.html$/, '.png');
  await page.screenshot({ path: shot, fullPage: true });
  await page.close();
  return { file, charts: charts.length, describeTables: tables.length, screenshot: shot, problems };
}

async function main() {
  const files = htmlFiles(process.argv.slice(2));
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.TWEETLAB_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: apt-get install chromium, or set TWEETLAB_CHROMIUM.`);
  }
  // playwright launches with a fresh temporary profile (its own --user-data-dir) and removes it on close.
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  let failed = 0;
  try {
    for (const file of files) {
      const r = await checkPage(browser, file);
      const rel = path.relative(process.cwd(), r.file);
      if (r.problems.length > 0) {
        failed += 1;
        console.log(`FAIL ${rel}: ${r.charts} charts, ${r.describeTables} describe tables`);
        for (const p of r.problems) console.log(`  - ${p}`);
      } else {
        console.log(`ok   ${rel}: ${r.charts} charts drawn, ${r.describeTables} describe tables with pandas' rows`);
      }
      console.log(`     screenshot ${path.relative(process.cwd(), r.screenshot)}`);
    }
  } finally {
    await browser.close();
  }
  if (failed > 0) {
    console.log(`${failed} of ${files.length} notebook pages failed the browser check.`);
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(`check-notebooks-browser: ${err.message}`);
  process.exit(1);
});
