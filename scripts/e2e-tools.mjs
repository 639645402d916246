#!/usr/bin/env node
// What `npm run test:e2e` needs beyond Node: Chromium (the browser checks), Jupyter's nbconvert and its python
// (the kernel-level notebook tests), util-linux's `script` (a terminal for `tweetlab run`). Run directly, it
// prints one line naming what is missing and exits 1, or exits 0 quietly; test/e2e/global-setup.ts runs the same check before any e2e test.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jupyterCommand, pythonCommand } from './jupyter-env.mjs';

/** Chromium for playwright-core: $TWEETLAB_CHROMIUM, else Debian's /usr/bin/chromium. */
export function chromiumPath() {
  return process.env.TWEETLAB_CHROMIUM ?? '/usr/bin/chromium';
}

/** Names of the missing tools, each with where it was looked for; empty when everything is there. */
export function missingE2eTools() {
  const missing = [];
  const chromium = chromiumPath();
  if (!existsSync(chromium)) missing.push(`Chromium (no ${chromium}; set TWEETLAB_CHROMIUM)`);
  const jupyter = jupyterCommand();
  const j = spawnSync(jupyter, ['--version'], { encoding: 'utf8' });
  if (j.error || j.status !== 0) missing.push(`jupyter (cannot run ${jupyter}; set TWEETLAB_JUPYTER)`);
  const python = pythonCommand();
  const p = spawnSync(python, ['-c', 'import nbconvert, nbclient, nbformat, jupyter_client'], { encoding: 'utf8' });
  if (p.error || p.status !== 0) missing.push(`nbconvert (${python} cannot import nbconvert, nbclient and jupyter_client; set TWEETLAB_PYTHON)`);
  // util-linux's `script` gives `tweetlab run` a pseudo-terminal (test/e2e/run-terminal.test.ts).
  const s = spawnSync('script', ['--version'], { encoding: 'utf8' });
  if (s.error || s.status !== 0) missing.push('script (util-linux, for a pseudo-terminal)');
  return missing;
}

/** The one line printed when tools are missing. */
export function missingToolsLine(missing) {
  return `test:e2e needs ${missing.join(', ')}: apt-get install chromium jupyter-nbconvert python3-ipykernel bsdutils`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const missing = missingE2eTools();
  if (missing.length > 0) {
    process.stderr.write(missingToolsLine(missing) + '\n');
    process.exit(1);
  }
}
