import * as path from 'node:path';
import { UsageError } from '../errors.js';
import { DEFAULT_CORPORA, DEFAULT_MAX_POSTS, runCorporaJob } from '../report/corpora.js';
import { sotuSizes } from '../sources/sotu.js';
import { intFlag, parseFlags, toJson, type CliIO, type Command } from './common.js';

const usage = `Usage: tweetlab corpora [SPEC …] [--quick] [--seed N] [--max-posts N] [--backend B] [--out DIR] [--json]
       tweetlab corpora --presidents [--json]

Trains tweetlab's own model (at its default settings, none of the report's models) on each corpus and scores it,
alone and mixed with the Kneser–Ney 3-gram, against the 3-gram: whole held-out posts and the report's windows.
Writes DIR/corpora.json and DIR/corpora.md after every corpus (DIR/runs/ keeps each corpus's model).
A corpus that cannot be read (a missing file, an uninstalled package) is skipped with its reason.

Corpora (SPEC; default: ${DEFAULT_CORPORA.map((s) => `"${s}"`).join(', ')}):
  sotu:NAME             a president's State of the Union sentences ≤ 280 characters ("sotu:Harry S Truman")
  fortune:PATH          a fortune file or folder, entries ≤ 280 characters (Russian: apt-get install fortunes-ru)
  FILE                  a posts file (.csv, .jsonl) or Twitter archive, as tweetlab run --input

Flags:
  --presidents          list every president with posts and words (those with ≥ 2,000 posts marked) and exit
  --quick               the quick preset (tiny model, 2 epochs: a smoke run)
  --seed N              base seed (default 42, as tweetlab run)
  --max-posts N         a corpus with more posts is cut to a seeded sample of N; 0 = never (default ${DEFAULT_MAX_POSTS},
                        the most posts X returns of a timeline)
  --backend B           engine (default auto)
  --out DIR             output folder (default out/corpora)
  --json                print corpora.json's content: {"command","date","engine","backend","preset","seed",
                        "maxPosts","load":{start,end},"cpus","node","own","rows":[{spec, corpus, posts,
                        availablePosts, trainPosts, heldOutPosts, words, vocabulary, unknownShare,
                        targets:{posts, windows}, kn3:{postPerplexity, windowedPerplexity}, lstm:{postPerplexity, postRatio,
                        windowedPerplexity, windowedRatio}, mixture:{…, lambda}|null, bestEpoch, epochs,
                        trainSeconds, seconds, seeds, engine}], "skipped":[{spec, reason}]}`;

/** Enough text for issue 11: an account of at least this many posts. */
const ENOUGH_POSTS = 2000;

function listPresidents(io: CliIO, json: boolean): number {
  const sizes = sotuSizes();
  if (json) {
    io.out(toJson(sizes.map((s) => ({ ...s, enough: s.posts >= ENOUGH_POSTS }))));
    return 0;
  }
  io.out(`${'president'.padEnd(26)} ${'posts'.padStart(6)} ${'words'.padStart(8)}`);
  for (const s of sizes) io.out(`${s.president.padEnd(26)} ${String(s.posts).padStart(6)} ${String(s.words).padStart(8)}${s.posts >= ENOUGH_POSTS ? '  ≥ 2,000 posts' : ''}`);
  return 0;
}

const fmt = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '–');

export const command: Command = {
  name: 'corpora',
  summary: "tweetlab's model against the 3-gram on other corpora (other presidents, Russian fortunes)",
  usage,
  async run(argv, io) {
    const flags = parseFlags('corpora', argv, {
      presidents: { type: 'boolean' }, quick: { type: 'boolean' }, seed: { type: 'string' }, 'max-posts': { type: 'string' },
      backend: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
    });
    const json = flags.bool('json');
    if (flags.bool('presidents')) return listPresidents(io, json);
    const specs = flags.positionals.length > 0 ? flags.positionals : undefined;
    if (specs?.some((s) => s.trim() === '')) throw new UsageError('corpora: an empty corpus spec was given');
    const say = json ? io.err : io.out;
    const argsText = argv.filter((a) => a !== '--json').map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ');
    const { result, files } = await runCorporaJob(
      {
        command: `tweetlab corpora${argsText ? ` ${argsText}` : ''}`,
        ...(specs ? { specs } : {}),
        preset: flags.bool('quick') ? 'quick' : 'default',
        ...(flags.str('seed') === undefined ? {} : { seed: intFlag('corpora', flags.str('seed'), 'seed', 0, 0, 0xffffffff) }),
        maxPosts: intFlag('corpora', flags.str('max-posts'), 'max-posts', DEFAULT_MAX_POSTS, 0, 10_000_000),
        ...(flags.str('backend') === undefined ? {} : { backend: flags.str('backend') }),
        outDir: flags.str('out') ?? path.join('out', 'corpora'),
      },
      {
        log: (line) => say(`  ${line}`),
        onBackend: (backend, engine, reason) => say(`backend: ${backend} (engine ${engine}; ${reason})`),
        onCorpus: (spec, corpus) => say(`${spec}: ${corpus.posts.length} posts`),
        onOwnEpoch: (e) => say(`  epoch ${e.epoch} · loss ${e.loss.toFixed(4)} · development perplexity ${fmt(e.valPerplexity ?? Number.NaN, 1)}${e.best ? ' (best)' : ''}${e.noised ? ' · noised' : ''} · ${e.seconds.toFixed(1)} s`),
        onRow: (r) => say(`${r.corpus}: 3-gram ${fmt(r.kn3.postPerplexity, 1)} · LSTM ${fmt(r.lstm.postPerplexity, 1)} (${fmt(r.lstm.postRatio, 2)}×) · mixture ${fmt(r.mixture?.postPerplexity ?? Number.NaN, 1)} (${fmt(r.mixture?.postRatio ?? Number.NaN, 2)}×) on whole posts`),
        onSkip: (s) => io.err(`skipped ${s.spec}: ${s.reason}`),
      },
    );
    if (json) io.out(toJson(result));
    else io.out(`written to ${path.relative(process.cwd(), files.markdown) || files.markdown} and ${path.relative(process.cwd(), files.json) || files.json}`);
    if (result.rows.length > 0) return 0;
    io.err('corpora: no corpus could be measured (see the skipped lines above)');
    return 1;
  },
};
