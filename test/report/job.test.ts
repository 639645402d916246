import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMainJob } from '../../src/report/job.js';
import { formatPostsCsv } from '../../src/sources/files.js';
import { fixturePosts } from './fixture.js';

let dir = '';
let input = '';

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-job-'));
  input = path.join(dir, 'posts.csv');
  await fsp.writeFile(input, formatPostsCsv(fixturePosts()));
});

afterAll(async () => {
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
});

describe('runMainJob', () => {
  it('stops on request, skips later models and still writes the report', async () => {
    const lines: string[] = [];
    let batches = 0;
    const result = await runMainJob(
      { input, preset: 'quick', epochs: 3, seqLength: 3, backend: 'cpu', outRoot: path.join(dir, 'out'), models: [1, 2] },
      {
        log: (l) => lines.push(l),
        // Ctrl-C during Model 1's first epoch, after two batches.
        shouldStop: () => ++batches > 2,
      },
    );
    const s = result.summary;
    expect(s.models.map((m) => m.name)).toEqual(['Model 1']);
    expect(s.models[0]?.interrupted).toBe(true);
    expect(s.models[0]?.history).toEqual([]);
    expect(s.skippedModels).toEqual(['Model 2', 'tweetlab LSTM']);
    expect(lines.join('\n')).toMatch(/Model 2: skipped/);
    // The interrupted state is saved where --resume finds it.
    const saved = await fsp.readdir(path.join(result.runDir, 'models', 'model-1', 'interrupted'));
    expect(saved).toEqual(expect.arrayContaining(['config.json', 'model.json', 'weights.bin', 'vocab.json']));
    // Evaluation still covers the interrupted model and the baseline.
    expect(s.evaluation.rows.map((r) => r.name)).toEqual(['Model 1', 'Kneser–Ney 3-gram']);
    const html = await fsp.readFile(result.files.report, 'utf8');
    expect(html.includes('This run was interrupted: Model 1 stopped early; Model 2, tweetlab LSTM not trained; finished: none.')).toBe(true);
    // Issue 15: the summary and status.json say which models finished, and the folder is marked incomplete.
    expect(s.finishedModels).toEqual([]);
    const status = JSON.parse(await fsp.readFile(path.join(result.runDir, 'status.json'), 'utf8'));
    expect(status).toMatchObject({ state: 'incomplete', plannedModels: ['Model 1', 'Model 2', 'tweetlab LSTM'], finishedModels: [] });
  });
});
