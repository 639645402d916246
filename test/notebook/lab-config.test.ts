import { promises as fsp, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labConfig, labConfigRows } from '../../src/notebook/lab-config.js';
import { resolvePipelineConfig } from '../../src/pipeline/config.js';

let dir = '';
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-labcfg-'));
});
afterAll(() => fsp.rm(dir, { recursive: true, force: true }));

async function file(name: string, value: unknown): Promise<string> {
  const f = path.join(dir, name);
  await fsp.writeFile(f, typeof value === 'string' ? value : JSON.stringify(value));
  return f;
}

const noEnv = {};

describe('labConfig', () => {
  it('reads the committed notebooks/config.json: what npm start runs, in the notebooks', () => {
    const committed = path.resolve(__dirname, '..', '..', 'notebooks', 'config.json');
    const cfg = labConfig({}, { file: committed, env: noEnv });
    expect(cfg.pipeline).toEqual(resolvePipelineConfig({ preset: cfg.preset }));
    expect(cfg.source).toEqual({ kind: 'default', president: 'Barack Obama' });
    expect(JSON.parse(readFileSync(committed, 'utf8')).$comment).toMatch(/01–03/);
  });

  it('resolves the file through the pipeline config, with the cell overriding single fields', async () => {
    const f = await file('a.json', { preset: 'quick', seed: 7, epochs: null, own: { maxEpochs: 5 }, outDir: 'models' });
    const cfg = labConfig({ epochs: 1, own: { hidden: 16 } }, { file: f, env: noEnv });
    expect(cfg.preset).toBe('quick');
    expect(cfg.pipeline).toEqual(resolvePipelineConfig({ preset: 'quick', seed: 7, epochs: 1, own: { maxEpochs: 5, hidden: 16 } }));
    expect(cfg.experiment.checkpoints).toEqual([1]);
    expect(cfg.outDir).toBe('models');
    expect(cfg.overridden).toEqual(['epochs', 'own']);
    const rows = Object.fromEntries(labConfigRows(cfg).map((r) => [r.setting, r]));
    expect(rows.epochs).toEqual({ setting: 'epochs', value: '1', from: 'this cell (this notebook only)' });
    expect(rows.seed).toEqual({ setting: 'seed', value: '7', from: 'a.json' });
    expect(rows.seqLength!.from).toBe('preset');
    expect(rows.preset!.from).toBe('a.json');
    expect(rows.engine).toEqual({ setting: 'engine', value: 'auto', from: 'default' });
  });

  it('takes the preset from TWEETLAB_PRESET over the file, and from the cell over both', async () => {
    const f = await file('b.json', { preset: 'report' });
    expect(labConfig({}, { file: f, env: { TWEETLAB_PRESET: 'quick' } }).preset).toBe('quick');
    expect(labConfig({ preset: 'default' }, { file: f, env: { TWEETLAB_PRESET: 'quick' } }).preset).toBe('default');
    expect(labConfig({}, { file: f, env: noEnv }).preset).toBe('report');
    expect(() => labConfig({}, { file: f, env: { TWEETLAB_PRESET: 'huge' } })).toThrow(/^TWEETLAB_PRESET must be one of quick, class, default, report, got "huge"\.$/);
  });

  it('resolves the lab preset "class" as the default preset with 2 epochs and tweetlab\'s model for at most 4', async () => {
    const f = await file('class.json', { preset: 'class', epochs: null, own: {} });
    const cfg = labConfig({}, { file: f, env: noEnv });
    expect(cfg.preset).toBe('class');
    // What `npm start -- --epochs 2 --own-epochs 4` runs, so 03 can reuse such a run.
    expect(cfg.pipeline).toEqual(resolvePipelineConfig({ preset: 'default', epochs: 2, own: { maxEpochs: 4 } }));
    expect(cfg.experiment.checkpoints).toEqual([2]);
    const rows = Object.fromEntries(labConfigRows(cfg).map((r) => [r.setting, r]));
    expect(rows.epochs).toEqual({ setting: 'epochs', value: '2', from: 'preset' });
    // The file's and the cell's fields win over the lab preset's; own merges field by field; null = the preset's.
    const g = await file('class2.json', { preset: 'class', epochs: 3, own: { hidden: 64 } });
    const mine = labConfig({ own: { maxEpochs: 2 }, seed: null }, { file: g, env: noEnv });
    expect(mine.experiment.epochs).toBe(3);
    expect(mine.pipeline.own).toMatchObject({ hidden: 64, maxEpochs: 2 });
    expect(labConfig({ epochs: null }, { file: f, env: noEnv }).experiment.epochs).toBe(2);
    expect(labConfig({}, { file: await file('d.json', {}), env: { TWEETLAB_PRESET: 'class' } }).experiment.epochs).toBe(2);
    const typo = await file('e.json', { preset: 'klass' });
    expect(() => labConfig({}, { file: typo, env: noEnv })).toThrow(/e\.json: preset must be one of quick, class, default, report \(or null\), got "klass"$/);
  });

  it('fails with one line naming the file (or the cell) and the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ epoch: 3 }, /bad\.json: unknown field "epoch" \(known: source, preset/],
      [{ epochs: 0 }, /bad\.json: epochs must be a whole number ≥ 1 \(or null\), got 0$/],
      [{ models: [1, 5] }, /bad\.json: models must be a list of 1, 2, 3, 4, got \[1,5\]$/],
      [{ own: { hidden: '64' } }, /bad\.json: own\.hidden must be a number, got "64"$/],
      [{ own: { size: 3 } }, /bad\.json: own\.size is not a setting \(known: enabled, layers/],
      [{ own: { inputDropout: 1.5 } }, /bad\.json: own\.inputDropout must be from 0 to below 1, got 1\.5$/],
      [{ generation: { topP: 0 } }, /bad\.json: generation\.topP must be above 0 and at most 1 \(1 = off\), got 0$/],
      [{ trainMode: 'again' }, /bad\.json: trainMode must be "restart" or "continue", got "again"$/],
      [{ source: 'obama' }, /bad\.json: source must be an object with a "kind", got "obama"$/],
      ['{ "seed": 1,', /bad\.json: not valid JSON/],
      ['[1]', /bad\.json: must hold one JSON object$/],
    ];
    for (const [value, message] of cases) {
      const f = await file('bad.json', value);
      expect(() => labConfig({}, { file: f, env: noEnv }), JSON.stringify(value)).toThrow(message);
      try {
        labConfig({}, { file: f, env: noEnv });
      } catch (err) {
        expect((err as Error).message).not.toContain('\n');
      }
    }
    const ok = await file('ok.json', {});
    expect(() => labConfig({ reuse: 'yes' as unknown as boolean }, { file: ok, env: noEnv })).toThrow(/^the config cell: reuse must be true or false, got "yes"$/);
    expect(() => labConfig({ own: { maxEpochs: 0 } }, { file: ok, env: noEnv })).toThrow(/^the config cell: own\.maxEpochs must be a whole number ≥ 1, got 0$/);
    expect(() => labConfig({}, { file: path.join(dir, 'missing.json'), env: noEnv })).toThrow(/missing\.json: not found \(the notebooks 01–03 read their shared config from notebooks\/config\.json\)$/);
  });
});
