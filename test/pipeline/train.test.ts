import { describe, expect, it } from 'vitest';
import { makeRunId } from '../../src/report/job.js';
import { EVALUATION_POSTS, OWN_MODEL_DEFAULTS, OWN_MODEL_QUICK, RUN_PRESET_NAMES, resolvePipelineConfig } from '../../src/pipeline/config.js';
import { buildExperiment, PRESETS } from '../../src/model/experiment.js';

describe('makeRunId', () => {
  it('is a UTC timestamp plus a short hash of the config', () => {
    const at = new Date('2026-11-22T18:05:09.123Z');
    const id = makeRunId({ a: 1 }, at);
    expect(id).toMatch(/^20261122T180509Z-[0-9a-f]{8}$/);
    expect(makeRunId({ a: 1 }, at)).toBe(id);
    expect(makeRunId({ a: 2 }, at)).not.toBe(id);
  });
});

describe('resolvePipelineConfig', () => {
  it('uses the model module presets and keeps the last epoch a checkpoint', () => {
    expect(RUN_PRESET_NAMES).toEqual(['quick', 'default', 'report']);
    const d = resolvePipelineConfig({ preset: 'default', seed: 7 });
    expect(d.experiment.epochs).toBe(PRESETS.default.epochs);
    expect(d.experiment.checkpoints).toEqual(PRESETS.default.checkpoints);
    expect(d.experiment.seed).toBe(7);
    expect(d.evaluationPosts).toBe(EVALUATION_POSTS.default);

    const short = resolvePipelineConfig({ preset: 'report', epochs: 30, seed: 1 });
    expect(short.experiment.checkpoints).toEqual([20, 30]);
    const long = resolvePipelineConfig({ preset: 'quick', epochs: 5, seqLength: 4, seed: 1, models: [3, 1] });
    expect(long.experiment.checkpoints).toEqual([1, 2, 5]);
    expect(long.experiment.seqLength).toBe(4);
  });

  it('builds the chosen models in order with their dataset and variant', () => {
    const plan = resolvePipelineConfig({ preset: 'quick', seed: 1, models: [4, 1] });
    const models = buildExperiment(plan.experiment, 50);
    expect(models.map((m) => [m.name, m.dataset, m.model.variant, m.model.vocabSize])).toEqual([
      ['Model 1', 1, 1, 50],
      ['Model 4', 2, 2, 50],
    ]);
  });

  it('fills the own model from the preset and lets single fields override it', () => {
    expect(resolvePipelineConfig({}).own).toEqual(OWN_MODEL_DEFAULTS);
    expect(resolvePipelineConfig({ preset: 'quick' }).own).toEqual(OWN_MODEL_QUICK);
    const c = resolvePipelineConfig({ own: { hidden: 64 }, generation: { topP: 0.9 } });
    expect(c.own.hidden).toBe(64);
    expect(c.own.maxEpochs).toBe(OWN_MODEL_DEFAULTS.maxEpochs);
    expect(c.generation.topP).toBe(0.9);
    expect(c.experiment.seed).toBe(42);
  });

  it('rejects an unknown preset', () => {
    expect(() => resolvePipelineConfig({ preset: 'huge', seed: 1 })).toThrow(/preset/);
  });
});
