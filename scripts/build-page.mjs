#!/usr/bin/env node
// Bundles the browser page's scripts (src/page/browser/ui.ts and worker.ts, with the library modules they
// import) into dist/page-bundle/ with the esbuild devDependency, so an installed tweetlab can write pages
// without esbuild. A source checkout bundles on demand (src/page/bundle.ts) and does not need this.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'page-bundle');
mkdirSync(outDir, { recursive: true });
for (const name of ['ui', 'worker']) {
  const result = await esbuild.build({
    entryPoints: [join(root, 'src', 'page', 'browser', `${name}.ts`)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
  });
  const tmp = join(outDir, `${name}.${process.pid}.tmp.js`);
  writeFileSync(tmp, result.outputFiles[0].text);
  renameSync(tmp, join(outDir, `${name}.js`));
}
console.log(`build-page: wrote ${join('dist', 'page-bundle')}/{ui,worker}.js`);
