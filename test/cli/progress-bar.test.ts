import { describe, expect, it } from 'vitest';
import { TerminalProgress, etaSeconds, formatBar, formatBatchLine } from '../../src/cli/progress-bar.js';

describe('formatting', () => {
  it('draws a bar of the done share, clamped', () => {
    expect(formatBar(0.4, 10)).toBe('[████░░░░░░]');
    expect(formatBar(0, 4)).toBe('[░░░░]');
    expect(formatBar(1.5, 4)).toBe('[████]');
    expect(formatBar(Number.NaN, 2)).toBe('[░░]');
  });

  it('estimates the time left from the rate so far', () => {
    expect(etaSeconds(0, 10, 5)).toBeUndefined();
    expect(etaSeconds(2, 10, 4)).toBe(16);
    expect(etaSeconds(10, 10, 4)).toBe(0);
  });

  it('writes model, epoch, bar, batches, loss and both times left in one line that fits the width', () => {
    const s = { label: 'Model 1', epoch: 2, epochs: 6, batch: 40, batches: 120, loss: 5.12345, epochEta: 32, runEta: 370 };
    const line = formatBatchLine(s, 100);
    expect(line).toMatch(/^Model 1 · epoch 2\/6 \[█+░+\] 40\/120 · loss 5\.1235 · epoch 0:32 left · run 6:10 left$/);
    expect(line.length).toBeLessThanOrEqual(100);
    // Narrow terminals lose the bar first, then the end of the line.
    expect(formatBatchLine(s, 80)).toBe('Model 1 · epoch 2/6 · 40/120 · loss 5.1235 · epoch 0:32 left · run 6:10 left');
    expect(formatBatchLine(s, 30)).toHaveLength(30);
    expect(formatBatchLine({ epoch: 1, epochs: 1, batch: 1, batches: 2, loss: 1 })).toMatch(/^epoch 1\/1 \[█+░+\] 1\/2 · loss 1\.0000$/);
  });
});

/** A TerminalProgress on a fake clock, recording what it writes. */
function harness(isTTY: boolean, runBatches?: number) {
  let t = 0;
  const out: string[] = [];
  const p = new TerminalProgress({ write: (s) => out.push(s), isTTY, columns: 120, runBatches, now: () => t, plainEverySeconds: 30, redrawMs: 100 });
  return { p, out, advance: (ms: number) => void (t += ms) };
}

describe('TerminalProgress', () => {
  it('on a terminal redraws one line with \\r, throttled, with epoch and run time left', () => {
    const { p, out, advance } = harness(true, 8);
    for (let b = 1; b <= 4; b++) {
      advance(1000);
      p.batch({ label: 'Model 1', epoch: 1, epochs: 2, batch: b, batches: 4, loss: 2 });
    }
    expect(out.every((s) => s.startsWith('\r') && !s.includes('\n'))).toBe(true);
    expect(out).toHaveLength(4);
    // After batch 2 of 4 at 1 s per batch: 2 s left in the epoch; 4 of 8 run batches in 4 s: 4 s left.
    expect(out[1]).toContain('2/4 · loss 2.0000 · epoch 0:02 left · run 0:06 left');
    expect(out[3]).toContain('4/4 · loss 2.0000 · epoch 0:00 left · run 0:04 left');
    // Updates faster than redrawMs are skipped, except the epoch's last batch.
    advance(10);
    p.batch({ label: 'Model 1', epoch: 2, epochs: 2, batch: 1, batches: 4, loss: 2 });
    advance(10);
    p.batch({ label: 'Model 1', epoch: 2, epochs: 2, batch: 2, batches: 4, loss: 2 });
    expect(out).toHaveLength(4);
    p.line('epoch 1/2: loss 2.0000');
    expect(out.slice(4)).toEqual(['\r\x1b[K', 'epoch 1/2: loss 2.0000\n']);
  });

  it('draws the whole bar on a terminal that reports no width (0 columns, as under `script`), as on 100 columns', () => {
    const draw = (columns: number | undefined) => {
      const out: string[] = [];
      const p = new TerminalProgress({ write: (s) => void out.push(s), isTTY: true, now: () => 0, ...(columns === undefined ? {} : { columns }) });
      p.batch({ label: 'Model 1', epoch: 1, epochs: 2, batch: 1, batches: 4, loss: 2 });
      return out[0]!;
    };
    expect(draw(0)).toMatch(/^\rModel 1 · epoch 1\/2 \[█+░+\] 1\/4 · loss 2\.0000/);
    expect(draw(0)).toBe(draw(100));
    expect(draw(Number.NaN)).toBe(draw(undefined));
    expect(draw(40).length).toBeLessThan(draw(0).length);
  });

  it('elsewhere prints plain lines, at most one every 30 s, and none at an epoch end', () => {
    const { p, out, advance } = harness(false);
    for (let b = 1; b <= 10; b++) {
      advance(10_000);
      p.batch({ epoch: 1, epochs: 1, batch: b, batches: 10, loss: 1 });
    }
    expect(out.every((s) => !s.includes('\r') && s.endsWith('\n'))).toBe(true);
    expect(out.map((s) => s.split(' ')[3])).toEqual(['1/10', '4/10', '7/10']);
    p.line('done');
    expect(out[out.length - 1]).toBe('done\n');
  });
});
