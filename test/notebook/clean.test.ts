import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { readdirSync } from 'node:fs';

// The committed notebooks must carry no outputs or execution counts (scripts/check-notebooks-clean.mjs).
const notebooksDir = path.resolve(__dirname, '..', '..', 'notebooks');

async function checker() {
  return import('../../scripts/check-notebooks-clean.mjs');
}

describe('committed notebooks', () => {
  it('exist', () => {
    expect(readdirSync(notebooksDir).filter((n) => n.endsWith('.ipynb')).length).toBeGreaterThan(0);
  });

  it('have no outputs or execution counts and use the tslab kernel', async () => {
    const { dirtyNotebooks } = await checker();
    expect(dirtyNotebooks(notebooksDir)).toEqual([]);
  });
});

describe('notebookProblems', () => {
  const clean = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# x'] },
      { cell_type: 'code', metadata: {}, source: ['1 + 1'], outputs: [], execution_count: null },
    ],
  };

  it('accepts a clean notebook', async () => {
    const { notebookProblems } = await checker();
    expect(notebookProblems(JSON.stringify(clean))).toEqual([]);
  });

  it('flags outputs, execution counts, another kernel and broken JSON', async () => {
    const { notebookProblems } = await checker();
    const dirty = structuredClone(clean);
    dirty.metadata.kernelspec.name = 'python3';
    Object.assign(dirty.cells[1]!, { outputs: [{ output_type: 'stream', name: 'stdout', text: '2' }], execution_count: 3 });
    expect(notebookProblems(JSON.stringify(dirty))).toEqual([
      'kernelspec is "python3", expected "tslab"',
      'cell 2 has 1 output(s)',
      'cell 2 has execution count 3',
    ]);
    expect(notebookProblems('{')[0]).toMatch(/^not valid JSON/);
  });
});
