/**
 * The page's generation worker. Posts are written by the library's own `generatePosts` (src/generate), the
 * same function `tweetlab generate` runs, over a model whose `step()` runs the fast-wasm kernels; so equal
 * settings and seeds give the CLI's posts. Words stream to the page through `onWord`; the page stops a run by
 * terminating this worker.
 */
import { generatePosts, lengthsFromCounts, type GenerateOptions } from '../../generate/generate.js';
import type { LanguageModel } from '../../model/types.js';
import { cleanText } from '../../text/clean.js';
import { tokenizeWords, vocabularyFromJson } from '../../text/tokenize.js';
import type { Vocabulary } from '../../types.js';
import { COPY_RUN, decodeHashSet, longestCopiedRun } from '../ngrams.js';
import type { FromWorker, GenerateSettings, ToWorker } from '../protocol.js';
import { base64ToBytes, decodeWeights } from '../quantize.js';
import { WasmStepper } from './stepper.js';

/** With "new posts only", give up after this many posts per wanted post. */
const ATTEMPTS_PER_POST = 20;

interface Loaded {
  stepper: WasmStepper;
  vocab: Vocabulary;
  wordsPerPost: number[] | null;
  runs: Uint32Array | null;
  endScale: number | null;
}

const scope = globalThis as unknown as { postMessage(m: FromWorker): void; onmessage: ((e: { data: ToWorker }) => void) | null };
/** Send events at most this often (ms); a fast model writes thousands of words a second. */
const FLUSH_MS = 30;
let outbox: FromWorker[] = [];
let lastFlush = 0;

function flush(): void {
  if (outbox.length > 0) scope.postMessage(outbox.length === 1 ? (outbox[0] as FromWorker) : { type: 'batch', events: outbox });
  outbox = [];
  lastFlush = Date.now();
}

function send(m: FromWorker, now = false): void {
  outbox.push(m);
  if (now || Date.now() - lastFlush >= FLUSH_MS) flush();
}
let loaded: Loaded | null = null;

/** Thrown from onWord once enough new posts are kept. */
class Enough {}

function load(msg: Extract<ToWorker, { type: 'init' }>['payload']): Loaded {
  const weights = decodeWeights(msg.weights);
  const vocab = vocabularyFromJson(msg.vocab, 'vocab.json');
  return {
    stepper: new WasmStepper(msg.model, base64ToBytes(msg.kernels), weights),
    vocab,
    wordsPerPost: msg.wordsPerPost ? lengthsFromCounts(msg.wordsPerPost) : null,
    runs: msg.runs ? decodeHashSet(msg.runs.data, msg.runs.count) : null,
    endScale: msg.endScale,
  };
}

function startWordsOf(start: string): string[] {
  if (start.trim() === '') return [];
  try {
    return tokenizeWords(cleanText(start));
  } catch {
    return [];
  }
}

function generate(m: Loaded, s: GenerateSettings): void {
  const start = startWordsOf(s.start);
  send({ type: 'unknown', words: start.filter((w) => !m.vocab.index.has(w)) });
  const newOnly = s.newOnly && m.runs !== null;
  let current = -1;
  let words: string[] = [];
  let kept = 0;
  let generated = 0;
  const finish = () => {
    if (current < 0) return;
    generated++;
    const copied = m.runs ? longestCopiedRun(words, m.runs) : null;
    const keep = !newOnly || (copied !== null && copied.length < COPY_RUN);
    if (keep) kept++;
    send({ type: 'post', post: current, text: words.join(' '), kept: keep, copied });
    if (newOnly && kept >= s.count) throw new Enough();
  };
  const options: GenerateOptions & { topP?: number } = {
    count: newOnly ? s.count * ATTEMPTS_PER_POST : s.count,
    seed: s.seed,
    temperature: s.temperature,
    topK: s.topK,
    ...(s.topP > 0 && s.topP < 1 ? { topP: s.topP } : {}),
    // As tweetlab generate decides: tweetlab's own model writes until <eos>, the report's to a drawn length.
    ...(m.endScale !== null ? { endOfPost: true, endScale: m.endScale } : { endOfPost: false }),
    ...(start.length > 0 ? { start: s.start } : {}),
    ...(s.length !== null ? { length: s.length } : { wordsPerPost: m.wordsPerPost ?? [] }),
    onWord: (post, word) => {
      if (post !== current) {
        finish();
        current = post;
        words = [];
      }
      words.push(word);
      send({ type: 'word', post, word });
    },
  };
  // generatePosts reads only config, startState and step of the model.
  const model = { config: m.stepper.config, startState: () => m.stepper.startState(), step: m.stepper.step.bind(m.stepper) };
  try {
    generatePosts(model as unknown as LanguageModel, m.vocab, options);
    finish();
  } catch (err) {
    if (!(err instanceof Enough)) throw err;
  }
  send({ type: 'done', generated, kept }, true);
}

scope.onmessage = (e) => {
  try {
    if (e.data.type === 'init') {
      loaded = load(e.data.payload);
      send({ type: 'ready' }, true);
    } else if (loaded) generate(loaded, e.data.settings);
  } catch (err) {
    send({ type: 'error', message: err instanceof Error ? err.message : String(err) }, true);
  }
};
