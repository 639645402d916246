import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { readInputWords } from '../../src/cli/input.js';
import { NoveltyFilter } from '../../src/evaluate/novelty.js';
import type { CliIO } from '../../src/cli/common.js';
import type { RunJson } from '../../src/cli/run.js';
import type { RunSummary } from '../../src/report/types.js';
import { formatPostsCsv } from '../../src/sources/files.js';
import { parseCsv } from '../../src/util/csv.js';
import { fixturePosts } from '../report/fixture.js';

function sinks(): { io: CliIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false }, out, err };
}

function withoutPlotlyBundle(html: string): string {
  return html.replace(/<script type="text\/javascript" data-tweetlab="plotly-bundle">[\s\S]*?<\/script>/, '');
}

let dir = '';
let input = '';
/** The first test's run, whose own model the generate test reads. */
let quickRun: RunJson | null = null;

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-run-'));
  input = path.join(dir, 'posts.csv');
  await fsp.writeFile(input, formatPostsCsv(fixturePosts()));
});

afterAll(async () => {
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
});

describe('tweetlab run', () => {
  it('runs the whole job on a tiny corpus with the quick preset', async () => {
    const { io, out, err } = sinks();
    const outRoot = path.join(dir, 'out');
    const code = await main(
      ['run', '--quick', '--input', input, '--out', outRoot, '--epochs', '2', '--seq-length', '3', '--backend', 'cpu', '--json'],
      io,
    );
    expect(err.join('\n')).toMatch(/backend: cpu/);
    expect(code).toBe(0);
    const json = JSON.parse(out.join('\n')) as RunJson;
    quickRun = json;
    expect(json.backend).toBe('cpu');
    expect(json.preset).toBe('quick');
    expect(json.models.map((m) => m.name)).toEqual(['Model 1', 'Model 2', 'Model 3', 'Model 4', 'tweetlab LSTM', 'tweetlab LSTM + 3-gram']);
    expect(json.models.map((m) => m.kind)).toEqual(['report', 'report', 'report', 'report', 'tweetlab', 'mixture']);
    for (const m of json.models) expect(m.postPerplexity).toBeGreaterThan(1);
    expect(json.baseline?.ratio).toBe(1);
    expect(json.unknownShare).toBeGreaterThanOrEqual(0);
    for (const m of json.models) expect(m.perplexity).toBeGreaterThan(1);
    expect(json.baseline?.perplexity).toBeGreaterThan(1);
    expect(path.dirname(json.runDir)).toBe(path.resolve(outRoot));
    expect(path.basename(json.runDir)).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/);

    const summary = JSON.parse(await fsp.readFile(json.summary, 'utf8')) as RunSummary;
    expect(summary.corpus.posts).toBe(40);
    expect(summary.models).toHaveLength(4);
    expect(summary.models.map((m) => [m.dataset, m.variant])).toEqual([
      [1, 1],
      [2, 1],
      [1, 2],
      [2, 2],
    ]);
    for (const m of summary.models) {
      expect(m.history.map((h) => h.epoch)).toEqual([1, 2]);
      expect(m.checkpoints.at(-1)?.epoch).toBe(2);
      const ckpt = path.join(json.runDir, m.checkpoints.at(-1)?.dir ?? 'missing');
      expect((await fsp.readdir(ckpt)).sort()).toEqual(expect.arrayContaining(['config.json', 'model.json', 'vocab.json', 'weights.bin']));
    }
    expect(summary.evaluation.rows.map((r) => r.kind)).toEqual(['lstm', 'lstm', 'lstm', 'lstm', 'baseline']);
    expect(summary.versions.node).toBe(process.version);
    expect(summary.seeds.base).toBe(42);

    const generated = parseCsv(await fsp.readFile(json.generated, 'utf8'), 'generated.csv');
    expect(generated.header).toEqual(['model', 'epoch', 'seed', 'text', 'purpose']);
    const models = new Set(generated.rows.map((r) => r[0]));
    // quick preset: 2 samples at each of the checkpoints 1 and 2, then 20 evaluation posts per model
    const model1 = generated.rows.filter((r) => r[0] === 'Model 1');
    expect(model1.filter((r) => r[4] === 'checkpoint').map((r) => r[1])).toEqual(['1', '1', '2', '2']);
    expect(model1.filter((r) => r[4] === 'evaluation')).toHaveLength(20);
    expect(generated.rows.filter((r) => r[0] === 'tweetlab LSTM' && r[4] === 'evaluation')).toHaveLength(20);
    // The browser page of the best model sits beside the report.
    expect(summary.paths.page).toBe('page/index.html');
    expect((await fsp.stat(path.join(json.runDir, 'page', 'index.html'))).size).toBeGreaterThan(1000);
    for (const r of generated.rows) expect((r[3] ?? '').split(' ').length).toBeGreaterThan(0);
    for (const name of ['Model 1', 'Model 2', 'Model 3', 'Model 4', 'Kneser–Ney 3-gram']) expect(models.has(name)).toBe(true);

    const html = withoutPlotlyBundle(await fsp.readFile(json.report, 'utf8'));
    for (const heading of ['Does it read like the account?', 'Corpus and statistics', 'Cleaning and tokens', 'Models and training', 'Evaluation', 'Generated posts']) {
      expect(html.includes(heading)).toBe(true);
    }
    expect(html.includes('Kneser–Ney 3-gram')).toBe(true);
    // The raw hostile posts are shown in the cleaning examples — escaped only.
    expect(html.includes('<script>alert(1)</script>')).toBe(false);
    expect(html.includes('<img src=x')).toBe(false);
    expect(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe(true);
    expect(html.includes('&lt;img src=x onerror=alert(1)&gt;')).toBe(true);
    expect(/(href|src)\s*=\s*["']?\s*javascript:/i.test(html)).toBe(false);
  });

  it("keeps the own model's length factor in its folder, and tweetlab generate writes with it", async () => {
    expect(quickRun).not.toBeNull();
    const run = quickRun as RunJson;
    const summary = JSON.parse(await fsp.readFile(run.summary, 'utf8')) as RunSummary;
    const fitted = summary.own?.lengthCalibration?.lstm?.endScale;
    expect(fitted).toBeGreaterThan(0);
    const modelDir = path.join(run.runDir, 'models', 'tweetlab');
    const config = JSON.parse(await fsp.readFile(path.join(modelDir, 'config.json'), 'utf8'));
    expect(config.endScale).toBe(fitted);
    const generate = async (...flags: string[]) => {
      const { io, out, err } = sinks();
      const code = await main(['generate', '--model', modelDir, '-n', '5', '--seed', '3', '--backend', 'cpu', '--json', ...flags], io);
      expect(err).toEqual([]);
      expect(code).toBe(0);
      const json = JSON.parse(out.join('\n')) as { options: { endScale: number }; posts: unknown[] };
      expect(json.posts).toHaveLength(5);
      return { endScale: json.options.endScale };
    };
    expect((await generate()).endScale).toBe(fitted);
    // (What the factor does to lengths is tested in test/generate/end-of-post.test.ts.)
    expect((await generate('--end-scale', '0.5')).endScale).toBe(0.5);
    for (const bad of ['0', '21', 'x']) {
      const { io, err } = sinks();
      expect(await main(['generate', '--model', modelDir, '--end-scale', bad], io)).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^tweetlab generate: --end-scale/);
    }
    // The report's models have no end of post to scale.
    const report = path.join(run.runDir, summary.models[0]?.checkpoints.at(-1)?.dir ?? 'missing');
    const { io, err } = sinks();
    expect(await main(['generate', '--model', report, '--end-scale', '2', '--backend', 'cpu'], io)).toBe(2);
    expect(err[0]).toMatch(/--end-scale needs a model with an end of post/);
  });

  it('tweetlab generate --input draws again every post that copies 6+ words of those posts', async () => {
    expect(quickRun).not.toBeNull();
    const run = quickRun as RunJson;
    const summary = JSON.parse(await fsp.readFile(run.summary, 'utf8')) as RunSummary;
    const report = path.join(run.runDir, summary.models[0]?.checkpoints.at(-1)?.dir ?? 'missing');
    type Out = { options: { novelty: number | null }; posts: { text: string; novel: boolean | null; draws: number }[] };
    const generate = async (...flags: string[]): Promise<Out> => {
      const { io, out } = sinks();
      const args = ['generate', '--model', report, '-n', '12', '--seed', '5', '--length', '8', '--backend', 'cpu', '--json'];
      expect(await main([...args, ...flags], io)).toBe(0);
      return JSON.parse(out.join('\n')) as Out;
    };
    const free = await generate();
    expect(free.options.novelty).toBeNull();
    expect(free.posts.every((p) => p.novel === null && p.draws === 1)).toBe(true);
    // The unfiltered posts become the "training posts": the first draw of each post now copies one of them.
    const posts = path.join(dir, 'written.jsonl');
    await fsp.writeFile(posts, free.posts.map((p) => JSON.stringify({ text: p.text })).join('\n') + '\n');
    const checked = await generate('--input', posts);
    expect(checked.options.novelty).toBe(6);
    const filter = new NoveltyFilter(await readInputWords(posts, undefined), 6);
    for (const p of checked.posts) expect(p.novel).toBe(filter.isNovel(p.text.split(' ')));
    expect(checked.posts.every((p) => p.draws > 1)).toBe(true);
    expect(checked.posts.filter((p) => p.novel).length).toBeGreaterThan(0);
    // A missing --input file: one line naming it, exit 1, before any model is read.
    const { io, err } = sinks();
    expect(await main(['generate', '--model', report, '--input', path.join(dir, 'nope.jsonl')], io)).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/nope\.jsonl/);
  });

  it('rejects bad flags with one clear line', async () => {
    const { io, err } = sinks();
    expect(await main(['run', '--models', '1,5'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/--models/);
    const second = sinks();
    expect(await main(['run', '--preset', 'huge'], second.io)).toBe(2);
    expect(second.err.join('\n')).toMatch(/--preset/);
    const third = sinks();
    expect(await main(['run', '--quick', '--input', path.join(dir, 'missing.csv'), '--backend', 'cpu'], third.io)).toBe(1);
    expect(third.err.join('\n')).toMatch(/missing\.csv/);
  });

  it('a corpus whose words are all rarer than the preset\'s minimum count names the file and the cause', async () => {
    const rare = path.join(dir, 'rare.csv');
    await fsp.writeFile(rare, 'id,text\n1,"alpha beta gamma delta"\n2,"epsilon zeta eta theta"\n3,"iota kappa lambda mu"\n');
    const { io, err } = sinks();
    expect(await main(['run', '--quick', '--input', rare, '--out', path.join(dir, 'rare-out'), '--seq-length', '2', '--backend', 'cpu'], io)).toBe(1);
    const errors = err.filter((l) => l.startsWith('tweetlab run:'));
    expect(errors).toEqual([
      `tweetlab run: ${rare}: no word occurs at least 3 times in the training posts (minimum count 3 of preset "quick"), so the vocabulary is empty; use a larger corpus, or --preset report (minimum count 1)`,
    ]);
  });
});
