import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../../src/random.js';
import { activateBackend } from '../../../src/model/backend.js';
import { initialWeights } from '../../../src/model/init.js';
import { FastLanguageModel } from '../../../src/model/fast/model.js';
import { drawMasksJs } from '../../../src/model/masks.js';
import type { ModelConfig, NamedWeight } from '../../../src/model/types.js';
import { ensureKernelsBuilt } from './kernels-built.js';
import { randomWindows, referenceGradients, relError } from './reference.js';

ensureKernelsBuilt();

/**
 * Variant 3 (tied embeddings, embedding / input / output / between-layer locked dropout, DropConnect) against a
 * tfjs `cpu` functional reference that applies the same masks: loss and every gradient agree.
 */

function v3(over: Partial<ModelConfig>): ModelConfig {
  return {
    variant: 3, layers: 1, hidden: 8, embedding: 8, dropout: 0.3, vocabSize: 29, seqLength: 5,
    initializer: 'test', seed: 13, tied: true, embeddingDropout: 0.2, inputDropout: 0.4, outputDropout: 0.4,
    recurrentDropout: 0.5, ...over,
  };
}

/** Initial weights with larger random offsets so no gradient is trivially small. */
function perturbed(cfg: ModelConfig): NamedWeight[] {
  const weights = initialWeights(cfg);
  const rng = new Random(99);
  for (const w of weights) for (let i = 0; i < w.values.length; i++) w.values[i] = (w.values[i] as number) + (rng.next() - 0.5) * 0.4;
  return weights;
}

const models: FastLanguageModel[] = [];
afterAll(() => models.forEach((m) => m.dispose()));
beforeAll(async () => {
  await activateBackend('cpu');
});

describe('variant 3 loss and gradients equal the tfjs cpu reference with the same masks', () => {
  const cases: [string, Partial<ModelConfig>, number][] = [
    ['1 layer, tied, every dropout', {}, 7],
    ['2 layers, tied, every dropout (locked between layers)', { layers: 2, seed: 4 }, 6],
    ['2 layers, odd sizes (scalar tails)', { layers: 2, hidden: 7, embedding: 7, vocabSize: 23, seqLength: 4, seed: 8 }, 5],
    ['2 layers, untied, embedding ≠ hidden', { layers: 2, tied: false, hidden: 6, embedding: 5, seed: 2 }, 6],
  ];
  for (const threads of [1, 2]) {
    for (const [label, over, count] of cases) {
      it(`${label}, ${threads} thread(s)`, async () => {
        const cfg = v3(over);
        const weights = perturbed(cfg);
        const fast = new FastLanguageModel(cfg, weights, threads);
        models.push(fast);
        await fast.ready();
        const data = randomWindows(cfg, count, 1234);
        const got = fast.lossAndGradients(data.inputs, data.targets, count, { seed: 77 });
        const masks = fast.lastMasks();
        // Every configured mask was drawn and really drops something while keeping the rest scaled.
        const all = [masks.embedding, masks.input, ...masks.locked, ...masks.recurrent];
        const expected = 2 + cfg.layers + cfg.layers; // embedding, input, locked per layer, recurrent per layer
        expect(all.filter((m) => m !== null).length).toBe(expected);
        for (const m of all) {
          if (!m) continue;
          expect(m.some((v) => v === 0)).toBe(true);
          expect(m.some((v) => v > 1)).toBe(true);
        }
        const want = referenceGradients(cfg, weights, data, masks);
        expect(Math.abs(got.loss - want.loss) / want.loss).toBeLessThan(1e-5);
        expect(got.gradients.map((g) => g.name)).toEqual(want.gradients.map((g) => g.name));
        got.gradients.forEach((g, k) => {
          const e = relError(g.values, (want.gradients[k] as NamedWeight).values);
          if (!(e <= 1e-4)) throw new Error(`${g.name}: relative error ${e} > 1e-4`);
        });
      });
    }
  }

  it('without a seed (inference) no mask applies and the loss equals the maskless reference', async () => {
    const cfg = v3({ layers: 2 });
    const weights = perturbed(cfg);
    const fast = new FastLanguageModel(cfg, weights, 2);
    models.push(fast);
    const data = randomWindows(cfg, 4, 5);
    const got = fast.lossAndGradients(data.inputs, data.targets, 4);
    const masks = fast.lastMasks();
    expect([masks.embedding, masks.input, ...masks.locked, ...masks.recurrent].every((m) => m === null)).toBe(true);
    const want = referenceGradients(cfg, weights, data, null);
    expect(Math.abs(got.loss - want.loss) / want.loss).toBeLessThan(1e-5);
    got.gradients.forEach((g, k) => expect(relError(g.values, (want.gradients[k] as NamedWeight).values)).toBeLessThan(1e-4));
    const ev = await fast.evaluate(data);
    expect(Math.abs(ev.loss - want.loss) / want.loss).toBeLessThan(1e-5);
  });

  it('masks follow the seed: same seed same masks, another seed other masks; locked masks have one row per window', () => {
    const cfg = v3({ layers: 2 });
    const fast = new FastLanguageModel(cfg, undefined, 1);
    models.push(fast);
    const data = randomWindows(cfg, 6, 5);
    fast.lossAndGradients(data.inputs, data.targets, 6, { seed: 1 });
    const a = fast.lastMasks();
    fast.lossAndGradients(data.inputs, data.targets, 6, { seed: 1 });
    const b = fast.lastMasks();
    fast.lossAndGradients(data.inputs, data.targets, 6, { seed: 2 });
    const c = fast.lastMasks();
    expect(a).toEqual(b);
    expect(a.input).not.toEqual(c.input);
    expect(a.input?.length).toBe(6 * cfg.embedding);
    expect(a.locked[0]?.length).toBe(6 * cfg.hidden);
    expect(a.recurrent[1]?.length).toBe(cfg.hidden * 4 * cfg.hidden);
    expect(a.embedding?.length).toBe(cfg.vocabSize);
    // The engine-neutral JS draw (what the tfjs engine trains with) gives the kernels' masks bit for bit.
    expect(drawMasksJs(cfg, 6, new Random(2))).toEqual(c);
  });
});
