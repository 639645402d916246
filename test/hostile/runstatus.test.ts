/**
 * A run folder is whole or marked incomplete (issue 15): `tweetlab run` whose report cannot be written (a full
 * disk at report.html, injected ENOSPC) fails with one line and leaves status.json "failed" with the reason and
 * the models that did finish, so the summary.json and models/ left behind never pass for a whole run; a run
 * that succeeds ends "complete".
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { classify, expectCleanError, expectHandled, runCli, Tally, tempDir } from './harness.js';
import { tinyCorpusCsv } from './tiny.js';

const tally = new Tally('runstatus');
const R = 'run folder status';
let root: string;
let corpus: string;

beforeAll(async () => {
  root = await tempDir('runstatus');
  corpus = path.join(root, 'tiny.csv');
  await fsp.writeFile(corpus, tinyCorpusCsv());
});
afterAll(async () => {
  await tally.save();
  await fsp.rm(root, { recursive: true, force: true });
});

const run = (out: string) => runCli(['run', '--quick', '--input', corpus, '--seq-length', '3', '--models', '1', '--out', out, '--json']);

async function onlyRunFolder(out: string): Promise<string> {
  const names = await fsp.readdir(out);
  expect(names).toHaveLength(1);
  return path.join(out, names[0] as string);
}

describe('status.json of the main job', () => {
  it('a full disk at report.html: one error line, status "failed" naming the finished models', async () => {
    const out = path.join(root, 'full');
    const realRename = fsp.rename;
    const spy = vi.spyOn(fsp, 'rename').mockImplementation(async (from, to) => {
      if (String(to).endsWith('report.html')) throw Object.assign(new Error('ENOSPC: no space left on device, rename'), { code: 'ENOSPC' });
      return realRename(from, to);
    });
    let res;
    try {
      res = await run(out);
    } finally {
      spy.mockRestore();
    }
    tally.record(R, classify(res).outcome);
    expectCleanError(res, { mentions: ['report.html', 'no space left'] });
    const dir = await onlyRunFolder(out);
    const status = JSON.parse(await fsp.readFile(path.join(dir, 'status.json'), 'utf8'));
    expect(status).toMatchObject({ state: 'failed', plannedModels: ['Model 1', 'tweetlab LSTM'], finishedModels: ['Model 1', 'tweetlab LSTM'] });
    expect(status.error).toMatch(/report\.html.*no space left/);
    expect((await fsp.readdir(dir)).filter((n) => n.endsWith('.lock'))).toEqual([]);
  }, 180_000);

  it('a whole run ends "complete"', async () => {
    const out = path.join(root, 'whole');
    const res = await run(out);
    tally.record(R, classify(res).outcome);
    expectHandled(res);
    const dir = await onlyRunFolder(out);
    const status = JSON.parse(await fsp.readFile(path.join(dir, 'status.json'), 'utf8'));
    expect(status).toMatchObject({ state: 'complete', finishedModels: ['Model 1', 'tweetlab LSTM'] });
    expect(JSON.parse(res.out).runDir).toBe(dir);
  }, 180_000);
});

describe('README table', () => {
  it('test/README.md counts these cases as observed', () => {
    expect([...tally.counts.values()].every((c) => c.crash === 0)).toBe(true);
    tally.expectReadmeMatches();
  });
});
