import * as fs from 'node:fs';
import * as path from 'node:path';
import { TweetlabError, errorMessage } from '../errors.js';
// The entries and esbuild options, shared with scripts/build-page.mjs (which runs before tsc, so it reads the
// JSON rather than this module): the bundle on demand and the one `npm run build` ships are built alike.
import settings from './bundle-settings.json';

/**
 * The page's two scripts, bundled for the browser by esbuild from the library's own modules (src/page/browser,
 * which pulls in src/generate, src/random, src/text …): the page samples with the very code `tweetlab
 * generate` runs. From a source checkout they are bundled on demand; an installed package uses the copies
 * `npm run build` wrote to dist/page-bundle/ (scripts/build-page.mjs).
 */

export interface PageScripts {
  ui: string;
  worker: string;
}

export const BUNDLE_DIR = path.join('dist', 'page-bundle');
const ENTRIES = settings.entries;

let cached: Promise<PageScripts> | null = null;

function packageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new TweetlabError('Cannot find the tweetlab package folder (no package.json above src/page)');
}

interface EsbuildApi {
  build(options: Record<string, unknown>): Promise<{ outputFiles?: { text: string }[] }>;
}

/** Bundles one browser entry into a single classic script (IIFE), minified, for modern browsers. */
export async function bundleEntry(file: string): Promise<string> {
  let esbuild: EsbuildApi;
  try {
    esbuild = (await import('esbuild')) as unknown as EsbuildApi;
  } catch (err) {
    throw new TweetlabError(`Bundling the page needs esbuild (a devDependency): ${errorMessage(err)}`);
  }
  const result = await esbuild.build({ ...settings.esbuild, entryPoints: [file] });
  const text = result.outputFiles?.[0]?.text;
  if (text === undefined) throw new TweetlabError(`esbuild wrote nothing for ${file}`);
  return text;
}

function readBuilt(root: string): PageScripts | null {
  const built = path.join(root, BUNDLE_DIR);
  try {
    return { ui: fs.readFileSync(path.join(built, 'ui.js'), 'utf8'), worker: fs.readFileSync(path.join(built, 'worker.js'), 'utf8') };
  } catch {
    return null;
  }
}

async function load(): Promise<PageScripts> {
  const root = packageRoot();
  const sources = path.join(root, 'src', 'page', 'browser');
  if (fs.existsSync(path.join(sources, ENTRIES.ui))) {
    try {
      return { ui: await bundleEntry(path.join(sources, ENTRIES.ui)), worker: await bundleEntry(path.join(sources, ENTRIES.worker)) };
    } catch (err) {
      // A checkout installed without devDependencies still has the scripts `npm run build` bundled.
      const built = readBuilt(root);
      if (built) return built;
      throw err;
    }
  }
  const built = readBuilt(root);
  if (!built) throw new TweetlabError(`The page scripts are not built (${BUNDLE_DIR} is missing): run \`npm run build\``);
  return built;
}

/** The bundled UI and worker scripts (bundled once per process). */
export function pageScripts(): Promise<PageScripts> {
  if (!cached) cached = load().catch((err) => {
    cached = null;
    throw err;
  });
  return cached;
}
