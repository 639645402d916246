import { describe, expect, it } from 'vitest';
import { OWN_GENERATION_DEFAULTS, OWN_MODEL_DEFAULTS, OWN_MODEL_QUICK, resolvePipelineConfig } from '../../src/pipeline/config.js';
import { checkOwnSettings } from '../../src/pipeline/config-check.js';
import { TweetlabError } from '../../src/errors.js';

const own = OWN_MODEL_DEFAULTS;
const gen = OWN_GENERATION_DEFAULTS;

describe('checkOwnSettings', () => {
  it('passes the shipped settings and the edges that mean "off"', () => {
    expect(() => checkOwnSettings(own, gen)).not.toThrow();
    expect(() => checkOwnSettings(OWN_MODEL_QUICK, gen)).not.toThrow();
    const off = { ...own, embeddingDropout: 0, inputDropout: 0, outputDropout: 0, recurrentDropout: 0, weightDecay: 0, noising: 0, clipNorm: 0, lrDecay: 1, averageEpochs: 0 };
    expect(() => checkOwnSettings(off, { ...gen, topP: 1, topK: 0, noveltyN: 0, lengthCalibrationPosts: 0 })).not.toThrow();
  });

  it('names the first setting out of range, in one line', () => {
    const cases: [Partial<typeof own>, Partial<typeof gen>, string][] = [
      [{ hidden: 0 }, {}, 'own.hidden must be a whole number ≥ 1, got 0'],
      [{ layers: 1.5 }, {}, 'own.layers must be a whole number ≥ 1, got 1.5'],
      [{ inputDropout: 1 }, {}, 'own.inputDropout must be from 0 to below 1, got 1'],
      [{ recurrentDropout: -0.1 }, {}, 'own.recurrentDropout must be from 0 to below 1, got -0.1'],
      [{ learningRate: 0 }, {}, 'own.learningRate must be above 0, got 0'],
      [{ noising: 1.2 }, {}, 'own.noising must be a number from 0 to 1, got 1.2'],
      [{ lrDecay: 0 }, {}, 'own.lrDecay must be above 0 and at most 1, got 0'],
      [{ devShare: 0 }, {}, 'own.devShare must be above 0 and below 1, got 0'],
      [{ maxEpochs: Number.NaN }, {}, 'own.maxEpochs must be a whole number ≥ 1, got null'],
      [{ optimizer: 'sgd' as 'adam' }, {}, 'own.optimizer must be "adam", "adamw" or "rmsprop", got "sgd"'],
      [{ noisingFrom: 'never' as 'start' }, {}, 'own.noisingFrom must be "plateau" or "start", got "never"'],
      [{}, { temperature: 0 }, 'generation.temperature must be above 0, got 0'],
      [{}, { topP: 1.5 }, 'generation.topP must be above 0 and at most 1 (1 = off), got 1.5'],
      [{}, { topK: -1 }, 'generation.topK must be a whole number ≥ 0 (0 = off), got -1'],
      [{}, { noveltyN: 2.5 }, 'generation.noveltyN must be a whole number ≥ 0 (0 = off), got 2.5'],
    ];
    for (const [o, g, message] of cases) {
      expect(() => checkOwnSettings({ ...own, ...o }, { ...gen, ...g }), message).toThrow(TweetlabError);
      expect(() => checkOwnSettings({ ...own, ...o }, { ...gen, ...g })).toThrow(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    }
  });

  it('is what resolvePipelineConfig runs, so the CLI, scripts and notebooks all refuse a bad value', () => {
    expect(() => resolvePipelineConfig({ own: { batchSize: 0 } })).toThrow(/^own\.batchSize must be a whole number ≥ 1, got 0$/);
    expect(resolvePipelineConfig({ own: { batchSize: 8 } }).own.batchSize).toBe(8);
  });
});
