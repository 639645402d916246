import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Builds dist/wasm/kernels.wasm when it is missing or older than asm/kernels.ts (normally `npm run build` does
 * it), so the fast-wasm tests run from a fresh clone too. The build writes atomically: parallel test files may race.
 */
export function ensureKernelsBuilt(): void {
  const root = path.resolve(__dirname, '..', '..', '..');
  const wasm = path.join(root, 'dist', 'wasm', 'kernels.wasm');
  const source = path.join(root, 'asm', 'kernels.ts');
  if (fs.existsSync(wasm) && fs.statSync(wasm).mtimeMs >= fs.statSync(source).mtimeMs) return;
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-wasm.mjs')], { cwd: root, stdio: 'pipe' });
}
