import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '..', '..', '..');

/** True when `built` exists and is at least as new as every one of `sources`. */
function fresh(built: string, sources: string[]): boolean {
  if (!fs.existsSync(built)) return false;
  const mtime = fs.statSync(built).mtimeMs;
  return sources.every((s) => fs.statSync(s).mtimeMs <= mtime);
}

/**
 * Compiles the worker thread's files (src/model/fast/worker.ts and the jobs.ts it shares with the main thread)
 * into dist/model/fast/ when they are missing or older than their sources: vitest runs the runtime from src/,
 * but a worker thread needs JavaScript. Each file is written atomically: parallel test files may race.
 */
function ensureWorkerBuilt(): void {
  for (const name of ['jobs', 'worker']) {
    const source = path.join(root, 'src', 'model', 'fast', `${name}.ts`);
    const built = path.join(root, 'dist', 'model', 'fast', `${name}.js`);
    if (fresh(built, [source])) continue;
    const output = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: source,
    }).outputText;
    fs.mkdirSync(path.dirname(built), { recursive: true });
    const tmp = `${built}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, output);
    fs.renameSync(tmp, built);
  }
}

/**
 * Builds dist/wasm/kernels.wasm when it is missing or older than a source in asm/, and the worker thread's
 * JavaScript likewise (normally `npm run build` does both), so the fast-wasm tests run from a fresh clone too.
 * The builds write atomically: parallel test files may race.
 */
export function ensureKernelsBuilt(): void {
  const wasm = path.join(root, 'dist', 'wasm', 'kernels.wasm');
  const asm = path.join(root, 'asm');
  const sources = fs.readdirSync(asm).filter((f) => f.endsWith('.ts')).map((f) => path.join(asm, f));
  if (!fresh(wasm, sources)) {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build-wasm.mjs')], { cwd: root, stdio: 'pipe' });
  }
  ensureWorkerBuilt();
}
