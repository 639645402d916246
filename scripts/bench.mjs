#!/usr/bin/env node
// tweetlab benchmark: training throughput, generation latency and peak memory of every available engine on a
// fixed seeded synthetic workload shaped like the report, plus the PyTorch-CPU baseline when /usr/bin/python3
// has torch. Writes out/bench.json and prints the same JSON on stdout (progress goes to stderr).
//
//   node scripts/bench.mjs [--quick] [--engines fast-wasm,tfjs-wasm,...] [--out FILE] [--no-torch]
//
// Needs the built library (npm run build). Each engine runs in its own child process so its peak RSS is its own.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist', p);

const WORKLOAD = {
  posts: 3182,
  meanWords: 11,
  vocabSize: 9000,
  seqLength: 10,
  layers: 2,
  hidden: 256,
  embedding: 128,
  batchSize: 128,
  optimizer: 'rmsprop',
  learningRate: 0.001,
  seed: 20240601,
  dataset2Windows: 36000,
};

function parseArgs(argv) {
  const out = { quick: false, engines: null, out: path.join(root, 'out', 'bench.json'), torch: true, child: null, spec: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') out.quick = true;
    else if (a === '--no-torch') out.torch = false;
    else if (a === '--engines') out.engines = argv[++i].split(',').filter(Boolean);
    else if (a === '--out') out.out = path.resolve(argv[++i]);
    else if (a === '--child') out.child = argv[++i];
    else if (a === '--spec') out.spec = argv[++i];
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node scripts/bench.mjs [--quick] [--engines a,b] [--out FILE] [--no-torch]\n');
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown flag ${a}\n`);
      process.exit(2);
    }
  }
  return out;
}

const log = (line) => process.stderr.write(`bench: ${line}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Seeded synthetic posts (Zipf words, 3–19 words, mean ~11) → variant-1 windows of seqLength + 1 words. */
function makeWindows(spec) {
  const { Random } = require(dist('random.js'));
  const rng = new Random(spec.seed);
  const V = spec.vocabSize;
  const cum = new Float64Array(V);
  let acc = 0;
  for (let r = 2; r < V; r++) cum[r] = acc += 1 / (r - 1); // ids 0 (padding) and 1 (OOV) never drawn
  const word = () => {
    const u = rng.next() * acc;
    let lo = 2, hi = V - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const T = spec.seqLength;
  const inputs = [];
  const targets = [];
  for (let p = 0; p < spec.posts; p++) {
    const len = 3 + rng.int(2 * (spec.meanWords - 3) + 1);
    const words = Array.from({ length: len }, word);
    for (let s = 0; s + T < len; s++) {
      for (let t = 0; t < T; t++) {
        inputs.push(words[s + t]);
        targets.push(words[s + t + 1]);
      }
    }
  }
  return { inputs: Int32Array.from(inputs), targets: Int32Array.from(targets), count: inputs.length / T };
}

/** The first `count` windows of `w`, cycling when it has fewer. */
function take(w, count, T) {
  const inputs = new Int32Array(count * T);
  const targets = new Int32Array(count * T);
  for (let i = 0; i < count; i++) {
    const src = (i % w.count) * T;
    inputs.set(w.inputs.subarray(src, src + T), i * T);
    targets.set(w.targets.subarray(src, src + T), i * T);
  }
  return { inputs, targets, count, seqLength: T, variant: 1, excludedPosts: 0 };
}

// ---------------------------------------------------------------------------------------------------------
// Child: measure one engine.

async function measureEngine(name, spec) {
  const { initialWeights } = require(dist('model/init.js'));
  const T = spec.workload.seqLength;
  const cfg = {
    variant: 1, layers: spec.workload.layers, hidden: spec.workload.hidden, embedding: spec.workload.embedding,
    dropout: 0, vocabSize: spec.workload.vocabSize, seqLength: T, initializer: 'bench', seed: spec.workload.seed,
  };
  let engine;
  if (name === 'fast-wasm' || name === 'fast-wasm-1thread') {
    const { createFastEngine } = require(dist('model/fast/index.js'));
    engine = createFastEngine(name === 'fast-wasm-1thread' ? { threads: 1 } : {});
  } else {
    const { getEngine } = require(dist('model/backend.js'));
    engine = await getEngine(name);
  }
  const t0 = performance.now();
  const model = engine.createModel(cfg, initialWeights(cfg));
  if (typeof model.ready === 'function') await model.ready();
  const createMs = performance.now() - t0;
  const all = makeWindows(spec.workload);
  const plan = spec.plan[name] ?? spec.plan.default;
  const data = take(all, plan.batches * plan.batchSize, T);
  const optimizer = { kind: 'rmsprop', learningRate: spec.workload.learningRate, rho: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
  const rates = [];
  let lastLoss = NaN;
  for (let r = 0; r < plan.warmup + plan.runs; r++) {
    const s = await model.trainEpoch(data, { batchSize: plan.batchSize, optimizer, seed: r });
    lastLoss = s.loss;
    const rate = (s.windows * T) / s.seconds;
    if (r >= plan.warmup) rates.push(rate);
    log(`${name}: run ${r + 1}/${plan.warmup + plan.runs}${r < plan.warmup ? ' (warm-up)' : ''}: ${rate.toFixed(1)} tokens/s`);
  }
  const state = model.startState();
  for (let i = 0; i < 5; i++) model.step(state, 2 + i);
  const g0 = performance.now();
  for (let i = 0; i < plan.genSteps; i++) model.step(state, 2 + (i % (cfg.vocabSize - 2)));
  const genMsPerWord = (performance.now() - g0) / plan.genSteps;
  const result = {
    engine: name === 'fast-wasm-1thread' ? name : model.engine,
    tokensPerSec: median(rates),
    runs: rates,
    genMsPerWord,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    batchSize: plan.batchSize,
    batchesPerRun: plan.batches,
    lastLoss,
    createMs,
  };
  if (model.threads !== undefined) result.threads = model.threads;
  if (plan.note) result.note = plan.note;
  model.dispose();
  return result;
}

/** Peak memory of the fast engine holding a dataset-2-sized window set: a few batches of training + evaluation. */
async function measureDataset2(spec) {
  const { createFastEngine } = require(dist('model/fast/index.js'));
  const T = spec.workload.seqLength;
  const cfg = {
    variant: 2, layers: spec.workload.layers, hidden: spec.workload.hidden, embedding: spec.workload.embedding,
    dropout: 0.2, vocabSize: spec.workload.vocabSize, seqLength: T, initializer: 'bench', seed: spec.workload.seed,
  };
  const model = createFastEngine().createModel(cfg);
  await model.ready();
  const data = take(makeWindows(spec.workload), spec.workload.dataset2Windows, T);
  const optimizer = { kind: 'rmsprop', learningRate: spec.workload.learningRate, rho: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
  let batches = 0;
  const maxBatches = spec.quick ? 2 : 6;
  await model.trainEpoch(data, { batchSize: spec.workload.batchSize, optimizer, seed: 1, shouldStop: () => batches >= maxBatches }, () => batches++);
  const validation = take(makeWindows(spec.workload), spec.quick ? 512 : 4000, T);
  await model.evaluate(validation);
  model.dispose();
  return {
    engine: 'fast-wasm',
    windows: data.count,
    variant: 2,
    trainedBatches: batches,
    evaluatedWindows: validation.count,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Parent.

function runChild(name, specFile, timeoutMs) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', name, '--spec', specFile], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: timeoutMs,
    maxBuffer: 16 * 2 ** 20,
  });
  if (r.error) return { engine: name, error: r.error.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs / 1000} s` : String(r.error.message) };
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return { engine: name, error: `exit ${r.status}: ${line.slice(0, 300) || 'no output'}` };
  }
}

function torchBaseline(spec, dataFile, quick) {
  const python = '/usr/bin/python3';
  if (!fs.existsSync(python)) return { available: false, reason: '/usr/bin/python3 not found' };
  const probe = spawnSync(python, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return { available: false, reason: 'torch is not installed for /usr/bin/python3 (Debian: apt-get install python3-torch)' };
  }
  const plan = spec.plan.torch;
  const args = [
    path.join(root, 'bench', 'pytorch_lstm.py'), '--data', dataFile,
    '--vocab', String(spec.workload.vocabSize), '--embedding', String(spec.workload.embedding),
    '--hidden', String(spec.workload.hidden), '--layers', String(spec.workload.layers),
    '--batch', String(plan.batchSize), '--batches', String(plan.batches), '--runs', String(plan.runs),
    '--warmup', String(plan.warmup), '--threads', '2', '--gen-steps', String(plan.genSteps), '--lr', String(spec.workload.learningRate),
  ];
  log(`pytorch-cpu: ${quick ? 'quick ' : ''}run`);
  const r = spawnSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 30 * 60 * 1000 });
  const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    return { available: true, ...JSON.parse(line) };
  } catch {
    return { available: false, reason: `the PyTorch script failed (exit ${r.status}): ${line.slice(0, 300)}` };
  }
}

function versions() {
  const v = { node: process.version, v8: process.versions.v8 };
  for (const [key, pkg] of [['tweetlab', 'package.json'], ['tfjs', 'node_modules/@tensorflow/tfjs/package.json'],
    ['tfjsBackendWasm', 'node_modules/@tensorflow/tfjs-backend-wasm/package.json'],
    ['assemblyscript', 'node_modules/assemblyscript/package.json']]) {
    try {
      v[key] = JSON.parse(fs.readFileSync(path.join(root, pkg), 'utf8')).version;
    } catch {
      /* not installed */
    }
  }
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
  };
}

async function parent(args) {
  if (!fs.existsSync(dist('model/fast/index.js'))) {
    process.stderr.write('bench: the library is not built; run `npm run build` first\n');
    process.exit(1);
  }
  const quick = args.quick;
  const B = WORKLOAD.batchSize;
  const plan = {
    default: { batches: quick ? 2 : 8, batchSize: B, warmup: 1, runs: 3, genSteps: quick ? 50 : 300 },
    'tfjs-wasm': { batches: 1, batchSize: B, warmup: 1, runs: 3, genSteps: quick ? 20 : 100 },
    'tfjs-node': { batches: quick ? 2 : 8, batchSize: B, warmup: 1, runs: 3, genSteps: quick ? 20 : 100 },
    // tfjs-cpu trains at a few tokens/s: one small batch per run keeps it to minutes.
    'tfjs-cpu': { batches: 1, batchSize: quick ? 2 : 8, warmup: quick ? 0 : 1, runs: quick ? 1 : 3, genSteps: 20, note: 'capped: batches of 8 windows (2 with --quick)' },
    torch: { batches: quick ? 2 : 8, batchSize: B, warmup: 1, runs: 3, genSteps: quick ? 50 : 300 },
  };
  const engines = args.engines ?? ['fast-wasm', 'fast-wasm-1thread', 'tfjs-wasm', 'tfjs-cpu', 'tfjs-node'];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tweetlab-bench-'));
  try {
    const spec = { workload: WORKLOAD, plan, quick };
    const specFile = path.join(tmp, 'spec.json');
    fs.writeFileSync(specFile, JSON.stringify(spec));
    const windows = makeWindows(WORKLOAD);
    const dataFile = path.join(tmp, 'windows.bin');
    const header = Int32Array.from([windows.count, WORKLOAD.seqLength]);
    fs.writeFileSync(dataFile, Buffer.concat([header, windows.inputs, windows.targets].map((a) => Buffer.from(a.buffer))));
    log(`workload: ${WORKLOAD.posts} posts → ${windows.count} windows of ${WORKLOAD.seqLength}; engines: ${engines.join(', ')}`);

    const results = [];
    const unavailable = [];
    // PyTorch runs right after fast-wasm so the two figures of the ratio see the most similar machine load.
    let pytorch = args.torch ? null : { available: false, reason: 'skipped (--no-torch)' };
    const runTorch = () => {
      if (pytorch === null) pytorch = torchBaseline(spec, dataFile, quick);
    };
    for (const name of engines) {
      if (name !== 'fast-wasm' && results.some((r) => r.engine === 'fast-wasm')) runTorch();
      if (name === 'tfjs-node') {
        const probe = runChild('probe:tfjs-node', specFile, 120000);
        if (!probe.available) {
          unavailable.push({ engine: 'tfjs-node', reason: probe.reason ?? probe.error ?? 'not available' });
          log(`tfjs-node: not available (${probe.reason ?? probe.error})`);
          continue;
        }
      }
      log(`${name}: measuring`);
      const r = runChild(name, specFile, name === 'tfjs-cpu' ? 20 * 60 * 1000 : 60 * 60 * 1000);
      if (r.error) {
        unavailable.push({ engine: name, reason: r.error });
        log(`${name}: failed: ${r.error}`);
      } else results.push(r);
    }
    let dataset2 = null;
    if (engines.includes('fast-wasm')) {
      log('fast-wasm: peak memory at dataset-2 size');
      dataset2 = runChild('dataset2', specFile, 30 * 60 * 1000);
    }
    runTorch();
    const fast = results.find((r) => r.engine === 'fast-wasm');
    const report = {
      machine: machine(),
      versions: { ...versions(), ...(pytorch.available ? { torch: pytorch.torch, python: pytorch.python } : {}) },
      workload: { ...WORKLOAD, windows: windows.count, quick, plan },
      results: results.map((r) => ({
        engine: r.engine,
        tokensPerSec: round(r.tokensPerSec),
        genMsPerWord: round(r.genMsPerWord, 3),
        peakRssMB: round(r.peakRssMB),
        ...(r.threads !== undefined ? { threads: r.threads } : {}),
        runs: r.runs.map((x) => round(x)),
        batchSize: r.batchSize,
        batchesPerRun: r.batchesPerRun,
        ...(r.note ? { note: r.note } : {}),
      })),
      unavailable,
      dataset2Memory: dataset2,
      pytorch: pytorch.available
        ? { engine: 'pytorch-cpu', tokensPerSec: round(pytorch.tokensPerSec), genMsPerWord: round(pytorch.genMsPerWord, 3),
          threads: pytorch.threads, runs: pytorch.runs.map((x) => round(x)) }
        : { available: false, reason: pytorch.reason },
      ratioToPytorch: pytorch.available && fast ? round(fast.tokensPerSec / pytorch.tokensPerSec, 3) : null,
      note: 'tokens/s = windows × seqLength per second of training (forward, backward, RMSprop), median of the runs after warm-up. ' +
        'Other processes on the machine (see loadAverage1m) make the figures noisy.',
    };
    const text = JSON.stringify(report, null, 2) + '\n';
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    const tmpOut = `${args.out}.${process.pid}.tmp`;
    fs.writeFileSync(tmpOut, text);
    fs.renameSync(tmpOut, args.out);
    process.stdout.write(text);
    log(`wrote ${path.relative(process.cwd(), args.out)}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function round(x, digits = 1) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

async function child(name, specFile) {
  const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
  let out;
  if (name === 'probe:tfjs-node') {
    const { tryLoadTfjsNode } = require(dist('model/backend.js'));
    let available = false;
    let reason = 'not installed or no native backend';
    try {
      available = tryLoadTfjsNode();
    } catch (err) {
      reason = String(err?.message ?? err);
    }
    out = available ? { available } : { available, reason };
  } else if (name === 'dataset2') {
    out = await measureDataset2(spec);
  } else {
    out = await measureEngine(name, spec);
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
}

const args = parseArgs(process.argv.slice(2));
if (args.child) await child(args.child, args.spec);
else await parent(args);
