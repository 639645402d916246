/**
 * Model folders validated before use (issue 15): a schema for config.json (types, ranges, sizes bounded before
 * anything is allocated), only regular files inside the folder (no symlinks out, no devices or FIFOs that hang
 * a read), and SHA-256 checksums of weights.bin and optimizer.bin. Each case damages a copy of a tiny trained
 * model and runs `tweetlab generate` (or `train --resume`) in-process.
 */
import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/io.js';
import { validateModelConfig } from '../../src/model/validate.js';
import { classify, classifyCall, expectCleanError, expectHandled, runCli, Tally, tempDir } from './harness.js';
import { TINY_TRAIN_FLAGS, tinyCorpusCsv } from './tiny.js';

const tally = new Tally('modelfolder');
const R = 'model folder (validated)';
let root: string;
let good: string;
let corpus: string;

beforeAll(async () => {
  root = await tempDir('modelfolder');
  corpus = path.join(root, 'tiny.csv');
  await fsp.writeFile(corpus, tinyCorpusCsv());
  const out = path.join(root, 'trained');
  const res = await runCli(['train', '--input', corpus, '--model-number', '1', '--out', out, ...TINY_TRAIN_FLAGS, '--epochs', '1', '--checkpoints', '1', '--json']);
  expect(res.code, res.err).toBe(0);
  good = path.join(out, 'epoch-1');
}, 120_000);
afterAll(async () => {
  await tally.save();
  await fsp.rm(root, { recursive: true, force: true });
});

type Damage = (dir: string) => Promise<void>;
const editConfig = (edit: (j: Record<string, any>) => void): Damage => async (dir) => {
  const file = path.join(dir, 'config.json');
  const j = JSON.parse(await fsp.readFile(file, 'utf8')) as Record<string, any>;
  edit(j);
  await fsp.writeFile(file, JSON.stringify(j));
};
const symlinkTo = (name: string, target: string): Damage => async (dir) => {
  await fsp.rm(path.join(dir, name));
  await fsp.symlink(target, path.join(dir, name));
};
const fifo = (name: string): Damage => async (dir) => {
  await fsp.rm(path.join(dir, name));
  expect(spawnSync('mkfifo', [path.join(dir, name)]).status).toBe(0);
};
/** Sets float `index` of a binary file to `value` (a plausible, silent corruption). */
const setFloat = (name: string, index: number, value: number): Damage => async (dir) => {
  const file = path.join(dir, name);
  const b = await fsp.readFile(file);
  b.writeFloatLE(value, index * 4);
  await fsp.writeFile(file, b);
};

const cases: { name: string; damage: Damage; mentions: (string | RegExp)[] }[] = [
  { name: 'history is a string', damage: editConfig((j) => void (j['history'] = 'x')), mentions: ['config.json', 'history'] },
  { name: 'history entry with a string loss', damage: editConfig((j) => void (j['history'][0]['loss'] = 'low')), mentions: ['config.json', 'history[0].loss'] },
  { name: 'a billion posts of length 5', damage: editConfig((j) => void (j['wordsPerPost'] = { '5': 1_000_000_000 })), mentions: ['config.json', 'wordsPerPost'] },
  { name: 'a post of 100,000,000 words', damage: editConfig((j) => void (j['wordsPerPost'] = { '100000000': 1 })), mentions: ['config.json', 'wordsPerPost'] },
  { name: 'epoch is a string', damage: editConfig((j) => void (j['epoch'] = '2')), mentions: ['config.json', 'epoch'] },
  { name: 'unknown optimizer', damage: editConfig((j) => void (j['optimizer']['settings']['kind'] = 'sgd')), mentions: ['config.json', 'optimizer.settings.kind'] },
  { name: 'unknown training optimizer', damage: editConfig((j) => void (j['train']['optimizer'] = 'lion')), mentions: ['config.json', 'train.optimizer'] },
  { name: 'dropout 5', damage: editConfig((j) => void (j['model']['dropout'] = 5)), mentions: ['config.json', 'model.dropout'] },
  { name: 'variant 7', damage: editConfig((j) => void (j['model']['variant'] = 7)), mentions: ['config.json', 'model.variant'] },
  { name: 'a billion hidden units', damage: editConfig((j) => void (j['model']['hidden'] = 1_000_000_000)), mentions: ['config.json', 'model.hidden'] },
  { name: 'a model too large to load', damage: editConfig((j) => Object.assign(j['model'], { hidden: 16_000, embedding: 16_000, vocabSize: 5_000_000 })), mentions: ['config.json', 'parameters'] },
  { name: 'optimizer slots of absurd shape', damage: editConfig((j) => void (j['optimizer']['slots'][0]['shape'] = [1e9, 1e9])), mentions: ['config.json', 'optimizer.slots'] },
  { name: 'split.repeatsToTraining a string', damage: editConfig((j) => void (j['split']['repeatsToTraining'] = 'yes')), mentions: ['config.json', 'split.repeatsToTraining'] },
  { name: 'a checksum that is not hex', damage: editConfig((j) => void (j['checksums'] = { 'weights.bin': 'abc' })), mentions: ['config.json', 'checksums'] },
  { name: 'weights.bin a symlink to /dev/zero', damage: symlinkTo('weights.bin', '/dev/zero'), mentions: ['weights.bin', 'symbolic link'] },
  { name: 'weights.bin a symlink to a file outside the folder', damage: symlinkTo('weights.bin', '/etc/hostname'), mentions: ['weights.bin', 'symbolic link'] },
  { name: 'weights.bin a FIFO', damage: fifo('weights.bin'), mentions: ['weights.bin', /not a regular file/] },
  { name: 'config.json a symlink to /dev/zero', damage: symlinkTo('config.json', '/dev/zero'), mentions: ['config.json', 'symbolic link'] },
  { name: 'vocab.json a FIFO', damage: fifo('vocab.json'), mentions: ['vocab.json', /not a regular file/] },
  { name: 'model.json a symlink', damage: async (d) => { await fsp.rename(path.join(d, 'model.json'), path.join(root, `m-${path.basename(path.dirname(d))}.json`)); await fsp.symlink(path.join(root, `m-${path.basename(path.dirname(d))}.json`), path.join(d, 'model.json')); }, mentions: ['model.json', 'symbolic link'] },
  { name: 'one weight set to 3e38', damage: setFloat('weights.bin', 7, 3e38), mentions: ['weights.bin', 'SHA-256'] },
  { name: 'one weight set to a tiny change', damage: setFloat('weights.bin', 0, 0.0123), mentions: ['weights.bin', 'SHA-256'] },
];

describe('damaged or hostile model folders: tweetlab generate', () => {
  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_n, c, i) => {
    const dir = path.join(root, `gen-${i}`, 'epoch-1');
    await fsp.cp(good, dir, { recursive: true });
    await c.damage(dir);
    const res = await runCli(['generate', '--model', dir, '-n', '2', '--length', '4', '--seed', '3', '--json']);
    tally.record(R, classify(res).outcome);
    expectCleanError(res, { mentions: c.mentions });
  });
});

describe('checksums', () => {
  it('a changed optimizer.bin stops train --resume', async () => {
    const out = path.join(root, 'resume-opt');
    const dir = path.join(out, 'epoch-1');
    await fsp.cp(good, dir, { recursive: true });
    await setFloat('optimizer.bin', 3, 1e30)(dir);
    const res = await runCli(['train', '--input', corpus, '--resume', dir, '--out', out, ...TINY_TRAIN_FLAGS, '--epochs', '2', '--json']);
    tally.record(R, classify(res).outcome);
    expectCleanError(res, { mentions: ['optimizer.bin', 'SHA-256'], noFiles: [path.join(out, 'epoch-2')] });
  });

  it('a folder saved before checksums loads, with a warning', async () => {
    const dir = path.join(root, 'old', 'epoch-1');
    await fsp.cp(good, dir, { recursive: true });
    await editConfig((j) => void delete j['checksums'])(dir);
    const warnings: string[] = [];
    const r = await classifyCall(() => loadModel(dir, undefined, { onWarning: (w) => warnings.push(w) }));
    tally.record(R, r.outcome);
    expect(r.outcome, r.message).toBe('handled');
    expect(warnings.join('\n')).toMatch(/weights\.bin has no checksum/);
    const res = await runCli(['generate', '--model', dir, '-n', '1', '--length', '3', '--json']);
    expectHandled(res);
  });

  it('a saved folder records the checksums and loads without warnings', async () => {
    const cfg = JSON.parse(await fsp.readFile(path.join(good, 'config.json'), 'utf8'));
    expect(Object.keys(cfg.checksums).sort()).toEqual(['optimizer.bin', 'weights.bin']);
    const warnings: string[] = [];
    const r = await classifyCall(() => loadModel(good, undefined, { onWarning: (w) => warnings.push(w) }));
    tally.record(R, r.outcome);
    expect(r.outcome, r.message).toBe('handled');
    expect(warnings).toEqual([]);
  });
});

describe('the schema accepts what tweetlab writes', () => {
  it('variant 3 fields (tied, the four dropouts, adamw with weight decay and clipping)', async () => {
    const cfg = JSON.parse(await fsp.readFile(path.join(good, 'config.json'), 'utf8'));
    cfg.model = { ...cfg.model, variant: 3, hidden: 8, embedding: 8, tied: true, embeddingDropout: 0.1, inputDropout: 0.2, outputDropout: 0.3, recurrentDropout: 0.25 };
    cfg.train = { ...cfg.train, optimizer: 'adamw', weightDecay: 0.01, clipNorm: 1 };
    cfg.optimizer.settings = { ...cfg.optimizer.settings, kind: 'adamw', weightDecay: 0.01 };
    expect(() => validateModelConfig(cfg, 'config.json')).not.toThrow();
    cfg.model.recurrentDropout = 1;
    expect(() => validateModelConfig(cfg, 'config.json')).toThrow(/model\.recurrentDropout/);
    tally.record(R, 'handled');
  });
});

describe('README table', () => {
  it('test/README.md counts these cases as observed', () => {
    expect([...tally.counts.values()].every((c) => c.crash === 0)).toBe(true);
    tally.expectReadmeMatches();
  });
});
