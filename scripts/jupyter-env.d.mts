/** The repository root. */
export const repoRoot: string;
/** <repo>/.jupyter */
export const jupyterHome: string;
/** The env with Jupyter's config, data, runtime and IPython folders inside the project. */
export function jupyterEnv(base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv & {
  JUPYTER_CONFIG_DIR: string;
  JUPYTER_DATA_DIR: string;
  JUPYTER_RUNTIME_DIR: string;
  IPYTHONDIR: string;
  JUPYTER_PATH: string;
};
/** $TWEETLAB_JUPYTER, else /usr/bin/jupyter, else "jupyter". */
export function jupyterCommand(): string;
/** $TWEETLAB_PYTHON, else the python in the jupyter script's shebang, else "python3". */
export function pythonCommand(): string;
/** Writes kernels/tslab/kernel.json into env.JUPYTER_DATA_DIR; returns that folder. */
export function registerKernel(env?: ReturnType<typeof jupyterEnv>): string;
/** Links notebooks/node_modules/tweetlab to the repo's package.json and dist/; returns the folder. */
export function linkLibrary(): string;
/** jupyterEnv + registerKernel + linkLibrary. */
export function setup(): ReturnType<typeof jupyterEnv>;
