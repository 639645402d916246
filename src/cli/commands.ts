import type { Command } from './common.js';

/**
 * The command registry. Each command lives in its own file and is loaded only when called, so
 * `tweetlab stats` does not pay for loading TensorFlow.
 */
export const commandLoaders: Record<string, () => Promise<Command>> = {
  fetch: () => import('./fetch.js').then((m) => m.command),
  stats: () => import('./stats.js').then((m) => m.command),
  clean: () => import('./clean.js').then((m) => m.command),
  dataset: () => import('./dataset.js').then((m) => m.command),
  kmeans: () => import('./kmeans.js').then((m) => m.command),
  train: () => import('./train.js').then((m) => m.command),
  generate: () => import('./generate.js').then((m) => m.command),
  run: () => import('./run.js').then((m) => m.command),
  bench: () => import('./bench.js').then((m) => m.command),
  page: () => import('./page.js').then((m) => m.command),
  ablation: () => import('./ablation.js').then((m) => m.command),
  corpora: () => import('./corpora.js').then((m) => m.command),
};
