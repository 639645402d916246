import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tl from '../src/index.js';

const notebooksDir = path.resolve(__dirname, '../notebooks');

/** Every `tl.name` a notebook's code cells use (types and values alike). */
function namesUsedByNotebooks(): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of readdirSync(notebooksDir).filter((f) => f.endsWith('.ipynb'))) {
    const nb = JSON.parse(readFileSync(path.join(notebooksDir, file), 'utf8')) as { cells: { cell_type: string; source: string[] | string }[] };
    for (const cell of nb.cells) {
      if (cell.cell_type !== 'code') continue;
      const src = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
      for (const m of src.matchAll(/\btl\.([A-Za-z_$][\w$]*)/g)) used.set(m[1] as string, file);
    }
  }
  return used;
}

describe('public API (src/index.ts)', () => {
  it('exports every value the notebooks call', () => {
    const used = namesUsedByNotebooks();
    expect(used.size).toBeGreaterThan(20);
    const exported = new Set(Object.keys(tl));
    // Type-only names (interfaces, aliases) have no runtime value; tslab type-checks those cells itself.
    const typeOnly = new Set(['SourceSpec', 'TrainMode']);
    const missing = [...used].filter(([name]) => !exported.has(name) && !typeOnly.has(name)).map(([n, f]) => `${n} (${f})`);
    expect(missing).toEqual([]);
  });

  it('keeps the stage namespaces', () => {
    expect(typeof tl.sources.loadCorpus).toBe('function');
    expect(typeof tl.model.trainModel).toBe('function');
    expect(typeof tl.cluster.kmeans).toBe('function');
    expect(typeof tl.viz.display).toBe('function');
  });
});
