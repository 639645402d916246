/**
 * The engine registry: every engine that can build models (tfjs-node, fast-wasm, tfjs-wasm, tfjs-cpu), how
 * "auto" picks one, and the one place the CLI, the main job and the notebooks choose an engine. The tfjs
 * backends themselves (loading, the measured choice) are in `tfjs-backend.ts`.
 */
import { TweetlabError } from '../errors.js';
import { fastEngineEntry } from './fast/index.js';
import {
  ENGINE_OF_BACKEND,
  activateBackend,
  backendOfEngine,
  selectBackend,
  tfjsNodeProblem,
  tryLoadTfjsNode,
  type BackendName,
} from './tfjs-backend.js';
import type { Engine, EngineEntry } from './types.js';

export {
  ENGINE_OF_BACKEND,
  activateBackend,
  backendOfEngine,
  registerWasmUnsortedSegmentSum,
  selectBackend,
  tryLoadTfjsNode,
  type BackendChoice,
  type BackendName,
  type BackendPreference,
} from './tfjs-backend.js';
export type { EngineEntry } from './types.js';

const registry = new Map<string, EngineEntry>();

/** Adds (or replaces) an engine; the fast wasm engine registers itself here as "fast-wasm". */
export function registerEngine(entry: EngineEntry): void {
  registry.set(entry.name, entry);
}

export function engineNames(): string[] {
  return [...registry.keys()];
}

function tfjsEntry(backend: BackendName, priority: number): EngineEntry {
  return {
    name: ENGINE_OF_BACKEND[backend],
    priority,
    available: async () => {
      if (backend === 'tensorflow') return tryLoadTfjsNode();
      try {
        await activateBackend(backend);
        return true;
      } catch {
        return false;
      }
    },
    load: async () => {
      const { createTfjsEngine } = await import('./tfjs-engine.js');
      return createTfjsEngine(backend);
    },
  };
}

registerEngine(tfjsEntry('tensorflow', 100));
// Our WebAssembly SIMD engine: below tfjs-node (native), above the tfjs wasm/cpu backends (measured 3-4× faster
// than tfjs-wasm here). Its module loads no tfjs until a model is made.
registerEngine(fastEngineEntry);
registerEngine(tfjsEntry('wasm', 0));
registerEngine(tfjsEntry('cpu', 0));

/** Accepts engine names and the backend names of `--backend` ("tensorflow" | "wasm" | "cpu" | "auto"). */
export function normaliseEngineName(name: string | undefined): string {
  if (name === undefined || name === '' || name === 'auto') return 'auto';
  if (name === 'tensorflow' || name === 'node') return 'tfjs-node';
  if (name === 'wasm' || name === 'cpu') return `tfjs-${name}`;
  return name;
}

/**
 * The engine called `name` (or a backend name), or the fastest available one for "auto"/undefined:
 * tfjs-node if it loads, else a registered engine with priority > 0 (e.g. "fast-wasm"), else the faster of
 * tfjs-wasm and tfjs-cpu by measurement.
 */
export async function getEngine(name?: string): Promise<Engine> {
  const wanted = normaliseEngineName(name);
  if (wanted !== 'auto') {
    const entry = registry.get(wanted);
    if (!entry) throw new TweetlabError(`Unknown engine "${name}" (known: ${engineNames().join(', ')}, or auto)`);
    if (entry.name === 'tfjs-node' && !tryLoadTfjsNode()) {
      throw new TweetlabError(`Engine tfjs-node is not available here (${tfjsNodeProblem()}); use --backend wasm or cpu`);
    }
    return entry.load();
  }
  const ranked = [...registry.values()].filter((e) => e.priority > 0).sort((a, b) => b.priority - a.priority);
  for (const entry of ranked) {
    if (await entry.available()) return entry.load();
  }
  const choice = await selectBackend('auto');
  return (registry.get(choice.engine) as EngineEntry).load();
}

/** An engine ready to build models, with the backend it runs on and why it was chosen (recorded in outputs). */
export interface EngineChoice {
  engine: Engine;
  /** tfjs backend ("tensorflow" | "wasm" | "cpu"), or the engine's own name for engines outside tfjs. */
  backend: string;
  reason: string;
}

/**
 * The engine a `--backend`/config value asks for: "auto" (or nothing) = the fastest available, else a backend
 * ("tensorflow" | "wasm" | "cpu") or an engine name ("fast-wasm" …). The one place CLI, main job and notebooks
 * pick an engine.
 */
export async function chooseEngine(preference?: string): Promise<EngineChoice> {
  const wanted = normaliseEngineName(preference);
  const engine = await getEngine(wanted === 'auto' ? undefined : wanted);
  const tfjsBackend = backendOfEngine(engine.name);
  if (tfjsBackend === engine.name) {
    const why = wanted === 'auto' ? `fastest available; tfjs-node not available (${tfjsNodeProblem() ?? 'not installed'})` : 'requested';
    return { engine, backend: engine.name, reason: engine.detail ? `${why}; ${engine.detail}` : why };
  }
  const choice = await selectBackend(wanted === 'auto' ? 'auto' : (tfjsBackend as BackendName));
  return { engine, backend: tfjsBackend, reason: choice.reason };
}
