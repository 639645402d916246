/**
 * The Hugging Face `tokenizer.json` form of a `BpeTokenizer`, readable by the `tokenizers` library (Rust and
 * Python) and by `@huggingface/tokenizers` (JavaScript): a BPE model with `</w>` as end-of-word suffix, no
 * normalizer (posts are cleaned before), a WhitespaceSplit pre-tokenizer (our words are whitespace
 * separated), a BPEDecoder, and `<unk>` / `<eos>` as special added tokens. Merges are written as pairs
 * (`[["a", "b"], …]`, the current format); the older `"a b"` strings are read too.
 */
import { TweetlabError, errorMessage } from '../errors.js';
import { readTextFile, writeJsonAtomic } from '../util/fs.js';
import { BPE_END_OF_WORD, BPE_EOS_ID, BPE_EOS_TOKEN, BPE_UNK_ID, BPE_UNK_TOKEN, BpeTokenizer } from './bpe.js';

function addedToken(id: number, content: string): Record<string, unknown> {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

/** The tokenizer.json object of `tok` (JSON.stringify it to save). */
export function toTokenizerJson(tok: BpeTokenizer): Record<string, unknown> {
  // fromEntries defines own properties, so a token spelled "__proto__" stays an ordinary key.
  const vocab = Object.fromEntries(tok.tokens.map((t, id) => [t, id]));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [addedToken(BPE_UNK_ID, BPE_UNK_TOKEN), addedToken(BPE_EOS_ID, BPE_EOS_TOKEN)],
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: null,
    decoder: { type: 'BPEDecoder', suffix: BPE_END_OF_WORD },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: BPE_UNK_TOKEN,
      continuing_subword_prefix: null,
      end_of_word_suffix: BPE_END_OF_WORD,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: tok.merges.map((m) => [m[0], m[1]]),
    },
  };
}

type Json = Record<string, unknown>;
/** Throws the one-line error for a field. */
type Fail = (field: string, why: string) => never;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Fails unless `value` is absent or one of `allowed` (options whose other settings we do not implement). */
function expectSetting(fail: Fail, field: string, value: unknown, allowed: readonly unknown[]): void {
  if (value !== undefined && !allowed.includes(value)) {
    fail(field, `must be ${allowed.map((a) => JSON.stringify(a)).join(' or ')}, got ${JSON.stringify(value)}`);
  }
}

/** Tokens by id from `model.vocab`: ids must be whole numbers 0…n-1, each used once. */
function readVocab(fail: Fail, vocab: unknown): string[] {
  if (!isObject(vocab)) fail('model.vocab', 'must be an object of token → id');
  const entries = Object.entries(vocab);
  const tokens: string[] = new Array(entries.length);
  for (const [token, id] of entries) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= entries.length) {
      fail(`model.vocab["${token}"]`, `must be a whole number id from 0 to ${entries.length - 1}, got ${JSON.stringify(id)}`);
    }
    if (tokens[id] !== undefined) fail(`model.vocab["${token}"]`, `id ${id} is also used by "${tokens[id]}"`);
    tokens[id] = token;
  }
  if (tokens[BPE_UNK_ID] !== BPE_UNK_TOKEN) fail('model.vocab', `id ${BPE_UNK_ID} must be "${BPE_UNK_TOKEN}"`);
  if (tokens[BPE_EOS_ID] !== BPE_EOS_TOKEN) fail('model.vocab', `id ${BPE_EOS_ID} must be "${BPE_EOS_TOKEN}"`);
  return tokens;
}

/** Merges as pairs, from `[["a","b"], …]` or `["a b", …]`; each part and its join must be tokens. */
function readMerges(fail: Fail, merges: unknown, tokens: readonly string[]): [string, string][] {
  if (!Array.isArray(merges)) fail('model.merges', 'must be a list of merges');
  const known = new Set(tokens);
  const seen = new Set<string>();
  return merges.map((m: unknown, i): [string, string] => {
    const field = `model.merges[${i}]`;
    const pair = typeof m === 'string' ? m.split(' ') : m;
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      fail(field, 'must be a pair of tokens (["a", "b"] or "a b")');
    }
    const [left, right] = pair as [string, string];
    for (const t of [left, right, left + right]) if (!known.has(t)) fail(field, `"${t}" is not in model.vocab`);
    const key = JSON.stringify([left, right]);
    if (seen.has(key)) fail(field, `the merge "${left}" "${right}" appears twice`);
    seen.add(key);
    return [left, right];
  });
}

/** Checks the parts around the model: the settings our encoder follows. */
function checkPipeline(fail: Fail, json: Json): void {
  expectSetting(fail, 'normalizer', json.normalizer, [null]);
  if (!isObject(json.pre_tokenizer) || json.pre_tokenizer.type !== 'WhitespaceSplit') {
    fail('pre_tokenizer', 'must be {"type": "WhitespaceSplit"}');
  }
  expectSetting(fail, 'post_processor', json.post_processor, [null]);
  const model = json.model as Json;
  expectSetting(fail, 'model.unk_token', model.unk_token, [BPE_UNK_TOKEN]);
  if (model.unk_token === undefined) fail('model.unk_token', `is missing (must be "${BPE_UNK_TOKEN}")`);
  expectSetting(fail, 'model.end_of_word_suffix', model.end_of_word_suffix, [BPE_END_OF_WORD]);
  if (model.end_of_word_suffix === undefined) fail('model.end_of_word_suffix', `is missing (must be "${BPE_END_OF_WORD}")`);
  expectSetting(fail, 'model.continuing_subword_prefix', model.continuing_subword_prefix, [null]);
  expectSetting(fail, 'model.dropout', model.dropout, [null]);
  expectSetting(fail, 'model.fuse_unk', model.fuse_unk, [false]);
  expectSetting(fail, 'model.byte_fallback', model.byte_fallback, [false]);
  expectSetting(fail, 'model.ignore_merges', model.ignore_merges, [false]);
}

/**
 * Rebuilds a tokenizer from a tokenizer.json object written by `toTokenizerJson` (or an equivalent one).
 * Anything else fails with one line: `<source>: <field>: <what is wrong>`.
 */
export function fromTokenizerJson(json: unknown, source = 'tokenizer.json'): BpeTokenizer {
  const fail: Fail = (field, why) => {
    throw new TweetlabError(`${source}: ${field}: ${why}`);
  };
  if (!isObject(json)) fail('(top level)', 'must be a JSON object (a Hugging Face tokenizer.json)');
  const root = json as Json;
  if (!isObject(root.model)) fail('model', 'is missing or not an object');
  const model = root.model as Json;
  if (model.type !== 'BPE') fail('model.type', `must be "BPE", got ${JSON.stringify(model.type)}`);
  checkPipeline(fail, root);
  const tokens = readVocab(fail, model.vocab);
  const merges = readMerges(fail, model.merges, tokens);
  try {
    return new BpeTokenizer(tokens, merges);
  } catch (err) {
    return fail('model', errorMessage(err));
  }
}

/** Writes `tok` as a tokenizer.json file, atomically. */
export async function saveBpeTokenizer(file: string, tok: BpeTokenizer): Promise<void> {
  await writeJsonAtomic(file, toTokenizerJson(tok));
}

/** Reads a tokenizer.json file; a missing, unreadable or invalid file fails with one line naming it. */
export async function loadBpeTokenizer(file: string): Promise<BpeTokenizer> {
  const text = await readTextFile(file, 'tokenizer file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new TweetlabError(`${file}: not valid JSON (${errorMessage(err)})`);
  }
  return fromTokenizerJson(json, file);
}
