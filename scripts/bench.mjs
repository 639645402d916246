#!/usr/bin/env node
// tweetlab benchmark: training throughput, generation latency and peak memory of the engines on two fixed seeded
// synthetic workloads — the report's models (2 × 256 LSTM, RMSprop) and tweetlab's own model (1 × 256 tied LSTM,
// its dropouts, Adam with weight decay and clipping, 10-token chunks, batch 16) — plus the PyTorch-CPU baseline
// of both at 1 and 2 threads when /usr/bin/python3 has torch. The PyTorch side reports the BLAS it ran on; no
// ratio is printed against reference (or unidentified) BLAS. Writes out/bench.json and prints the same JSON on
// stdout; progress and a summary table go to stderr.
//
//   node scripts/bench.mjs [--quick] [--engines fast-wasm,tfjs-wasm,...] [--workloads report,own] [--out FILE]
//                          [--no-torch] [--no-summary]
//
// Needs the built library (npm run build). Each engine runs in its own child process (scripts/bench-child.mjs).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeTorch, runTorch, torchSummary } from './bench-torch.mjs';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist', p);
const log = (line) => process.stderr.write(`bench: ${line}\n`);
const ALL_ENGINES = ['fast-wasm', 'fast-wasm-1thread', 'tfjs-wasm', 'tfjs-cpu', 'tfjs-node'];
/** tfjs-cpu trains at a few tokens/s: the own workload leaves it out (said in the output). */
const OWN_ENGINES = ['fast-wasm', 'fast-wasm-1thread', 'tfjs-wasm', 'tfjs-node'];
const USAGE = 'usage: node scripts/bench.mjs [--quick] [--engines a,b] [--workloads report,own] [--out FILE] [--no-torch] [--no-summary]\n';

function parseArgs(argv) {
  const out = { quick: false, engines: ALL_ENGINES, workloads: ['report', 'own'], out: path.join(root, 'out', 'bench.json'), torch: true, summary: true };
  const list = (s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') out.quick = true;
    else if (a === '--no-torch') out.torch = false;
    else if (a === '--no-summary') out.summary = false;
    else if (a === '--engines') out.engines = list(argv[++i]);
    else if (a === '--workloads') out.workloads = list(argv[++i]);
    else if (a === '--out') out.out = path.resolve(argv[++i]);
    else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else fail(`unknown flag ${a}`);
  }
  for (const e of out.engines) if (!ALL_ENGINES.includes(e)) fail(`unknown engine "${e}" (engines: ${ALL_ENGINES.join(', ')})`);
  for (const w of out.workloads) if (!['report', 'own'].includes(w)) fail(`unknown workload "${w}" (workloads: report, own)`);
  return out;
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

/** Batches per timed run, warm-up, runs and generation steps of every engine and workload. */
function plans(quick, report, own) {
  const B = report.batchSize;
  const b = own.batchSize;
  return {
    report: {
      default: { batches: quick ? 2 : 8, batchSize: B, warmup: 1, runs: 3, genSteps: quick ? 50 : 300 },
      'tfjs-wasm': { batches: 1, batchSize: B, warmup: 1, runs: 3, genSteps: quick ? 20 : 100 },
      'tfjs-node': { batches: quick ? 2 : 8, batchSize: B, warmup: 1, runs: 3, genSteps: quick ? 20 : 100 },
      'tfjs-cpu': { batches: 1, batchSize: quick ? 2 : 8, warmup: quick ? 0 : 1, runs: quick ? 1 : 3, genSteps: 20, note: 'capped: batches of 8 windows (2 with --quick)' },
      torch: { batches: quick ? 2 : 8, batchSize: B, warmup: 1, runs: 3, genSteps: quick ? 50 : 300 },
    },
    own: {
      default: { batches: quick ? 4 : 40, batchSize: b, warmup: 1, runs: 3, genSteps: quick ? 50 : 300 },
      'tfjs-wasm': { batches: quick ? 2 : 10, batchSize: b, warmup: 1, runs: 3, genSteps: quick ? 20 : 100 },
      torch: { batches: quick ? 4 : 40, batchSize: b, warmup: 1, runs: 3, genSteps: quick ? 50 : 300 },
    },
  };
}

function runChild(job, specFile, timeoutMs) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'bench-child.mjs'), job, specFile], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: timeoutMs, maxBuffer: 16 * 2 ** 20,
  });
  if (r.error) return { engine: job, error: r.error.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs / 1000} s` : String(r.error.message) };
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return { engine: job, error: `exit ${r.status}: ${line.slice(0, 300) || 'no output'}` };
  }
}

/** Windows as the PyTorch script reads them: int32 count, seqLength, inputs, targets. */
function writeWindows(file, w) {
  const header = Int32Array.from([w.count, w.seqLength]);
  fs.writeFileSync(file, Buffer.concat([header, w.inputs, w.targets].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
}

const round = (x, digits = 1) => (typeof x === 'number' && Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);

function row(r) {
  return {
    engine: r.engine, tokensPerSec: round(r.tokensPerSec), genMsPerWord: round(r.genMsPerWord, 3), peakRssMB: round(r.peakRssMB),
    ...(r.threads !== undefined ? { threads: r.threads } : {}),
    runs: r.runs.map((x) => round(x)), batchSize: r.batchSize, batchesPerRun: r.batchesPerRun, ...(r.note ? { note: r.note } : {}),
  };
}

/**
 * One workload: its engines (fast-wasm first, PyTorch at 2 and 1 threads right after the fast-wasm rows so the
 * ratio's two sides see the most similar machine load), then the rest.
 */
function measureWorkload(name, ctx) {
  const engines = name === 'own' ? ctx.engines.filter((e) => OWN_ENGINES.includes(e)) : ctx.engines;
  const unavailable = [];
  if (name === 'own' && ctx.engines.includes('tfjs-cpu')) unavailable.push({ engine: 'tfjs-cpu', reason: 'left out of this workload: a few tokens/s on the report shape' });
  const results = [];
  const torchRuns = [];
  let torchDone = !ctx.torchProbe.available;
  const runTorchBoth = () => {
    if (torchDone) return;
    torchDone = true;
    for (const threads of [2, 1]) torchRuns.push({ threads, ...runTorch(name, ctx.spec, ctx.dataFiles[name], threads) });
  };
  for (const engine of engines) {
    if (!engine.startsWith('fast-wasm')) runTorchBoth();
    if (engine === 'tfjs-node') {
      ctx.tfjsNode ??= runChild('probe:tfjs-node', ctx.specFile, 120000);
      if (!ctx.tfjsNode.available) {
        unavailable.push({ engine, reason: ctx.tfjsNode.reason ?? ctx.tfjsNode.error ?? 'not available' });
        continue;
      }
    }
    log(`${name} ${engine}: measuring`);
    const r = runChild(`${name}:${engine}`, ctx.specFile, engine === 'tfjs-cpu' ? 20 * 60 * 1000 : 60 * 60 * 1000);
    if (r.error) {
      unavailable.push({ engine, reason: r.error });
      log(`${name} ${engine}: failed: ${r.error}`);
    } else results.push(r);
  }
  runTorchBoth();
  return { name, results, unavailable, torchRuns };
}

function workloadReport(m, spec, torch) {
  const { throughputRatio } = require(dist('cli/bench-torch.js'));
  const titles = {
    report: `report models: ${spec.report.layers} × LSTM ${spec.report.hidden}, embedding ${spec.report.embedding}, vocabulary ${spec.report.vocabSize}, batch ${spec.report.batchSize} × ${spec.report.seqLength}, RMSprop`,
    own: `tweetlab LSTM: 1 × LSTM ${spec.own.model.hidden}, tied, dropouts ${spec.own.model.embeddingDropout}/${spec.own.model.inputDropout}/${spec.own.model.outputDropout}/${spec.own.model.recurrentDropout}, vocabulary ${spec.own.vocabSize}, batch ${spec.own.batchSize} × ${spec.own.seqLength}, Adam + weight decay + clipping`,
  };
  const pytorch = m.torchRuns.filter((r) => !r.error).map((r) => ({ threads: r.threads, tokensPerSec: round(r.tokensPerSec), genMsPerWord: round(r.genMsPerWord, 3), runs: r.runs.map((x) => round(x)), gemmGflops: round(r.gemmGflops), blas: r.blas.kind }));
  const blas = torch.available ? { kind: torch.blas, library: torch.blasLibrary, evidence: torch.blasEvidence } : null;
  const ratios = [['fast-wasm', 2], ['fast-wasm-1thread', 1]].flatMap(([engine, threads]) => {
    const e = m.results.find((r) => r.engine === engine);
    const t = m.torchRuns.find((r) => r.threads === threads && !r.error);
    return e && t ? [{ engine, threads, torchThreads: threads, ratio: round(throughputRatio(e.tokensPerSec, t.tokensPerSec, blas), 3) }] : [];
  });
  const unavailable = [...m.unavailable, ...m.torchRuns.filter((r) => r.error).map((r) => ({ engine: `pytorch-cpu (${r.threads} threads)`, reason: r.error }))];
  return { name: m.name, title: titles[m.name], results: m.results.map(row), unavailable, pytorch, ratios };
}

function versions(torch) {
  const v = { node: process.version, v8: process.versions.v8 };
  for (const [key, pkg] of [['tweetlab', 'package.json'], ['tfjs', 'node_modules/@tensorflow/tfjs/package.json'],
    ['tfjsBackendWasm', 'node_modules/@tensorflow/tfjs-backend-wasm/package.json'], ['assemblyscript', 'node_modules/assemblyscript/package.json']]) {
    try {
      v[key] = JSON.parse(fs.readFileSync(path.join(root, pkg), 'utf8')).version;
    } catch {
      /* not installed */
    }
  }
  if (torch.available) Object.assign(v, { torch: torch.version, python: torch.python });
  return v;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

async function main(args) {
  if (!fs.existsSync(dist('cli/bench-workloads.js'))) fail('the library is not built; run `npm run build` first');
  const { REPORT_WORKLOAD, ownWorkload, reportWindows, ownStream, ownChunks } = require(dist('cli/bench-workloads.js'));
  const { deriveSeed } = require(dist('random.js'));
  const own = ownWorkload();
  const spec = { report: REPORT_WORKLOAD, own, plan: plans(args.quick, REPORT_WORKLOAD, own), quick: args.quick };
  const loadAtStart = machine().loadAverage;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tweetlab-bench-'));
  try {
    const specFile = path.join(tmp, 'spec.json');
    fs.writeFileSync(specFile, JSON.stringify(spec));
    const dataFiles = { report: path.join(tmp, 'report.bin'), own: path.join(tmp, 'own.bin') };
    writeWindows(dataFiles.report, reportWindows(REPORT_WORKLOAD));
    writeWindows(dataFiles.own, ownChunks(own, ownStream(own), deriveSeed(own.seed, 'chunks-0')));
    const torchProbe = args.torch ? probeTorch() : { available: false, reason: 'skipped (--no-torch)' };
    if (!torchProbe.available) log(`PyTorch baseline: ${torchProbe.reason}`);
    const ctx = { spec, specFile, dataFiles, engines: args.engines, torchProbe, tfjsNode: undefined };
    log(`workloads: ${args.workloads.join(', ')}; engines: ${args.engines.join(', ')}`);
    const measured = args.workloads.map((name) => measureWorkload(name, ctx));
    let dataset2 = null;
    if (args.workloads.includes('report') && args.engines.includes('fast-wasm')) {
      log('fast-wasm: peak memory at dataset-2 size');
      dataset2 = runChild('dataset2', specFile, 30 * 60 * 1000);
    }
    const torch = torchSummary(torchProbe, measured.flatMap((m) => m.torchRuns));
    const report = {
      date: new Date().toISOString(),
      machine: { ...machine(), loadAverageAtStart: loadAtStart },
      versions: versions(torchProbe),
      torch,
      workloads: measured.map((m) => workloadReport(m, spec, torch)),
      spec: { report: REPORT_WORKLOAD, own, plan: spec.plan, quick: args.quick },
      dataset2Memory: dataset2,
      note: 'tokens/s = windows × seqLength per second of training (forward, backward, optimiser step), median of the runs after warm-up. ' +
        'Other processes on the machine (see loadAverage) make the figures noisy.',
    };
    const text = JSON.stringify(report, null, 2) + '\n';
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    const tmpOut = `${args.out}.${process.pid}.tmp`;
    fs.writeFileSync(tmpOut, text);
    fs.renameSync(tmpOut, args.out);
    process.stdout.write(text);
    if (args.summary) process.stderr.write(`\n${require(dist('cli/bench-report.js')).formatBenchReport(report)}\n\n`);
    log(`wrote ${path.relative(process.cwd(), args.out)}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main(parseArgs(process.argv.slice(2)));
