import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activateBackend } from '../../src/model/backend.js';
import { clipFactor, keepsOptimizerState, optimizerSlotNames } from '../../src/model/checks.js';
import { FastLanguageModel } from '../../src/model/fast/model.js';
import { TfjsLanguageModel } from '../../src/model/tfjs-engine.js';
import type { LanguageModel, OptimizerSettings } from '../../src/model/types.js';
import type { WindowSet } from '../../src/types.js';
import { ensureKernelsBuilt } from './fast/kernels-built.js';
import { randomWindows, tinyConfig } from './helpers.js';

ensureKernelsBuilt();

/** The rules of src/model/checks.ts, and both engines applying them with the same words. */

const ADAM: OptimizerSettings = { kind: 'adam', learningRate: 0.01, rho: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
const RMSPROP: OptimizerSettings = { ...ADAM, kind: 'rmsprop' };

describe('shared engine rules', () => {
  it('slot names, carried-over state and the clip factor', () => {
    expect(optimizerSlotNames('rmsprop')).toEqual(['rms']);
    expect(optimizerSlotNames('adam')).toEqual(['m', 'v']);
    expect(optimizerSlotNames('adamw')).toEqual(['m', 'v']);
    expect(keepsOptimizerState(ADAM, { ...ADAM, learningRate: 0.5 })).toBe(true);
    expect(keepsOptimizerState(ADAM, RMSPROP)).toBe(false);
    expect(clipFactor(10, 1)).toBeCloseTo(1 / (10 + 1e-6), 12);
    expect(clipFactor(0.5, 1)).toBe(1);
  });

  describe('both engines reject the same window sets with the same message', () => {
    const cfg = tinyConfig();
    let models: LanguageModel[] = [];
    beforeAll(async () => {
      await activateBackend('cpu');
      const fast = new FastLanguageModel(cfg, undefined, 1);
      await fast.ready();
      models = [new TfjsLanguageModel(cfg, 'cpu'), fast];
    });
    afterAll(() => models.forEach((m) => m.dispose()));

    const bad: [string, () => WindowSet, RegExp][] = [
      ['another window length', () => randomWindows(3, cfg.seqLength + 1, cfg.vocabSize), /windows have seqLength 5, the model was built for 4/],
      ['fewer ids than windows', () => ({ ...randomWindows(3, cfg.seqLength, cfg.vocabSize), count: 4 }), /shorter than its count of 4 windows/],
      ['an id outside the vocabulary', () => {
        const w = randomWindows(3, cfg.seqLength, cfg.vocabSize);
        w.targets[5] = cfg.vocabSize;
        return w;
      }, /Window targets: id 12 at position 5 is outside the vocabulary \(0\.\.11\)/],
    ];
    for (const [label, data, message] of bad) {
      it(label, async () => {
        for (const model of models) {
          await expect(model.evaluate(data()), model.engine).rejects.toThrow(message);
          await expect(model.trainEpoch(data(), { batchSize: 2, optimizer: ADAM, seed: 1 }), model.engine).rejects.toThrow(message);
        }
      });
    }
  });
});
