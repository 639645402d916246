import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Builds dist/wasm/kernels.wasm when it is missing (normally `npm run build` does it), so the fast-wasm tests
 * run from a fresh clone too. The build script writes atomically, so parallel test files can race safely.
 */
export function ensureKernelsBuilt(): void {
  const root = path.resolve(__dirname, '..', '..', '..');
  if (fs.existsSync(path.join(root, 'dist', 'wasm', 'kernels.wasm'))) return;
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-wasm.mjs')], { cwd: root, stdio: 'pipe' });
}
