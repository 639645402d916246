/**
 * Nothing lost, nothing mixed (issue 15): every folder or file a command writes is claimed. A second writer
 * gets one line naming the holder (pid, command, start time); a lock left by a killed process is taken over;
 * a model folder holding another model is refused unless --resume (same model) or --force; run folders never
 * collide and say in status.json whether they are whole.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunFolder, readRunStatus, RunFolder, STATUS_FILE } from '../../src/report/run-folder.js';
import { parsePostsCsv } from '../../src/sources/files.js';
import { processAlive } from '../../src/util/fs.js';
import { claimFolder, FOLDER_LOCK, fileLockPath } from '../../src/util/lock.js';
import { classify, expectCleanError, expectHandled, runCli, Tally, tempDir } from './harness.js';
import { TINY_TRAIN_FLAGS, tinyCorpusCsv } from './tiny.js';

const tally = new Tally('claims');
const R = 'folder claims';
let root: string;
let corpus: string;
/** A live process that is not this one (the holder of "foreign" locks). */
let sleeper: ReturnType<typeof spawn>;

beforeAll(async () => {
  root = await tempDir('claims');
  corpus = path.join(root, 'tiny.csv');
  await fsp.writeFile(corpus, tinyCorpusCsv());
  sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
});
afterAll(async () => {
  sleeper.kill('SIGKILL');
  await tally.save();
  await fsp.rm(root, { recursive: true, force: true });
});

/** The pid of a process that has finished (so its locks are stale). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(r.stdout);
  expect(processAlive(pid)).toBe(false);
  return pid;
}

const lockOf = (pid: number, command: string) => JSON.stringify({ pid, command, startedAt: '2026-12-01T10:00:00.000Z', token: `${pid}-1` });

const train = (out: string, ...more: string[]) =>
  runCli(['train', '--input', corpus, '--out', out, ...TINY_TRAIN_FLAGS, '--epochs', '1', '--checkpoints', '1', '--json', ...more]);

describe('a second writer is refused, naming the holder', () => {
  it('fetch csv into a CSV another process is fetching into', async () => {
    const dir = await fsp.mkdtemp(path.join(root, 'fetch-busy-'));
    const out = path.join(dir, 'posts.csv');
    await fsp.writeFile(fileLockPath(out), lockOf(sleeper.pid as number, 'fetch bluesky'));
    const res = await runCli(['fetch', 'csv', corpus, '--out', out]);
    const exp = { mentions: ['posts.csv', String(sleeper.pid), 'fetch bluesky', '2026-12-01T10:00:00.000Z'], noFiles: [out], noTempIn: [dir] };
    tally.record(R, classify(res, exp).outcome);
    expectCleanError(res, exp);
  });

  it('two fetch csv at once into one --out: one saves everything, the other is refused', async () => {
    const dir = await fsp.mkdtemp(path.join(root, 'fetch-race-'));
    const other = path.join(dir, 'other.csv');
    await fsp.writeFile(other, 'id,text\na,first other post\nb,second other post\n');
    const out = path.join(dir, 'posts.csv');
    const [a, b] = await Promise.all([runCli(['fetch', 'csv', corpus, '--out', out]), runCli(['fetch', 'csv', other, '--out', out])]);
    const loser = a.code === 0 ? b : a;
    expect([a.code, b.code].sort()).toEqual([0, 1]);
    tally.record(R, classify(loser).outcome);
    expectCleanError(loser, { mentions: ['posts.csv', 'in use by process', 'fetch csv'], noTempIn: [dir] });
    const saved = parsePostsCsv(await fsp.readFile(out, 'utf8'), out);
    expect(saved.length).toBe(a.code === 0 ? 60 : 2);
    expect(existsSync(fileLockPath(out))).toBe(false);
  });

  it('train into a model folder another process trains into', async () => {
    const out = await fsp.mkdtemp(path.join(root, 'train-busy-'));
    await fsp.writeFile(path.join(out, FOLDER_LOCK), lockOf(sleeper.pid as number, 'train --model-number 3'));
    const res = await train(out, '--model-number', '1');
    const exp = { mentions: [path.basename(out), String(sleeper.pid), 'train --model-number 3'], noFiles: [path.join(out, 'epoch-1')] };
    tally.record(R, classify(res, exp).outcome);
    expectCleanError(res, exp);
  });

  it('a run folder in use is refused by a second claim', async () => {
    const dir = await fsp.mkdtemp(path.join(root, 'run-busy-'));
    const first = await claimFolder(dir, 'run');
    await expect(claimFolder(dir, 'run')).rejects.toThrow(new RegExp(`in use by process ${process.pid} \\("tweetlab run"`));
    await first.release();
    const again = await claimFolder(dir, 'run');
    await again.release();
    tally.record(R, 'error');
  });
});

describe('a stale lock (its process was killed) is taken over', () => {
  it('fetch csv', async () => {
    const dir = await fsp.mkdtemp(path.join(root, 'fetch-stale-'));
    const out = path.join(dir, 'posts.csv');
    await fsp.writeFile(fileLockPath(out), lockOf(deadPid(), 'fetch csv'));
    const res = await runCli(['fetch', 'csv', corpus, '--out', out]);
    tally.record(R, classify(res, { noTempIn: [dir] }).outcome);
    expectHandled(res, { noTempIn: [dir] });
    expect(parsePostsCsv(await fsp.readFile(out, 'utf8'), out)).toHaveLength(60);
    expect(existsSync(fileLockPath(out))).toBe(false);
  });

  it('a damaged lock file counts as stale', async () => {
    const dir = await fsp.mkdtemp(path.join(root, 'lock-junk-'));
    await fsp.writeFile(path.join(dir, FOLDER_LOCK), '{"pid": ');
    const claim = await claimFolder(dir, 'run');
    expect(JSON.parse(await fsp.readFile(path.join(dir, FOLDER_LOCK), 'utf8')).pid).toBe(process.pid);
    await claim.release();
    tally.record(R, 'handled');
  });
});

describe('a model folder holds one model', () => {
  let out: string;
  beforeAll(async () => {
    out = path.join(root, 'model-1');
    const res = await train(out, '--model-number', '1');
    expect(res.code, res.err).toBe(0);
  }, 120_000);

  it('training another model into it is refused', async () => {
    const res = await train(out, '--model-number', '3');
    tally.record(R, classify(res).outcome);
    expectCleanError(res, { mentions: [path.basename(out), 'model 1', '--resume', '--force'] });
    expect(JSON.parse(await fsp.readFile(path.join(out, 'epoch-1', 'config.json'), 'utf8')).modelNumber).toBe(1);
  });

  it('--resume with another --model-number is refused', async () => {
    const res = await train(out, '--resume', out, '--model-number', '4', '--epochs', '2');
    tally.record(R, classify(res).outcome);
    expectCleanError(res, { mentions: ['model 1', 'not model 4'] });
  });

  it('--resume of another folder into it is refused when that folder holds another model', async () => {
    const other = path.join(root, 'model-3');
    expect((await train(other, '--model-number', '3')).code).toBe(0);
    const res = await train(out, '--resume', other, '--epochs', '2');
    tally.record(R, classify(res).outcome);
    expectCleanError(res, { mentions: [path.basename(out), 'model 1', 'not the model being resumed'] });
  }, 120_000);

  it('--force replaces its checkpoints: no mix of two models', async () => {
    const res = await train(out, '--model-number', '3', '--force');
    tally.record(R, classify(res).outcome);
    expectHandled(res);
    const entries = (await fsp.readdir(out)).filter((n) => !n.startsWith('.'));
    for (const e of entries) expect(JSON.parse(await fsp.readFile(path.join(out, e, 'config.json'), 'utf8')).modelNumber).toBe(3);
    expect(existsSync(path.join(out, FOLDER_LOCK))).toBe(false);
  }, 120_000);
});

describe('run folders', () => {
  it('runs started in the same second with the same config get distinct folders', async () => {
    const parent = await fsp.mkdtemp(path.join(root, 'runs-'));
    const made = await Promise.all(Array.from({ length: 4 }, () => createRunFolder(parent, '20261201T100000Z-abcdef12')));
    expect(new Set(made.map((m) => m.dir)).size).toBe(4);
    expect(made.map((m) => m.runId)).toContain('20261201T100000Z-abcdef12');
    tally.record(R, 'handled');
  });

  it('status.json says running, then complete, incomplete or failed; a dead runner reads as failed', async () => {
    const parent = await fsp.mkdtemp(path.join(root, 'status-'));
    const whole = await RunFolder.open(parent, 'whole', ['Model 1', 'Model 2']);
    expect((await readRunStatus(whole.dir, processAlive)).state).toBe('running');
    await whole.modelFinished('Model 1');
    await whole.modelFinished('Model 2');
    await whole.complete();
    expect((await readRunStatus(whole.dir, processAlive)).state).toBe('complete');
    const cut = await RunFolder.open(parent, 'cut', ['Model 1', 'Model 2']);
    await cut.modelFinished('Model 1');
    await cut.complete();
    expect(await readRunStatus(cut.dir, processAlive)).toMatchObject({ state: 'incomplete', finishedModels: ['Model 1'] });
    const failed = await RunFolder.open(parent, 'failed', ['Model 1']);
    await failed.fail(new Error('Cannot write report.html: ENOSPC: no space left on device'));
    expect(await readRunStatus(failed.dir, processAlive)).toMatchObject({ state: 'failed', error: expect.stringContaining('ENOSPC') });
    const crashed = await RunFolder.open(parent, 'crashed', ['Model 1']);
    const status = JSON.parse(await fsp.readFile(path.join(crashed.dir, STATUS_FILE), 'utf8'));
    await fsp.writeFile(path.join(crashed.dir, STATUS_FILE), JSON.stringify({ ...status, pid: deadPid() }));
    expect((await readRunStatus(crashed.dir, processAlive)).state).toBe('failed');
    tally.record(R, 'handled');
  });
});

describe('README table', () => {
  it('test/README.md counts these cases as observed', () => {
    expect([...tally.counts.values()].every((c) => c.crash === 0)).toBe(true);
    tally.expectReadmeMatches();
  });
});
