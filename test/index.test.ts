import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tl from '../src/index.js';

const repo = path.resolve(__dirname, '..');
const notebooksDir = path.join(repo, 'notebooks');
const indexSource = readFileSync(path.join(repo, 'src', 'index.ts'), 'utf8');

/** Every `tl.name` (and `tl.cluster.name`) a notebook's code cells use, types and values alike, with its notebook. */
function namesUsedByNotebooks(): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of readdirSync(notebooksDir).filter((f) => f.endsWith('.ipynb'))) {
    const nb = JSON.parse(readFileSync(path.join(notebooksDir, file), 'utf8')) as { cells: { cell_type: string; source: string[] | string }[] };
    for (const cell of nb.cells) {
      if (cell.cell_type !== 'code') continue;
      const src = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
      for (const m of src.matchAll(/\btl\.([A-Za-z_$][\w$]*)(?:\.([A-Za-z_$][\w$]*))?/g)) {
        used.set(m[1] === 'cluster' && m[2] ? `cluster.${m[2]}` : (m[1] as string), file);
      }
    }
  }
  return used;
}

/** The names src/index.ts exports, values and types (`export { a, type B } from …`, `export type { C } …`, `export const d`). */
function exportedNames(): { values: string[]; types: string[] } {
  const values: string[] = [];
  const types: string[] = [];
  for (const m of indexSource.matchAll(/^export (type )?\{([^}]*)\}/gm)) {
    for (const part of (m[2] as string).split(',').map((p) => p.trim()).filter(Boolean)) {
      if (m[1] || part.startsWith('type ')) types.push(part.replace(/^type /, ''));
      else values.push(part);
    }
  }
  for (const m of indexSource.matchAll(/^export (?:const|function|class) ([A-Za-z_$][\w$]*)/gm)) values.push(m[1] as string);
  return { values, types };
}

describe('public API (src/index.ts)', () => {
  it('exports every name the notebooks use, values and types', () => {
    const used = namesUsedByNotebooks();
    expect(used.size).toBeGreaterThan(60);
    const { types } = exportedNames();
    const missing = [...used].filter(([name]) => {
      if (name.startsWith('cluster.')) return !(name.slice('cluster.'.length) in tl.cluster);
      return !(name in tl) && !types.includes(name);
    });
    expect(missing.map(([n, f]) => `${n} (${f})`)).toEqual([]);
  });

  it('exports the entry points a script starts from', () => {
    for (const fn of [tl.loadCorpus, tl.resolvePipelineConfig, tl.preparePipeline, tl.runPipeline, tl.runMainJob, tl.getEngine,
      tl.trainModel, tl.loadModel, tl.generatePosts, tl.runKMeansLesson, tl.kmeans, tl.writeModelPage]) {
      expect(typeof fn).toBe('function');
    }
    const { types } = exportedNames();
    for (const t of ['PipelineConfig', 'PipelineOverrides', 'OwnModelConfig', 'OwnGenerationConfig', 'ExperimentConfig', 'Engine', 'LanguageModel']) {
      expect(types).toContain(t);
    }
  });

  it('stays small: only the curated names, each with a doc comment', () => {
    const { values, types } = exportedNames();
    // What the source lists is exactly what the module gives at run time.
    expect([...values].sort()).toEqual(Object.keys(tl).sort());
    expect(values.length).toBeLessThanOrEqual(100);
    expect(values.length + types.length).toBeLessThanOrEqual(140);
    expect(tl).not.toHaveProperty('sources'); // no stage namespaces re-exposing internals
    expect(tl).not.toHaveProperty('model');
    const lines = indexSource.split('\n');
    const undocumented = lines.flatMap((line, i) => (/^export /.test(line) && !/\*\/\s*$/.test(lines[i - 1] ?? '') ? [line] : []));
    expect(undocumented).toEqual([]);
  });

  it('tl.cluster holds the lesson helpers notebook 04 reads through it', () => {
    expect(tl.cluster.LESSON_GENRES).toContain('afropop');
    expect(typeof tl.cluster.scale).toBe('function');
    expect(tl.cluster.elbowFitFor([{ k: 2, fit: { k: 2 } as never }], 2)).toEqual({ k: 2 });
  });
});
