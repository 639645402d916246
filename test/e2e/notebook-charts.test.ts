/**
 * Charts survive re-runs, saving and export (issue 14): in a real tslab kernel, run the setup cell and two chart
 * cells, re-run both chart cells as a class would, save the notebook, export it with nbconvert and open the
 * export in Chromium: every chart must draw, plotly.js must be in the page exactly once, and the notebook must
 * stay far below 4 MB.
 */
import { promises as fsp, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartsOnPage, launchChromium } from './browser.js';
import { driveNotebook, notebookFolder } from './kernel.js';

let dir: string;
let browser: Awaited<ReturnType<typeof launchChromium>>;
beforeAll(async () => {
  dir = await notebookFolder('charts');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await fsp.rm(dir, { recursive: true, force: true });
});

const CELLS = [
  { code: 'import * as tl from "tweetlab";\ntl.setupPage();' },
  { code: 'tl.display(tl.histogramFigure([1, 2, 2, 3, 3, 3], { title: "first chart" }));' },
  { code: 'tl.display(tl.lineChartFigure([{ name: "loss", y: [3, 2, 1.5] }], { title: "second chart" }));\ntl.display(tl.barChartFigure(["a", "b"], [{ name: "n", values: [1, 2] }]));' },
  {
    code:
      '// A long line that must wrap in the exported HTML instead of being clipped: ' +
      'x'.repeat(200) +
      '\nconsole.log("end");',
  },
];

describe('notebook charts in a real kernel', () => {
  it('draw after re-running every chart cell, saving and exporting; plotly.js once; under 4 MB', async () => {
    const run = await driveNotebook(dir, CELLS, [{ cell: 0 }, { cell: 1 }, { cell: 2 }, { cell: 1 }, { cell: 2 }, { cell: 1 }, { cell: 3 }]);
    expect(run.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    const saved = await fsp.readFile(run.ipynb, 'utf8');
    expect(statSync(run.ipynb).size).toBeLessThan(4_000_000);
    expect(saved.split('data-tweetlab=\\"plotly-bundle\\"').length - 1).toBe(1);
    const html = await fsp.readFile(run.html, 'utf8');
    expect(html.split('data-tweetlab="plotly-bundle"').length - 1).toBe(1);
    const page = await chartsOnPage(browser.context, run.html);
    expect(page.errors).toEqual([]);
    expect(page.charts).toHaveLength(3);
    expect(page.charts.filter((c) => !c.drawn)).toEqual([]);
    // The long code line wraps: the page-setup style is in the export.
    expect(html).toContain('white-space:pre-wrap');
  });
});
