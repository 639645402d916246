#!/usr/bin/env node
// Bundles the browser page's scripts (src/page/browser/ui.ts and worker.ts, with the library modules they
// import) into dist/page-bundle/ with the esbuild devDependency, so an installed tweetlab can write pages
// without esbuild. A source checkout bundles on demand (src/page/bundle.ts) and does not need this. Both read
// the entries and esbuild options from src/page/bundle-settings.json, so they build alike.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const settings = JSON.parse(readFileSync(join(root, 'src', 'page', 'bundle-settings.json'), 'utf8'));
const outDir = join(root, 'dist', 'page-bundle');
mkdirSync(outDir, { recursive: true });
for (const [name, entry] of Object.entries(settings.entries)) {
  const result = await esbuild.build({ ...settings.esbuild, entryPoints: [join(root, 'src', 'page', 'browser', entry)] });
  const tmp = join(outDir, `${name}.${process.pid}.tmp.js`);
  writeFileSync(tmp, result.outputFiles[0].text);
  renameSync(tmp, join(outDir, `${name}.js`));
}
console.log(`build-page: wrote ${join('dist', 'page-bundle')}/{ui,worker}.js`);
