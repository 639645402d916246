#!/usr/bin/env node
// How tweetlab LSTM's sampling settings (temperature, top-p) were chosen: with a model the main job trained, it
// writes posts at each candidate setting (the length factor refitted for each, the novelty filter on) and asks the
// "can you tell?" classifier to separate them from the real DEVELOPMENT posts (the slice of the training posts the
// model never trained on). The held-out posts are never read. Lower is better; 50% means it cannot tell.
//
//   node scripts/select-sampling.mjs SPEC=MODEL_DIR ... [--candidates 1@0.95,1@1,1.1@1] [--lambda L]
//
// SPEC is the corpus the model was trained on (`default`, "sotu:…", "fortune:…"; capped as tweetlab corpora caps it),
// MODEL_DIR its `models/tweetlab` folder (npm start: out/<run>/models/tweetlab; tweetlab corpora:
// out/corpora/runs/<n>-…/models/tweetlab). A candidate is TEMPERATURE@TOP_P. With --lambda the posts come from the
// mixture with the 3-gram (that weight; the run's summary.json has the fitted one). Needs the built library.
import { prepareCappedCorpus } from '../dist/pipeline/corpora.js';
import { resolvePipelineConfig } from '../dist/pipeline/config.js';
import { fitOwnEndScale, generateOwnPosts } from '../dist/pipeline/generate.js';
import { splitPostsForValidation } from '../dist/dataset/split.js';
import { canYouTell } from '../dist/evaluate/classifier.js';
import { distinctN } from '../dist/evaluate/metrics.js';
import { KneserNeyTrigram } from '../dist/evaluate/ngram.js';
import { loadModel } from '../dist/model/io.js';
import { DEFAULT_MAX_POSTS } from '../dist/report/corpora.js';
import { loadCorpus } from '../dist/sources/index.js';

const SEEDS = [1, 2, 3, 4]; // posts and classifier folds are drawn four times: one draw moves the accuracy by ~2 points

function flag(name, fallback) {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
}

const candidates = flag('--candidates', '0.9@1,1@0.8,1@0.9,1@0.95,1@0.98,1@1,1.1@1,1.2@1').split(',').map((c) => c.split('@').map(Number));
const lambda = flag('--lambda', null);
const pairs = process.argv.slice(2).filter((a, i, all) => a.includes('=') && !all[i - 1]?.startsWith('--'));
if (pairs.length === 0) throw new Error('select-sampling: give at least one SPEC=MODEL_DIR');
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;

for (const pair of pairs) {
  const [spec, dir] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
  const cfg = resolvePipelineConfig({ preset: 'default', models: [] });
  const corpus = await loadCorpus(spec === 'default' ? {} : { input: spec });
  const { prepared } = prepareCappedCorpus(corpus, cfg, DEFAULT_MAX_POSTS);
  // The development slice as words: the same split of the training posts the main job made of their ids.
  const dev = splitPostsForValidation(prepared.trainPosts, cfg.own.devShare, prepared.own.devSeed);
  const real = dev.validation.map((w) => w.join(' '));
  const { model } = await loadModel(dir, 'auto', { optimizer: false });
  if (model.config.vocabSize !== prepared.vocab.words.length) throw new Error(`select-sampling: ${dir} was not trained on ${spec}`);
  const mixture = lambda === null ? undefined : {
    kn: KneserNeyTrigram.train(prepared.own.trainPosts, prepared.vocab.words.length, { eosId: prepared.vocab.eosId }),
    lambda: Number(lambda),
  };
  const common = { wordsPerPost: prepared.wordsPerPost, trainingPosts: dev.train, ...(mixture ? { mixture } : {}) };
  console.log(`${spec}: ${real.length} development posts, distinct-1 ${distinctN(dev.validation, 1).ratio.toFixed(3)}${mixture ? `, mixture λ ${lambda}` : ''}`);
  for (const [temperature, topP] of candidates) {
    const gen = { ...cfg.generation, temperature, topP };
    const fit = fitOwnEndScale(model, prepared.vocab, gen, { ...common, seed: 11 });
    const tell = [];
    const distinct1 = [];
    for (const s of SEEDS) {
      const posts = generateOwnPosts(model, prepared.vocab, gen, { ...common, count: real.length, seed: 100 + s, endScale: fit?.endScale ?? 1 });
      tell.push(canYouTell(real, posts.map((p) => p.text), { seed: 7 + s, folds: 5 }).accuracy);
      distinct1.push(distinctN(posts.map((p) => p.words), 1).ratio);
    }
    console.log(JSON.stringify({ spec, temperature, topP, mixture: mixture ? mixture.lambda : null, canYouTell: Number(mean(tell).toFixed(4)), draws: tell.map((a) => Number(a.toFixed(3))), distinct1: Number(mean(distinct1).toFixed(3)), endScale: fit?.endScale ?? 1 }));
  }
  model.dispose();
}
