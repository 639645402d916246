#!/usr/bin/env node
// Builds the fast-wasm engine's kernels from our own AssemblyScript source (asm/kernels.ts) with the
// `assemblyscript` devDependency: no native compiler, no downloads. Output: dist/wasm/kernels.wasm (SIMD) and
// dist/wasm/kernels-relaxed.wasm (the same source with relaxed SIMD: fused multiply-add and a 6×8 matmul tile),
// which the engine loads where this Node can run it (src/model/fast/artifacts.ts).
// Usage: node scripts/build-wasm.mjs [--debug]   (also writes dist/wasm/kernels.wat with --debug)
import { execFileSync } from 'node:child_process';
import { mkdirSync, existsSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
if (!existsSync(asc)) {
  console.error('build-wasm: assemblyscript is not installed (it is a devDependency: run npm install).');
  process.exit(1);
}
const outDir = join(root, 'dist', 'wasm');
mkdirSync(outDir, { recursive: true });
const debug = process.argv.includes('--debug');
function build(name, extra) {
  const tmpFile = join(outDir, `${name}.${process.pid}.tmp.wasm`);
  const args = [
    asc,
    join(root, 'asm', 'kernels.ts'),
    // Written beside the target and renamed into place, so a reader never sees a half-written module.
    '--outFile', tmpFile,
    '-O3', '--noAssert',
    '--runtime', 'stub',
    '--enable', 'simd', '--enable', 'threads', ...extra,
    '--importMemory', '--sharedMemory', '--initialMemory', '16', '--maximumMemory', '65536',
    '--use', 'abort=',
  ];
  if (debug) args.push('--textFile', join(outDir, `${name}.wat`));
  execFileSync(process.execPath, args, { stdio: 'inherit', cwd: root });
  renameSync(tmpFile, join(outDir, `${name}.wasm`));
}
build('kernels', []);
build('kernels-relaxed', ['--enable', 'relaxed-simd']);
console.log(`build-wasm: wrote ${join('dist', 'wasm', 'kernels.wasm')} and kernels-relaxed.wasm`);
