import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointPostRows } from '../../src/notebook/experiment.js';
import { labConfig, type LabSettings } from '../../src/notebook/lab-config.js';
import { evaluateLab, labData, reusePlan, trainLabModel, trainLabOwn } from '../../src/notebook/lab.js';
import { configDifference } from '../../src/notebook/reuse.js';
import { runMainJob, type RunJobResult } from '../../src/report/job.js';
import { loadCorpus, writePostsCsv } from '../../src/sources/index.js';
import { parseCsv } from '../../src/util/csv.js';
import { ProgressDisplay } from '../../src/viz/notebook.js';

/** The quick preset, Model 1 and tweetlab's model (2 epochs), on 400 State of the Union sentences. */
const SETTINGS = { preset: 'quick', seed: 5, models: [1], own: { maxEpochs: 2 } };

let tmp = '';
let input = '';
let job: RunJobResult;
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-reuse-'));
  input = path.join(tmp, 'posts.csv');
  await writePostsCsv(input, (await loadCorpus({})).posts.slice(0, 400));
  // `npm start` with these settings.
  job = await runMainJob({ ...SETTINGS, input, outRoot: path.join(tmp, 'out') });
}, 300_000);
afterAll(() => fsp.rm(tmp, { recursive: true, force: true }));

/** notebooks/config.json with the same settings, and the notebook's own model folder. */
async function configFile(name: string, extra: LabSettings): Promise<string> {
  const file = path.join(tmp, name);
  const settings: LabSettings = { ...SETTINGS, source: { kind: 'csv', path: input }, runsDir: path.join(tmp, 'out'), outDir: path.join(tmp, name.replace('.json', '')), ...extra };
  await fsp.writeFile(file, JSON.stringify(settings));
  return file;
}

const sinks = (lines: string[]) => ({ say: (l: string) => void lines.push(l), progress: new ProgressDisplay({ show: () => undefined }, 'p', 't', 0), chart: () => undefined });

describe('notebook 03 loads the models of npm start with the same config', () => {
  it('instead of training: same history, checkpoint posts and evaluation as the run', async () => {
    const cfg = labConfig({}, { file: await configFile('same.json', { reuse: true }), env: {} });
    const data = await labData(cfg);
    const plan = await reusePlan(cfg, data);
    expect(plan.map((r) => r.model)).toEqual(['Model 1', 'tweetlab LSTM']);
    expect(plan[0]!['training cell']).toBe(`loads ${path.join(job.runDir, 'models', 'model-1', 'epoch-2')}`);

    const lines: string[] = [];
    const run1 = await trainLabModel(cfg, data, 1, sinks(lines));
    expect(lines).toEqual([`Model 1: loaded from ${path.join(job.runDir, 'models', 'model-1', 'epoch-2')} (npm start's run ${job.summary.runId}, same config) instead of training; set reuse: false to train it here.`]);
    expect(run1.reusedFrom).toBe(path.join(job.runDir, 'models', 'model-1', 'epoch-2'));
    expect(run1.history).toEqual(job.summary.models[0]!.history);
    // The checkpoint-posts table shows the posts the run wrote at its checkpoints (generated.csv).
    const csv = parseCsv(await fsp.readFile(job.files.generated, 'utf8'));
    const [m, e, t, p] = ['model', 'epoch', 'text', 'purpose'].map((c) => csv.header.indexOf(c));
    const written = csv.rows.filter((r) => r[m!] === 'Model 1' && r[p!] === 'checkpoint').map((r) => ({ epoch: Number(r[e!]), post: r[t!] }));
    expect(checkpointPostRows(run1).map((r) => ({ epoch: r.epoch, post: r.post }))).toEqual(written);

    const own = await trainLabOwn(cfg, data, sinks(lines));
    expect(lines[1]).toMatch(/^tweetlab LSTM: loaded from .*models\/tweetlab \(npm start's run .*\) instead of training; set reuse: false to train it here\.$/);
    const evaluation = await evaluateLab(cfg, data, [run1], own);
    const rows = job.summary.quality.rows;
    expect(evaluation.quality.rows.map((r) => r.name)).toEqual(rows.map((r) => r.name));
    evaluation.quality.rows.forEach((r, i) => {
      expect(r.postPerplexity).toBe(rows[i]!.postPerplexity);
      expect(r.windowedPerplexity).toBe(rows[i]!.windowedPerplexity);
      expect(r.canYouTell).toBe(rows[i]!.canYouTell);
    });
    run1.model.dispose();
    own?.scored.model.dispose();
  }, 300_000);

  it('falls back to training with one line naming the field that differs', async () => {
    const cfg = labConfig({ epochs: 1 }, { file: await configFile('other.json', { reuse: true }), env: {} });
    const data = await labData(cfg);
    const rows = await reusePlan(cfg, data);
    expect(rows[0]!['training cell']).toBe(`trains: the newest, npm start's run ${job.summary.runId}, differs in epochs (1 here, 2 there)`);
    // A run in another folder: nothing to load, said in one line.
    const empty = labConfig({ runsDir: path.join(tmp, 'nothing') }, { file: await configFile('none.json', { reuse: true }), env: {} });
    expect((await reusePlan(empty, data))[0]!['training cell']).toBe(`trains: no finished run of npm start in ${path.join(tmp, 'nothing')} and no earlier run of this notebook`);
    expect(configDifference({ own: { hidden: 32 } }, { own: { hidden: 64 } })).toBe('own.hidden (32 here, 64 there)');
  }, 120_000);

  it("reuses this notebook's own earlier training with the same config", async () => {
    const file = await configFile('notebook.json', { reuse: false, models: [3] });
    const train = labConfig({}, { file, env: {} });
    const data = await labData(train);
    const lines: string[] = [];
    const trained = await trainLabModel(train, data, 3, sinks(lines));
    expect(trained.reusedFrom).toBeNull();
    const again = labConfig({ reuse: true }, { file, env: {} });
    const loaded = await trainLabModel(again, data, 3, sinks(lines));
    expect(lines.at(-1)).toMatch(/^Model 3: loaded from .*model-3\/epoch-2 \(this notebook's earlier run \(.*\), same config\) instead of training/);
    expect(loaded.history).toEqual(trained.history);
    expect(checkpointPostRows(loaded)).toEqual(checkpointPostRows(trained));
    // Model 1 was never trained here and npm start's run has another model list: it would train.
    expect((await reusePlan(again, data)).map((r) => r['training cell'].split(':')[0])).toEqual(['loads ' + path.join(train.outDir, 'model-3', 'epoch-2'), 'trains']);
    trained.model.dispose();
    loaded.model.dispose();
  }, 300_000);
});
