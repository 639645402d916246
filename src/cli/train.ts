import * as path from 'node:path';
import { TweetlabError, UsageError } from '../errors.js';
import { intFlag, numberFlag, parseFlags, toJson, type Command } from './common.js';
import { INPUT_FLAGS, INPUT_USAGE, readInputCorpus } from './input.js';

const usage = `Usage: tweetlab train [--input F] (--model-number 1..4 | --dataset 1|2 --variant 1|2) --out DIR
                      [--preset quick|default|report] [--epochs N] [--seq-length N] [--resume DIR]
                      [--backend auto|tensorflow|wasm|cpu|<engine>] [--seed N] [--force] [--json]

Trains one of the report's models on cleaned, tokenized posts, validating on held-out posts after each epoch,
and saves checkpoints to DIR/epoch-<e>/ (model.json + weights.bin in tfjs layers format, vocab.json,
config.json) with sample posts. Ctrl-C stops after the current batch and saves DIR/interrupted/.
  Model 1 = dataset 1 + variant 1   Model 2 = dataset 2 + variant 1
  Model 3 = dataset 1 + variant 2   Model 4 = dataset 2 + variant 2   (variant 2: dropout after each LSTM)

Flags:
${INPUT_USAGE}
  --model-number N      1–4 (or give --dataset and --variant)
  --dataset 1|2         1 = windows inside each post, 2 = posts joined
  --variant 1|2         1 = stacked LSTMs, 2 = with dropout
  --out DIR             folder for checkpoints (required)
  --preset P            sizes and schedule: quick, default (the default) or report
  --epochs N            total epochs (a resumed run counts the epochs already done)
  --seq-length N        window length in words
  --batch-size N        windows per batch
  --hidden N            LSTM units      --layers N   LSTM layers      --embedding N   embedding width
  --learning-rate X     --optimizer rmsprop|adam
  --checkpoints LIST    epochs to save at, e.g. 20,40,60,100
  --windows-per-epoch N windows drawn per epoch (0 = all)
  --min-count N         words seen fewer times become out-of-vocabulary
  --validation-share X  share of posts held out (default 0.1)
  --resume DIR          continue a saved model (a model folder, or an --out folder: its latest checkpoint)
  --backend B           auto (default: tfjs-node if installed, else fast-wasm, our WebAssembly SIMD engine),
                        tensorflow | wasm | cpu (tfjs backends), or an engine name (fast-wasm, tfjs-wasm …)
  --seed N              base seed (default: the preset's)
  --force               train into an --out that holds another model (its checkpoints are removed first),
                        or resume on a corpus whose words are mostly unknown to the model
  --no-clean            the input is already cleaned
  --json                print {"engine", "backend", "modelNumber", "dataset", "variant", "out", "epoch",
                               "stopped", "seconds", "history", "checkpoints": [{"epoch", "dir", "samples"}]}`;

export interface TrainJson {
  engine: string;
  backend: string;
  modelNumber: number;
  dataset: 1 | 2;
  variant: 1 | 2;
  out: string;
  epoch: number;
  stopped: boolean;
  seconds: number;
  vocabSize: number;
  trainWindows: number;
  validationWindows: number;
  history: { epoch: number; loss: number; valLoss: number | null; valPerplexity: number | null; seconds: number }[];
  checkpoints: { epoch: number; dir: string | null; samples: string[] }[];
}

function oneOf<T extends number>(cmd: string, value: string | undefined, flag: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!allowed.includes(n as T)) throw new UsageError(`${cmd}: --${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return n as T;
}

export const command: Command = {
  name: 'train',
  summary: 'train one of the four LSTM models, with checkpoints and sample posts',
  usage,
  async run(argv, io) {
    const flags = parseFlags('train', argv, {
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
    });
    if (flags.positionals.length > 0) throw new UsageError(`train: unexpected argument "${flags.positionals[0]}" (see: tweetlab train --help)`);
    const { presetConfig, buildExperiment, modelNumberOf, modelSpec, requireVocabularyWords } = await import('../model/experiment.js');
    const presetName = flags.str('preset') ?? 'default';
    let preset;
    try {
      preset = presetConfig(presetName);
    } catch {
      throw new UsageError(`train: --preset must be quick, default or report, got "${presetName}"`);
    }
    const numberFlagValue = oneOf('train', flags.str('model-number'), 'model-number', [1, 2, 3, 4] as const);
    const datasetFlag = oneOf('train', flags.str('dataset'), 'dataset', [1, 2] as const);
    const variantFlag = oneOf('train', flags.str('variant'), 'variant', [1, 2] as const);
    const resume = flags.str('resume');
    let modelNumber: 1 | 2 | 3 | 4;
    if (numberFlagValue !== undefined) {
      if (datasetFlag !== undefined || variantFlag !== undefined) {
        const spec = modelSpec(numberFlagValue);
        if ((datasetFlag ?? spec.dataset) !== spec.dataset || (variantFlag ?? spec.variant) !== spec.variant) {
          throw new UsageError(`train: --model-number ${numberFlagValue} is dataset ${spec.dataset} + variant ${spec.variant}; the flags disagree`);
        }
      }
      modelNumber = numberFlagValue;
    } else if (datasetFlag !== undefined && variantFlag !== undefined) {
      modelNumber = modelNumberOf(datasetFlag, variantFlag);
    } else if (resume !== undefined) {
      modelNumber = 0 as unknown as 1; // taken from the saved config below
    } else {
      throw new UsageError('train: give --model-number 1..4, or both --dataset and --variant');
    }
    const out = flags.str('out');
    if (out === undefined) throw new UsageError('train: --out is required');

    const optimizer = flags.str('optimizer');
    if (optimizer !== undefined && optimizer !== 'rmsprop' && optimizer !== 'adam') {
      throw new UsageError(`train: --optimizer must be rmsprop or adam, got "${optimizer}"`);
    }
    const checkpointsText = flags.str('checkpoints');
    const checkpoints = checkpointsText?.split(',').map((s) => intFlag('train', s.trim(), 'checkpoints', 0, 1));
    const cfg = {
      ...preset,
      epochs: intFlag('train', flags.str('epochs'), 'epochs', preset.epochs, 1, 100_000),
      seqLength: intFlag('train', flags.str('seq-length'), 'seq-length', preset.seqLength, 1, 1000),
      batchSize: intFlag('train', flags.str('batch-size'), 'batch-size', preset.batchSize, 1, 1_000_000),
      hidden: intFlag('train', flags.str('hidden'), 'hidden', preset.hidden, 1, 100_000),
      layers: intFlag('train', flags.str('layers'), 'layers', preset.layers, 1, 100),
      embedding: intFlag('train', flags.str('embedding'), 'embedding', preset.embedding, 1, 100_000),
      learningRate: numberFlag('train', flags.str('learning-rate'), 'learning-rate', preset.learningRate),
      optimizer: (optimizer as 'rmsprop' | 'adam' | undefined) ?? preset.optimizer,
      checkpoints: checkpoints ?? preset.checkpoints,
      windowsPerEpoch: intFlag('train', flags.str('windows-per-epoch'), 'windows-per-epoch', preset.windowsPerEpoch, 0),
      minCount: intFlag('train', flags.str('min-count'), 'min-count', preset.minCount, 1),
      validationShare: numberFlag('train', flags.str('validation-share'), 'validation-share', preset.validationShare),
      seed: intFlag('train', flags.str('seed'), 'seed', preset.seed, 0, 2 ** 32 - 1),
    };
    if (!(cfg.validationShare >= 0 && cfg.validationShare < 1)) {
      throw new UsageError(`train: --validation-share must be at least 0 and below 1, got ${cfg.validationShare}`);
    }

    const { chooseEngine } = await import('../model/backend.js');
    const { prepareTrainingData } = await import('../model/data.js');
    const { trainModel, resolveResumeDir } = await import('../model/train.js');
    const { checkpointSampler } = await import('../generate/generate.js');
    const { readModelConfig } = await import('../model/config-file.js');
    const { createProgressPrinter } = await import('../model/progress.js');
    const { claimModelOutput, checkResumedModelNumber } = await import('../model/claim.js');
    const { resumedSplit, unknownShare, unknownShareLimit } = await import('../model/resume.js');
    const { deriveSeed } = await import('../random.js');

    // Backend first, so it is printed before the slow parts.
    const choice = await chooseEngine(flags.str('backend'));
    const engine = choice.engine;
    const backendNote = choice.reason;
    const backendName = choice.backend;
    if (!flags.bool('json')) io.err(`engine: ${engine.name}${backendNote ? ` (${backendNote})` : ''}`);

    let resumeDir: string | undefined;
    let savedVocab;
    let savedConfig;
    if (resume !== undefined) {
      resumeDir = await resolveResumeDir(resume);
      const saved = await readModelConfig(resumeDir);
      savedConfig = saved;
      checkResumedModelNumber(resumeDir, saved, numberFlagValue); // issue 15
      // Issue 15: the saved seed and held-out share, so the same posts stay held out (src/model/resume.ts).
      const kept = resumedSplit(resumeDir, saved, {
        ...(flags.str('seed') !== undefined ? { seed: cfg.seed } : {}),
        ...(flags.str('validation-share') !== undefined ? { validationShare: cfg.validationShare } : {}),
      });
      if (kept) Object.assign(cfg, { seed: kept.baseSeed, validationShare: kept.validationShare });
      const { readModelVocabulary } = await import('../model/io.js');
      // The data is encoded with the saved vocabulary; trainModel loads the model itself.
      savedVocab = await readModelVocabulary(resumeDir);
      if (modelNumber === (0 as unknown as 1)) {
        if (saved.modelNumber === undefined) throw new UsageError('train: the resumed model has no model number; give --model-number');
        modelNumber = saved.modelNumber as 1 | 2 | 3 | 4;
      }
      cfg.seqLength = saved.model.seqLength;
    }
    const { dataset, variant } = modelSpec(modelNumber);
    const corpus = await readInputCorpus(flags.str('input'), flags.str('text-column'));
    const data = prepareTrainingData(corpus.posts, {
      seqLength: cfg.seqLength,
      dataset,
      validationShare: cfg.validationShare,
      seed: deriveSeed(cfg.seed, 'validation-split'),
      minCount: cfg.minCount,
      clean: !flags.bool('no-clean'),
      ...(savedVocab ? { vocab: savedVocab } : {}),
    });
    if (!savedVocab) {
      const hint = 'lower --min-count or use a larger corpus';
      requireVocabularyWords(data.vocab.words.length, corpus.source.name, cfg.minCount, `--min-count ${cfg.minCount}`, hint);
    }
    const plan = buildExperiment({ ...cfg, models: [modelNumber] }, data.vocab.words.length)[0]!;
    // Issue 15: a resumed model meets a corpus it may never have seen; say how much of it is unknown.
    const unknown = unknownShare(data.train.targets);
    if (savedConfig && resumeDir) {
      const limit = unknownShareLimit(savedConfig);
      const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
      if (unknown > limit && !flags.bool('force')) {
        throw new TweetlabError(
          `${corpus.source.name}: ${pct(unknown)} of its words are unknown to the model in ${resumeDir} (more than ${pct(limit)}): it was trained on another corpus; give --force to resume anyway`,
        );
      }
      if (!flags.bool('json')) io.err(`resume: ${pct(unknown)} of the training words are unknown to the model`);
    }
    const split = savedConfig?.split ?? {
      baseSeed: cfg.seed,
      seed: deriveSeed(cfg.seed, 'validation-split'),
      validationShare: cfg.validationShare,
      unknownShare: unknown,
    };

    // Issue 15: one writer per model folder, and never two models in one (see src/model/claim.ts).
    const claim = await claimModelOutput(out, {
      command: `train --model-number ${modelNumber}`,
      modelNumber,
      ...(savedConfig ? { resumed: savedConfig } : {}),
      force: flags.bool('force'),
    });
    let stop = false;
    const onSigint = () => {
      if (stop) process.exit(130);
      stop = true;
      io.err('\nstopping after the current batch (Ctrl-C again to quit at once)');
    };
    process.on('SIGINT', onSigint);
    // On a terminal the progress line is redrawn in place (raw stderr writes); otherwise a line per epoch.
    const livePrinter = io.isTTY
      ? createProgressPrinter({ write: (t) => process.stderr.write(t), tty: true, label: plan.name })
      : createProgressPrinter({ write: (t) => io.err(t.replace(/\n$/, '')), tty: false, label: plan.name });
    let result;
    try {
      result = await trainModel({
        engine,
        modelConfig: plan.model,
        // A resumed run keeps its saved settings; only flags given now override them.
        train: resumeDir
          ? {
              ...(flags.str('epochs') !== undefined ? { epochs: cfg.epochs } : {}),
              ...(checkpoints ? { checkpoints: cfg.checkpoints } : {}),
              ...(flags.str('learning-rate') !== undefined ? { learningRate: cfg.learningRate } : {}),
              ...(flags.str('batch-size') !== undefined ? { batchSize: cfg.batchSize } : {}),
            }
          : plan.train,
        data: data.train,
        validation: data.validation,
        vocab: data.vocab,
        outDir: out,
        ...(resumeDir ? { resume: resumeDir } : {}),
        wordsPerPost: data.wordsPerPost,
        samplesPerCheckpoint: cfg.samplesPerCheckpoint,
        sampler: checkpointSampler({ seed: plan.generationSeed }),
        modelNumber,
        dataset,
        split,
        onProgress: flags.bool('json') ? undefined : (p) => livePrinter.onProgress(p),
        onEpoch: flags.bool('json') ? undefined : (r) => livePrinter.onEpoch(r),
        onCheckpoint: flags.bool('json')
          ? undefined
          : (c) => {
              io.err(`checkpoint epoch ${c.epoch}${c.dir ? ` saved to ${c.dir}` : ''}`);
              for (const s of c.samples) io.err(`  ${s.text}`);
            },
        shouldStop: () => stop,
      });
    } finally {
      process.off('SIGINT', onSigint);
      livePrinter.finish();
      await claim.release();
    }
    const json: TrainJson = {
      engine: result.engine,
      backend: backendName,
      modelNumber,
      dataset,
      variant,
      out: path.resolve(out),
      epoch: result.epoch,
      stopped: result.stopped,
      seconds: Math.round(result.seconds * 10) / 10,
      vocabSize: data.vocab.words.length,
      trainWindows: data.train.count,
      validationWindows: data.validation.count,
      history: result.history,
      checkpoints: result.checkpoints.map((c) => ({ epoch: c.epoch, dir: c.dir, samples: c.samples.map((s) => s.text) })),
    };
    result.model.dispose();
    if (flags.bool('json')) {
      io.out(toJson(json));
    } else {
      const last = result.history[result.history.length - 1];
      io.out(
        `${plan.name} (dataset ${dataset}, variant ${variant}) on ${result.engine}: ${result.epoch} epochs` +
          (last ? `, loss ${last.loss.toFixed(4)}` + (last.valLoss !== null ? `, val_loss ${last.valLoss.toFixed(4)}` : '') : '') +
          `${result.stopped ? ' (stopped early)' : ''}; saved to ${result.lastSaved ?? out}`,
      );
    }
    return result.stopped ? 130 : 0;
  },
};
