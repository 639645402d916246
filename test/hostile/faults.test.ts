/**
 * Faults: a fetch killed mid-pagination and re-run; training killed mid-epoch and resumed; a full disk and an
 * unwritable output folder. Kills are real SIGKILLs of `node dist/cli.js` child processes (run `npm run build`
 * first; `npm test` does). The full disk is real too: the child runs under RLIMIT_FSIZE (`ulimit -f`), so the
 * kernel refuses writes past the limit with EFBIG, the same path as ENOSPC; an injected ENOSPC covers the errno.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fsp, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePostsCsv } from '../../src/sources/files.js';
import { Random } from '../../src/random.js';
import { classify, expectCleanError, runCli, Tally, tempDir, tempLeftovers } from './harness.js';
import { skeet, startScripted, type ScriptedServer } from './servers.js';
import { TINY_TRAIN_FLAGS } from './tiny.js';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');
const tally = new Tally('faults');
let root: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run "npm run build" before test/hostile/faults.test.ts');
  root = await tempDir('faults');
});
afterAll(async () => {
  await tally.save();
  await fsp.rm(root, { recursive: true, force: true });
});

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

const startCliWith = (args: string[], opts: { shellPrefix?: string; env?: Record<string, string> } = {}) => startCli(args, opts);

function startCli(args: string[], opts: { shellPrefix?: string; env?: Record<string, string> } = {}): { child: ChildProcess; done: Promise<ChildResult> } {
  const env = { ...process.env, ...(opts.env ?? {}) };
  delete env['TWEETLAB_DEBUG'];
  const child = opts.shellPrefix
    ? spawn('/bin/sh', ['-c', `${opts.shellPrefix}; exec "$0" "$@"`, process.execPath, CLI, ...args], { env })
    : spawn(process.execPath, [CLI, ...args], { env });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<ChildResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err })));
  return { child, done };
}

async function waitFor(cond: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// ---------------------------------------------------------------- fetch killed mid-pagination

describe('fetch killed mid-pagination, then re-run', () => {
  let server: ScriptedServer;
  /** Newest first; rkey = zero-padded index so ids sort like the timeline. */
  let timeline: { rkey: string; text: string; createdAt: string }[] = [];
  const PAGE = 10;
  const add = (from: number, to: number) => {
    const fresh = [];
    for (let i = to; i >= from; i--) fresh.push({ rkey: `p${String(i).padStart(5, '0')}`, text: `post ${i}, "quoted", and\na line break`, createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString() });
    timeline = [...fresh, ...timeline];
  };
  beforeAll(async () => {
    add(1, 200);
    // Cursors are the rkey of the last post served: stable under new posts arriving at the top.
    server = await startScripted((url) => {
      const cursor = url.searchParams.get('cursor');
      const start = cursor === null ? 0 : timeline.findIndex((p) => p.rkey === cursor) + 1;
      const page = timeline.slice(start, start + PAGE);
      const body: Record<string, unknown> = { feed: page.map((p) => skeet('alice.test', p.rkey, p.text, {})) };
      for (const [i, item] of (body['feed'] as Record<string, any>[]).entries()) item['post']['record']['createdAt'] = page[i]!.createdAt;
      if (start + PAGE < timeline.length) body['cursor'] = page[page.length - 1]!.rkey;
      return { status: 200, body, delayMs: 40 };
    });
  });
  afterAll(() => server.close());

  it('never leaves a corrupt CSV, loses nothing saved, duplicates nothing, and resumes where it stopped', async () => {
    const out = path.join(root, 'fetch', 'alice.csv');
    const stateFile = path.join(root, 'fetch', '.alice.csv.fetch-state.json');
    const args = ['fetch', 'bluesky', 'alice.test', '--appview', server.url, '--out', out, '--json'];
    const rng = new Random(7006);
    let saved = new Set<string>();
    const readSaved = async () => {
      const posts = parsePostsCsv(await fsp.readFile(out, 'utf8'), out); // throws on a corrupt file
      const ids = posts.map((p) => p.id);
      expect(new Set(ids).size, 'no duplicates').toBe(ids.length);
      for (const id of saved) expect(ids, 'nothing saved before is lost').toContain(id);
      return posts;
    };

    for (let round = 0; round < 3; round++) {
      const hitsBefore = server.hits();
      const pending = existsSync(stateFile) ? (JSON.parse(await fsp.readFile(stateFile, 'utf8')) as { pending: { cursor: string } }).pending : undefined;
      const { child, done } = startCli(args);
      const killAfter = 2 + rng.int(5);
      await waitFor(() => server.hits() - hitsBefore >= killAfter, `${killAfter} page requests`);
      await new Promise((r) => setTimeout(r, rng.int(40))); // anywhere inside a page: waiting, parsing or saving
      child.kill('SIGKILL');
      const res = await done;
      expect(res.signal).toBe('SIGKILL');
      if (pending) {
        // The re-run continued the unfinished walk: its first request asked for the page after the saved cursor.
        expect(server.requests[hitsBefore]!.searchParams.get('cursor')).toBe(pending.cursor);
      }
      const posts = await readSaved();
      expect(posts.length).toBeGreaterThan(saved.size);
      saved = new Set(posts.map((p) => p.id));
      if (round === 1) add(201, 205); // new posts arrive between runs
    }
    // A writer killed in the middle of a write leaves its temp file; plant one as a dead process would.
    await fsp.writeFile(path.join(root, 'fetch', '.alice.csv.999999999.half.tmp'), 'id,created_at,text\r\n1,,half a fi');
    // The last run is not killed: it finishes the walk and picks up the new posts at the top.
    const { done } = startCli(args);
    const res = await done;
    expect(res.code, res.err).toBe(0);
    const summary = JSON.parse(res.out) as { total: number; complete: boolean };
    expect(summary.complete).toBe(true);
    const posts = await readSaved();
    expect(posts.map((p) => p.text).sort()).toEqual(timeline.map((p) => p.text).sort());
    expect(posts).toHaveLength(205);
    expect(existsSync(stateFile)).toBe(false);
    expect(tempLeftovers(path.join(root, 'fetch')), 'temp files of killed writers are cleaned up').toEqual([]);
    tally.record('fetch killed and re-run', 'handled');
  }, 60_000);
});

// ---------------------------------------------------------------- training killed mid-epoch

describe('training killed mid-epoch, then --resume', () => {
  const corpusCsv = (seed: number, posts = 600) => {
    const rng = new Random(seed);
    const words = 'the cat sat on a mat and the dog ran to the park with a red ball while birds sang songs'.split(' ');
    let s = 'id,text\n';
    for (let i = 0; i < posts; i++) s += `${i + 1},${Array.from({ length: 5 + rng.int(6) }, () => rng.pick(words)).join(' ')}\n`;
    return s;
  };
  const flags = [...TINY_TRAIN_FLAGS.filter((f, i, a) => f !== '--hidden' && a[i - 1] !== '--hidden'), '--hidden', '32', '--windows-per-epoch', '0', '--seed', '5', '--checkpoints', '1,2,3,4,5'];

  // Every engine here is deterministic, the fast engine with its worker threads included (work is split over
  // outputs only, so two threads compute the same bits as one): the resumed run must be bit-identical to the
  // uninterrupted one, with no tolerance. (tfjs-node, not installable here, may not be exact with its
  // multi-threaded native kernels.)
  const runs: [string, string, Record<string, string>][] = [
    ['tfjs-wasm', 'wasm', {}],
    ['fast engine, one thread', 'auto', { TWEETLAB_THREADS: '1' }],
    ['fast engine, worker threads', 'auto', {}],
  ];
  it.each(runs)('%s: loads the last checkpoint, continues epochs and history, ends equal to an uninterrupted run', async (label, backend, env) => {
    const startCli = (args: string[]) => startCliWith(args, { env });
    const dir = path.join(root, `train-${label.replace(/\W+/g, '-')}`);
    await fsp.mkdir(dir, { recursive: true });
    const input = path.join(dir, 'corpus.csv');
    // Size the corpus so one epoch lasts about half a second on this engine: the kill, sent as soon as the
    // epoch-2 checkpoint appears, then lands inside epoch 3 whatever the engine's speed.
    await fsp.writeFile(input, corpusCsv(7007));
    const calib = await startCli(['train', '--input', input, '--model-number', '1', '--out', path.join(dir, 'calibrate'), '--epochs', '2', ...flags, '--backend', backend, '--json']).done;
    expect(calib.code, calib.err).toBe(0);
    const epochSeconds = Math.max(1e-3, (JSON.parse(calib.out) as { history: { seconds: number }[] }).history[1]!.seconds);
    const posts = Math.min(30_000, Math.max(600, Math.ceil((600 * 0.5) / epochSeconds)));
    await fsp.writeFile(input, corpusCsv(7007, posts));
    const killed = path.join(dir, 'killed');
    const straight = path.join(dir, 'straight');

    const first = startCli(['train', '--input', input, '--model-number', '1', '--out', killed, '--epochs', '5', ...flags, '--backend', backend, '--json']);
    await waitFor(() => existsSync(path.join(killed, 'epoch-2', 'config.json')), 'the epoch-2 checkpoint');
    first.child.kill('SIGKILL');
    const r1 = await first.done;
    expect(r1.signal).toBe('SIGKILL');
    const done = readdirSync(killed).filter((n) => /^epoch-\d+$/.test(n));
    expect(done.length, `killed before finishing: ${done.join(',')}`).toBeLessThan(5);
    expect(done, `${posts} posts, ${epochSeconds} s per epoch in calibration`).toContain('epoch-2');

    const resumed = startCli(['train', '--input', input, '--resume', killed, '--out', killed, '--epochs', '5', ...flags, '--backend', backend, '--json']);
    const uninterrupted = startCli(['train', '--input', input, '--model-number', '1', '--out', straight, '--epochs', '5', ...flags, '--backend', backend, '--json']);
    const [r2, r3] = await Promise.all([resumed.done, uninterrupted.done]);
    expect(r2.code, r2.err).toBe(0);
    expect(r3.code, r3.err).toBe(0);
    type TrainOut = { engine: string; epoch: number; history: { epoch: number; loss: number; valLoss: number | null }[] };
    const a = JSON.parse(r2.out) as TrainOut;
    const b = JSON.parse(r3.out) as TrainOut;
    expect(a.epoch).toBe(5);
    expect(a.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(a.engine).toBe(b.engine);

    const cfgA = JSON.parse(await fsp.readFile(path.join(killed, 'epoch-5', 'config.json'), 'utf8')) as { epoch: number; history: { epoch: number; loss: number }[] };
    expect(cfgA.epoch).toBe(5);
    expect(cfgA.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5]);
    // The epochs before the kill are carried over unchanged from the checkpoint the resume loaded.
    const cfg2 = JSON.parse(await fsp.readFile(path.join(killed, 'epoch-2', 'config.json'), 'utf8')) as { history: { loss: number }[] };
    expect(cfgA.history.slice(0, 2).map((h) => h.loss)).toEqual(cfg2.history.map((h) => h.loss));

    // Same seed, same data order, same optimiser state: the resumed run ends bit-identical to the uninterrupted one.
    const wA = await fsp.readFile(path.join(killed, 'epoch-5', 'weights.bin'));
    const wB = await fsp.readFile(path.join(straight, 'epoch-5', 'weights.bin'));
    const fa = new Float32Array(wA.buffer, wA.byteOffset, wA.byteLength / 4);
    const fb = new Float32Array(wB.buffer, wB.byteOffset, wB.byteLength / 4);
    let maxDiff = 0;
    for (let i = 0; i < fa.length; i++) maxDiff = Math.max(maxDiff, Math.abs((fa[i] as number) - (fb[i] as number)));
    expect(fa.length).toBe(fb.length);
    expect(maxDiff, `engine ${a.engine}; killed after ${done.join(',')}; resumed ${JSON.stringify(a.history.map((h) => h.loss))} vs ${JSON.stringify(b.history.map((h) => h.loss))}; ${posts} posts`).toBe(0);
    expect(a.history.map((h) => h.loss)).toEqual(b.history.map((h) => h.loss));
    // No half-written checkpoint folder of the killed run is left looking like a checkpoint.
    for (const n of readdirSync(killed)) expect(n).toMatch(/^epoch-\d+$|\.tmp-\d+-|interrupted/);
    tally.record('training killed and resumed', 'handled');
  }, 90_000);
});

describe('training stopped with Ctrl-C (SIGINT), then --resume', () => {
  it('exits 130 with a short note, leaves a usable checkpoint, and resuming reaches the planned epochs', async () => {
    const dir = path.join(root, 'sigint');
    await fsp.mkdir(dir, { recursive: true });
    const input = path.join(dir, 'corpus.csv');
    const rng = new Random(7008);
    const words = 'one two three four five six seven eight nine ten eleven twelve'.split(' ');
    let csv = 'id,text\n';
    for (let i = 0; i < 600; i++) csv += `${i + 1},${Array.from({ length: 5 + rng.int(6) }, () => rng.pick(words)).join(' ')}\n`;
    await fsp.writeFile(input, csv);
    const out = path.join(dir, 'model');
    const flags = ['--preset', 'quick', '--hidden', '32', '--embedding', '8', '--layers', '1', '--seq-length', '3', '--batch-size', '16', '--windows-per-epoch', '0', '--seed', '9', '--checkpoints', '1,2,3,4'];
    const first = startCli(['train', '--input', input, '--model-number', '1', '--out', out, '--epochs', '4', ...flags]);
    await waitFor(() => existsSync(path.join(out, 'epoch-1', 'config.json')), 'the epoch-1 checkpoint');
    first.child.kill('SIGINT');
    const r1 = await first.done;
    expect(r1.code).toBe(130);
    expect(r1.err).not.toMatch(/\n\s+at |node:internal/);
    const saved = readdirSync(out).filter((n) => /^(epoch-\d+|interrupted)$/.test(n)).sort();
    expect(saved.length).toBeGreaterThan(0);
    // Whatever was saved last loads and writes posts.
    const latest = existsSync(path.join(out, 'interrupted')) ? path.join(out, 'interrupted') : path.join(out, saved[saved.length - 1] as string);
    const gen = await runCli(['generate', '--model', latest, '-n', '2', '--length', '4', '--json']);
    expect(gen.code, gen.err).toBe(0);
    const straight = path.join(dir, 'straight');
    const [resumed, uninterrupted] = await Promise.all([
      startCli(['train', '--input', input, '--resume', out, '--out', out, '--epochs', '4', ...flags, '--json']).done,
      startCli(['train', '--input', input, '--model-number', '1', '--out', straight, '--epochs', '4', ...flags, '--json']).done,
    ]);
    expect(resumed.code, resumed.err).toBe(0);
    expect(uninterrupted.code, uninterrupted.err).toBe(0);
    const json = JSON.parse(resumed.out) as { epoch: number; history: { epoch: number; loss: number }[] };
    expect(json.epoch).toBe(4);
    expect(json.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    // Issue 15: the epoch cut by Ctrl-C continues at its next batch, so the end is bit-identical.
    const other = JSON.parse(uninterrupted.out) as { history: { loss: number }[] };
    expect(json.history.map((h) => h.loss)).toEqual(other.history.map((h) => h.loss));
    const weightsOf = (d: string) => fsp.readFile(path.join(d, 'epoch-4', 'weights.bin'));
    expect((await weightsOf(out)).equals(await weightsOf(straight)), `saved after Ctrl-C: ${saved.join(',')}`).toBe(true);
    tally.record('training killed and resumed', 'handled');
  }, 90_000);
});

// ---------------------------------------------------------------- full disk, unwritable folder

describe('full disk and unwritable output folders', () => {
  const previous = 'id,created_at,text\r\n1,,the previous output must survive\r\n';
  const bigInput = () => {
    let s = 'id,text\n';
    for (let i = 0; i < 400; i++) s += `${i},words words words number ${i} and more words to fill the disk\n`;
    return s;
  };

  it.each<[string, (inp: string, out: string) => string[]]>([
    ['clean', (inp: string, out: string): string[] => ['clean', '--input', inp, '--out', out]],
    ['fetch csv', (inp: string, out: string): string[] => ['fetch', 'csv', inp, '--out', out, '--full']],
  ])('disk full (RLIMIT_FSIZE) during %s: one clear error, the previous output intact', async (_n, argv) => {
    const dir = await fsp.mkdtemp(path.join(root, 'full-'));
    const input = path.join(dir, 'in.csv');
    const out = path.join(dir, 'out.csv');
    await fsp.writeFile(input, bigInput()); // written by this process, without the limit
    await fsp.writeFile(out, previous);
    const { done } = startCli(argv(input, out), { shellPrefix: 'ulimit -f 8' }); // 8 blocks of 512 bytes
    const res = await done;
    const cls = classify({ code: res.code ?? 1, out: res.out, err: res.err.trim() }, { noTempIn: [dir] });
    tally.record('disk full / unwritable folder', cls.outcome);
    expectCleanError({ code: res.code ?? 1, out: res.out, err: res.err.trim() }, { mentions: ['out.csv', /EFBIG|too large|space/], noTempIn: [dir] });
    expect(await fsp.readFile(out, 'utf8')).toBe(previous);
  }, 30_000);

  it('disk full (injected ENOSPC) while saving a fetched page: the earlier file survives', async () => {
    const dir = await fsp.mkdtemp(path.join(root, 'enospc-'));
    const input = path.join(dir, 'in.csv');
    const out = path.join(dir, 'out.csv');
    await fsp.writeFile(input, bigInput());
    await fsp.writeFile(out, previous);
    const realOpen = fsp.open;
    const spy = vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args);
      if (String(args[0]).endsWith('.tmp')) {
        handle.writeFile = async () => {
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        };
      }
      return handle;
    });
    let res;
    try {
      res = await runCli(['fetch', 'csv', input, '--out', out, '--full']);
    } finally {
      spy.mockRestore();
    }
    tally.record('disk full / unwritable folder', classify(res, { noTempIn: [dir] }).outcome);
    expectCleanError(res, { mentions: ['out.csv', 'no space left on device'], noTempIn: [dir] });
    expect(await fsp.readFile(out, 'utf8')).toBe(previous);
  });

  it.each([
    ['sysfs (refuses new files even for root)', '/sys/tweetlab-hostile-out.csv', /EACCES|permission|EROFS|read-only/],
    ['procfs', '/proc/tweetlab-hostile-out.csv', /ENOENT|EACCES|Cannot write/],
    ['a folder that is a regular file', '<file>/out.csv', /is a file, not a folder/],
  ])('unwritable output folder: %s', async (_n, target, why) => {
    const dir = await fsp.mkdtemp(path.join(root, 'ro-'));
    const input = path.join(dir, 'in.csv');
    await fsp.writeFile(input, 'id,text\n1,hello there world\n');
    const blocker = path.join(dir, 'blocker');
    await fsp.writeFile(blocker, previous);
    const out = target.replace('<file>', blocker);
    const res = await runCli(['clean', '--input', input, '--out', out]);
    tally.record('disk full / unwritable folder', classify(res).outcome);
    expectCleanError(res, { mentions: [path.basename(out), why] });
    expect(existsSync(out)).toBe(false);
    expect(await fsp.readFile(blocker, 'utf8')).toBe(previous);
  });

  it('a training checkpoint that cannot be written fails cleanly and keeps the earlier checkpoints', async () => {
    const dir = await fsp.mkdtemp(path.join(root, 'ckpt-'));
    const input = path.join(dir, 'tiny.csv');
    const { tinyCorpusCsv } = await import('./tiny.js');
    await fsp.writeFile(input, tinyCorpusCsv());
    const out = path.join(dir, 'model');
    const ok = await runCli(['train', '--input', input, '--model-number', '1', '--out', out, ...TINY_TRAIN_FLAGS, '--epochs', '1', '--checkpoints', '1']);
    expect(ok.code, ok.err).toBe(0);
    const before = await fsp.readFile(path.join(out, 'epoch-1', 'weights.bin'));
    // weights.bin is ~8 kB: a 4 kB file-size limit lets config files through but not the weights.
    const { done } = startCli(['train', '--input', input, '--resume', out, '--out', out, ...TINY_TRAIN_FLAGS, '--epochs', '2', '--checkpoints', '1,2'], { shellPrefix: 'ulimit -f 8' });
    const res = await done;
    const r = { code: res.code ?? 1, out: res.out, err: res.err.trim() };
    tally.record('disk full / unwritable folder', classify(r, { noFiles: [path.join(out, 'epoch-2')] }).outcome);
    expectCleanError(r, { mentions: [/model|epoch-2/, /EFBIG|too large|space|Cannot/], noFiles: [path.join(out, 'epoch-2')] });
    expect(await fsp.readFile(path.join(out, 'epoch-1', 'weights.bin'))).toEqual(before);
    expect(tempLeftovers(out)).toEqual([]);
  }, 60_000);
});

// ---------------------------------------------------------------- exit codes of the real binary

describe('the built CLI in a child process', () => {
  const cases: { name: string; files?: Record<string, string | Buffer>; argv: (d: string) => string[]; code: number; mentions: RegExp }[] = [
    { name: 'unknown command', argv: () => ['frobnicate'], code: 2, mentions: /unknown command/ },
    { name: 'bad flag value', argv: (d) => ['dataset', '--input', path.join(d, 'x.csv'), '--seq-length', 'ten'], code: 2, mentions: /--seq-length must be a whole number/ },
    { name: 'missing input file', argv: (d) => ['stats', '--input', path.join(d, 'missing.csv')], code: 1, mentions: /not found: .*missing\.csv/ },
    { name: 'unbalanced quote', files: { 'q.csv': 'id,text\n1,"open\n2,b\n' }, argv: (d) => ['clean', '--input', path.join(d, 'q.csv'), '--out', path.join(d, 'o.csv')], code: 1, mentions: /q\.csv: line 2: unbalanced quote/ },
    { name: 'not UTF-8', files: { 'w.csv': Buffer.from([0x69, 0x64, 0x2c, 0x74, 0x65, 0x78, 0x74, 0x0a, 0x31, 0x2c, 0xcf, 0xf0, 0x0a]) }, argv: (d) => ['fetch', 'csv', path.join(d, 'w.csv'), '--out', path.join(d, 'o.csv')], code: 1, mentions: /w\.csv: line 2: .*not UTF-8/ },
    { name: 'truncated archive', files: { 'tweets.js': 'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "full_' }, argv: (d) => ['fetch', 'archive', path.join(d, 'tweets.js'), '--out', path.join(d, 'o.csv')], code: 1, mentions: /tweets\.js: the archive's JSON is truncated/ },
    { name: 'model folder from a future version', files: { 'm/config.json': JSON.stringify({ format: 'tweetlab-model', formatVersion: 9 }) }, argv: (d) => ['generate', '--model', path.join(d, 'm'), '--length', '3'], code: 1, mentions: /config\.json has format version 9/ },
    { name: 'model folder without weights', files: { 'm2/model.json': '{}' }, argv: (d) => ['generate', '--model', path.join(d, 'm2')], code: 1, mentions: /m2 has no config\.json/ },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('%s: exit code, one line, no stack trace', async (_n, c) => {
    const dir = await fsp.mkdtemp(path.join(root, 'child-'));
    for (const [rel, content] of Object.entries(c.files ?? {})) {
      await fsp.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await fsp.writeFile(path.join(dir, rel), content);
    }
    const res = await startCli(c.argv(dir)).done;
    const r = { code: res.code ?? -1, out: res.out, err: res.err.trim() };
    tally.record('built CLI (child process)', classify(r, { noFiles: [path.join(dir, 'o.csv')], noTempIn: [dir] }).outcome);
    expect(res.code).toBe(c.code);
    expect(res.err.trim().split('\n')).toHaveLength(1);
    expect(res.err).toMatch(c.mentions);
    expect(res.err).not.toMatch(/\n\s+at |node:internal|\.js:\d+/);
    expect(existsSync(path.join(dir, 'o.csv'))).toBe(false);
  }, 30_000);
});

describe('README table', () => {
  it('test/README.md counts these cases as observed', () => {
    expect([...tally.counts.values()].every((c) => c.crash === 0)).toBe(true);
    tally.expectReadmeMatches();
  });
});
