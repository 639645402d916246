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
    for (const argv of [['bench', '--frobnicate'], ['bench', 'extra'], ['bench', '--engines', ' '], ['bench', '--workloads', ' ']]) {
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

  const blasOk = { available: true, version: '1.13.0a0', blas: 'openblas-pthread' as const, blasLibrary: '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3',
    gemmGflops: 231.46, envUnset: ['OPENBLAS_CORETYPE=Haswell', 'OPENBLAS_L2_SIZE=512'], ratioRefused: null };
  const report: BenchReport = {
    machine: { cpu: 'Test CPU', cores: 2, loadAverage1m: 0.5 },
    versions: { node: 'v20.0.0' },
    torch: blasOk,
    workloads: [
      {
        name: 'report',
        title: 'report models',
        results: [
          { engine: 'fast-wasm', tokensPerSec: 2400.04, genMsPerWord: 0.3333, peakRssMB: 201.4, threads: 2 },
          { engine: 'tfjs-cpu', tokensPerSec: 3.71, genMsPerWord: 7.8, peakRssMB: 670, note: 'capped: batches of 8 windows' },
        ],
        unavailable: [{ engine: 'tfjs-node', reason: 'not installed' }],
        pytorch: [{ threads: 2, tokensPerSec: 2000, genMsPerWord: 2.3 }, { threads: 1, tokensPerSec: 1100, genMsPerWord: 2.1 }],
        ratios: [{ engine: 'fast-wasm', threads: 2, torchThreads: 2, ratio: 1.2 }],
      },
      {
        name: 'own',
        title: 'tweetlab LSTM',
        results: [{ engine: 'fast-wasm-1thread', tokensPerSec: 5000, genMsPerWord: 0.2, peakRssMB: 150, threads: 1 }],
        unavailable: [],
        pytorch: [{ threads: 1, tokensPerSec: 4000, genMsPerWord: 1 }],
        ratios: [{ engine: 'fast-wasm-1thread', threads: 1, torchThreads: 1, ratio: 1.25 }],
      },
    ],
    dataset2Memory: { windows: 36000, peakRssMB: 202.3 },
  };

  it('summarises a report: the BLAS line, one table per workload, ratios, footnotes and unavailable engines', () => {
    const text = formatBenchReport(report);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Test CPU, 2 cores, load 0.5; node v20.0.0');
    expect(lines[1]).toBe('PyTorch 1.13.0a0 on BLAS openblas-pthread (/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3), ' +
      'float32 GEMM 1024³ 231.5 GFLOP/s at 2 threads; unset for torch only: OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE');
    expect(text).toMatch(/^fast-wasm\s+2400\.0\s+0\.33\s+201$/m);
    expect(text).toMatch(/^tfjs-cpu \*\s+3\.7\s+7\.80\s+670$/m);
    expect(text).toMatch(/^pytorch-cpu \(2 threads\)\s+2000\.0\s+2\.30$/m);
    expect(text).toMatch(/^pytorch-cpu \(1 thread\)\s+1100\.0\s+2\.10$/m);
    expect(text).toContain('* tfjs-cpu: capped: batches of 8 windows');
    expect(text).toContain('fast-wasm / PyTorch-CPU (2 threads) training throughput: 1.20');
    expect(text).toContain('fast-wasm-1thread / PyTorch-CPU (1 thread) training throughput: 1.25');
    expect(text.indexOf('report models')).toBeLessThan(text.indexOf('tweetlab LSTM'));
    expect(text).toContain('dataset-2 size (36000 windows): 202 MB');
    expect(text).toContain('tfjs-node: not measured (not installed)');
  });

  it('prints the torch figures but no ratio against reference BLAS, with one line saying why and how to fix it', () => {
    const refusal = 'no ratio to PyTorch: torch ran on reference BLAS (/usr/lib/x86_64-linux-gnu/blas/libblas.so.3), ~30× slower than OpenBLAS; install it (`apt-get install libopenblas0-pthread`) and rerun';
    const text = formatBenchReport({ ...report, torch: { ...blasOk, blas: 'reference', blasLibrary: '/usr/lib/x86_64-linux-gnu/blas/libblas.so.3', ratioRefused: refusal } });
    expect(text).toMatch(/^pytorch-cpu \(2 threads\)\s+2000\.0/m);
    expect(text).not.toMatch(/training throughput: \d/);
    expect(text.split('\n').filter((l) => l.includes('no ratio'))).toEqual([refusal]);
    expect(text).toContain('on BLAS reference');
  });

  it('warns when the machine was busy', () => {
    expect(formatBenchReport(report)).not.toMatch(/warning/);
    const busy = formatBenchReport({ ...report, machine: { ...report.machine, loadAverage1m: 13.88 } });
    expect(busy.split('\n')[2]).toBe('warning: load average 13.88 on 2 cores: other processes shared the cores, so these figures (and any ratio) are not representative');
  });

  it('says why the PyTorch baseline is missing', () => {
    const noTorch = formatBenchReport({ ...report, torch: { available: false, reason: 'torch is not installed' },
      workloads: report.workloads.map((w) => ({ ...w, pytorch: [], ratios: [] })) });
    expect(noTorch.split('\n')[1]).toBe('PyTorch baseline: torch is not installed');
    expect(noTorch).not.toMatch(/pytorch-cpu|throughput:/);
  });
});
