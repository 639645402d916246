import * as path from 'node:path';
import { UsageError } from '../errors.js';

import { PRESET_NAMES, type PresetName } from '../model/experiment.js';

/**
 * The preset a notebook runs with: $TWEETLAB_PRESET (CI sets "quick"), else "default". Unknown names fail
 * with one sentence instead of silently running the default.
 */
export function presetFromEnv(env: NodeJS.ProcessEnv = process.env): PresetName {
  const raw = (env.TWEETLAB_PRESET ?? '').trim();
  if (raw === '') return 'default';
  if ((PRESET_NAMES as readonly string[]).includes(raw)) return raw as PresetName;
  throw new UsageError(`TWEETLAB_PRESET must be one of ${PRESET_NAMES.join(', ')}, got "${raw}".`);
}

/** Versions a notebook prints in its first cell, so a reader knows what produced its outputs. */
export interface EnvironmentInfo {
  tweetlab: string;
  node: string;
  tfjs: string;
  /** tslab and its TypeScript, when running in a tslab kernel. */
  tslab?: string;
  typescript?: string;
  preset?: string;
  /** tfjs backend and model engine, once chosen. */
  backend?: string;
  engine?: string;
}

function versionOf(spec: string): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const v = (require(spec) as { version?: unknown }).version;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** tslab's version and TypeScript version from the running kernel's own modules (no extra loading). */
function tslabVersions(): { tslab?: string; typescript?: string } {
  const suffix = path.join('tslab', 'dist', 'public.js');
  for (const [key, mod] of Object.entries(require.cache)) {
    if (!key.endsWith(suffix) || !mod) continue;
    const v = (mod.exports as { versions?: { tslab?: string; typescript?: string } }).versions;
    if (v) return { tslab: v.tslab, typescript: v.typescript };
  }
  const keys = Object.keys(require.cache);
  const jupyter = keys.find((k) => k.endsWith(path.join('tslab', 'dist', 'jupyter.js')));
  if (!jupyter) return {};
  const ts = keys.find((k) => k.includes(`${path.sep}typescript-for-tslab${path.sep}`) && k.endsWith('typescript.js'));
  const tsVersion = ts ? (require.cache[ts]?.exports as { version?: unknown } | undefined)?.version : undefined;
  return {
    tslab: versionOf(path.join(path.dirname(path.dirname(jupyter)), 'package.json')),
    typescript: typeof tsVersion === 'string' ? tsVersion : undefined,
  };
}

/** Versions of tweetlab, Node, tfjs (and tslab in a kernel), plus the preset/backend given. */
export function environmentInfo(extra: { preset?: string; backend?: string; engine?: string } = {}): EnvironmentInfo {
  const info: EnvironmentInfo = {
    tweetlab: versionOf('../../package.json') ?? 'unknown',
    node: process.version,
    tfjs: versionOf('@tensorflow/tfjs/package.json') ?? 'not installed',
    ...tslabVersions(),
    ...extra,
  };
  return JSON.parse(JSON.stringify(info)) as EnvironmentInfo;
}
