import type { Command } from './common.js';
import { INPUT_USAGE } from './input.js';
import { parseTrainRequest } from './train-flags.js';

export type { TrainJson } from './train-run.js';

const usage = `Usage: tweetlab train [--input F] (--model-number 1..4 | --dataset 1|2 --variant 1|2) --out DIR
                      [--preset quick|default|report] [--epochs N] [--seq-length N] [--resume DIR]
                      [--backend auto|tensorflow|wasm|cpu|<engine>] [--seed N] [--force] [--json]

Trains one of the report's models on cleaned, tokenized posts, validating on held-out posts after each epoch,
with tweetlab run's data preparation and training step (the same settings give the same vocabulary, with
<eos>, and the same model as run), and saves checkpoints to DIR/epoch-<e>/ (model.json + weights.bin in tfjs layers format, vocab.json,
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

export const command: Command = {
  name: 'train',
  summary: 'train one of the four LSTM models, with checkpoints and sample posts',
  usage,
  async run(argv, io) {
    const request = parseTrainRequest(argv); // usage errors before anything heavy is loaded
    const { runTrain } = await import('./train-run.js');
    return runTrain(request, io);
  },
};
