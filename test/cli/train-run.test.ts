import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { RunJson } from '../../src/cli/run-output.js';
import type { TrainJson } from '../../src/cli/train-run.js';
import { EOS_TOKEN } from '../../src/text/tokenize.js';
import { loadCorpus, writePostsCsv } from '../../src/sources/index.js';
import { captureIO, tempDir } from './helpers.js';

/**
 * `tweetlab train` is the pipeline's training step of `tweetlab run` on one model: with the same settings both
 * build the same vocabulary (with `<eos>`) and the same windows, and train the same model, weight for weight.
 */

let dir = '';
let input = '';
beforeAll(async () => {
  dir = await tempDir();
  input = path.join(dir, 'posts.csv');
  await writePostsCsv(input, (await loadCorpus({})).posts.slice(0, 400));
});
afterAll(() => fsp.rm(dir, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<string> {
  const io = captureIO();
  const code = await main(argv, io);
  expect(code, io.stderr.join('\n')).toBe(0);
  return io.stdout.join('\n');
}

const readJson = async (file: string) => JSON.parse(await fsp.readFile(file, 'utf8'));

describe('tweetlab train and tweetlab run with the same settings', () => {
  it('give the same vocabulary, the same losses and the same weights for Model 1', async () => {
    const seed = '11';
    const run = JSON.parse(await cli(['run', '--input', input, '--quick', '--models', '1', '--no-own', '--seed', seed, '--out', path.join(dir, 'run'), '--json'])) as RunJson;
    const trainOut = path.join(dir, 'train');
    const train = JSON.parse(await cli(['train', '--input', input, '--model-number', '1', '--preset', 'quick', '--seed', seed, '--out', trainOut, '--json'])) as TrainJson;

    const runModel = path.join(run.runDir, 'models', 'model-1', `epoch-${train.epoch}`);
    const trainModel = path.join(trainOut, `epoch-${train.epoch}`);
    expect(train.epoch).toBe(2);

    const runVocab = (await readJson(path.join(runModel, 'vocab.json'))) as { words: string[] };
    const trainVocab = (await readJson(path.join(trainModel, 'vocab.json'))) as { words: string[] };
    expect(trainVocab.words).toContain(EOS_TOKEN);
    expect(trainVocab.words.length).toBeGreaterThan(50);
    expect(trainVocab.words).toEqual(runVocab.words);
    expect(train.vocabSize).toBe(runVocab.words.length);

    const summary = (await readJson(run.summary)) as { models: { history: { loss: number; valLoss: number | null }[] }[] };
    const losses = (h: readonly { loss: number; valLoss: number | null }[]) => h.map((r) => [r.loss, r.valLoss]);
    expect(losses(train.history)).toEqual(losses(summary.models[0]!.history));

    const runWeights = await fsp.readFile(path.join(runModel, 'weights.bin'));
    const trainWeights = await fsp.readFile(path.join(trainModel, 'weights.bin'));
    expect(trainWeights.length).toBeGreaterThan(1000);
    expect(trainWeights.equals(runWeights)).toBe(true);
  }, 300_000);
});
