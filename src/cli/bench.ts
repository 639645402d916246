import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TweetlabError, UsageError } from '../errors.js';
import { parseFlagsOnly, toJson, type Command } from './common.js';

const usage = `Usage: tweetlab bench [--quick] [--engines LIST] [--out FILE] [--no-torch] [--json]

Training throughput (tokens/s = windows × seqLength per second, median of 3 runs after a warm-up), generation
latency (ms per word, incremental state) and peak memory of every available engine on a fixed seeded synthetic
workload shaped like the report (3,182 posts, ~11 words each, 9,000 words, seqLength 10, 2 × 256 LSTM,
embedding 128, batch 128, RMSprop), the peak memory of fast-wasm at dataset-2 size (36,000 windows), and the
PyTorch-CPU baseline (bench/pytorch_lstm.py, 2 threads) when /usr/bin/python3 has torch. Same as
\`npm run bench\` (scripts/bench.mjs). Figures are noisy when other processes share the cores.

Flags:
  --quick               short smoke run (fewer batches, tfjs-cpu on batches of 2 windows)
  --engines LIST        comma-separated: fast-wasm, fast-wasm-1thread, tfjs-wasm, tfjs-cpu, tfjs-node
                        (default: all of them; unavailable ones are listed under "unavailable")
  --out FILE            where to write the JSON (default out/bench.json)
  --no-torch            skip the PyTorch baseline
  --json                print the whole report as JSON: {machine, versions, workload, results:
                        [{engine, tokensPerSec, genMsPerWord, peakRssMB, …}], unavailable, dataset2Memory,
                        pytorch, ratioToPytorch, note}`;

export interface BenchResultRow {
  engine: string;
  tokensPerSec: number;
  genMsPerWord: number;
  peakRssMB: number;
  threads?: number;
  note?: string;
}

/** The parts of out/bench.json the human summary shows. */
export interface BenchReport {
  machine: { cpu: string; cores: number; loadAverage1m?: number };
  versions: Record<string, string>;
  results: BenchResultRow[];
  unavailable?: { engine: string; reason: string }[];
  dataset2Memory?: { windows: number; peakRssMB: number } | null;
  pytorch: { tokensPerSec?: number; genMsPerWord?: number; available?: boolean; reason?: string };
  ratioToPytorch: number | null;
}

/** A plain-text table of a bench report (the README "Performance" table has the same columns). */
export function formatBenchReport(r: BenchReport): string {
  const rows: string[][] = [['engine', 'training tokens/s', 'generation ms/word', 'peak RSS MB']];
  for (const x of r.results) {
    rows.push([x.engine + (x.note ? ' *' : ''), x.tokensPerSec.toFixed(1), x.genMsPerWord.toFixed(2), x.peakRssMB.toFixed(0)]);
  }
  if (r.pytorch.tokensPerSec !== undefined) {
    rows.push(['pytorch-cpu (2 threads)', r.pytorch.tokensPerSec.toFixed(1), (r.pytorch.genMsPerWord ?? Number.NaN).toFixed(2), '']);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  const lines = rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  const out = [`${r.machine.cpu}, ${r.machine.cores} cores${r.machine.loadAverage1m !== undefined ? `, load ${r.machine.loadAverage1m}` : ''}; node ${r.versions.node ?? '?'}`, '', ...lines];
  const noted = r.results.filter((x) => x.note);
  for (const x of noted) out.push(`* ${x.engine}: ${x.note}`);
  if (r.ratioToPytorch !== null) out.push('', `fast-wasm / PyTorch-CPU training throughput: ${r.ratioToPytorch.toFixed(2)}`);
  else if (r.pytorch.reason) out.push('', `PyTorch baseline: ${r.pytorch.reason}`);
  if (r.dataset2Memory) out.push(`fast-wasm peak RSS at dataset-2 size (${r.dataset2Memory.windows} windows): ${r.dataset2Memory.peakRssMB.toFixed(0)} MB`);
  for (const u of r.unavailable ?? []) out.push(`${u.engine}: not measured (${u.reason})`);
  return out.join('\n');
}

/** scripts/bench.mjs of this package (the command runs from dist/cli or src/cli, both two levels down). */
function benchScript(): string {
  const file = path.resolve(__dirname, '..', '..', 'scripts', 'bench.mjs');
  if (!fs.existsSync(file)) throw new TweetlabError(`The benchmark script is missing: ${file} (it ships with the tweetlab repository)`);
  return file;
}

export const command: Command = {
  name: 'bench',
  summary: 'training speed, generation latency and memory of every engine (+ PyTorch baseline) → out/bench.json',
  usage,
  async run(argv, io) {
    const flags = parseFlagsOnly('bench', argv, {
      quick: { type: 'boolean' },
      engines: { type: 'string' },
      out: { type: 'string' },
      'no-torch': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const args: string[] = [];
    if (flags.bool('quick')) args.push('--quick');
    if (flags.bool('no-torch')) args.push('--no-torch');
    const engines = flags.str('engines');
    if (engines !== undefined) {
      if (engines.trim() === '') throw new UsageError('bench: --engines needs a comma-separated list of engine names');
      args.push('--engines', engines);
    }
    const out = flags.str('out');
    if (out !== undefined) args.push('--out', path.resolve(out));
    const script = benchScript();
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      let pending = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        pending += d;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) io.err(line);
      });
      child.on('error', reject);
      child.on('close', (c) => {
        if (pending) io.err(pending);
        resolve({ code: c ?? 1, stdout: text });
      });
    });
    if (code !== 0) throw new TweetlabError(`bench: the benchmark failed (exit ${code}); see the messages above`);
    let report: BenchReport;
    try {
      report = JSON.parse(stdout) as BenchReport;
    } catch {
      throw new TweetlabError('bench: the benchmark printed no valid JSON report');
    }
    io.out(flags.bool('json') ? toJson(report) : formatBenchReport(report));
    return 0;
  },
};
