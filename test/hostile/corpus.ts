/**
 * The seeded generator of bad input files. Nothing here is committed as data: every case is built from a
 * `Random` seed at test time and written to a temp folder, so the corpus is the same on every run and costs no
 * repository space. Each case says what must happen: a clear error (with the words the message must hold) or
 * a documented handling (with the post texts that must come out).
 */
import { Random } from '../../src/random.js';

export interface FileCase {
  /** Row of the README table. */
  reader: string;
  name: string;
  /** Relative path → content. */
  files: Record<string, string | Buffer>;
  /** The path given to the CLI (relative to the case folder). */
  input: string;
  expect: 'error' | 'handled';
  /** What the error line must contain besides the input's name. */
  mentions?: (string | RegExp)[];
  /** For handled cases: the texts `fetch` must save, in any order. */
  texts?: string[];
  /** The file the error must name, when not the input itself (a broken split part). */
  names?: string;
  /** Extra CLI flags. */
  flags?: string[];
}

const LATIN = ['river', 'stone', 'quiet', 'morning', 'light', 'paper', 'winter', 'garden', 'signal', 'harbor', 'market'];
const CYRILLIC = ['река', 'камень', 'утро', 'свет', 'бумага', 'зима', 'сад', 'сигнал', 'гавань', 'рынок'];

/** A plausible post of 3–9 words, sometimes with a comma, a quote or a line break (so quoting is exercised). */
function post(rng: Random): string {
  const n = 3 + rng.int(7);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(rng.next() < 0.4 ? rng.pick(CYRILLIC) : rng.pick(LATIN));
  let text = words.join(' ');
  const r = rng.next();
  if (r < 0.15) text = text.replace(' ', ', ');
  else if (r < 0.25) text = `"${text}" she said`;
  else if (r < 0.3) text = text.replace(' ', '\n');
  return text;
}

function posts(rng: Random, n = 3 + rng.int(6)): string[] {
  return Array.from({ length: n }, () => post(rng));
}

function field(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV text id,text with the given line ending per row (a function for mixed endings). */
function csv(texts: string[], eol: (i: number) => string = () => '\n', header = 'id,text'): string {
  let s = header + eol(0);
  texts.forEach((t, i) => (s += `${i + 1},${field(t)}${eol(i + 1)}`));
  return s;
}

/** Every CSV case: wrong/missing header, quotes, endings, BOM, NUL, encodings, zero rows, field counts. */
export function csvCases(seed = 7001): FileCase[] {
  const rng = new Random(seed);
  const cases: FileCase[] = [];
  const R = 'CSV file';
  const add = (c: Omit<FileCase, 'reader' | 'input'> & { input?: string }) => cases.push({ reader: R, input: 'posts.csv', ...c });

  for (const h of ['id,body', 'id,Text', 'id,tweet', 'id,content', 'id,', 'id;text', 'id\ttext', 'id,texts']) {
    add({ name: `wrong header "${h}"`, files: { 'posts.csv': csv(posts(rng), undefined, h) }, expect: 'error', mentions: [/no column "text"|expected 1 fields/] });
  }
  for (let k = 0; k < 6; k++) {
    const t = posts(rng);
    const body = csv(t).split('\n').slice(1).join('\n'); // header row dropped: the first post becomes the header
    add({ name: `missing header #${k}`, files: { 'posts.csv': body }, expect: 'error', mentions: [/no column "text"|expected \d+ fields/] });
  }
  for (let k = 0; k < 8; k++) {
    const t = posts(rng, 4 + rng.int(4));
    const row = rng.int(t.length);
    const lines = csv(t.map((x) => x.replace(/[\n"]/g, ' '))).split('\n');
    lines[row + 1] = lines[row + 1]!.replace(/,/, ',"'); // opens a quote that never closes
    add({ name: `unbalanced quote in row ${row + 1} #${k}`, files: { 'posts.csv': lines.join('\n') }, expect: 'error', mentions: [`line ${row + 2}`, /unbalanced/] });
  }
  for (let k = 0; k < 6; k++) {
    const t = posts(rng, 4).map((x) => x.replace(/[\n",]/g, ' '));
    const row = rng.int(t.length);
    t[row] = t[row]!.replace(' ', ' 12" vinyl ');
    const text = `id,text\n${t.map((x, i) => `${i + 1},${x}`).join('\n')}\n`;
    add({ name: `stray quote in row ${row + 1} #${k}`, files: { 'posts.csv': text }, expect: 'error', mentions: [`line ${row + 2}`, 'stray quote'] });
  }
  for (let k = 0; k < 4; k++) {
    const t = posts(rng, 3).map((x) => x.replace(/[\n",]/g, ' '));
    const text = `id,text\n1,"${t[0]}"x\n2,${t[1]}\n`;
    add({ name: `text after a closing quote #${k}`, files: { 'posts.csv': text }, expect: 'error', mentions: ['line 2', 'closing quote'] });
  }
  const endings = ['\n', '\r\n', '\r'];
  for (let k = 0; k < 10; k++) {
    const t = posts(rng).map((x) => x.replace(/\n/g, '\r\n'));
    add({ name: `mixed line endings #${k}`, files: { 'posts.csv': csv(t, () => rng.pick(endings)) }, expect: 'handled', texts: t });
  }
  for (let k = 0; k < 4; k++) {
    const t = posts(rng);
    add({ name: `UTF-8 BOM #${k}`, files: { 'posts.csv': '\ufeff' + csv(t, () => rng.pick(endings)) }, expect: 'handled', texts: t });
  }
  {
    const t = posts(rng);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(t), 'utf16le')]);
    const be = Buffer.from(Buffer.from(csv(t), 'utf16le').swap16());
    add({ name: 'UTF-16LE with BOM', files: { 'posts.csv': le }, expect: 'error', mentions: ['UTF-16'] });
    add({ name: 'UTF-16BE with BOM', files: { 'posts.csv': Buffer.concat([Buffer.from([0xfe, 0xff]), be]) }, expect: 'error', mentions: ['UTF-16'] });
    add({ name: 'UTF-16LE without BOM (NUL every other byte)', files: { 'posts.csv': Buffer.from(csv(t), 'utf16le') }, expect: 'error', mentions: ['UTF-16'] });
    add({ name: 'UTF-16BE without BOM', files: { 'posts.csv': be }, expect: 'error', mentions: ['UTF-16'] });
  }
  for (let k = 0; k < 5; k++) {
    const t = posts(rng).map((x) => x.replace(/\n/g, ' '));
    const row = rng.int(t.length);
    const w = t[row]!.split(' ');
    t[row] = [w[0], '\u0000', ...w.slice(1)].join('');
    // Documented: a NUL is kept by the readers (it is a character) and turned into a space by `clean`.
    add({ name: `NUL byte inside post ${row + 1} #${k}`, files: { 'posts.csv': csv(t) }, expect: 'handled', texts: t });
  }
  add({ name: 'NUL byte inside the header', files: { 'posts.csv': csv(posts(rng), undefined, 'id,te\u0000xt') }, expect: 'error', mentions: ['no column "text"'] });
  add({ name: 'a file of NUL bytes', files: { 'posts.csv': Buffer.alloc(4096) }, expect: 'error', mentions: ['no column "text"'] });
  const encodings: [string, Buffer][] = [
    ['Windows-1251 Cyrillic', Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x20, 0xec, 0xe8, 0xf0])],
    ['Latin-1 é', Buffer.from([0x63, 0x61, 0x66, 0xe9])],
    ['lone continuation byte', Buffer.from([0x61, 0x80, 0x62])],
    ['overlong slash', Buffer.from([0xc0, 0xaf])],
    ['UTF-8-encoded surrogate', Buffer.from([0xed, 0xa0, 0x80])],
    ['code point above U+10FFFF', Buffer.from([0xf4, 0x90, 0x80, 0x80])],
    ['byte 0xFF', Buffer.from([0x61, 0xff])],
    ['truncated 3-byte sequence', Buffer.from([0xe2, 0x82])],
  ];
  for (const [what, bytes] of encodings) {
    const t = posts(rng, 3).map((x) => x.replace(/[\n",]/g, ' '));
    const row = 1 + rng.int(t.length);
    const lines = csv(t).split('\n').map((l) => Buffer.from(l));
    lines[row] = Buffer.concat([lines[row]!, Buffer.from(' '), bytes]);
    const file = Buffer.concat(lines.flatMap((l, i) => (i === 0 ? [l] : [Buffer.from('\n'), l])));
    add({ name: `non-UTF-8: ${what}`, files: { 'posts.csv': file }, expect: 'error', mentions: [`line ${row + 1}`, 'not UTF-8'] });
  }
  const truncatedAtEof = Buffer.concat([Buffer.from(csv(['ok post'])), Buffer.from([0xf0, 0x9f, 0x98])]);
  add({ name: 'non-UTF-8: emoji cut at end of file', files: { 'posts.csv': truncatedAtEof }, expect: 'error', mentions: ['not UTF-8'] });
  add({ name: 'zero rows: header only', files: { 'posts.csv': 'id,text\n' }, expect: 'error', mentions: [/no posts|empty/] });
  add({ name: 'zero rows: header and blank lines', files: { 'posts.csv': 'id,text\r\n\r\n\n\r\n' }, expect: 'error', mentions: [/no posts|empty/] });
  add({ name: 'zero rows: empty file', files: { 'posts.csv': '' }, expect: 'error', mentions: ['empty'] });
  add({ name: 'zero rows: only a BOM', files: { 'posts.csv': '\ufeff' }, expect: 'error', mentions: ['empty'] });
  add({ name: 'zero rows: whitespace lines', files: { 'posts.csv': '\n\n\r\n' }, expect: 'error', mentions: ['empty'] });
  for (let k = 0; k < 5; k++) {
    const t = posts(rng, 4).map((x) => x.replace(/[\n",]/g, ' '));
    const row = rng.int(t.length);
    const lines = csv(t).split('\n');
    lines[row + 1] = k % 2 === 0 ? lines[row + 1] + ',extra' : String(row + 1);
    add({ name: `wrong number of fields in row ${row + 1} #${k}`, files: { 'posts.csv': lines.join('\n') }, expect: 'error', mentions: [`line ${row + 2}`, 'fields'] });
  }
  for (let k = 0; k < 3; k++) {
    const t = posts(rng);
    add({
      name: `text in another column with --text-column #${k}`,
      files: { 'posts.csv': csv(t, undefined, 'id,message') },
      flags: ['--text-column', 'message'],
      expect: 'handled',
      texts: t,
    });
  }
  add({ name: 'input is a folder', files: { 'posts.csv/x': 'x' }, expect: 'error', mentions: ['folder'] });
  add({ name: 'input does not exist', files: {}, expect: 'error', mentions: ['not found'] });
  {
    const t = posts(rng);
    add({ name: 'header with spaces around names', files: { 'posts.csv': csv(t, undefined, ' id , text ') }, expect: 'handled', texts: t });
  }
  return cases;
}

/** JSON Lines cases. */
export function jsonlCases(seed = 7002): FileCase[] {
  const rng = new Random(seed);
  const cases: FileCase[] = [];
  const R = 'JSONL file';
  const add = (c: Omit<FileCase, 'reader' | 'input'>) => cases.push({ reader: R, input: 'posts.jsonl', ...c });
  const lines = (t: string[]) => t.map((x, i) => JSON.stringify({ id: String(i + 1), text: x, created_at: '2024-01-01T00:00:00Z' }));

  for (let k = 0; k < 8; k++) {
    const t = posts(rng, 4 + rng.int(3));
    const l = lines(t);
    const row = rng.int(l.length);
    const cut = 1 + rng.int(l[row]!.length - 2);
    l[row] = l[row]!.slice(0, cut);
    add({ name: `line ${row + 1} cut at ${cut} #${k}`, files: { 'posts.jsonl': l.join('\n') + '\n' }, expect: 'error', mentions: [`line ${row + 1}`, 'not valid JSON'] });
  }
  const notObjects = ['[1,2]', '42', '"a string"', 'null', 'true'];
  for (const v of notObjects) {
    const l = lines(posts(rng, 3));
    l.splice(1, 0, v);
    add({ name: `line holds ${v}`, files: { 'posts.jsonl': l.join('\n') }, expect: 'error', mentions: ['line 2', 'JSON object'] });
  }
  const badText: [string, unknown][] = [['missing', undefined], ['number', 7], ['object', { a: 1 }], ['null', null], ['array', ['x']], ['boolean', false]];
  for (const [what, v] of badText) {
    const l = lines(posts(rng, 3));
    const obj: Record<string, unknown> = { id: '9' };
    if (v !== undefined) obj['text'] = v;
    l.push(JSON.stringify(obj));
    add({ name: `text is ${what}`, files: { 'posts.jsonl': l.join('\n') }, expect: 'error', mentions: ['line 4', '"text"'] });
  }
  add({ name: 'trailing comma', files: { 'posts.jsonl': '{"id":"1","text":"a b c",}\n' }, expect: 'error', mentions: ['line 1'] });
  add({ name: 'single quotes', files: { 'posts.jsonl': "{'id':'1','text':'a b c'}\n" }, expect: 'error', mentions: ['line 1'] });
  add({ name: 'a JSON array instead of lines', files: { 'posts.jsonl': JSON.stringify([{ id: '1', text: 'a b' }], null, 2) }, expect: 'error', mentions: ['line 1'] });
  add({ name: 'two objects on one line', files: { 'posts.jsonl': '{"text":"a"} {"text":"b"}\n' }, expect: 'error', mentions: ['line 1'] });
  add({ name: 'raw line break inside a string', files: { 'posts.jsonl': '{"id":"1","text":"two\nlines"}\n' }, expect: 'error', mentions: ['line 1'] });
  add({ name: 'zero lines', files: { 'posts.jsonl': '' }, expect: 'error', mentions: [/no posts|empty/] });
  add({ name: 'only blank lines', files: { 'posts.jsonl': '\n  \n\r\n' }, expect: 'error', mentions: [/no posts|empty/] });
  add({ name: 'non-UTF-8 byte', files: { 'posts.jsonl': Buffer.concat([Buffer.from('{"text":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]) }, expect: 'error', mentions: ['not UTF-8', 'line 1'] });
  for (let k = 0; k < 4; k++) {
    const t = posts(rng);
    const eols = ['\n', '\r\n', '\r'];
    const text = lines(t).map((l) => l + rng.pick(eols)).join(k % 2 ? '\n' : '');
    add({ name: `mixed line endings and blank lines #${k}`, files: { 'posts.jsonl': (k === 3 ? '\ufeff' : '') + text }, expect: 'handled', texts: t });
  }
  for (let k = 0; k < 3; k++) {
    const t = posts(rng, 3);
    const l = t.map((x, i) => JSON.stringify({ id: 1000 + i, text: x, extra: { nested: [1, 2] } }));
    add({ name: `numeric ids and extra keys #${k}`, files: { 'posts.jsonl': l.join('\n') }, expect: 'handled', texts: t });
  }
  {
    const t = ['nul\u0000inside the text', 'escaped \u2028 line separator', 'tab\there'];
    add({ name: 'escaped control characters', files: { 'posts.jsonl': lines(t).join('\n') }, expect: 'handled', texts: t });
  }
  {
    const t = posts(rng, 3);
    const l = t.map((x) => JSON.stringify({ body: x }));
    add({ name: 'text under another key with --text-column', files: { 'posts.jsonl': l.join('\n') }, flags: ['--text-column', 'body'], expect: 'handled', texts: t });
    add({ name: 'text under another key without --text-column', files: { 'posts.jsonl': l.join('\n') }, expect: 'error', mentions: ['"text" is missing'] });
  }
  cases.push({ reader: R, name: 'a .json array file', files: { 'posts.json': JSON.stringify([{ id: '1', text: 'a b c' }]) }, input: 'posts.json', expect: 'error', mentions: ['.jsonl'] });
  add({ name: 'ndjson extension', files: { 'posts.ndjson': '{"text":"one two three"}\n' }, expect: 'handled', texts: ['one two three'] });
  cases[cases.length - 1]!.input = 'posts.ndjson';
  return cases;
}

function tweet(id: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { tweet: { id_str: id, id, full_text: text, created_at: 'Wed Oct 10 20:19:24 +0000 2018', ...extra } };
}

function archiveFile(part: number, items: unknown[], name = 'tweets'): string {
  return `window.YTD.${name}.part${part} = ${JSON.stringify(items, null, 2)}`;
}

/** Twitter archive cases (`tweets.js`). */
export function archiveCases(seed = 7003): FileCase[] {
  const rng = new Random(seed);
  const cases: FileCase[] = [];
  const R = 'archive tweets.js';
  const add = (c: Omit<FileCase, 'reader' | 'input'> & { input?: string }) => cases.push({ reader: R, input: 'tweets.js', ...c });
  const items = (t: string[], base = 100) => t.map((x, i) => tweet(String(base + i), x));

  const prefixes = [
    ['likes prefix', (s: string) => s.replace('window.YTD.tweets.part0', 'window.YTD.like.part0')],
    ['no prefix (bare JSON)', (s: string) => s.replace(/^window\.YTD\.tweets\.part0 = /, '')],
    ['var instead of window.YTD', (s: string) => s.replace('window.YTD.tweets.part0', 'var tweets')],
    ['an HTML page', () => '<!DOCTYPE html><html><body>Your archive</body></html>'],
    ['a zip file', () => 'PK\u0003\u0004\u0014\u0000\u0000\u0000'],
    ['empty file', () => ''],
    ['prefix without a part number', (s: string) => s.replace('part0', 'part')],
  ] as const;
  for (const [what, f] of prefixes) {
    add({ name: `wrong prefix: ${what}`, files: { 'tweets.js': f(archiveFile(0, items(posts(rng)))) }, expect: 'error', mentions: ['not a Twitter archive'] });
  }
  for (let k = 0; k < 8; k++) {
    const full = archiveFile(0, items(posts(rng, 5)));
    const cut = 30 + rng.int(full.length - 40);
    add({ name: `truncated at byte ${cut} #${k}`, files: { 'tweets.js': full.slice(0, cut) }, expect: 'error', mentions: [/truncated|malformed/] });
  }
  add({ name: 'malformed JSON (missing comma)', files: { 'tweets.js': 'window.YTD.tweets.part0 = [{"tweet":{"id_str":"1","full_text":"a"}} {"tweet":{}}]' }, expect: 'error', mentions: ['malformed'] });
  add({ name: 'an object instead of an array', files: { 'tweets.js': 'window.YTD.tweets.part0 = {"tweet":{"id_str":"1","full_text":"a"}}' }, expect: 'error', mentions: ['array'] });
  add({ name: 'items that are not objects', files: { 'tweets.js': archiveFile(0, [1, 'x', null]) }, expect: 'error', mentions: ['item 1'] });
  add({ name: 'an item without full_text', files: { 'tweets.js': archiveFile(0, [...items(['ok post here']), { tweet: { id_str: '5' } }]) }, expect: 'error', mentions: ['item 2', 'full_text'] });
  add({ name: 'an item without an id', files: { 'tweets.js': archiveFile(0, [{ tweet: { full_text: 'no id here' } }]) }, expect: 'error', mentions: ['item 1', 'id_str'] });
  add({ name: 'full_text is a number', files: { 'tweets.js': archiveFile(0, [{ tweet: { id_str: '1', full_text: 5 } }]) }, expect: 'error', mentions: ['full_text'] });
  add({ name: 'zero tweets', files: { 'tweets.js': archiveFile(0, []) }, expect: 'error', mentions: ['no posts'] });
  add({
    name: 'only replies and retweets',
    files: { 'tweets.js': archiveFile(0, [tweet('1', 'RT @x: hello there'), tweet('2', 'a reply', { in_reply_to_status_id_str: '9' })]) },
    expect: 'error',
    mentions: ['no posts'],
  });
  add({ name: 'non-UTF-8 byte', files: { 'tweets.js': Buffer.concat([Buffer.from(archiveFile(0, items(['caf']))), Buffer.from([0xe9])]) }, expect: 'error', mentions: ['not UTF-8'] });
  for (let k = 0; k < 4; k++) {
    const a = posts(rng, 3);
    const b = posts(rng, 3);
    const c = posts(rng, 2);
    add({
      name: `split archive: tweets.js + part1 + part2 #${k}`,
      files: { 'tweets.js': archiveFile(0, items(a, 100)), 'tweets-part1.js': archiveFile(1, items(b, 200)), 'tweets-part2.js': archiveFile(2, items(c, 300)) },
      expect: 'handled',
      texts: [...a, ...b, ...c],
    });
  }
  {
    const a = posts(rng, 3);
    add({
      name: 'split archive with a truncated part1',
      files: { 'tweets.js': archiveFile(0, items(a)), 'tweets-part1.js': archiveFile(1, items(posts(rng, 3), 200)).slice(0, 60) },
      expect: 'error',
      names: 'tweets-part1.js',
      mentions: [/truncated|malformed/],
    });
    add({
      name: 'split archive with a wrong prefix in part2',
      files: { 'tweets.js': archiveFile(0, items(a)), 'tweets-part2.js': 'window.YTD.like.part2 = []' },
      expect: 'error',
      names: 'tweets-part2.js',
      mentions: ['not a Twitter archive'],
    });
    const dup = posts(rng, 2);
    add({
      name: 'split parts repeating the same ids',
      files: { 'tweets.js': archiveFile(0, items(dup, 100)), 'tweets-part1.js': archiveFile(1, items(dup, 100)) },
      expect: 'handled',
      texts: dup,
    });
    const b = posts(rng, 3);
    add({ name: 'archive folder with data/tweets.js', files: { 'archive/data/tweets.js': archiveFile(0, items(b)) }, input: 'archive', expect: 'handled', texts: b });
    add({ name: 'archive folder without tweets.js', files: { 'archive/data/like.js': 'window.YTD.like.part0 = []' }, input: 'archive', expect: 'error', mentions: ['no data/tweets.js'] });
    const c = posts(rng, 3);
    add({ name: 'old tweet.js without the wrapper', files: { 'tweet.js': archiveFile(0, c.map((x, i) => ({ id_str: String(i + 1), full_text: x })), 'tweet') }, input: 'tweet.js', expect: 'handled', texts: c });
    const d = posts(rng, 3);
    add({ name: 'CRLF line endings and a trailing semicolon', files: { 'tweets.js': archiveFile(0, items(d)).replace(/\n/g, '\r\n') + ';\r\n' }, expect: 'handled', texts: d });
    const e = posts(rng, 3);
    add({ name: 'UTF-8 BOM', files: { 'tweets.js': '\ufeff' + archiveFile(0, items(e)) }, expect: 'handled', texts: e });
    add({ name: 'unreadable created_at is left out', files: { 'tweets.js': archiveFile(0, [tweet('1', 'date is odd', { created_at: 'yesterday-ish' })]) }, expect: 'handled', texts: ['date is odd'] });
  }
  return cases;
}

/** Posts whose content is hostile to cleaning and tokenizing (run through clean + dataset). */
export interface ContentCase {
  reader: string;
  name: string;
  texts: string[];
  /** 'error' when every post is junk (nothing to keep); otherwise the texts clean must keep, by index. */
  expect: 'error' | 'handled';
  /** Words (after cleaning) that must survive. */
  keep?: string[];
  /** How many posts must be dropped as empty. */
  dropped?: number;
}

export function contentCases(seed = 7004): ContentCase[] {
  const rng = new Random(seed);
  const R = 'post content (clean)';
  const cases: ContentCase[] = [];
  const junk: [string, () => string][] = [
    ['only links', () => `https://t.co/${rng.int(1e6).toString(36)} http://example.org/a?b=${rng.int(99)}`],
    ['only emoji', () => ['😀', '🎉🎉', '👨‍👩‍👧', '🏳️‍🌈', '❤️', '🇺🇦'].slice(rng.int(3), 3 + rng.int(3)).join(' ')],
    ['only punctuation and symbols', () => ['!!!', '...', '#', '©®™', '№ ° ♪', '—', '«»'].slice(rng.int(3)).join(' ')],
    ['only an html entity', () => ['&amp;', '&nbsp;', '&#8230;', '&quot;'][rng.int(4)] as string],
    ['only zero-width characters', () => '\u200b\u200c\u200d\ufeff\u2060'],
    ['only whitespace', () => ' \t\u00a0\u3000 '],
  ];
  for (const [what, make] of junk) {
    for (let k = 0; k < 3; k++) cases.push({ reader: R, name: `all posts ${what} #${k}`, texts: [make(), make(), make()], expect: 'error' });
  }
  // Mentions become "user": never empty, documented in clean's rules.
  cases.push({ reader: R, name: 'only mentions', texts: ['@alice @bob', '@карл'], expect: 'handled', keep: ['user'], dropped: 0 });
  for (const [what, make] of junk) {
    cases.push({ reader: R, name: `${what} mixed with real posts`, texts: [make(), 'real words stay here', make(), 'слова тоже остаются'], expect: 'handled', keep: ['real', 'слова'], dropped: 2 });
  }
  const scripts: [string, string[], string[]][] = [
    ['Cyrillic with capitals', ['Привет МИР, как дела?', 'ЁЛКА и ёжик'], ['привет', 'мир', 'ёлка', 'ёжик']],
    ['Arabic (RTL)', ['مرحبا بالعالم الجميل', 'كيف حالك اليوم'], ['مرحبا', 'اليوم']],
    ['Hebrew (RTL)', ['שלום עולם יפה', 'מה שלומך היום'], ['שלום', 'היום']],
    ['RTL with a left-to-right override', ['\u202eevil\u202c text here', 'abc \u200fdef\u200e ghi'], ['evil', 'text', 'def']],
    ['combining marks (decomposed)', ['e\u0301te\u0301 cafe\u0301 garcon', 'и\u0306од йод'], ['été', 'café', 'йод']],
    ['zero-width joiners inside words', ['wo\u200drd spl\u200bit', 'mi\u200cxed te\u2060xt'], ['word', 'split', 'mixed', 'text']],
    ['emoji ZWJ sequences between words', ['hello 👨‍👩‍👧 world', 'flag 🏳️‍🌈 day'], ['hello', 'world', 'flag', 'day']],
    ['lone surrogate halves', ['bad \ud800 half', 'other \udfff half \ud83d'], ['bad', 'half', 'other']],
    ['full-width and ligatures', ['ｆｕｌｌ ｗｉｄｔｈ', 'eﬃcient ﬂow'], ['full', 'width']],
    ['Thai and CJK', ['ภาษาไทย ง่าย มาก', '漢字 かな 交じり文'], ['ภาษาไทย', '漢字']],
    ['mixed scripts in one post', ['rock и roll עם music', 'sun солнце شمس'], ['rock', 'и', 'солнце']],
    ['NUL and control characters', ['nul\u0000byte here', 'bell\u0007 and esc\u001b[31m red'], ['nul', 'byte', 'bell']],
    ['markup as text', ['<script>alert(1)</script> words', '<img src=x onerror=alert(2)> more words'], ['words', 'more']],
    ['very long word', ['a'.repeat(5000) + ' tail', 'short post'], ['tail', 'short']],
  ];
  for (const [what, texts, keep] of scripts) {
    cases.push({ reader: R, name: what, texts, expect: 'handled', keep, dropped: 0 });
  }
  return cases;
}
