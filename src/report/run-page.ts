import * as path from 'node:path';
import { writeModelPage } from '../page/page.js';
import type { PipelineResult } from '../pipeline/run.js';
import type { RunSummary } from './types.js';

/** Folder of the run's browser page, beside report.html. */
export const PAGE_DIR = 'page';

/**
 * The browser page of the run's best model (tweetlab's model when trained, else the report model with the lowest
 * windowed perplexity), with its held-out figures against the 3-gram; null when no model folder was saved.
 */
export async function writeRunPage(runDir: string, summary: RunSummary, result: PipelineResult): Promise<string | null> {
  const rows = summary.quality.rows;
  const base = rows.find((r) => r.kind === 'baseline');
  let modelDir: string | null = null;
  let metrics: { perplexity: number; baselinePerplexity?: number } | undefined;
  if (result.own?.dir) {
    modelDir = result.own.dir;
    const row = rows.find((r) => r.kind === 'tweetlab');
    if (row) metrics = { perplexity: row.postPerplexity, ...(base ? { baselinePerplexity: base.postPerplexity } : {}) };
  } else {
    const report = rows.filter((r) => r.kind === 'report' && Number.isFinite(r.windowedPerplexity));
    const best = report.reduce<(typeof report)[number] | null>((a, b) => (a === null || b.windowedPerplexity < a.windowedPerplexity ? b : a), null);
    const model = best ? summary.models.find((m) => m.name === best.name) : undefined;
    const last = model?.checkpoints[model.checkpoints.length - 1];
    if (best && last?.dir) {
      modelDir = path.join(runDir, last.dir);
      metrics = { perplexity: best.windowedPerplexity, ...(base ? { baselinePerplexity: base.windowedPerplexity } : {}) };
    }
  }
  if (modelDir === null) return null;
  await writeModelPage({ modelDir, outDir: path.join(runDir, PAGE_DIR), trainingPosts: result.prepared.trainPosts, ...(metrics ? { metrics } : {}) });
  return `${PAGE_DIR}/index.html`;
}
