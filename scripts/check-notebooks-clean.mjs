#!/usr/bin/env node
// Fails if a committed notebook carries outputs or execution counts (they hold run-specific data and a 10 MB
// plotly bundle, and make diffs unreadable). Also checks each notebook is nbformat 4 JSON using the tslab kernel.
// Clear a notebook with: jupyter nbconvert --clear-output --inplace notebooks/NAME.ipynb
//
// Usage: node scripts/check-notebooks-clean.mjs [DIR]      (default: notebooks/)
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Problems found in one notebook's JSON text ([] when clean). */
export function notebookProblems(text) {
  let nb;
  try {
    nb = JSON.parse(text);
  } catch (err) {
    return [`not valid JSON (${err.message})`];
  }
  const problems = [];
  if (nb.nbformat !== 4) problems.push(`nbformat is ${nb.nbformat}, expected 4`);
  const kernel = nb.metadata?.kernelspec?.name;
  if (kernel !== 'tslab') problems.push(`kernelspec is ${JSON.stringify(kernel)}, expected "tslab"`);
  (nb.cells ?? []).forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    if (Array.isArray(cell.outputs) && cell.outputs.length > 0) problems.push(`cell ${i + 1} has ${cell.outputs.length} output(s)`);
    if (cell.execution_count !== null && cell.execution_count !== undefined) {
      problems.push(`cell ${i + 1} has execution count ${cell.execution_count}`);
    }
  });
  return problems;
}

/** { file, problems } for every *.ipynb in dir that is not clean. */
export function dirtyNotebooks(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.ipynb')) continue;
    const file = path.join(dir, name);
    const problems = notebookProblems(readFileSync(file, 'utf8'));
    if (problems.length > 0) out.push({ file, problems });
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'notebooks');
  const dirty = dirtyNotebooks(dir);
  for (const d of dirty) console.error(`${path.relative(process.cwd(), d.file)}: ${d.problems.join('; ')}`);
  if (dirty.length > 0) {
    console.error('Clear them with: jupyter nbconvert --clear-output --inplace notebooks/*.ipynb');
    process.exit(1);
  }
  console.log(`ok: notebooks in ${path.relative(process.cwd(), dir) || '.'} have no outputs or execution counts`);
}
