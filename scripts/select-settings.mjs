#!/usr/bin/env node
// How tweetlab LSTM's training settings were chosen: trains the model with each candidate setting on each corpus,
// exactly as the main job does (same split, development slice, seeds and engine), and prints the best
// DEVELOPMENT perplexity (a slice of the training posts). The held-out posts are never scored here.
//
//   node scripts/select-settings.mjs [--corpora "sotu:Barack Obama,fortune:/usr/share/games/fortunes/ru"]
//                                    [--candidates shipped,before,...] [--out FILE]
//
// Needs the built library (npm run build). Each line of output (and of --out, JSON lines) is one model.
import * as fs from 'node:fs';
import { prepareCappedCorpus } from '../dist/pipeline/corpora.js';
import { resolvePipelineConfig } from '../dist/pipeline/config.js';
import { trainOwnStage } from '../dist/pipeline/own.js';
import { startModelBackend } from '../dist/pipeline/train.js';
import { DEFAULT_MAX_POSTS } from '../dist/report/corpora.js';
import { loadCorpus } from '../dist/sources/index.js';

// Candidates as overrides of the shipped OwnModelConfig; "before" is what shipped until 2026-12-07 (without noising,
// which came later: "no-noising" is the shipped settings before it).
const CANDIDATES = {
  shipped: {},
  before: { batchSize: 32, learningRate: 0.003, noising: 0 },
  'before-wd1e-4': { batchSize: 32, learningRate: 0.003, weightDecay: 1e-4, noising: 0 },
  'batch16-lr003': { learningRate: 0.003, noising: 0 },
  'batch32-lr005': { batchSize: 32, noising: 0 },
  'batch16-lr003-wd1e-4': { learningRate: 0.003, weightDecay: 1e-4, noising: 0 },
  'no-noising': { noising: 0 },
  'noising0.1-from-start': { noising: 0.1, noisingFrom: 'start' },
  'noising0.2-from-start': { noising: 0.2, noisingFrom: 'start' },
  'noising0.3': { noising: 0.3 },
};

function flag(name, fallback) {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
}

const corpora = flag('--corpora', 'sotu:Barack Obama,fortune:/usr/share/games/fortunes/ru').split(',');
const names = flag('--candidates', Object.keys(CANDIDATES).join(',')).split(',');
const out = flag('--out', null);
for (const n of names) if (!(n in CANDIDATES)) throw new Error(`select-settings: unknown candidate "${n}" (${Object.keys(CANDIDATES).join(', ')})`);

const backend = await startModelBackend('auto');
const base = resolvePipelineConfig({ preset: 'default', models: [] });
for (const spec of corpora) {
  const { prepared } = prepareCappedCorpus(await loadCorpus({ input: spec }), base, DEFAULT_MAX_POSTS);
  for (const name of names) {
    const own = resolvePipelineConfig({ preset: 'default', models: [], own: CANDIDATES[name] }).own;
    const r = await trainOwnStage(prepared, own, backend.instance, { seed: base.experiment.seed, modelsDir: null });
    r.model.dispose();
    const row = {
      corpus: spec, candidate: name, settings: CANDIDATES[name], engine: backend.engine,
      devPerplexity: Math.round(r.bestDevPerplexity * 10) / 10, bestEpoch: r.bestEpoch, epochs: r.history.length,
      trainSeconds: Math.round(r.seconds),
    };
    console.log(JSON.stringify(row));
    if (out) fs.appendFileSync(out, JSON.stringify(row) + '\n');
  }
}
