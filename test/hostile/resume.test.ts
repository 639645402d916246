/**
 * Resume is exact (issue 15): the seeds and split are stored in the model folder and reused (a different
 * --seed is refused), an interrupted epoch continues at the batch where it stopped (train 4 epochs ≡ train 2 +
 * stop mid-epoch 3 + resume, bit for bit, dropout included), and resuming on another corpus says how much of
 * it is unknown and refuses above a limit unless --force.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getEngine } from '../../src/model/backend.js';
import { trainModel } from '../../src/model/train.js';
import type { ModelConfig, TrainConfig } from '../../src/model/types.js';
import { prepareWordData } from '../../src/pipeline/prepare.js';
import { Random } from '../../src/random.js';
import { parsePostsCsv } from '../../src/sources/files.js';
import { classify, expectCleanError, expectHandled, runCli, Tally, tempDir } from './harness.js';
import { TINY_TRAIN_FLAGS, tinyCorpusCsv } from './tiny.js';

const tally = new Tally('resume');
const R = 'training resumed';
let root: string;
let corpus: string;

beforeAll(async () => {
  root = await tempDir('resume');
  corpus = path.join(root, 'tiny.csv');
  await fsp.writeFile(corpus, tinyCorpusCsv());
});
afterAll(async () => {
  await tally.save();
  await fsp.rm(root, { recursive: true, force: true });
});

describe('an interrupted epoch continues at the batch where it stopped', () => {
  it('train 4 epochs ≡ train 2 + stop in the middle of epoch 3 + resume, bit for bit (dropout on)', async () => {
    const engine = await getEngine();
    const corpus = { source: { kind: 'csv', name: 'tiny.csv' }, posts: parsePostsCsv(tinyCorpusCsv(), 'tiny.csv') };
    const prepared = prepareWordData(corpus, { seqLength: 3, validationShare: 0.1, seed: 5, minCount: 1, require: [1] });
    const data = { vocab: prepared.vocab, ...prepared.windows[1] };
    const modelConfig: ModelConfig = { variant: 2, layers: 1, hidden: 16, embedding: 8, dropout: 0.2, vocabSize: data.vocab.words.length, seqLength: 3, initializer: 'glorot_uniform', seed: 11 };
    const train: TrainConfig = { epochs: 4, batchSize: 8, optimizer: 'rmsprop', learningRate: 0.01, checkpoints: [2, 4], validationShare: 0.1, seed: 7 };
    const common = { engine, train, data: data.train, validation: data.validation, vocab: data.vocab, samplesPerCheckpoint: 0 };

    const straight = await trainModel({ ...common, modelConfig, outDir: path.join(root, 'straight') });
    let stopNow = false;
    const cut = await trainModel({
      ...common,
      modelConfig,
      outDir: path.join(root, 'cut'),
      onProgress: (p) => void (stopNow = p.epoch === 3 && p.batch === 3),
      shouldStop: () => stopNow,
    });
    expect(cut.stopped).toBe(true);
    expect(cut.epoch).toBe(2);
    const saved = JSON.parse(await fsp.readFile(path.join(root, 'cut', 'interrupted', 'config.json'), 'utf8'));
    expect(saved.resumePosition).toMatchObject({ epoch: 3, batch: 3 });
    const resumed = await trainModel({ ...common, train: {}, resume: path.join(root, 'cut', 'interrupted'), outDir: path.join(root, 'cut') });

    const losses = (h: typeof straight.history) => h.map((r) => [r.epoch, r.loss, r.valLoss]);
    expect(losses(resumed.history)).toEqual(losses(straight.history));
    const a = straight.model.getWeights();
    const b = resumed.model.getWeights();
    expect(b.map((w) => w.name)).toEqual(a.map((w) => w.name));
    a.forEach((w, i) => expect(Buffer.from((b[i] as typeof w).values.buffer).equals(Buffer.from(w.values.buffer)), w.name).toBe(true));
    for (const m of [straight.model, cut.model, resumed.model]) m.dispose();
    tally.record(R, 'handled');
  }, 120_000);
});

describe('seeds and the split are kept', () => {
  let out: string;
  let first: { trainWindows: number; validationWindows: number };
  beforeAll(async () => {
    out = path.join(root, 'seeded');
    const res = await runCli(['train', '--input', corpus, '--model-number', '1', '--out', out, ...TINY_TRAIN_FLAGS, '--seed', '5', '--epochs', '1', '--checkpoints', '1', '--json']);
    expect(res.code, res.err).toBe(0);
    first = JSON.parse(res.out);
  }, 120_000);

  it('--resume without --seed reuses the saved split (the same held-out posts)', async () => {
    const res = await runCli(['train', '--input', corpus, '--resume', out, '--out', out, ...TINY_TRAIN_FLAGS, '--epochs', '2', '--checkpoints', '2', '--json']);
    tally.record(R, classify(res).outcome);
    expectHandled(res);
    const json = JSON.parse(res.out);
    expect([json.trainWindows, json.validationWindows]).toEqual([first.trainWindows, first.validationWindows]);
    const cfg = JSON.parse(await fsp.readFile(path.join(out, 'epoch-2', 'config.json'), 'utf8'));
    expect(cfg.split).toMatchObject({ baseSeed: 5, validationShare: 0.1 });
  }, 120_000);

  it('--resume with another --seed is refused with the reason', async () => {
    const res = await runCli(['train', '--input', corpus, '--resume', out, '--out', out, ...TINY_TRAIN_FLAGS, '--seed', '6', '--epochs', '3', '--json']);
    tally.record(R, classify(res).outcome);
    expectCleanError(res, { mentions: ['--seed 5', 'held-out posts', '--seed 6'], noFiles: [path.join(out, 'epoch-3')] });
  });

  it('--resume with another --validation-share is refused', async () => {
    const res = await runCli(['train', '--input', corpus, '--resume', out, '--out', out, ...TINY_TRAIN_FLAGS, '--validation-share', '0.3', '--epochs', '3', '--json']);
    tally.record(R, classify(res).outcome);
    expectCleanError(res, { mentions: ['held-out posts', '--validation-share 0.3'] });
  });
});

describe('resuming on another corpus', () => {
  let out: string;
  let other: string;
  beforeAll(async () => {
    out = path.join(root, 'corpus-a');
    const res = await runCli(['train', '--input', corpus, '--model-number', '1', '--out', out, ...TINY_TRAIN_FLAGS, '--epochs', '1', '--checkpoints', '1', '--json']);
    expect(res.code, res.err).toBe(0);
    const rng = new Random(99);
    const words = 'quantum ledger harbour violet compiler meadow turbine saffron glacier lantern orbit pepper'.split(' ');
    other = path.join(root, 'other.csv');
    await fsp.writeFile(other, 'id,text\n' + Array.from({ length: 60 }, (_, i) => `${i + 1},${Array.from({ length: 8 }, () => rng.pick(words)).join(' ')}`).join('\n') + '\n');
  }, 120_000);

  it('is refused, saying how many of its words are unknown', async () => {
    const res = await runCli(['train', '--input', other, '--resume', out, '--out', out, ...TINY_TRAIN_FLAGS, '--epochs', '2', '--json']);
    tally.record(R, classify(res).outcome);
    expectCleanError(res, { mentions: ['other.csv', /100\.0% of its words are unknown/, '--force'], noFiles: [path.join(out, 'epoch-2')] });
  });

  it('--force resumes anyway', async () => {
    const res = await runCli(['train', '--input', other, '--resume', out, '--out', out, ...TINY_TRAIN_FLAGS, '--epochs', '2', '--checkpoints', '2', '--force', '--json']);
    tally.record(R, classify(res).outcome);
    expectHandled(res);
  }, 120_000);
});

describe('README table', () => {
  it('test/README.md counts these cases as observed', () => {
    expect([...tally.counts.values()].every((c) => c.crash === 0)).toBe(true);
    tally.expectReadmeMatches();
  });
});
