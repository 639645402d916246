/**
 * `tweetlab train`'s flags, read into one request: which model, where it goes, the preset with the flags
 * spread over it, and which flags were given at all (a resumed model keeps its saved settings except those).
 */
import { UsageError } from '../errors.js';
import { modelNumberOf, modelSpec, presetConfig, type ExperimentConfig, type ModelNumber } from '../model/experiment.js';
import { intFlag, numberFlag, parseFlagsOnly, type ParsedFlags } from './common.js';
import { INPUT_FLAGS } from './input.js';

const TRAIN_FLAGS = {
  ...INPUT_FLAGS,
  'model-number': { type: 'string' },
  dataset: { type: 'string' },
  variant: { type: 'string' },
  out: { type: 'string' },
  preset: { type: 'string' },
  epochs: { type: 'string' },
  'seq-length': { type: 'string' },
  'batch-size': { type: 'string' },
  hidden: { type: 'string' },
  layers: { type: 'string' },
  embedding: { type: 'string' },
  'learning-rate': { type: 'string' },
  optimizer: { type: 'string' },
  checkpoints: { type: 'string' },
  'windows-per-epoch': { type: 'string' },
  'min-count': { type: 'string' },
  'validation-share': { type: 'string' },
  resume: { type: 'string' },
  backend: { type: 'string' },
  seed: { type: 'string' },
  'no-clean': { type: 'boolean' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** The flags a resumed run lets override its saved settings (the others come from the saved model). */
export interface GivenTrainFlags {
  epochs: boolean;
  checkpoints: boolean;
  learningRate: boolean;
  batchSize: boolean;
  seed: boolean;
  validationShare: boolean;
}

export interface TrainRequest {
  /** From --model-number, or --dataset with --variant; undefined when resuming without them (the saved one). */
  modelNumber: ModelNumber | undefined;
  out: string;
  /** The preset with every flag given spread over it. */
  settings: ExperimentConfig;
  given: GivenTrainFlags;
  resume: string | undefined;
  backend: string | undefined;
  input: string | undefined;
  textColumn: string | undefined;
  /** Run the cleaning rules first (not with --no-clean). */
  clean: boolean;
  force: boolean;
  json: boolean;
}

function oneOf<T extends number>(value: string | undefined, flag: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!allowed.includes(n as T)) throw new UsageError(`train: --${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return n as T;
}

/** The model the flags name: --model-number (which --dataset/--variant, if given, must agree with) or both of those. */
function modelNumberFrom(flags: ParsedFlags): ModelNumber | undefined {
  const number = oneOf(flags.str('model-number'), 'model-number', [1, 2, 3, 4] as const);
  const dataset = oneOf(flags.str('dataset'), 'dataset', [1, 2] as const);
  const variant = oneOf(flags.str('variant'), 'variant', [1, 2] as const);
  if (number !== undefined) {
    const spec = modelSpec(number);
    if ((dataset ?? spec.dataset) !== spec.dataset || (variant ?? spec.variant) !== spec.variant) {
      throw new UsageError(`train: --model-number ${number} is dataset ${spec.dataset} + variant ${spec.variant}; the flags disagree`);
    }
    return number;
  }
  if (dataset !== undefined && variant !== undefined) return modelNumberOf(dataset, variant);
  if (flags.str('resume') !== undefined) return undefined;
  throw new UsageError('train: give --model-number 1..4, or both --dataset and --variant');
}

function presetNamed(name: string): ExperimentConfig {
  try {
    return presetConfig(name);
  } catch {
    throw new UsageError(`train: --preset must be quick, default or report, got "${name}"`);
  }
}

/** The preset with the size, schedule and data flags spread over it, each checked. */
function settingsFrom(flags: ParsedFlags, preset: ExperimentConfig): ExperimentConfig {
  const int = (flag: string, fallback: number, min?: number, max?: number) => intFlag('train', flags.str(flag), flag, fallback, min, max);
  const optimizer = flags.str('optimizer');
  if (optimizer !== undefined && optimizer !== 'rmsprop' && optimizer !== 'adam') {
    throw new UsageError(`train: --optimizer must be rmsprop or adam, got "${optimizer}"`);
  }
  const checkpoints = flags.str('checkpoints')?.split(',').map((s) => intFlag('train', s.trim(), 'checkpoints', 0, 1));
  const settings: ExperimentConfig = {
    ...preset,
    epochs: int('epochs', preset.epochs, 1, 100_000),
    seqLength: int('seq-length', preset.seqLength, 1, 1000),
    batchSize: int('batch-size', preset.batchSize, 1, 1_000_000),
    hidden: int('hidden', preset.hidden, 1, 100_000),
    layers: int('layers', preset.layers, 1, 100),
    embedding: int('embedding', preset.embedding, 1, 100_000),
    learningRate: numberFlag('train', flags.str('learning-rate'), 'learning-rate', preset.learningRate),
    optimizer: optimizer ?? preset.optimizer,
    checkpoints: checkpoints ?? preset.checkpoints,
    windowsPerEpoch: int('windows-per-epoch', preset.windowsPerEpoch, 0),
    minCount: int('min-count', preset.minCount, 1),
    validationShare: numberFlag('train', flags.str('validation-share'), 'validation-share', preset.validationShare),
    seed: int('seed', preset.seed, 0, 2 ** 32 - 1),
  };
  if (!(settings.validationShare >= 0 && settings.validationShare < 1)) {
    throw new UsageError(`train: --validation-share must be at least 0 and below 1, got ${settings.validationShare}`);
  }
  return settings;
}

/** Reads and checks every flag (usage errors name the flag); nothing is loaded or trained yet. */
export function parseTrainRequest(argv: string[]): TrainRequest {
  const flags = parseFlagsOnly('train', argv, TRAIN_FLAGS);
  const preset = presetNamed(flags.str('preset') ?? 'default');
  const modelNumber = modelNumberFrom(flags);
  const out = flags.str('out');
  if (out === undefined) throw new UsageError('train: --out is required');
  const has = (flag: string) => flags.str(flag) !== undefined;
  return {
    modelNumber,
    out,
    settings: settingsFrom(flags, preset),
    given: {
      epochs: has('epochs'), checkpoints: has('checkpoints'), learningRate: has('learning-rate'),
      batchSize: has('batch-size'), seed: has('seed'), validationShare: has('validation-share'),
    },
    resume: flags.str('resume'),
    backend: flags.str('backend'),
    input: flags.str('input'),
    textColumn: flags.str('text-column'),
    clean: !flags.bool('no-clean'),
    force: flags.bool('force'),
    json: flags.bool('json'),
  };
}
