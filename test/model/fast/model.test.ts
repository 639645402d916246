import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../../src/random.js';
import { TweetlabError } from '../../../src/errors.js';
import { buildVocabulary } from '../../../src/text/index.js';
import { loadModel, saveModel } from '../../../src/model/io.js';
import { createFastEngine, FastLanguageModel, fastEngineEntry } from '../../../src/model/fast/index.js';
import type { ModelConfig, OptimizerSettings } from '../../../src/model/types.js';
import type { WindowSet } from '../../../src/types.js';
import { ensureKernelsBuilt } from './kernels-built.js';

ensureKernelsBuilt();

function config(over: Partial<ModelConfig> = {}): ModelConfig {
  return {
    variant: 1, layers: 2, hidden: 16, embedding: 8, dropout: 0, vocabSize: 20, seqLength: 4,
    initializer: 'test', seed: 3, ...over,
  };
}

function randomWindows(cfg: ModelConfig, count: number, seed: number): WindowSet {
  const rng = new Random(seed);
  const n = count * cfg.seqLength;
  const inputs = Int32Array.from({ length: n }, () => rng.int(cfg.vocabSize));
  const targets = Int32Array.from({ length: n }, () => rng.int(cfg.vocabSize));
  return { inputs, targets, count, seqLength: cfg.seqLength, variant: 1, excludedPosts: 0 };
}

/** Windows of a cyclic sequence 0,1,2,…: the next word is always determined by the current one. */
function cyclicWindows(cfg: ModelConfig, count: number): WindowSet {
  const T = cfg.seqLength;
  const inputs = new Int32Array(count * T);
  const targets = new Int32Array(count * T);
  for (let w = 0; w < count; w++) {
    for (let t = 0; t < T; t++) {
      inputs[w * T + t] = (w + t) % cfg.vocabSize;
      targets[w * T + t] = (w + t + 1) % cfg.vocabSize;
    }
  }
  return { inputs, targets, count, seqLength: T, variant: 1, excludedPosts: 0 };
}

const ADAM: OptimizerSettings = { kind: 'adam', learningRate: 0.02, rho: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
const RMSPROP: OptimizerSettings = { ...ADAM, kind: 'rmsprop', learningRate: 0.005 };

const models: FastLanguageModel[] = [];
function make(cfg: ModelConfig, threads = 2): FastLanguageModel {
  const m = new FastLanguageModel(cfg, undefined, threads);
  models.push(m);
  return m;
}
afterAll(() => models.forEach((m) => m.dispose()));

describe('fast-wasm training', () => {
  it('learns a deterministic sequence to near-zero loss', async () => {
    const cfg = config({ vocabSize: 12, hidden: 24 });
    const model = make(cfg);
    const data = cyclicWindows(cfg, 24);
    const first = await model.trainEpoch(data, { batchSize: 8, optimizer: ADAM, seed: 0 });
    let last = first;
    for (let e = 1; e < 80; e++) last = await model.trainEpoch(data, { batchSize: 8, optimizer: ADAM, seed: e });
    expect(first.loss).toBeGreaterThan(2);
    expect(last.loss).toBeLessThan(0.05);
    const ev = await model.evaluate(data);
    expect(ev.loss).toBeLessThan(0.05);
    expect(ev.perplexity).toBeCloseTo(Math.exp(ev.loss), 10);
    // Generation with the incremental state follows the cycle.
    const state = model.startState();
    let token = 5;
    for (let i = 0; i < 6; i++) {
      const p = model.step(state, token);
      expect(p.length).toBe(cfg.vocabSize);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      const next = p.indexOf(Math.max(...p));
      expect(next).toBe((token + 1) % cfg.vocabSize);
      token = next;
    }
  });

  it('is deterministic under a seed, with dropout, and one or two threads give identical results', async () => {
    const cfg = config({ variant: 2, dropout: 0.2 });
    const data = randomWindows(cfg, 30, 5);
    const a = make(cfg, 1);
    const b = make(cfg, 2);
    const c = make(cfg, 2);
    await b.ready();
    const sa = await a.trainEpoch(data, { batchSize: 7, optimizer: RMSPROP, seed: 9 });
    const sb = await b.trainEpoch(data, { batchSize: 7, optimizer: RMSPROP, seed: 9 });
    const sc = await c.trainEpoch(data, { batchSize: 7, optimizer: RMSPROP, seed: 10 });
    expect(sb.loss).toBe(sa.loss);
    expect(sb.batches).toBe(5);
    expect(sb.windows).toBe(30);
    const wa = a.getWeights();
    const wb = b.getWeights();
    wa.forEach((w, k) => expect(Array.from(wb[k]!.values)).toEqual(Array.from(w.values)));
    // Another seed draws other batches and dropout masks.
    expect(sc.loss).not.toBe(sa.loss);
  });

  it('stops between batches when asked', async () => {
    const cfg = config();
    const model = make(cfg);
    const seen: number[] = [];
    const s = await model.trainEpoch(randomWindows(cfg, 40, 1), {
      batchSize: 4, optimizer: RMSPROP, seed: 1, shouldStop: () => seen.length >= 3,
    }, (info) => {
      seen.push(info.batch);
      expect(info.batches).toBe(10);
      expect(Number.isFinite(info.loss)).toBe(true);
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(s.batches).toBe(3);
    expect(s.windows).toBe(12);
  });

  it('continues identically from copied weights and optimiser state (resume)', async () => {
    const cfg = config();
    const data = randomWindows(cfg, 20, 2);
    for (const opt of [RMSPROP, ADAM]) {
      const a = make(cfg);
      await a.trainEpoch(data, { batchSize: 6, optimizer: opt, seed: 1 });
      const state = a.getOptimizerState();
      expect(state?.iterations).toBe(4);
      expect(state?.slots.length).toBe((opt.kind === 'adam' ? 2 : 1) * a.getWeights().length);
      const b = make(cfg, 2);
      b.setWeights(a.getWeights());
      b.setOptimizerState(state!);
      await a.trainEpoch(data, { batchSize: 6, optimizer: opt, seed: 2 });
      await b.trainEpoch(data, { batchSize: 6, optimizer: opt, seed: 2 });
      const wa = a.getWeights();
      b.getWeights().forEach((w, k) => expect(Array.from(w.values)).toEqual(Array.from(wa[k]!.values)));
    }
  });

  it('rejects bad input with clear errors', async () => {
    const cfg = config();
    const model = make(cfg);
    const bad = randomWindows(cfg, 3, 1);
    bad.inputs[5] = cfg.vocabSize;
    await expect(model.trainEpoch(bad, { batchSize: 2, optimizer: RMSPROP, seed: 1 })).rejects.toThrow(/outside the vocabulary/);
    await expect(model.evaluate({ ...randomWindows(cfg, 2, 1), seqLength: 5 })).rejects.toThrow(TweetlabError);
    expect(() => model.step(model.startState(), -1)).toThrow(/outside the vocabulary/);
    expect(() => model.setWeights(model.getWeights().slice(1))).toThrow(TweetlabError);
    const gone = new FastLanguageModel(cfg, undefined, 1);
    gone.dispose();
    expect(() => gone.getWeights()).toThrow(/disposed/);
  });
});

describe('fast-wasm engine and files', () => {
  it('saves and loads through the shared model folder format with identical predictions', async () => {
    const posts = [['a', 'b', 'c', 'd'], ['b', 'c', 'e', 'f', 'g'], ['h', 'a', 'b']];
    const vocab = buildVocabulary(posts);
    const cfg = config({ vocabSize: vocab.words.length });
    const engine = createFastEngine({ threads: 2 });
    expect(engine.name).toBe('fast-wasm');
    const model = engine.createModel(cfg);
    models.push(model as FastLanguageModel);
    const data = randomWindows(cfg, 10, 4);
    await model.trainEpoch(data, { batchSize: 4, optimizer: ADAM, seed: 3 });
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-fast-io-'));
    try {
      await saveModel(path.join(dir, 'm'), model, vocab, { epoch: 1 });
      const loaded = await loadModel(path.join(dir, 'm'), engine);
      models.push(loaded.model as FastLanguageModel);
      expect(loaded.model.engine).toBe('fast-wasm');
      expect(loaded.config.engine).toBe('fast-wasm');
      const p1 = await model.predict(data.inputs, data.count);
      const p2 = await loaded.model.predict(data.inputs, data.count);
      expect(Array.from(p2)).toEqual(Array.from(p1));
      expect(loaded.model.getOptimizerState()?.iterations).toBe(3);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('offers a registry entry', async () => {
    expect(fastEngineEntry.name).toBe('fast-wasm');
    expect(await fastEngineEntry.available()).toBe(true);
    const engine = await fastEngineEntry.load();
    expect(engine.name).toBe('fast-wasm');
  });
});
