import { afterEach, describe, expect, it } from 'vitest';
import { promises as fsp, existsSync, realpathSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// scripts/jupyter-env.mjs keeps Jupyter inside the project and registers the tslab kernel there.
async function jupyterEnvModule() {
  return import('../../scripts/jupyter-env.mjs');
}

let tmp: string | undefined;
afterEach(async () => {
  if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  tmp = undefined;
});

describe('jupyter-env', () => {
  it('puts every Jupyter and IPython folder under <repo>/.jupyter', async () => {
    const { jupyterEnv, repoRoot } = await jupyterEnvModule();
    const env = jupyterEnv({ HOME: '/home/someone' });
    for (const key of ['JUPYTER_CONFIG_DIR', 'JUPYTER_DATA_DIR', 'JUPYTER_RUNTIME_DIR', 'IPYTHONDIR'] as const) {
      expect(env[key].startsWith(path.join(repoRoot, '.jupyter') + path.sep)).toBe(true);
    }
    expect(env.HOME).toBe('/home/someone');
  });

  it('registers the local tslab (via scripts/tslab-kernel.cjs) as the "TypeScript" kernel in the given data folder', async () => {
    const { jupyterEnv, registerKernel, repoRoot } = await jupyterEnvModule();
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-jupyter-'));
    const env = {
      ...jupyterEnv(),
      JUPYTER_DATA_DIR: path.join(tmp, 'data'),
      JUPYTER_CONFIG_DIR: path.join(tmp, 'config'),
      JUPYTER_RUNTIME_DIR: path.join(tmp, 'runtime'),
      IPYTHONDIR: path.join(tmp, 'ipython'),
    };
    const dir = registerKernel(env);
    expect(dir).toBe(path.join(tmp, 'data', 'kernels', 'tslab'));
    const spec = JSON.parse(await fsp.readFile(path.join(dir, 'kernel.json'), 'utf8'));
    expect(spec.display_name).toBe('TypeScript');
    expect(spec.language).toBe('typescript');
    // tslab started through scripts/tslab-kernel.cjs (a failed cell cancels only the cells queued before it).
    expect(spec.argv).toEqual([process.execPath, path.join(repoRoot, 'scripts', 'tslab-kernel.cjs'), '{connection_file}']);
    expect(existsSync(spec.argv[1])).toBe(true);
    expect(existsSync(path.join(tmp, 'runtime'))).toBe(true);
  });

  it('links the built library where tslab resolves "tweetlab" from notebooks/', async () => {
    const { linkLibrary, repoRoot } = await jupyterEnvModule();
    const dir = linkLibrary();
    expect(dir).toBe(path.join(repoRoot, 'notebooks', 'node_modules', 'tweetlab'));
    expect(realpathSync(path.join(dir, 'package.json'))).toBe(path.join(repoRoot, 'package.json'));
    expect(realpathSync(path.join(dir, 'dist'))).toBe(path.join(repoRoot, 'dist'));
    // Idempotent: a second call keeps the same links.
    expect(linkLibrary()).toBe(dir);
  });
});
