import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TweetlabError, UsageError } from '../errors.js';
import { formatBenchReport, type BenchReport } from './bench-report.js';
import { parseFlagsOnly, toJson, type Command } from './common.js';

const usage = `Usage: tweetlab bench [--quick] [--engines LIST] [--workloads LIST] [--out FILE] [--no-torch] [--json]

Training throughput (tokens/s = windows × seqLength per second, median of 3 runs after a warm-up), generation
latency (ms per word, incremental state) and peak memory of the engines on two fixed seeded synthetic
workloads: the report's models (3,182 posts of ~11 words, 9,000 words, seqLength 10, 2 × 256 LSTM, embedding
128, batch 128, RMSprop) and tweetlab's own model (1 × 256 LSTM with tied embeddings, embedding/locked/
recurrent-weight dropout, Adam with weight decay and clipping, 10-token chunks of a post stream, batch 16,
2,602 words); the peak memory of fast-wasm at dataset-2 size (36,000 windows); and the PyTorch-CPU baseline of
both (bench/pytorch_lstm.py, 1 and 2 threads) when /usr/bin/python3 has torch. The PyTorch side reports the
BLAS it ran on and its float32 GEMM rate; against reference BLAS no ratio is printed (one line says why and
how to fix it). Same as \`npm run bench\` (scripts/bench.mjs). Figures are noisy when other processes share
the cores.

Flags:
  --quick               short smoke run (fewer batches, tfjs-cpu on batches of 2 windows)
  --engines LIST        comma-separated: fast-wasm, fast-wasm-1thread, tfjs-wasm, tfjs-cpu, tfjs-node
                        (default: all of them; unavailable ones are listed under "unavailable")
  --workloads LIST      comma-separated: report, own (default: both)
  --out FILE            where to write the JSON (default out/bench.json)
  --no-torch            skip the PyTorch baseline
  --json                print the whole report as JSON: {date, machine, versions, torch: {blas, gemmGflops,
                        envUnset, ratioRefused, …}, workloads: [{name, results, pytorch, ratios, …}],
                        dataset2Memory, spec, note}`;

export { formatBenchReport, type BenchReport } from './bench-report.js';

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
      workloads: { type: 'string' },
      'no-torch': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const args: string[] = ['--no-summary'];
    if (flags.bool('quick')) args.push('--quick');
    if (flags.bool('no-torch')) args.push('--no-torch');
    const engines = flags.str('engines');
    if (engines !== undefined) {
      if (engines.trim() === '') throw new UsageError('bench: --engines needs a comma-separated list of engine names');
      args.push('--engines', engines);
    }
    const workloads = flags.str('workloads');
    if (workloads !== undefined) {
      if (workloads.trim() === '') throw new UsageError('bench: --workloads needs a comma-separated list: report, own');
      args.push('--workloads', workloads);
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
