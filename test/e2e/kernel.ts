import { spawn } from 'node:child_process';
import { mkdirSync, promises as fsp, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A notebook cell as the driver needs it: code (or markdown) source. */
export interface CellSpec {
  code: string;
}

export interface StepReport {
  cell: number;
  status: 'ok' | 'error';
  interrupted: boolean;
  /** The kernel's execute_reply status: "abort" means the kernel did not run the cell (null: no reply seen). */
  reply: 'ok' | 'error' | 'abort' | null;
  /** The cell's text outputs (stream and text/plain), last 2,000 characters. */
  text: string;
  /** The plotly figures the cell sent while it ran, in order (new, then each in-place update): points per trace. */
  charts: { kind: 'display_data' | 'update_display_data'; points: number[] }[];
}

export interface DriverStep {
  cell: number;
  /** Interrupt the kernel once the cell's text output matches this regex (JavaScript and Python agree on it). */
  interrupt_when?: string;
  interrupt_timeout?: number;
}

const repoRoot = path.resolve(__dirname, '..', '..');

/**
 * A folder where a notebook can `import * as tl from "tweetlab"` (node_modules/tweetlab links the repo's
 * package.json and dist/, as scripts/jupyter-env.mjs does for notebooks/).
 */
export async function notebookFolder(label: string): Promise<string> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `tweetlab-e2e-${label}-`));
  const pkg = path.join(dir, 'node_modules', 'tweetlab');
  mkdirSync(pkg, { recursive: true });
  for (const name of ['package.json', 'dist']) symlinkSync(path.join(repoRoot, name), path.join(pkg, name));
  return dir;
}

/** Writes a tslab notebook of code cells. */
export async function writeNotebook(file: string, cells: CellSpec[]): Promise<void> {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' }, language_info: { name: 'typescript' } },
    cells: cells.map((c, i) => ({ cell_type: 'code', id: `cell-${i}`, metadata: {}, execution_count: null, outputs: [], source: c.code })),
  };
  await fsp.writeFile(file, JSON.stringify(nb, null, 1));
}

/**
 * Runs `steps` of the notebook in `dir` in one tslab kernel (test/e2e/kernel_driver.py via nbclient), then saves
 * it as out.ipynb and exports out.html there.
 */
export async function driveNotebook(dir: string, cells: CellSpec[], steps: DriverStep[]): Promise<{ steps: StepReport[]; ipynb: string; html: string }> {
  const { setup, pythonCommand } = await import('../../scripts/jupyter-env.mjs');
  const env = setup();
  const input = path.join(dir, 'in.ipynb');
  await writeNotebook(input, cells);
  const plan = { notebook: input, out: path.join(dir, 'out.ipynb'), html: path.join(dir, 'out.html'), cwd: dir, steps };
  const planFile = path.join(dir, 'plan.json');
  await fsp.writeFile(planFile, JSON.stringify(plan));
  const { code, out, err } = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(pythonCommand(), [path.join(__dirname, 'kernel_driver.py'), planFile], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (c) => resolve({ code: c, out, err }));
  });
  if (code !== 0) throw new Error(`kernel_driver.py exited ${code}: ${err.slice(-3000)}`);
  const report = JSON.parse(out.trim().split('\n').pop() as string) as { steps: StepReport[] };
  return { steps: report.steps, ipynb: plan.out, html: plan.html };
}
