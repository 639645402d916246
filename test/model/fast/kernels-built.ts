import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Builds dist/wasm/kernels.wasm when it is missing or older than a source in asm/ (normally `npm run build` does
 * it), so the fast-wasm tests run from a fresh clone too. The build writes atomically: parallel test files may race.
 */
export function ensureKernelsBuilt(): void {
  const root = path.resolve(__dirname, '..', '..', '..');
  const wasm = path.join(root, 'dist', 'wasm', 'kernels.wasm');
  const asm = path.join(root, 'asm');
  const newest = Math.max(...fs.readdirSync(asm).filter((f) => f.endsWith('.ts')).map((f) => fs.statSync(path.join(asm, f)).mtimeMs));
  if (fs.existsSync(wasm) && fs.statSync(wasm).mtimeMs >= newest) return;
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-wasm.mjs')], { cwd: root, stdio: 'pipe' });
}
