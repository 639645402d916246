import * as path from 'node:path';
import { runAblation } from '../pipeline/ablation.js';
import { resolvePipelineConfig } from '../pipeline/config.js';
import { prepareRun } from '../pipeline/prepare.js';
import { startModelBackend } from '../pipeline/train.js';
import { modelSpec } from '../model/experiment.js';
import type { AblationResult, AblationRow } from '../pipeline/ablation-types.js';
import { writeJsonAtomic } from '../util/fs.js';
import { intFlag, parseFlagsOnly, toJson, type Command } from './common.js';
import { INPUT_FLAGS, INPUT_USAGE, readInputCorpus } from './input.js';

const usage = `Usage: tweetlab ablation [--input F] [--text-column C] [--quick] [--seed N] [--bpe-merges N]
                         [--backend B] [--out FILE] [--json]

Trains tweetlab's own model once per technique, adding one at a time (tied embeddings, each dropout, weight
decay and clipping, the learning-rate schedule, the weight average, the Kneser–Ney noising), then its mixture
with the Kneser–Ney 3-gram and the same model on BPE tokens; scores each on the held-out posts (whole posts and
the report's windows) against the 3-gram. Development posts pick each best epoch and the mixture weight; the
held-out posts are never tuned on. Ten trainings: about 30 minutes on two cores for the default corpus. Show it
in a run's report with tweetlab run --ablation FILE.

Flags:
${INPUT_USAGE}
  --quick               tiny model and 2 epochs (a smoke run)
  --seed N              base seed (default 42: the same split as tweetlab run)
  --bpe-merges N        merges of the BPE row; 0 leaves it out (default 2000)
  --backend B           engine (default auto)
  --out FILE            where the table goes (default out/ablation.json)
  --json                print {"command", "date", "engine", "corpus", "rows": [{step, postPerplexity, postRatio,
                        windowedPerplexity, windowedRatio, bestEpoch, seconds}]}`;

const fmt = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '—');

export function ablationLine(r: AblationRow): string {
  return `${r.step.padEnd(62)} ${fmt(r.postPerplexity).padStart(7)} ${fmt(r.postRatio, 2).padStart(6)}× ${fmt(r.windowedPerplexity).padStart(7)} ${fmt(r.windowedRatio, 2).padStart(6)}×  epoch ${String(r.bestEpoch).padStart(2)}  ${fmt(r.seconds, 0).padStart(5)} s`;
}

export const command: Command = {
  name: 'ablation',
  summary: "tweetlab's model with each technique added one at a time, against the 3-gram",
  usage,
  async run(argv, io) {
    const flags = parseFlagsOnly('ablation', argv, {
      ...INPUT_FLAGS, quick: { type: 'boolean' }, seed: { type: 'string' }, 'bpe-merges': { type: 'string' },
      backend: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
    });
    const seed = flags.str('seed') === undefined ? undefined : intFlag('ablation', flags.str('seed'), 'seed', 0, 0, 0xffffffff);
    const cfg = resolvePipelineConfig({ preset: flags.bool('quick') ? 'quick' : 'default', ...(seed === undefined ? {} : { seed }) });
    const bpeMerges = flags.str('bpe-merges') === undefined ? 2000 : intFlag('ablation', flags.str('bpe-merges'), 'bpe-merges', 0, 0, 100_000);
    const out = path.resolve(flags.str('out') ?? path.join('out', 'ablation.json'));
    const corpus = await readInputCorpus(flags.str('input'), flags.str('text-column'));
    const backend = await startModelBackend(flags.str('backend'));
    const x = cfg.experiment;
    const prepared = prepareRun(corpus, {
      seqLength: x.seqLength, validationShare: x.validationShare, minCount: x.minCount, devShare: cfg.own.devShare,
      require: [...new Set(x.models.map((n) => modelSpec(n).dataset))], seed: x.seed,
    });
    const say = flags.bool('json') ? io.err : io.out;
    say(`ablation on ${corpus.source.name}, engine ${backend.engine}: ${prepared.trainPosts.length} training posts, ${prepared.validationPosts.length} held out`);
    say(`${'technique'.padEnd(62)} ${'posts'.padStart(7)} ${'×3-gram'.padStart(7)} ${'windows'.padStart(7)} ${'×3-gram'.padStart(7)}`);
    const rows = await runAblation(prepared, backend.instance, { full: cfg.own, bpeMerges, seed: x.seed, onRow: (r) => say(ablationLine(r)) });
    const argsText = argv.filter((a) => a !== '--json').join(' ');
    const result: AblationResult = {
      command: `tweetlab ablation${argsText ? ` ${argsText}` : ''}`, date: new Date().toISOString(), engine: backend.engine, corpus: corpus.source.name, rows,
    };
    await writeJsonAtomic(out, result);
    if (flags.bool('json')) io.out(toJson(result));
    else io.out(`written to ${path.relative(process.cwd(), out) || out}`);
    return 0;
  },
};
