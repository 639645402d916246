// The PyTorch side of scripts/bench.mjs: probes /usr/bin/python3 for torch, runs bench/pytorch_lstm.py once per
// workload and thread count, each in its own process whose environment (only that one) has the OpenBLAS tuning
// variables removed and every BLAS pool sized to the thread count; then tells which BLAS torch ran on and whether
// a ratio may be printed (dist/cli/bench-torch.js: classifyBlas, ratioRefusal).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const PYTHON = '/usr/bin/python3';
const log = (line) => process.stderr.write(`bench: ${line}\n`);

/** { available, version?, python?, reason? } of torch for /usr/bin/python3. */
export function probeTorch() {
  if (!fs.existsSync(PYTHON)) return { available: false, reason: '/usr/bin/python3 not found' };
  const probe = spawnSync(PYTHON, ['-c', 'import sys, torch, numpy; print(torch.__version__, sys.version.split()[0])'], { encoding: 'utf8' });
  if (probe.status !== 0) return { available: false, reason: 'torch is not installed for /usr/bin/python3 (Debian: apt-get install python3-torch libopenblas0-pthread)' };
  const [version, python] = probe.stdout.trim().split(/\s+/);
  return { available: true, version, python };
}

/** Arguments of bench/pytorch_lstm.py for a workload of the spec. */
function scriptArgs(name, spec, plan, dataFile, threads) {
  const common = ['--data', dataFile, '--batch', String(plan.batchSize), '--batches', String(plan.batches), '--runs', String(plan.runs),
    '--warmup', String(plan.warmup), '--threads', String(threads), '--gen-steps', String(plan.genSteps)];
  if (name === 'report') {
    const w = spec.report;
    return [...common, '--model', 'report', '--vocab', String(w.vocabSize), '--embedding', String(w.embedding), '--hidden', String(w.hidden),
      '--layers', String(w.layers), '--lr', String(w.learningRate)];
  }
  const w = spec.own;
  const m = w.model;
  return [...common, '--model', 'own', '--vocab', String(w.vocabSize), '--hidden', String(m.hidden), '--layers', String(m.layers),
    '--lr', String(w.optimizer.learningRate), '--weight-decay', String(w.optimizer.weightDecay ?? 0), '--clip', String(w.optimizer.clipNorm ?? 0),
    '--embedding-dropout', String(m.embeddingDropout ?? 0), '--input-dropout', String(m.inputDropout ?? 0),
    '--output-dropout', String(m.outputDropout ?? 0), '--recurrent-dropout', String(m.recurrentDropout ?? 0)];
}

/** One run of the PyTorch script: its JSON with `blas` classified, or { error }. */
export function runTorch(name, spec, dataFile, threads) {
  const { torchChildEnv, classifyBlas } = require(path.join(root, 'dist', 'cli', 'bench-torch.js'));
  const { env, unset } = torchChildEnv(process.env, threads);
  const plan = spec.plan[name].torch;
  log(`pytorch-cpu: ${name} workload, ${threads} thread${threads === 1 ? '' : 's'}${unset.length ? ` (without ${unset.map((v) => v.split('=')[0]).join(', ')})` : ''}`);
  const r = spawnSync(PYTHON, [path.join(root, 'bench', 'pytorch_lstm.py'), ...scriptArgs(name, spec, plan, dataFile, threads)], {
    encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'], timeout: 30 * 60 * 1000, maxBuffer: 16 * 2 ** 20,
  });
  const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    const out = JSON.parse(line);
    return { ...out, blas: classifyBlas(out.blasEvidence ?? { maps: '' }), envUnset: unset };
  } catch {
    return { error: `the PyTorch script failed (exit ${r.status ?? r.error?.code}): ${line.slice(0, 300) || 'no output'}` };
  }
}

/**
 * The report's `torch` object from every run: version, the BLAS (every run must agree, else 'unknown'), the GEMM
 * rate at 2 threads, the variables unset, and the refusal line when no ratio may be printed.
 */
export function torchSummary(probe, runs) {
  if (!probe.available) return { available: false, reason: probe.reason };
  const { ratioRefusal } = require(path.join(root, 'dist', 'cli', 'bench-torch.js'));
  const ok = runs.filter((r) => !r.error);
  if (ok.length === 0) return { available: false, reason: runs[0]?.error ?? 'no PyTorch run' };
  const kinds = new Set(ok.map((r) => r.blas.kind));
  const blas = kinds.size === 1 ? ok[0].blas : { kind: 'unknown', library: null, evidence: `the runs disagree: ${[...kinds].join(', ')}` };
  const r1 = (x) => Math.round(x * 10) / 10;
  const two = ok.filter((r) => r.threads === 2).map((r) => r1(r.gemmGflops));
  const gemmByThreads = {};
  for (const r of ok) gemmByThreads[r.threads] = Math.max(gemmByThreads[r.threads] ?? 0, r1(r.gemmGflops));
  return {
    available: true,
    version: probe.version,
    python: probe.python,
    blas: blas.kind,
    blasLibrary: blas.library,
    blasEvidence: blas.evidence,
    configBlas: /BLAS_INFO=\w+/.exec(ok[0].blasEvidence?.configShow ?? '')?.[0] ?? null,
    gemmGflops: two.length ? Math.max(...two) : undefined,
    gemmGflopsByThreads: gemmByThreads,
    gemmSize: 1024,
    envUnset: ok[0].envUnset,
    envNote: 'OpenBLAS tuning variables were removed from the environment of the torch processes only; OMP/OPENBLAS/MKL_NUM_THREADS = the run\'s threads',
    ratioRefused: ratioRefusal(blas),
  };
}
