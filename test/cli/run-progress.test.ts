import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/common.js';
import { RunProgress } from '../../src/cli/run-progress.js';
import { formatPostsCsv } from '../../src/sources/files.js';
import { fixturePosts } from '../report/fixture.js';

/** A RunProgress on a fake clock that records what it writes. */
function harness() {
  let t = 0;
  const out: string[] = [];
  const p = new RunProgress({ write: (s) => out.push(s), columns: 160, now: () => t, redrawMs: 100 });
  return { p, out, advance: (ms: number) => void (t += ms) };
}

const progress = (epoch: number, batch: number, batches: number, epochLoss: number) =>
  ({ epoch, epochs: 2, batch, batches, loss: epochLoss, epochLoss, elapsed: 0, eta: 0 });

describe('RunProgress', () => {
  it('draws a bar per epoch with batches, loss, the epoch and run time left, and epoch lines above it', () => {
    const { p, out, advance } = harness();
    p.plan([
      { name: 'Model 1', epochs: 2, batchesPerEpoch: 4, earlyStopping: false },
      { name: 'Model 2', epochs: 2, batchesPerEpoch: 4, earlyStopping: false },
    ]);
    for (let b = 1; b <= 4; b++) {
      advance(1000);
      p.reportBatch('Model 1', progress(1, b, 4, 5 - b / 10));
    }
    expect(out.every((s) => s.startsWith('\r') && s.endsWith('\x1b[K'))).toBe(true);
    // 2 of 4 batches in 1 s after the first: 2 s left in the epoch; 2 of 16 run batches in 2 s: 14 s left.
    expect(out[1]).toMatch(/^\rModel 1 · epoch 1\/2 \[█+░+\] 2\/4 · loss 4\.8000 · epoch 0:02 left · run 0:14 left\x1b\[K$/);
    p.reportEpoch('Model 1', { epoch: 1, loss: 4.6, valLoss: 4.9, valPerplexity: 134.3, seconds: 4 });
    // The bar is cleared, then the same line the job prints off a terminal.
    expect(out.slice(-2)).toEqual(['\r\x1b[K', 'Model 1 · epoch 1/2 · loss 4.6000 · val loss 4.9000 · val perplexity 134.3 · 4.0 s\n']);
  });

  it("shows tweetlab's model with its running mean loss and the run's time left as an upper bound", () => {
    const { p, out, advance } = harness();
    p.plan([{ name: 'tweetlab LSTM', epochs: 40, batchesPerEpoch: 2, earlyStopping: true }]);
    advance(500);
    p.ownBatch(1, { batch: 1, batches: 2, loss: 6 });
    advance(500);
    p.ownBatch(1, { batch: 2, batches: 2, loss: 4 });
    expect(out[out.length - 1]).toMatch(/^\rtweetlab LSTM · epoch 1\/40 \[█+\] 2\/2 · loss 5\.0000 · epoch 0:00 left · run ≤ 0:39 left/);
    advance(500);
    p.ownBatch(2, { batch: 1, batches: 2, loss: 3 });
    expect(out[out.length - 1]).toContain('epoch 2/40');
    expect(out[out.length - 1]).toContain('loss 3.0000');
    p.clear();
    expect(out[out.length - 1]).toBe('\r\x1b[K');
  });
});

describe('tweetlab run progress', () => {
  let dir = '';
  let input = '';
  beforeAll(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-run-progress-'));
    input = path.join(dir, 'posts.csv');
    await fsp.writeFile(input, formatPostsCsv(fixturePosts()));
  });
  afterAll(() => fsp.rm(dir, { recursive: true, force: true }));

  const args = (out: string) => ['run', '--quick', '--input', input, '--out', path.join(dir, out), '--epochs', '2', '--seq-length', '3', '--backend', 'cpu', '--models', '1', '--own-epochs', '2'];

  it('on a terminal draws a bar inside every epoch of each model, epoch lines above it', async () => {
    const raw: string[] = [];
    const out: string[] = [];
    const io: CliIO = { out: (t) => void out.push(t), err: (t) => void raw.push(t + '\n'), errRaw: (t) => void raw.push(t), isTTY: true, columns: 160 };
    expect(await main(args('tty'), io)).toBe(0);
    const text = raw.join('');
    for (const model of ['Model 1']) {
      for (const epoch of [1, 2]) {
        expect(text).toMatch(new RegExp(`\\r${model} · epoch ${epoch}/2 \\[[█░]+\\] \\d+/\\d+ · loss \\d+\\.\\d{4}`));
        expect(text).toMatch(new RegExp(`\\x1b\\[K${model} · epoch ${epoch}/2 · loss \\d+\\.\\d{4} · val loss`));
      }
    }
    expect(text).toMatch(/\rtweetlab LSTM · epoch 1\/2 \[[█░]+\] \d+\/\d+ · loss \d+\.\d{4}/);
    expect(text).toMatch(/ · run ≤ \d+:\d\d left/);
    // Every bar is gone at the end, and the stage lines (stdout) never share a line with it.
    expect(text.endsWith('\r\x1b[K')).toBe(true);
    expect(out.join('\n')).toMatch(/^epoch 1 of tweetlab LSTM · loss/m);
  }, 120_000);

  it('off a terminal prints the plain lines: one per epoch, no bar', async () => {
    const err: string[] = [];
    const io: CliIO = { out: () => undefined, err: (t) => void err.push(t), isTTY: false };
    expect(await main(args('plain'), io)).toBe(0);
    expect(err.join('\n')).not.toMatch(/[\r█]/);
    const epochLines = err.filter((l) => /^Model \d · epoch \d\/2 · loss/.test(l));
    expect(epochLines.map((l) => l.slice(0, 19))).toEqual(['Model 1 · epoch 1/2', 'Model 1 · epoch 2/2']);
  }, 120_000);
});
