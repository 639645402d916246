import { UsageError } from '../errors.js';
import { parseFlagsOnly, requireFlag, toJson, type Command } from './common.js';
import { INPUT_FLAGS } from './input.js';

const usage = `Usage: tweetlab page --model DIR --out DIR [--input F [--text-column C]] [--precision P] [--title T] [--json]

Writes DIR/index.html: one self-contained page that writes posts with a saved model in the browser, with no
server and no network request (open it from file:// or any static host). The weights, vocabulary and the
account's words-per-post distribution are inside the file; a Web Worker runs tweetlab's WebAssembly kernels
and its sampling code, so the page's posts equal "tweetlab generate --backend fast-wasm" for the same settings
and seed (float32 weights).

Flags:
  --model DIR           saved model folder (model.json, weights.bin, vocab.json, config.json) (required)
  --out DIR             folder to write index.html into (required)
  --input F             the posts the model was trained on (CSV or JSONL): enables "new posts only", which
                        leaves out posts copying 6+ consecutive words of a post (only word-run hashes are
                        shipped, not the posts)
  --text-column C       column (CSV) or key (JSONL) holding the post text (default "text")
  --precision P         weights as float32 (default; posts equal the CLI's), float16 or int8 (smaller page)
  --title T             heading of the page
  --json                print {"file", "bytes", "precision", "weightBytes", "runBytes", "runs"}`;

export const command: Command = {
  name: 'page',
  summary: 'write a static page that writes posts in the browser',
  usage,
  async run(argv, io) {
    const flags = parseFlagsOnly('page', argv, {
      model: { type: 'string' },
      out: { type: 'string' },
      precision: { type: 'string' },
      title: { type: 'string' },
      json: { type: 'boolean' },
      ...INPUT_FLAGS,
    });
    const modelDir = requireFlag('page', flags.str('model'), 'model');
    const outDir = requireFlag('page', flags.str('out'), 'out');
    const { WEIGHT_PRECISIONS } = await import('../page/quantize.js');
    const precision = flags.str('precision') ?? 'float32';
    if (!(WEIGHT_PRECISIONS as readonly string[]).includes(precision)) {
      throw new UsageError(`page: --precision must be one of ${WEIGHT_PRECISIONS.join(', ')}, got "${precision}"`);
    }
    const input = flags.str('input');
    let trainingPosts: string[][] | undefined;
    if (input !== undefined) {
      const { readInputWords } = await import('./input.js');
      trainingPosts = await readInputWords(input, flags.str('text-column'));
    }
    const { writeModelPage } = await import('../page/page.js');
    const title = flags.str('title');
    const written = await writeModelPage({
      modelDir,
      outDir,
      precision: precision as 'float32' | 'float16' | 'int8',
      ...(title !== undefined ? { title } : {}),
      ...(trainingPosts ? { trainingPosts } : {}),
    });
    if (flags.bool('json')) io.out(toJson(written));
    else {
      const mb = (written.bytes / 1e6).toFixed(2);
      io.out(`wrote ${written.file} (${mb} MB, ${written.precision} weights${written.runs > 0 ? `, ${written.runs} training-run hashes` : ''})`);
    }
    return 0;
  },
};
