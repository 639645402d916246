#!/usr/bin/env node
// Jupyter inside the project: config, data, runtime and IPython folders live in <repo>/.jupyter (gitignored), so
// nothing is written to $HOME. Registers the tslab kernel ("TypeScript") there and links the built library as
// notebooks/node_modules/tweetlab, so notebooks `import * as tl from "tweetlab"` (tslab resolves packages like
// Node 10 from the notebook's folder and type-checks against dist/*.d.ts).
//
// Usage:
//   node scripts/jupyter-env.mjs                 set up, then print the env as `export` lines (for `eval`)
//   node scripts/jupyter-env.mjs CMD [ARGS…]     set up, then run CMD with that env (exit code passed through)
//   node scripts/jupyter-env.mjs notebook [ARGS…] the classic notebook server on notebooks/ (`npm run notebook`)
// CMD `jupyter` means Debian's /usr/bin/jupyter when present (a pyenv python3 may come first on PATH and lack
// Jupyter); set TWEETLAB_JUPYTER to use another one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, lstatSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const jupyterHome = path.join(repoRoot, '.jupyter');

/** The four Jupyter/IPython folders, inside the project. */
export function jupyterEnv(base = process.env) {
  return {
    ...base,
    JUPYTER_CONFIG_DIR: path.join(jupyterHome, 'config'),
    JUPYTER_DATA_DIR: path.join(jupyterHome, 'data'),
    JUPYTER_RUNTIME_DIR: path.join(jupyterHome, 'runtime'),
    IPYTHONDIR: path.join(jupyterHome, 'ipython'),
    // Jupyter looks for kernels in system paths too; this keeps a user's own kernels out of the way.
    JUPYTER_PATH: path.join(jupyterHome, 'data'),
    // Jupyter warns about the platformdirs migration on every call otherwise.
    JUPYTER_PLATFORM_DIRS: base.JUPYTER_PLATFORM_DIRS ?? '1',
  };
}

/** The jupyter executable: $TWEETLAB_JUPYTER, else Debian's /usr/bin/jupyter, else `jupyter` on PATH. */
export function jupyterCommand() {
  if (process.env.TWEETLAB_JUPYTER) return process.env.TWEETLAB_JUPYTER;
  if (existsSync('/usr/bin/jupyter')) return '/usr/bin/jupyter';
  return 'jupyter';
}

/** The python that runs Jupyter: $TWEETLAB_PYTHON, else the interpreter in the jupyter script's shebang. */
export function pythonCommand() {
  if (process.env.TWEETLAB_PYTHON) return process.env.TWEETLAB_PYTHON;
  const jupyter = jupyterCommand();
  if (existsSync(jupyter)) {
    const first = readFileSync(jupyter, 'utf8').split('\n', 1)[0];
    const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
    if (m) return m[1].endsWith('/env') && m[2] ? m[2] : m[1];
  }
  return 'python3';
}

/** Writes kernels/tslab/kernel.json into the project's JUPYTER_DATA_DIR: the local tslab, via scripts/tslab-kernel.cjs. */
export function registerKernel(env = jupyterEnv()) {
  const tslabBin = path.join(repoRoot, 'node_modules', 'tslab', 'bin', 'tslab');
  if (!existsSync(tslabBin)) {
    throw new Error(`tslab is not installed (${tslabBin} is missing): run npm ci first.`);
  }
  const dir = path.join(env.JUPYTER_DATA_DIR, 'kernels', 'tslab');
  mkdirSync(dir, { recursive: true });
  const spec = {
    // The same node that runs this script, so the kernel matches the project's Node version. tslab through
    // scripts/tslab-kernel.cjs: a failed cell cancels only the cells queued before it, not the next one run.
    argv: [process.execPath, path.join(repoRoot, 'scripts', 'tslab-kernel.cjs'), '{connection_file}'],
    display_name: 'TypeScript',
    language: 'typescript',
  };
  writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
  for (const key of ['JUPYTER_CONFIG_DIR', 'JUPYTER_RUNTIME_DIR', 'IPYTHONDIR']) mkdirSync(env[key], { recursive: true });
  return dir;
}

/**
 * notebooks/node_modules/tweetlab = a folder with links to the repo's package.json and dist/ (not a link to the
 * repo itself, which would make a directory cycle). Requires `npm run build` for dist/.
 */
export function linkLibrary() {
  const pkgDir = path.join(repoRoot, 'notebooks', 'node_modules', 'tweetlab');
  mkdirSync(pkgDir, { recursive: true });
  for (const name of ['package.json', 'dist']) {
    const link = path.join(pkgDir, name);
    const target = path.join('..', '..', '..', name);
    let ok = false;
    try {
      ok = lstatSync(link).isSymbolicLink() && readlinkSync(link) === target;
    } catch {
      ok = false;
    }
    if (!ok) {
      rmSync(link, { recursive: true, force: true });
      symlinkSync(target, link);
    }
  }
  if (!existsSync(path.join(repoRoot, 'dist', 'index.js'))) {
    process.stderr.write('warning: dist/index.js is missing; run `npm run build` before opening the notebooks.\n');
  }
  return pkgDir;
}

/** All of the above; returns the env to run Jupyter with. */
export function setup() {
  const env = jupyterEnv();
  registerKernel(env);
  linkLibrary();
  return env;
}

function isMain() {
  return process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
}

if (isMain()) {
  let env;
  try {
    env = setup();
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd) {
    for (const key of ['JUPYTER_CONFIG_DIR', 'JUPYTER_DATA_DIR', 'JUPYTER_RUNTIME_DIR', 'IPYTHONDIR', 'JUPYTER_PATH', 'JUPYTER_PLATFORM_DIRS']) {
      process.stdout.write(`export ${key}=${JSON.stringify(env[key])}\n`);
    }
    process.exit(0);
  }
  let exe = cmd === 'jupyter' ? jupyterCommand() : cmd;
  let argv = args;
  if (cmd === 'notebook') {
    // `npm run notebook`: the classic notebook server on notebooks/ (root needs --allow-root, e.g. in containers).
    exe = jupyterCommand();
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    argv = ['notebook', `--notebook-dir=${path.join(repoRoot, 'notebooks')}`, ...(asRoot ? ['--allow-root'] : []), ...args];
  }
  const result = spawnSync(exe, argv, { stdio: 'inherit', env });
  if (result.error) {
    const hint = cmd === 'jupyter' || cmd === 'notebook' ? ' Install Jupyter: `apt-get install jupyter-notebook jupyter-nbconvert python3-ipykernel` or `pip install notebook nbconvert`.' : '';
    process.stderr.write(`Cannot run ${exe}: ${result.error.message}.${hint}\n`);
    process.exit(1);
  }
  process.exit(result.status ?? 1);
}
