import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { buildPagePayload } from '../../src/page/page.js';
import type { FromWorker, GenerateSettings, ToWorker } from '../../src/page/protocol.js';
import { captureIO } from '../cli/helpers.js';
import { fixtureModel, ownFixtureModel, type FixtureModel } from './fixture.js';
import { OWN_GENERATION_DEFAULTS } from '../../src/pipeline/config.js';

/**
 * The page's worker run in Node (the same module the page bundles, over the browser kernels): with the page's
 * starting settings it writes what `tweetlab generate` writes with its defaults, for the report's kind of model
 * and for tweetlab's own (until <eos>, top-p, the saved length factor).
 */

const scope = globalThis as unknown as { postMessage: (m: FromWorker) => void; onmessage: ((e: { data: ToWorker }) => void) | null };
const received: FromWorker[] = [];

let own: FixtureModel;
let report: FixtureModel;

beforeAll(async () => {
  scope.postMessage = (m) => void received.push(...(m.type === 'batch' ? m.events : [m]));
  await import('../../src/page/browser/worker.js');
  [own, report] = await Promise.all([ownFixtureModel('worker-own', 1.5), fixtureModel('worker-report')]);
});

/** Posts the worker writes with the page's starting settings (temperature and top-p from the payload, drawn lengths). */
async function pagePosts(dir: string, count: number, seed: number): Promise<{ posts: string[]; temperature: number; topP: number; endScale: number | null }> {
  const { workerSource: _w, info, ...payload } = await buildPagePayload({ modelDir: dir, outDir: dir });
  received.length = 0;
  scope.onmessage?.({ data: { type: 'init', payload } });
  const settings: GenerateSettings = { start: '', temperature: info.temperature, topK: 0, topP: info.topP, length: null, count, seed, newOnly: false };
  scope.onmessage?.({ data: { type: 'generate', settings } });
  const errors = received.filter((m) => m.type === 'error');
  expect(errors).toEqual([]);
  expect(received.at(-1)?.type).toBe('done');
  const posts = received.flatMap((m) => (m.type === 'post' ? [m.text] : []));
  return { posts, temperature: info.temperature, topP: info.topP, endScale: payload.endScale };
}

async function cliPosts(dir: string, count: number, seed: number): Promise<{ posts: string[]; options: { temperature: number; topP: number; endScale: number | null } }> {
  const io = captureIO();
  expect(await main(['generate', '--model', dir, '--backend', 'fast-wasm', '--json', '-n', String(count), '--seed', String(seed)], io)).toBe(0);
  const json = JSON.parse(io.stdout.join('\n')) as { posts: { text: string }[]; options: { temperature: number; topP: number; endScale: number | null } };
  return { posts: json.posts.map((p) => p.text), options: json.options };
}

describe('the page worker', () => {
  it("writes tweetlab's own model's posts as tweetlab generate does: until <eos>, the main job's sampling, the saved factor", async () => {
    const page = await pagePosts(own.dir, 30, 4);
    const cli = await cliPosts(own.dir, 30, 4);
    const { temperature, topP } = OWN_GENERATION_DEFAULTS;
    expect([page.temperature, page.topP]).toEqual([temperature, topP]);
    expect(page.endScale).toBe(1.5);
    expect(cli.options).toMatchObject({ temperature, topP, endScale: 1.5 });
    expect(page.posts).toEqual(cli.posts);
    // Posts end where the model ends them, on a training post's last two words, not cut at a drawn length.
    const endings = new Set(own.posts.map((p) => p.slice(-2).join(' ')));
    expect(page.posts.filter((p) => !endings.has(p.split(' ').slice(-2).join(' ')))).toEqual([]);
  });

  it("writes a report model's posts as tweetlab generate does: drawn lengths, temperature 1, no top-p", async () => {
    const page = await pagePosts(report.dir, 10, 2);
    const cli = await cliPosts(report.dir, 10, 2);
    expect([page.temperature, page.topP]).toEqual([1, 1]);
    expect(page.endScale).toBeNull();
    expect(cli.options).toMatchObject({ temperature: 1, topP: 1, endScale: null });
    expect(page.posts).toEqual(cli.posts);
  });
});
