import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { main } from '../../src/cli.js';
import { captureIO, tempDir } from './helpers.js';

/** Invented posts, four rounds of them so a tiny model has something to learn; each round ends in its own word,
 * so no post repeats (a held-out repeat of a training post would go back to training). */
const POSTS = [
  'the gas flows north to the port today',
  'the port ships gas to the city every week',
  'the city burns gas in winter and in spring',
  'in winter the gas flows south to the farms',
  'new pipeline opens in the north this week',
  'the farms buy gas from the port in spring',
];

const ROUNDS = ['now', 'again', 'then', 'too'];

let dir: string;
let csv: string;
let out: string;
let trainJson: Record<string, unknown>;

beforeAll(async () => {
  dir = await tempDir();
  csv = path.join(dir, 'posts.csv');
  const rows = ['id,text'];
  for (let r = 0; r < 4; r++) POSTS.forEach((p, i) => rows.push(`${r * 10 + i},"${p} ${ROUNDS[r]}"`));
  await fsp.writeFile(csv, rows.join('\n') + '\n');
  out = path.join(dir, 'model-2');
  const io = captureIO();
  const code = await main(
    ['train', '--input', csv, '--model-number', '2', '--preset', 'quick', '--epochs', '2', '--seq-length', '4',
      '--out', out, '--backend', 'wasm', '--seed', '3', '--json'],
    io,
  );
  if (code !== 0) throw new Error(io.stderr.join('\n'));
  trainJson = JSON.parse(io.stdout.join('\n')) as Record<string, unknown>;
});

describe('tweetlab train', () => {
  it('trains, validates and checkpoints; --json has the documented shape', () => {
    const json = trainJson;
    expect(json['engine']).toBe('tfjs-wasm');
    expect(json['backend']).toBe('wasm');
    expect([json['modelNumber'], json['dataset'], json['variant'], json['epoch'], json['stopped']]).toEqual([2, 2, 1, 2, false]);
    const history = json['history'] as { epoch: number; valLoss: number }[];
    expect(history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(history.every((h) => typeof h.valLoss === 'number')).toBe(true);
    const checkpoints = json['checkpoints'] as { epoch: number; dir: string; samples: string[] }[];
    expect(checkpoints.map((c) => c.epoch)).toEqual([1, 2]);
    expect(checkpoints[1]!.dir).toBe(path.join(out, 'epoch-2'));
    expect(checkpoints[1]!.samples.length).toBeGreaterThan(0);
  });

  it('--resume continues the epoch count', async () => {
    const io = captureIO();
    const code = await main(
      ['train', '--input', csv, '--resume', out, '--epochs', '3', '--out', out, '--backend', 'wasm', '--json'],
      io,
    );
    expect(code, io.stderr.join('\n')).toBe(0);
    const json = JSON.parse(io.stdout.join('\n'));
    expect(json.modelNumber).toBe(2);
    expect(json.history.map((h: { epoch: number }) => h.epoch)).toEqual([1, 2, 3]);
    expect(await fsp.readdir(out)).toContain('epoch-3');
  });

  it('keeps a resumed model on the split it was trained on: repeats stay held out for folders saved before they moved', async () => {
    // Every post twice: held-out draws are repeats of training posts, which go to training since 2026-12-07.
    const twice = path.join(dir, 'twice.csv');
    const rows = ['id,text'];
    for (let k = 0; k < 2; k++) for (let r = 0; r < 4; r++) POSTS.forEach((p, i) => rows.push(`${k * 100 + r * 10 + i},"${p} ${ROUNDS[r]}"`));
    await fsp.writeFile(twice, rows.join('\n') + '\n');
    const fresh = path.join(dir, 'twice-new');
    const flags = ['--backend', 'wasm', '--json'];
    const first = captureIO();
    const code = await main(['train', '--input', twice, '--model-number', '2', '--preset', 'quick', '--epochs', '1', '--seq-length', '4', '--out', fresh, '--seed', '3', ...flags], first);
    expect(code, first.stderr.join('\n')).toBe(0);
    const configFile = (d: string) => path.join(d, 'epoch-1', 'config.json');
    const saved = JSON.parse(await fsp.readFile(configFile(fresh), 'utf8'));
    expect(saved.split.repeatsToTraining).toBe(true);
    // The same folder as an older tweetlab saved it: no repeatsToTraining.
    const old = path.join(dir, 'twice-old');
    await fsp.cp(fresh, old, { recursive: true });
    delete saved.split.repeatsToTraining;
    await fsp.writeFile(configFile(old), JSON.stringify(saved));
    const resume = async (d: string) => {
      const io = captureIO();
      expect(await main(['train', '--input', twice, '--resume', d, '--epochs', '2', '--out', d, ...flags], io), io.stderr.join('\n')).toBe(0);
      return JSON.parse(io.stdout.join('\n')) as { validationWindows: number; trainWindows: number };
    };
    const [resumedNew, resumedOld] = [await resume(fresh), await resume(old)];
    expect(resumedNew.validationWindows).toBe((JSON.parse(first.stdout.join('\n')) as { validationWindows: number }).validationWindows);
    expect(resumedOld.validationWindows).toBeGreaterThan(resumedNew.validationWindows);
    expect(resumedOld.trainWindows).toBeLessThan(resumedNew.trainWindows);
    expect(JSON.parse(await fsp.readFile(configFile(old), 'utf8')).split.repeatsToTraining).toBeUndefined();
  });

  it('Ctrl-C (SIGINT) stops after the current batch, exits 130 and leaves a loadable model', async () => {
    const stopOut = path.join(dir, 'stopped');
    const io = captureIO();
    // Press Ctrl-C once, 200 ms after the command has installed its handler (so training is under way).
    const listeners = process.listenerCount('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (process.listenerCount('SIGINT') > listeners) {
        clearInterval(poll);
        timer = setTimeout(() => process.emit('SIGINT'), 200);
      }
    }, 10);
    const code = await main(
      ['train', '--input', csv, '--model-number', '1', '--preset', 'quick', '--epochs', '500', '--checkpoints', '500',
        '--seq-length', '3', '--batch-size', '2', '--out', stopOut, '--backend', 'wasm', '--json'],
      io,
    );
    clearInterval(poll);
    clearTimeout(timer);
    expect(code).toBe(130);
    const json = JSON.parse(io.stdout.join('\n'));
    expect(json.stopped).toBe(true);
    expect(json.epoch).toBeLessThan(500);
    expect(await fsp.readdir(stopOut)).toEqual(['interrupted']);
    const gen = captureIO();
    expect(await main(['generate', '--model', path.join(stopOut, 'interrupted'), '-n', '1', '--backend', 'wasm'], gen)).toBe(0);
    expect(gen.stdout.join('').length).toBeGreaterThan(0);
  });

  it('rejects bad flags with one line', async () => {
    const io = captureIO();
    expect(await main(['train', '--input', csv, '--out', out], io)).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/--model-number/);
    const io2 = captureIO();
    expect(await main(['train', '--model-number', '5', '--out', out], io2)).toBe(2);
    expect(io2.stderr[0]).toMatch(/--model-number must be one of 1, 2, 3, 4/);
  });
});

describe('tweetlab generate', () => {
  it('writes n posts, deterministic under --seed', async () => {
    const model = path.join(out, 'epoch-2');
    const run = async (seed: string) => {
      const io = captureIO();
      expect(await main(['generate', '--model', model, '-n', '4', '--seed', seed, '--backend', 'wasm', '--json'], io)).toBe(0);
      return JSON.parse(io.stdout.join('\n'));
    };
    const a = await run('7');
    const b = await run('7');
    expect(a.posts).toHaveLength(4);
    expect(b.posts).toEqual(a.posts);
    expect(a.engine).toBe('tfjs-wasm');
    expect(a.epoch).toBe(2);
    for (const p of a.posts) expect(p.text.split(' ')).toHaveLength(p.length);
    const io = captureIO();
    expect(await main(['generate', '--model', model, '-n', '2', '--start', 'The gas', '--greedy', '--backend', 'wasm'], io)).toBe(0);
    const lines = io.stdout.join('\n').split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.startsWith('the gas '))).toBe(true);
    expect(io.stderr.filter((l) => l.startsWith('warning'))).toEqual([]);
    // A start word the model never saw still begins the posts, with a one-line warning naming it.
    const unknown = captureIO();
    expect(await main(['generate', '--model', model, '-n', '1', '--start', 'zyzzyva gas', '--backend', 'wasm'], unknown)).toBe(0);
    expect(unknown.stdout.join('\n')).toMatch(/^zyzzyva gas/);
    expect(unknown.stderr.filter((l) => l.startsWith('warning'))).toEqual([
      'warning: the start word "zyzzyva" is not in the model\'s vocabulary: the model reads it as <unk> (the posts still begin with it).',
    ]);
  });

  it('--top-p samples from the nucleus: a tiny mass keeps only the likeliest word, as --greedy does; bad values exit 2', async () => {
    const model = path.join(out, 'epoch-2');
    const posts = async (...flags: string[]) => {
      const io = captureIO();
      expect(await main(['generate', '--model', model, '-n', '3', '--start', 'the', '--backend', 'wasm', '--json', ...flags], io)).toBe(0);
      return JSON.parse(io.stdout.join('\n'));
    };
    const nucleus = await posts('--top-p', '0.000001');
    const greedy = await posts('--greedy');
    expect(nucleus.options.topP).toBe(0.000001);
    expect(nucleus.posts.map((p: { text: string }) => p.text)).toEqual(greedy.posts.map((p: { text: string }) => p.text));
    // A report model keeps sampling from every word unless asked (top-p 1 = off).
    expect((await posts()).options.topP).toBe(1);
    for (const bad of ['0', '1.5', 'x']) {
      const io = captureIO();
      expect(await main(['generate', '--model', model, '--top-p', bad, '--backend', 'wasm'], io)).toBe(2);
      expect(io.stderr).toHaveLength(1);
      expect(io.stderr[0]).toMatch(/^tweetlab generate: --top-p/);
    }
  });

  it('a missing model folder, a corrupted weights file and a vocabulary mismatch each give one clear line', async () => {
    const missing = captureIO();
    expect(await main(['generate', '--model', path.join(dir, 'nope')], missing)).toBe(1);
    expect(missing.stderr).toEqual([`tweetlab generate: Model folder not found: ${path.join(dir, 'nope')}`]);

    const broken = path.join(dir, 'broken');
    await fsp.cp(path.join(out, 'epoch-2'), broken, { recursive: true });
    const weights = path.join(broken, 'weights.bin');
    await fsp.writeFile(weights, (await fsp.readFile(weights)).subarray(0, 100));
    const corrupted = captureIO();
    expect(await main(['generate', '--model', broken, '--backend', 'wasm'], corrupted)).toBe(1);
    expect(corrupted.stderr).toHaveLength(1);
    expect(corrupted.stderr[0]).toMatch(/^tweetlab generate: Weights file .*weights\.bin is corrupted or truncated/);

    const mismatch = path.join(dir, 'mismatch');
    await fsp.cp(path.join(out, 'epoch-2'), mismatch, { recursive: true });
    const vocabFile = path.join(mismatch, 'vocab.json');
    const vocab = JSON.parse(await fsp.readFile(vocabFile, 'utf8'));
    vocab.words.pop();
    vocab.counts.pop();
    await fsp.writeFile(vocabFile, JSON.stringify(vocab));
    const wrong = captureIO();
    expect(await main(['generate', '--model', mismatch, '--backend', 'wasm'], wrong)).toBe(1);
    expect(wrong.stderr).toHaveLength(1);
    expect(wrong.stderr[0]).toMatch(/^tweetlab generate: Vocabulary size mismatch/);
  });

  it('a corpus whose words are all rarer than --min-count names the file and the cause', async () => {
    // Every word occurs once or twice: nothing reaches --min-count 3.
    const rare = path.join(dir, 'rare.csv');
    await fsp.writeFile(rare, 'id,text\n1,"alpha beta gamma delta"\n2,"alpha epsilon zeta eta"\n3,"theta iota kappa beta"\n');
    const rareOut = path.join(dir, 'rare-model');
    const io = captureIO();
    const code = await main(
      ['train', '--input', rare, '--model-number', '1', '--preset', 'quick', '--min-count', '3', '--seq-length', '2',
        '--validation-share', '0', '--out', rareOut, '--backend', 'wasm'],
      io,
    );
    expect(code).toBe(1);
    const errors = io.stderr.filter((l) => !l.startsWith('engine:'));
    expect(errors).toEqual([
      `tweetlab train: ${rare}: no word occurs at least 3 times in the training posts (--min-count 3), so the vocabulary is empty; lower --min-count or use a larger corpus`,
    ]);
    await expect(fsp.access(rareOut)).rejects.toThrow();
  });

});
