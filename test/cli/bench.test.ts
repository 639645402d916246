import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { CliIO } from '../../src/cli/common.js';
import { formatBenchReport, type BenchReport } from '../../src/cli/bench.js';

function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, isTTY: false, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('tweetlab bench', () => {
  it('rejects unknown flags and stray arguments with one line', async () => {
    for (const argv of [['bench', '--frobnicate'], ['bench', 'extra'], ['bench', '--engines', ' ']]) {
      const io = captureIO();
      expect(await main(argv, io)).not.toBe(0);
      expect(io.stderr).toHaveLength(1);
      expect(io.stderr[0]).toMatch(/bench/);
    }
  });

  it('prints its usage', async () => {
    const io = captureIO();
    expect(await main(['bench', '--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/tweetlab bench \[--quick\]/);
  });

  it('summarises a report as a table with the ratio, footnotes and unavailable engines', () => {
    const report: BenchReport = {
      machine: { cpu: 'Test CPU', cores: 2, loadAverage1m: 0.5 },
      versions: { node: 'v20.0.0' },
      results: [
        { engine: 'fast-wasm', tokensPerSec: 2400.04, genMsPerWord: 0.3333, peakRssMB: 201.4, threads: 2 },
        { engine: 'tfjs-cpu', tokensPerSec: 3.71, genMsPerWord: 7.8, peakRssMB: 670, note: 'capped: batches of 8 windows' },
      ],
      unavailable: [{ engine: 'tfjs-node', reason: 'not installed' }],
      dataset2Memory: { windows: 36000, peakRssMB: 202.3 },
      pytorch: { tokensPerSec: 2000, genMsPerWord: 2.3 },
      ratioToPytorch: 1.2,
    };
    const text = formatBenchReport(report);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Test CPU, 2 cores, load 0.5; node v20.0.0');
    expect(text).toMatch(/^fast-wasm\s+2400\.0\s+0\.33\s+201$/m);
    expect(text).toMatch(/^tfjs-cpu \*\s+3\.7\s+7\.80\s+670$/m);
    expect(text).toMatch(/^pytorch-cpu \(2 threads\)\s+2000\.0\s+2\.30\s*$/m);
    expect(text).toContain('* tfjs-cpu: capped: batches of 8 windows');
    expect(text).toContain('fast-wasm / PyTorch-CPU training throughput: 1.20');
    expect(text).toContain('dataset-2 size (36000 windows): 202 MB');
    expect(text).toContain('tfjs-node: not measured (not installed)');
    const noTorch = formatBenchReport({ ...report, pytorch: { available: false, reason: 'torch is not installed' }, ratioToPytorch: null });
    expect(noTorch).toContain('PyTorch baseline: torch is not installed');
    expect(noTorch).not.toMatch(/pytorch-cpu/);
  });
});
