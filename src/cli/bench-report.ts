/**
 * The report `npm run bench` writes (out/bench.json) and its plain-text summary, shared by scripts/bench.mjs
 * (which prints it on stderr) and `tweetlab bench`.
 */
import type { BlasKind } from './bench-torch.js';

export interface BenchResultRow {
  engine: string;
  tokensPerSec: number;
  genMsPerWord: number;
  peakRssMB: number;
  threads?: number;
  note?: string;
}

export interface BenchTorchRow {
  threads: number;
  tokensPerSec: number;
  genMsPerWord: number;
  runs?: number[];
}

export interface BenchRatio {
  engine: string;
  threads: number;
  torchThreads: number;
  /** engine tokens/s ÷ PyTorch tokens/s; null when refused (see `torch.ratioRefused`) or a figure is missing. */
  ratio: number | null;
}

export interface BenchWorkloadReport {
  name: string;
  /** One line: the shape measured. */
  title: string;
  results: BenchResultRow[];
  unavailable: { engine: string; reason: string }[];
  pytorch: BenchTorchRow[];
  ratios: BenchRatio[];
}

/** What the bench learnt about the PyTorch side. */
export interface BenchTorchInfo {
  available: boolean;
  reason?: string;
  version?: string;
  blas?: BlasKind;
  blasLibrary?: string | null;
  blasEvidence?: string;
  /** float32 1024³ GEMM at 2 threads, GFLOP/s, in the torch process itself. */
  gemmGflops?: number;
  /** OpenBLAS tuning variables removed from the torch processes' environment only (NAME=value). */
  envUnset?: string[];
  /** Why no ratio is printed (reference or unidentified BLAS), or null. */
  ratioRefused?: string | null;
}

/** The parts of out/bench.json the summary shows. */
export interface BenchReport {
  machine: { cpu: string; cores: number; loadAverage1m?: number };
  versions: Record<string, string>;
  torch: BenchTorchInfo;
  workloads: BenchWorkloadReport[];
  dataset2Memory?: { windows: number; peakRssMB: number } | null;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
}

/** One line on the PyTorch side: version, BLAS, GEMM rate, environment; or why it is missing. */
export function torchLine(t: BenchTorchInfo): string {
  if (!t.available) return `PyTorch baseline: ${t.reason ?? 'not available'}`;
  const gemm = t.gemmGflops !== undefined ? `, float32 GEMM 1024³ ${t.gemmGflops.toFixed(1)} GFLOP/s at 2 threads` : '';
  const env = t.envUnset && t.envUnset.length > 0 ? `; unset for torch only: ${t.envUnset.map((v) => v.split('=')[0]).join(', ')}` : '';
  return `PyTorch ${t.version ?? '?'} on BLAS ${t.blas ?? 'unknown'}${t.blasLibrary ? ` (${t.blasLibrary})` : ''}${gemm}${env}`;
}

function workloadLines(w: BenchWorkloadReport, torch: BenchTorchInfo): string[] {
  const rows: string[][] = [['engine', 'training tokens/s', 'generation ms/word', 'peak RSS MB']];
  for (const x of w.results) {
    rows.push([x.engine + (x.note ? ' *' : ''), x.tokensPerSec.toFixed(1), x.genMsPerWord.toFixed(2), x.peakRssMB.toFixed(0)]);
  }
  for (const p of w.pytorch) {
    rows.push([`pytorch-cpu (${p.threads} thread${p.threads === 1 ? '' : 's'})`, p.tokensPerSec.toFixed(1), p.genMsPerWord.toFixed(2), '']);
  }
  const out = [`${w.title}`, ...table(rows)];
  for (const x of w.results.filter((r) => r.note)) out.push(`* ${x.engine}: ${x.note}`);
  if (torch.available && !torch.ratioRefused) {
    for (const r of w.ratios) {
      if (r.ratio !== null) out.push(`${r.engine} / PyTorch-CPU (${r.torchThreads} thread${r.torchThreads === 1 ? '' : 's'}) training throughput: ${r.ratio.toFixed(2)}`);
    }
  }
  for (const u of w.unavailable) out.push(`${u.engine}: not measured (${u.reason})`);
  return out;
}

/** A warning when other processes kept the cores busy (1-minute load above the core count), else null. */
export function busyWarning(m: BenchReport['machine']): string | null {
  if (m.loadAverage1m === undefined || m.loadAverage1m <= m.cores) return null;
  return `warning: load average ${m.loadAverage1m} on ${m.cores} cores: other processes shared the cores, so these figures (and any ratio) are not representative`;
}

/** A plain-text summary: machine, PyTorch line, one table per workload, ratios or the one refusal line. */
export function formatBenchReport(r: BenchReport): string {
  const load = r.machine.loadAverage1m !== undefined ? `, load ${r.machine.loadAverage1m}` : '';
  const out = [`${r.machine.cpu}, ${r.machine.cores} cores${load}; node ${r.versions.node ?? '?'}`, torchLine(r.torch)];
  const busy = busyWarning(r.machine);
  if (busy) out.push(busy);
  if (r.torch.available && r.torch.ratioRefused) out.push(r.torch.ratioRefused);
  for (const w of r.workloads) out.push('', ...workloadLines(w, r.torch));
  if (r.dataset2Memory) out.push('', `fast-wasm peak RSS at dataset-2 size (${r.dataset2Memory.windows} windows): ${r.dataset2Memory.peakRssMB.toFixed(0)} MB`);
  return out.join('\n');
}
