import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/common.js';
import type { RunJson } from '../../src/cli/run-output.js';
import { buildExperiment, presetConfig } from '../../src/model/experiment.js';
import { getEngine } from '../../src/model/backend.js';
import { evaluateInNotebook, prepareNotebookData } from '../../src/notebook/experiment.js';
import { trainInNotebook, trainOwnInNotebook } from '../../src/notebook/train.js';
import { resolvePipelineConfig } from '../../src/pipeline/config.js';
import { runMainJob } from '../../src/report/job.js';
import { loadCorpus, writePostsCsv } from '../../src/sources/index.js';
import { parseCsv } from '../../src/util/csv.js';
import { ProgressDisplay } from '../../src/viz/notebook.js';

let tmp = '';
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-same-'));
});
afterAll(() => fsp.rm(tmp, { recursive: true, force: true }));

const silent = () => new ProgressDisplay({ show: () => undefined }, 'p', 't', 0);

/** One small config: the quick preset, Model 1 and tweetlab's model, on 500 State of the Union sentences. */
const SEED = 5;
const overrides = { preset: 'quick', seed: SEED, models: [1], own: { maxEpochs: 2 } };

describe('the same config gives the same numbers from every caller', () => {
  it('library call, tweetlab run --json and the notebook helpers agree on perplexities and posts', async () => {
    const corpus = await loadCorpus({});
    const input = path.join(tmp, 'posts.csv');
    await writePostsCsv(input, corpus.posts.slice(0, 500));
    const posts = (await loadCorpus({ input })).posts;

    // 1. The library.
    const lib = await runMainJob({ ...overrides, input, outRoot: path.join(tmp, 'lib') });
    const libRows = lib.summary.quality.rows;

    // 2. The CLI.
    const out: string[] = [];
    const io: CliIO = { out: (t) => void out.push(t), err: () => undefined, isTTY: false };
    const code = await main(['run', '--input', input, '--quick', '--models', '1', '--seed', String(SEED), '--own-epochs', '2', '--out', path.join(tmp, 'cli'), '--json'], io);
    expect(code).toBe(0);
    const cli = JSON.parse(out.join('\n')) as RunJson;

    // 3. The notebook helpers, cell by cell.
    const cfg = resolvePipelineConfig(overrides);
    const base = presetConfig('quick');
    const data = prepareNotebookData(posts, { seqLength: base.seqLength, validationShare: base.validationShare, minCount: base.minCount, seed: SEED });
    const plans = buildExperiment({ ...cfg.experiment }, data.vocab.words.length);
    const engine = await getEngine();
    const outDir = path.join(tmp, 'notebook', 'models');
    const run1 = await trainInNotebook(plans[0]!, data, { outDir, engine, progress: silent() });
    const own = await trainOwnInNotebook(data, cfg, { engine, outDir, progress: silent() });
    const nb = await evaluateInNotebook([{ plan: plans[0]!, result: run1 }], data, { seed: SEED, engine, own, posts: cfg.evaluationPosts });

    const names = ['Model 1', 'tweetlab LSTM', 'tweetlab LSTM + 3-gram', 'Kneser–Ney 3-gram'];
    expect(libRows.map((r) => r.name)).toEqual(names);
    expect(nb.quality.rows.map((r) => r.name)).toEqual(names);
    expect([...cli.models, cli.baseline].map((m) => m?.name)).toEqual(names);
    for (let i = 0; i < names.length; i++) {
      const l = libRows[i]!;
      const n = nb.quality.rows[i]!;
      const c = (i < cli.models.length ? cli.models[i] : cli.baseline)!;
      expect(n.postPerplexity).toBe(l.postPerplexity);
      expect(n.windowedPerplexity).toBe(l.windowedPerplexity);
      expect(c.postPerplexity).toBe(l.postPerplexity);
      expect(c.perplexity).toBe(l.windowedPerplexity);
      expect(n.canYouTell).toBe(l.canYouTell);
    }
    // Where tweetlab's model wins and loses: the same split of the same scores, shown as the report shows it.
    expect(lib.summary.quality.gap?.model).toBe('tweetlab LSTM');
    expect(nb.quality.gap).toEqual(lib.summary.quality.gap);
    expect(nb.gap?.rows.map((r) => r.targets)).toEqual(['known word', '<unk>', '<eos>', 'start of post', 'after a known word', 'after <unk>']);
    // The generated posts of tweetlab's model: notebook = generated.csv of the library run = that of the CLI run.
    const csvPosts = async (file: string) => {
      const table = parseCsv(await fsp.readFile(file, 'utf8'));
      const [model, text] = [table.header.indexOf('model'), table.header.indexOf('text')];
      return table.rows.filter((r) => r[model] === 'tweetlab LSTM').map((r) => r[text]);
    };
    const libPosts = await csvPosts(lib.files.generated);
    expect(libPosts.length).toBe(cfg.evaluationPosts);
    expect(own.scored.posts.map((p) => p.text)).toEqual(libPosts);
    expect(await csvPosts(cli.generated)).toEqual(libPosts);
    run1.model.dispose();
  }, 300_000);
});
