// The child side of scripts/bench.mjs: measures one engine on one workload in its own process (so its peak RSS
// is its own) and prints one JSON line. Run by bench.mjs as `bench-child.mjs JOB SPECFILE`, where JOB is
// `report:<engine>`, `own:<engine>`, `dataset2` or `probe:tfjs-node`.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist', p);
const log = (line) => process.stderr.write(`bench: ${line}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function engineNamed(name) {
  if (name === 'fast-wasm' || name === 'fast-wasm-1thread') {
    const { createFastEngine } = require(dist('model/fast/index.js'));
    return createFastEngine(name === 'fast-wasm-1thread' ? { threads: 1 } : {});
  }
  const { getEngine } = require(dist('model/backend.js'));
  return getEngine(name);
}

/** Warm-up + timed runs of `trainRun(r)` (which returns epoch stats), then generation latency. */
async function timeModel(label, model, plan, T, trainRun, firstToken) {
  const rates = [];
  let lastLoss = NaN;
  for (let r = 0; r < plan.warmup + plan.runs; r++) {
    const s = await trainRun(r);
    lastLoss = s.loss;
    const rate = (s.windows * T) / s.seconds;
    if (r >= plan.warmup) rates.push(rate);
    log(`${label}: run ${r + 1}/${plan.warmup + plan.runs}${r < plan.warmup ? ' (warm-up)' : ''}: ${rate.toFixed(1)} tokens/s`);
  }
  const V = model.config.vocabSize;
  const state = model.startState();
  for (let i = 0; i < 5; i++) model.step(state, firstToken + i);
  const g0 = performance.now();
  for (let i = 0; i < plan.genSteps; i++) model.step(state, firstToken + (i % (V - firstToken)));
  return { tokensPerSec: median(rates), runs: rates, genMsPerWord: (performance.now() - g0) / plan.genSteps, lastLoss };
}

function resultOf(name, model, timed, plan, createMs) {
  const result = {
    engine: name === 'fast-wasm-1thread' ? name : model.engine,
    ...timed,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    batchSize: plan.batchSize,
    batchesPerRun: plan.batches,
    createMs,
  };
  if (model.threads !== undefined) result.threads = model.threads;
  if (plan.note) result.note = plan.note;
  return result;
}

async function createTimed(engine, cfg, weights) {
  const t0 = performance.now();
  const model = engine.createModel(cfg, weights);
  if (typeof model.ready === 'function') await model.ready();
  return { model, createMs: performance.now() - t0 };
}

/** The report workload: variant 1, 2 × 256, RMSprop, windows inside posts. */
async function measureReport(name, spec) {
  const { initialWeights } = require(dist('model/init.js'));
  const { reportWindows, takeWindows } = require(dist('cli/bench-workloads.js'));
  const w = spec.report;
  const T = w.seqLength;
  const cfg = { variant: 1, layers: w.layers, hidden: w.hidden, embedding: w.embedding, dropout: 0, vocabSize: w.vocabSize, seqLength: T, initializer: 'bench', seed: w.seed };
  const { model, createMs } = await createTimed(await engineNamed(name), cfg, initialWeights(cfg));
  const plan = spec.plan.report[name] ?? spec.plan.report.default;
  const data = takeWindows(reportWindows(w), plan.batches * plan.batchSize);
  const optimizer = { kind: 'rmsprop', learningRate: w.learningRate, rho: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
  const timed = await timeModel(`report ${name}`, model, plan, T, (r) => model.trainEpoch(data, { batchSize: plan.batchSize, optimizer, seed: r }), 2);
  const result = resultOf(name, model, timed, plan, createMs);
  model.dispose();
  return result;
}

/** The own workload: tweetlab's model as the main job trains it, on a fresh random cut of the stream per run. */
async function measureOwn(name, spec) {
  const { ownStream, ownChunks, takeWindows } = require(dist('cli/bench-workloads.js'));
  const { deriveSeed } = require(dist('random.js'));
  const w = spec.own;
  const { model, createMs } = await createTimed(await engineNamed(name), w.model);
  const plan = spec.plan.own[name] ?? spec.plan.own.default;
  const stream = ownStream(w);
  const trainRun = (r) => {
    const chunks = ownChunks(w, stream, deriveSeed(w.seed, `chunks-${r}`));
    const data = takeWindows(chunks, Math.min(chunks.count, plan.batches * plan.batchSize));
    return model.trainEpoch(data, { batchSize: plan.batchSize, optimizer: w.optimizer, seed: deriveSeed(w.seed, `epoch-${r}`) });
  };
  const timed = await timeModel(`own ${name}`, model, plan, w.seqLength, trainRun, 1);
  const result = resultOf(name, model, timed, plan, createMs);
  model.dispose();
  return result;
}

/** Peak memory of the fast engine holding a dataset-2-sized window set: a few batches of training + evaluation. */
async function measureDataset2(spec) {
  const { createFastEngine } = require(dist('model/fast/index.js'));
  const { reportWindows, takeWindows } = require(dist('cli/bench-workloads.js'));
  const w = spec.report;
  const T = w.seqLength;
  const cfg = { variant: 2, layers: w.layers, hidden: w.hidden, embedding: w.embedding, dropout: 0.2, vocabSize: w.vocabSize, seqLength: T, initializer: 'bench', seed: w.seed };
  const model = createFastEngine().createModel(cfg);
  await model.ready();
  const all = reportWindows(w);
  const data = takeWindows(all, w.dataset2Windows);
  const optimizer = { kind: 'rmsprop', learningRate: w.learningRate, rho: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
  let batches = 0;
  const maxBatches = spec.quick ? 2 : 6;
  await model.trainEpoch(data, { batchSize: w.batchSize, optimizer, seed: 1, shouldStop: () => batches >= maxBatches }, () => batches++);
  const validation = takeWindows(all, spec.quick ? 512 : 4000);
  await model.evaluate(validation);
  model.dispose();
  return { engine: 'fast-wasm', windows: data.count, variant: 2, trainedBatches: batches, evaluatedWindows: validation.count, peakRssMB: process.resourceUsage().maxRSS / 1024 };
}

function probeTfjsNode() {
  const { tryLoadTfjsNode } = require(dist('model/backend.js'));
  try {
    return tryLoadTfjsNode() ? { available: true } : { available: false, reason: 'not installed or no native backend' };
  } catch (err) {
    return { available: false, reason: String(err?.message ?? err) };
  }
}

const [job, specFile] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
let out;
if (job === 'probe:tfjs-node') out = probeTfjsNode();
else if (job === 'dataset2') out = await measureDataset2(spec);
else if (job.startsWith('report:')) out = await measureReport(job.slice(7), spec);
else if (job.startsWith('own:')) out = await measureOwn(job.slice(4), spec);
else throw new Error(`bench-child: unknown job ${job}`);
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
