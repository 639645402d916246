/**
 * `tweetlab run` as a user sees it (issue 14), the real CLI in a child process: on a terminal (a pseudo-terminal
 * from util-linux's `script`, so stderr.isTTY is true) a bar inside every epoch — batches, running loss, the
 * epoch's and the run's time left — redrawn in place with the epoch lines above it; with stderr a pipe (CI, a
 * log file) the plain lines, one per epoch, and no bar. `script` without a terminal of its own gives a
 * pseudo-terminal that reports 0 columns: the bar used to shrink to a lone "…" there. test/cli/run-progress.test.ts checks the same in-process
 * with a fake terminal; this one checks that the real process picks the right one.
 */
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPostsCsv } from '../../src/sources/files.js';
import { fixturePosts } from '../report/fixture.js';

const repoRoot = path.resolve(__dirname, '..', '..');
let dir = '';
let input = '';
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-e2e-run-'));
  input = path.join(dir, 'posts.csv');
  await fsp.writeFile(input, formatPostsCsv(fixturePosts()));
});
afterAll(() => fsp.rm(dir, { recursive: true, force: true }));

const runArgs = (out: string) => [path.join(repoRoot, 'dist', 'cli.js'), 'run', '--quick', '--input', input, '--out', path.join(dir, out), '--epochs', '2', '--seq-length', '3', '--backend', 'cpu', '--models', '1', '--own-epochs', '2'];

function exec(cmd: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: dir, env: { ...process.env, TWEETLAB_DEBUG: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe('tweetlab run progress in a real process', () => {
  it('draws the bar on a terminal', async () => {
    // script -qec CMD /dev/null: CMD on a new pseudo-terminal; everything it writes comes back on stdout.
    const cmd = [process.execPath, ...runArgs('tty')].map(quote).join(' ');
    const { code, out, err } = await exec('script', ['-qec', cmd, '/dev/null']);
    expect(code, err + out.slice(-2000)).toBe(0);
    for (const epoch of [1, 2]) {
      expect(out).toMatch(new RegExp(`\\rModel 1 · epoch ${epoch}/2 \\[[█░]+\\] \\d+/\\d+ · loss \\d+\\.\\d{4} · epoch \\d+:\\d\\d left · run \\S* ?\\d+:\\d\\d left`));
      // The finished epoch's line replaces the bar (cleared first), as off a terminal.
      expect(out).toMatch(new RegExp(`\\r\\x1b\\[KModel 1 · epoch ${epoch}/2 · loss \\d+\\.\\d{4} · val loss`));
    }
    expect(out).toMatch(/\rtweetlab LSTM · epoch 1\/2 \[[█░]+\] \d+\/\d+ · loss/);
  }, 300_000);

  it('prints plain lines, one per epoch, when stderr is not a terminal', async () => {
    const { code, out, err } = await exec(process.execPath, runArgs('plain'));
    expect(code, err.slice(-2000)).toBe(0);
    expect(err + out).not.toMatch(/[\r█]|\x1b\[K/);
    const epochLines = err.split('\n').filter((l) => /^Model 1 · epoch \d\/2 · loss \d+\.\d{4} · val loss/.test(l));
    expect(epochLines.map((l) => l.slice(0, 19))).toEqual(['Model 1 · epoch 1/2', 'Model 1 · epoch 2/2']);
  }, 300_000);
});
