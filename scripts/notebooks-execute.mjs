#!/usr/bin/env node
// Executes every notebook headlessly (nbconvert's ExecutePreprocessor with the project's tslab kernel) into
// out/notebooks/: the executed .ipynb and its .html. Stops at the first failing cell and prints its source and
// the TypeScript error text. Needs `npm run build` first (notebooks import the built library).
//
// Usage: node scripts/notebooks-execute.mjs [NOTEBOOK.ipynb …]      (default: notebooks/*.ipynb, in name order)
// Env:   TWEETLAB_PRESET=quick       the notebooks' config cells pick the quick preset (CI, smoke runs)
//        TWEETLAB_CELL_TIMEOUT=1800  seconds one cell may run
//        TWEETLAB_PYTHON             the python with nbconvert (default: Debian's /usr/bin/python3 if it has it)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot, setup, pythonCommand } from './jupyter-env.mjs';

function main() {
  const outDir = path.join(repoRoot, 'out', 'notebooks');
  const args = process.argv.slice(2);
  const notebooks =
    args.length > 0
      ? args.map((a) => path.resolve(a))
      : readdirSync(path.join(repoRoot, 'notebooks'))
          .filter((n) => n.endsWith('.ipynb'))
          .sort()
          .map((n) => path.join(repoRoot, 'notebooks', n));
  if (notebooks.length === 0) {
    console.error('No notebooks found in notebooks/.');
    return 1;
  }
  if (!existsSync(path.join(repoRoot, 'dist', 'index.js'))) {
    console.error('dist/index.js is missing: run `npm run build` first (the notebooks import the built library).');
    return 1;
  }
  const env = setup();
  const python = pythonCommand();
  const timeout = process.env.TWEETLAB_CELL_TIMEOUT ?? '1800';
  const runner = path.join(repoRoot, 'scripts', 'execute_notebook.py');
  console.log(`Executing ${notebooks.length} notebook(s) with ${python} (preset: ${env.TWEETLAB_PRESET ?? 'default'}) into ${path.relative(process.cwd(), outDir) || '.'}/`);
  for (const nb of notebooks) {
    const started = Date.now();
    const rel = path.relative(process.cwd(), nb);
    process.stdout.write(`  ${rel} … `);
    const result = spawnSync(python, [runner, nb, outDir, timeout], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.error) {
      console.log('not run');
      console.error(`Cannot run ${python}: ${result.error.message}. Install Jupyter (apt-get install jupyter-nbconvert python3-ipykernel, or pip install nbconvert ipykernel) or set TWEETLAB_PYTHON.`);
      return 1;
    }
    if (result.status !== 0) {
      console.log(`FAILED after ${seconds} s`);
      // Drop nbformat's noise about cell ids; keep the runner's report and any Python error.
      const stderr = result.stderr
        .split('\n')
        .filter((l) => !/MissingIDFieldWarning|validate\(nb\)/.test(l))
        .join('\n');
      process.stderr.write(stderr.endsWith('\n') ? stderr : stderr + '\n');
      console.error(`Partial output (cells that ran): ${path.relative(process.cwd(), path.join(outDir, path.basename(nb)))}`);
      return 1;
    }
    console.log(`ok (${seconds} s)`);
  }
  console.log(`Done: ${notebooks.length} notebook(s) executed; HTML in ${path.relative(process.cwd(), outDir) || '.'}/`);
  return 0;
}

process.exit(main());
