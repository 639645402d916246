import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError, errorMessage } from '../errors.js';
import { PRESET_NAMES, validateExperiment, type ExperimentConfig, type PresetName } from '../model/experiment.js';
import {
  OWN_GENERATION_DEFAULTS,
  OWN_MODEL_DEFAULTS,
  resolvePipelineConfig,
  type OwnGenerationConfig,
  type OwnModelConfig,
  type PipelineConfig,
  type PipelineOverrides,
} from '../pipeline/config.js';
import type { SourceSpec } from './source.js';

/**
 * The one config of the report notebooks (01–03): `notebooks/config.json`, read by each notebook's first code
 * cell. A cell may override fields for its own notebook (`tl.labConfig({ epochs: 2 })`); the table it shows says
 * which. The model and data settings resolve through the pipeline's resolvePipelineConfig, so a notebook and
 * `npm start` with the same fields train the same models.
 */

/** The file's fields (every one optional; null = the preset's value). */
export interface LabSettings {
  /** Where the posts come from (see SourceSpec). Default: the State of the Union corpus. */
  source?: SourceSpec;
  /** quick | class | default | report. $TWEETLAB_PRESET wins over the file (CI runs the notebooks with "quick"). */
  preset?: string | null;
  seed?: number | null;
  /** Epochs of the report's models. */
  epochs?: number | null;
  /** Words per training window. */
  seqLength?: number | null;
  /** The report's models the notebook trains (1–4). */
  models?: number[] | null;
  /** tweetlab's own model (fields of OwnModelConfig). */
  own?: Partial<OwnModelConfig>;
  /** How tweetlab's model writes (fields of OwnGenerationConfig). */
  generation?: Partial<OwnGenerationConfig>;
  /** Posts each model writes for the evaluation. */
  evaluationPosts?: number | null;
  /** "auto" or an engine name. Default "auto". */
  engine?: string;
  /** restart: fresh weights; continue: more epochs from the last checkpoint. Default "restart". */
  trainMode?: 'restart' | 'continue';
  /** Load the models of a finished run with this very config (npm start's or this notebook's) instead of training. */
  reuse?: boolean;
  /** Where `npm start` puts its run folders, relative to the notebook. Default "../out". */
  runsDir?: string;
  /** Where the notebook saves its models, relative to the notebook. Default "../out/notebooks/models". */
  outDir?: string;
  /** Where fetched posts are cached, relative to the notebook. Default "../data". */
  dataDir?: string;
}

/** The resolved config a notebook works with. */
export interface LabConfig {
  source: SourceSpec;
  /** The preset named (a lab preset such as "class" resolves through its base preset: pipeline.preset). */
  preset: LabPresetName;
  /** Everything the pipeline needs (the report's models and data settings, tweetlab's model, generation). */
  pipeline: PipelineConfig;
  /** = pipeline.experiment: seqLength, seed, minCount, validationShare, epochs, checkpoints, … */
  experiment: ExperimentConfig;
  engine: string;
  trainMode: 'restart' | 'continue';
  reuse: boolean;
  runsDir: string;
  outDir: string;
  dataDir: string;
  /** The file that was read. */
  file: string;
  /** Fields the notebook cell set (they override the file for this notebook only). */
  overridden: string[];
  /** Where each field's value comes from: "this cell (this notebook only)", the file, TWEETLAB_PRESET, "preset" or "default". */
  origins: Record<string, string>;
}

/** The fields of config.json, in the order the table shows them. */
const FIELDS = ['source', 'preset', 'seed', 'epochs', 'seqLength', 'models', 'own', 'generation', 'evaluationPosts', 'engine', 'trainMode', 'reuse', 'runsDir', 'outDir', 'dataDir'] as const;

/** Default settings of the fields config.json leaves out. */
const DEFAULTS = { engine: 'auto', trainMode: 'restart' as const, reuse: false, runsDir: '../out', outDir: '../out/notebooks/models', dataDir: '../data' };

/**
 * Presets of the notebooks only: a preset of the pipeline with some fields set. A field the file or the cell
 * sets wins over the lab preset's. `class` is sized so that a class runs the whole of notebook 03 (the four
 * models and tweetlab's, trained here) in about 8 minutes on two cores (481 s measured at load 5–6): the default
 * preset's models for 2 epochs and tweetlab's model for at most 4. `npm start -- --epochs 2 --own-epochs 4`
 * trains the same models, which 03 then loads with `reuse: true`.
 */
export const LAB_PRESETS = {
  class: { preset: 'default', epochs: 2, own: { maxEpochs: 4 } },
} as const satisfies Record<string, { preset: PresetName } & LabSettings>;

export type LabPresetName = PresetName | keyof typeof LAB_PRESETS;

/** Every preset a notebook config may name. */
export const LAB_PRESET_NAMES: readonly LabPresetName[] = [PRESET_NAMES[0], ...(Object.keys(LAB_PRESETS) as (keyof typeof LAB_PRESETS)[]), ...PRESET_NAMES.slice(1)];

const isLabPreset = (name: string): name is keyof typeof LAB_PRESETS => Object.prototype.hasOwnProperty.call(LAB_PRESETS, name);

/** The default file: config.json in the notebook's folder (Jupyter runs a notebook in its own folder). */
export const LAB_CONFIG_FILE = 'config.json';

function fail(file: string, what: string): never {
  throw new TweetlabError(`${file}: ${what}`);
}

function readSettings(file: string): LabSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found (the notebooks 01–03 read their shared config from notebooks/config.json)' : errorMessage(err);
    return fail(file, why);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return fail(file, `not valid JSON (${errorMessage(err)})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(file, 'must hold one JSON object');
  const { $comment: _comment, ...settings } = value as Record<string, unknown>;
  return settings as LabSettings;
}

const isInt = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;

/** Checks the fields of the file or a cell, naming the first bad one in one line. */
export function checkLabSettings(s: LabSettings, where: string): void {
  const known = new Set<string>(FIELDS);
  for (const key of Object.keys(s)) if (!known.has(key)) fail(where, `unknown field "${key}" (known: ${FIELDS.join(', ')})`);
  const bad = (field: string, want: string, got: unknown) => fail(where, `${field} must be ${want}, got ${JSON.stringify(got)}`);
  if (s.source !== undefined && (s.source === null || typeof s.source !== 'object' || typeof (s.source as { kind?: unknown }).kind !== 'string')) bad('source', 'an object with a "kind"', s.source);
  if (s.preset != null && !(LAB_PRESET_NAMES as readonly string[]).includes(s.preset)) bad('preset', `one of ${LAB_PRESET_NAMES.join(', ')} (or null)`, s.preset);
  if (s.seed != null && !isInt(s.seed, 0)) bad('seed', 'a whole number ≥ 0', s.seed);
  for (const f of ['epochs', 'seqLength', 'evaluationPosts'] as const) if (s[f] != null && !isInt(s[f], 1)) bad(f, 'a whole number ≥ 1 (or null)', s[f]);
  if (s.models != null && (!Array.isArray(s.models) || s.models.some((n) => ![1, 2, 3, 4].includes(n)))) bad('models', 'a list of 1, 2, 3, 4', s.models);
  for (const [f, defaults] of [['own', OWN_MODEL_DEFAULTS], ['generation', OWN_GENERATION_DEFAULTS]] as const) {
    const v = s[f];
    if (v === undefined) continue;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) bad(f, 'an object', v);
    for (const [k, x] of Object.entries(v)) {
      if (!(k in defaults)) fail(where, `${f}.${k} is not a setting (known: ${Object.keys(defaults).join(', ')})`);
      if (typeof x !== typeof (defaults as Record<string, unknown>)[k]) bad(`${f}.${k}`, `a ${typeof (defaults as Record<string, unknown>)[k]}`, x);
    }
  }
  for (const f of ['engine', 'runsDir', 'outDir', 'dataDir'] as const) if (s[f] !== undefined && (typeof s[f] !== 'string' || s[f] === '')) bad(f, 'a non-empty string', s[f]);
  if (s.trainMode !== undefined && s.trainMode !== 'restart' && s.trainMode !== 'continue') bad('trainMode', '"restart" or "continue"', s.trainMode);
  if (s.reuse !== undefined && typeof s.reuse !== 'boolean') bad('reuse', 'true or false', s.reuse);
}

/** The file's settings with the cell's on top (own and generation merge field by field). */
function merge(file: LabSettings, cell: LabSettings): LabSettings {
  return {
    ...file,
    ...cell,
    own: { ...file.own, ...cell.own },
    generation: { ...file.generation, ...cell.generation },
  };
}

/** preset: the cell's, else $TWEETLAB_PRESET, else the file's, else "default". */
function pickPreset(file: LabSettings, cell: LabSettings, env: NodeJS.ProcessEnv, fileName: string): { preset: LabPresetName; from: string } {
  if (cell.preset != null) return { preset: cell.preset as LabPresetName, from: 'this cell' };
  const fromEnv = (env.TWEETLAB_PRESET ?? '').trim();
  if (fromEnv !== '') {
    if (!(LAB_PRESET_NAMES as readonly string[]).includes(fromEnv)) throw new TweetlabError(`TWEETLAB_PRESET must be one of ${LAB_PRESET_NAMES.join(', ')}, got "${fromEnv}".`);
    return { preset: fromEnv as LabPresetName, from: 'TWEETLAB_PRESET' };
  }
  if (file.preset != null) return { preset: file.preset as LabPresetName, from: path.basename(fileName) };
  return { preset: 'default', from: 'default' };
}

/** The settings that are set (null and undefined dropped: null means "the preset's value"). */
const setFields = (o: LabSettings): LabSettings => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as LabSettings;

/** The fields that are set (null and undefined dropped). */
const defined = (o: Record<string, unknown>): PipelineOverrides => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as PipelineOverrides;

/**
 * The notebooks' shared config: `config.json` of the notebook's folder (or `opts.file`), with `overrides` from
 * the notebook cell on top, resolved with the pipeline's resolvePipelineConfig. Bad fields fail in one line.
 */
export function labConfig(overrides: LabSettings = {}, opts: { file?: string; env?: NodeJS.ProcessEnv } = {}): LabConfig {
  const file = opts.file ?? LAB_CONFIG_FILE;
  const fromFile = readSettings(file);
  checkLabSettings(fromFile, file);
  checkLabSettings(overrides, 'the config cell');
  const { preset, from } = pickPreset(fromFile, overrides, opts.env ?? process.env, file);
  // A lab preset's fields sit under the file's and the cell's (own merges field by field).
  const { preset: base, ...labFields } = isLabPreset(preset) ? LAB_PRESETS[preset] : { preset };
  const fileOnly = merge(labFields as LabSettings, setFields(fromFile));
  const s = merge(fileOnly, setFields(overrides));
  // Resolved first without the cell: a value out of range is then blamed on the file or the cell that set it.
  resolveLab(base, fileOnly, file);
  const pipeline = resolveLab(base, s, 'the config cell');
  return {
    source: s.source ?? { kind: 'default', president: 'Barack Obama' },
    preset,
    pipeline,
    experiment: pipeline.experiment,
    engine: s.engine ?? DEFAULTS.engine,
    trainMode: s.trainMode ?? DEFAULTS.trainMode,
    reuse: s.reuse ?? DEFAULTS.reuse,
    runsDir: s.runsDir ?? DEFAULTS.runsDir,
    outDir: s.outDir ?? DEFAULTS.outDir,
    dataDir: s.dataDir ?? DEFAULTS.dataDir,
    file: path.resolve(file),
    overridden: Object.keys(overrides).filter((k) => (overrides as Record<string, unknown>)[k] !== undefined),
    origins: origins(fromFile, overrides, path.basename(file), from),
  };
}

/** The pipeline config of merged lab settings, range-checked; a bad value fails in one line naming `where`. */
function resolveLab(preset: PresetName, s: LabSettings, where: string): PipelineConfig {
  try {
    const pipeline = resolvePipelineConfig(defined({
      preset, seed: s.seed, epochs: s.epochs, seqLength: s.seqLength, models: s.models ?? undefined,
      own: s.own, generation: s.generation, evaluationPosts: s.evaluationPosts,
    }));
    validateExperiment(pipeline.experiment);
    return pipeline;
  } catch (err) {
    throw new TweetlabError(`${where}: ${errorMessage(err)}`);
  }
}

/** Where each field's value comes from. */
function origins(file: LabSettings, cell: LabSettings, fileName: string, presetFrom: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FIELDS) {
    const set = (o: LabSettings) => o[k] !== undefined && o[k] !== null && !(typeof o[k] === 'object' && !Array.isArray(o[k]) && k !== 'source' && Object.keys(o[k] as object).length === 0);
    out[k] = set(cell) ? 'this cell (this notebook only)' : set(file) ? fileName : ['seed', 'epochs', 'seqLength', 'models', 'own', 'generation', 'evaluationPosts'].includes(k) ? 'preset' : 'default';
  }
  out.preset = presetFrom === 'this cell' ? 'this cell (this notebook only)' : presetFrom;
  return out;
}

/** The config as table rows: setting, value, and where it comes from (this cell, the file, the preset). */
export function labConfigRows(cfg: LabConfig): { setting: string; value: string; from: string }[] {
  const x = cfg.experiment;
  const o = cfg.origins;
  const json = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const rows: [string, unknown, string | undefined][] = [
    ['source', cfg.source, o.source],
    ['preset', cfg.preset, o.preset],
    ['seed', x.seed, o.seed],
    ['epochs', x.epochs, o.epochs],
    ['checkpoints', x.checkpoints, 'preset (up to epochs)'],
    ['seqLength', x.seqLength, o.seqLength],
    ['models', x.models, o.models],
    ['model sizes', `${x.layers} × LSTM ${x.hidden}, embedding ${x.embedding}, dropout ${x.dropout}, batch ${x.batchSize}, ${x.optimizer} ${x.learningRate}`, 'preset'],
    ['data', `minCount ${x.minCount}, validationShare ${x.validationShare}, windowsPerEpoch ${x.windowsPerEpoch || 'all'}`, 'preset'],
    ['own', cfg.pipeline.own, o.own],
    ['generation', cfg.pipeline.generation, o.generation],
    ['evaluationPosts', cfg.pipeline.evaluationPosts, o.evaluationPosts],
    ['engine', cfg.engine, o.engine],
    ['trainMode', cfg.trainMode, o.trainMode],
    ['reuse', cfg.reuse, o.reuse],
    ['runsDir', cfg.runsDir, o.runsDir],
    ['outDir', cfg.outDir, o.outDir],
  ];
  return rows.map(([setting, value, from]) => ({ setting, value: json(value), from: from ?? 'default' }));
}
