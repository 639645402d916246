import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BpeTokenizer } from '../../src/text/bpe.js';
import { trainBpe } from '../../src/text/bpe-train.js';
import { fromTokenizerJson, loadBpeTokenizer, saveBpeTokenizer, toTokenizerJson } from '../../src/text/bpe-json.js';
import { cleanPosts } from '../../src/text/clean.js';
import { tokenizeWords } from '../../src/text/tokenize.js';
import { loadCorpus } from '../../src/sources/index.js';
import { TweetlabError } from '../../src/errors.js';

const RUSSIAN = [
  'газпром продолжает реализацию проектов в ямало-ненецком ао',
  'сегодня на заводе прошла проверка проверка прошла успешно',
  'новые проекты газопровод завод и новые рабочие места',
  'рабочие завода обсудили проекты с руководством',
].map(tokenizeWords);

/** Posts Hugging Face must encode as we do: unseen characters, accents, Cyrillic letters never seen, CJK. */
const ODD_POSTS = [
  ['naïve', 'café', 'x€y', 'q', 'zzz'],
  ['ёжик', 'проектё', 'газ', 'й'],
  ['日本語', 'the', 'a日'],
  ["don't", 'covid-19', 'gpr_export', '2024'],
];

async function defaultPosts(): Promise<string[][]> {
  const corpus = await loadCorpus({});
  return cleanPosts(corpus.posts).posts.map((p) => tokenizeWords(p.text));
}

// The package is typed as an ES module, which a CommonJS file cannot name in a type: these are the parts used.
interface HfTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): { ids: number[] };
  decode(ids: number[], options?: { clean_up_tokenization_spaces?: boolean }): string;
  token_to_id(token: string): number | undefined;
}
let HfTokenizerClass: new (json: object, config: object) => HfTokenizer;

/** Hugging Face's reading of our tokenizer.json, from the saved text as a user would load it. */
function huggingFace(tok: BpeTokenizer): HfTokenizer {
  return new HfTokenizerClass(JSON.parse(JSON.stringify(toTokenizerJson(tok))) as object, {});
}

const tokensOfAll = (tok: BpeTokenizer, words: string[]) => Array.from(tok.encodeWords(words), (id) => tok.tokens[id]);

describe('tokenizer.json and @huggingface/tokenizers', () => {
  beforeAll(async () => {
    // An ES module: a CommonJS file loads it with a dynamic import.
    HfTokenizerClass = (await import('@huggingface/tokenizers')).Tokenizer;
  });

  it('encodes held-out posts to the same ids as encodeWords, and decodes them to the same text', async () => {
    const posts = await defaultPosts();
    const train = [...posts.slice(0, 2000), ...RUSSIAN];
    const heldOut = [...posts.slice(2000), ...RUSSIAN, ...ODD_POSTS];
    const tok = trainBpe(train, { merges: 1500 });
    const hf = huggingFace(tok);
    let unknown = 0;
    for (const post of heldOut) {
      const ours = Array.from(tok.encodeWords(post));
      expect(hf.encode(post.join(' '), { add_special_tokens: false }).ids).toEqual(ours);
      unknown += ours.filter((id) => id === tok.unkId).length;
      if (!ours.includes(tok.unkId)) {
        expect(hf.decode(ours, { clean_up_tokenization_spaces: false })).toBe(post.join(' '));
      }
    }
    expect(unknown).toBeGreaterThan(5); // the odd posts did reach <unk>
    expect(hf.token_to_id('<eos>')).toBe(tok.eosId);
    expect(hf.token_to_id('<unk>')).toBe(tok.unkId);
  });

  it('agrees with Hugging Face on a tokenizer trained on Russian only', () => {
    const tok = trainBpe(RUSSIAN, { merges: 80 });
    const hf = huggingFace(tok);
    for (const post of [...RUSSIAN, ...ODD_POSTS]) {
      expect(hf.encode(post.join(' '), { add_special_tokens: false }).ids).toEqual(Array.from(tok.encodeWords(post)));
    }
  });

  it('breaks ties between equal-rank pairs the same way (leftmost first) on repeated letters', () => {
    const runs = (c: string) => Array.from({ length: 9 }, (_, i) => c.repeat(i + 1));
    // One merge (a,a): in "aaab" it could join letters 1-2 or 2-3; the leftmost goes first.
    const one = new BpeTokenizer(['<unk>', '<eos>', 'a', 'a</w>', 'b', 'b</w>', 'aa'], [['a', 'a']]);
    expect(tokensOfAll(one, ['aaab'])).toEqual(['aa', 'a', 'b</w>']);
    expect(tokensOfAll(one, ['aaaaab'])).toEqual(['aa', 'aa', 'a', 'b</w>']);
    const trained = trainBpe([runs('a'), runs('a'), ['abab', 'babab', 'ababa', 'aab', 'abb']], { merges: 12 });
    for (const tok of [one, trained]) {
      const hf = huggingFace(tok);
      for (const post of [runs('a'), runs('b'), ['aaab', 'aaaaab', 'abababab', 'bbaabbaa', 'aabbaabb', 'baaab']]) {
        expect(hf.encode(post.join(' '), { add_special_tokens: false }).ids).toEqual(Array.from(tok.encodeWords(post)));
      }
    }
  });

  it('round-trips through JSON to an identical tokenizer', () => {
    const tok = trainBpe(RUSSIAN, { merges: 80 });
    const json = JSON.parse(JSON.stringify(toTokenizerJson(tok))) as unknown;
    const back = fromTokenizerJson(json, 'mem');
    expect(back.tokens).toEqual(tok.tokens);
    expect(back.merges).toEqual(tok.merges);
    expect(JSON.stringify(toTokenizerJson(back))).toBe(JSON.stringify(json));
  });

  it('keeps tokens that look like numbers or object keys in their ids', () => {
    const tok = trainBpe([['1', '22', '22', '__proto__', '__proto__', 'constructor', 'constructor']], { merges: 30 });
    const back = fromTokenizerJson(JSON.parse(JSON.stringify(toTokenizerJson(tok))), 'mem');
    expect(back.tokens).toEqual(tok.tokens);
    expect(tok.idOf('__proto__</w>')).toBeGreaterThan(1);
    expect(Array.from(huggingFace(tok).encode('__proto__ 22 1', { add_special_tokens: false }).ids)).toEqual(
      Array.from(tok.encodeWords(['__proto__', '22', '1'])),
    );
  });

  it('reads merges in the older "a b" string form', () => {
    const tok = trainBpe(RUSSIAN, { merges: 40 });
    const json = toTokenizerJson(tok) as { model: { merges: unknown } };
    json.model.merges = tok.merges.map(([a, b]) => `${a} ${b}`);
    expect(fromTokenizerJson(json, 'old').merges).toEqual(tok.merges);
  });
});

describe('saveBpeTokenizer / loadBpeTokenizer', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await fsp.rm(d, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const d = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-bpe-'));
    dirs.push(d);
    return d;
  };

  it('saves atomically and loads the same tokenizer', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'tokenizer.json');
    const tok = trainBpe(RUSSIAN, { merges: 50 });
    await saveBpeTokenizer(file, tok);
    expect(await fsp.readdir(dir)).toEqual(['tokenizer.json']);
    const loaded = await loadBpeTokenizer(file);
    expect(loaded.tokens).toEqual(tok.tokens);
    expect(Array.from(loaded.encodeWords(RUSSIAN[0] as string[]))).toEqual(Array.from(tok.encodeWords(RUSSIAN[0] as string[])));
  });

  it('fails with one line naming the file and the field', async () => {
    const dir = await tempDir();
    const good = toTokenizerJson(trainBpe(RUSSIAN, { merges: 10 }));
    const cases: [string, (j: any) => unknown, RegExp][] = [
      ['not-object.json', () => [1, 2], /\(top level\): must be a JSON object/],
      ['no-model.json', (j) => ({ ...j, model: undefined }), /model: is missing/],
      ['wordpiece.json', (j) => ({ ...j, model: { ...j.model, type: 'WordPiece' } }), /model\.type: must be "BPE"/],
      ['bad-id.json', (j) => ({ ...j, model: { ...j.model, vocab: { ...j.model.vocab, 'и': 1e6 } } }), /model\.vocab\["и"\]: must be a whole number id/],
      ['shared-id.json', (j) => ({ ...j, model: { ...j.model, vocab: { ...j.model.vocab, 'и': 2 } } }), /model\.vocab\["и"\]: id 2 is also used/],
      ['merge.json', (j) => ({ ...j, model: { ...j.model, merges: [['я', 'zz']] } }), /model\.merges\[0\]: "zz" is not in model\.vocab/],
      ['merge-shape.json', (j) => ({ ...j, model: { ...j.model, merges: [['a']] } }), /model\.merges\[0\]: must be a pair/],
      ['twice.json', (j) => ({ ...j, model: { ...j.model, merges: [j.model.merges[0], j.model.merges[0]] } }), /model\.merges\[1\]: .* appears twice/],
      ['pre.json', (j) => ({ ...j, pre_tokenizer: { type: 'Whitespace' } }), /pre_tokenizer: must be \{"type": "WhitespaceSplit"\}/],
      ['suffix.json', (j) => ({ ...j, model: { ...j.model, end_of_word_suffix: '@@' } }), /model\.end_of_word_suffix: must be "<\/w>"/],
      ['fuse.json', (j) => ({ ...j, model: { ...j.model, fuse_unk: true } }), /model\.fuse_unk: must be false/],
    ];
    for (const [name, change, pattern] of cases) {
      const file = path.join(dir, name);
      await fsp.writeFile(file, JSON.stringify(change(structuredClone(good))));
      const err = await loadBpeTokenizer(file).then(() => undefined, (e: unknown) => e);
      expect(err, name).toBeInstanceOf(TweetlabError);
      const message = (err as Error).message;
      expect(message.startsWith(`${file}: `), message).toBe(true);
      expect(message).toMatch(pattern);
      expect(message).not.toContain('\n');
    }
  });

  it('names a missing or non-JSON file', async () => {
    const dir = await tempDir();
    await expect(loadBpeTokenizer(path.join(dir, 'none.json'))).rejects.toThrow(/not found: .*none\.json/);
    const broken = path.join(dir, 'broken.json');
    await fsp.writeFile(broken, '{"model": ');
    await expect(loadBpeTokenizer(broken)).rejects.toThrow(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON`));
  });
});
