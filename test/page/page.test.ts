import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TweetlabError } from '../../src/errors.js';
import { pageScripts } from '../../src/page/bundle.js';
import { renderFacts } from '../../src/page/html.js';
import { buildPagePayload, writeModelPage } from '../../src/page/page.js';
import type { PageInfo } from '../../src/page/protocol.js';
import { fixtureModel, type FixtureModel } from './fixture.js';

const HOSTILE_WORD = '</script><img src=x onerror="window.pwned=1">';
const HOSTILE_TITLE = '<b>bold</b> & "quotes"';

/** Any way a page could reach the network: a URL with a host, or an API that fetches. */
const NETWORK = /https?:\/\/[\w-]+(\.[\w-]+)+|\bfetch\(|XMLHttpRequest|importScripts|WebSocket|EventSource|sendBeacon/;

let fixture: FixtureModel;

beforeAll(async () => {
  fixture = await fixtureModel('unit');
  // A hostile "training word", as if the vocabulary came from untrusted posts.
  const file = path.join(fixture.dir, 'vocab.json');
  const vocab = JSON.parse(await fsp.readFile(file, 'utf8')) as { words: string[] };
  vocab.words[5] = HOSTILE_WORD;
  await fsp.writeFile(file, JSON.stringify(vocab));
});

describe('writeModelPage', () => {
  it('writes one index.html holding the weights, vocabulary, lengths and training-run hashes', async () => {
    const outDir = path.join(path.dirname(fixture.dir), 'page');
    const written = await writeModelPage({ modelDir: fixture.dir, outDir, trainingPosts: fixture.posts, title: HOSTILE_TITLE });
    expect(written.file).toBe(path.join(outDir, 'index.html'));
    const html = await fsp.readFile(written.file, 'utf8');
    expect(Buffer.byteLength(html)).toBe(written.bytes);
    expect(written.precision).toBe('float32');
    expect(written.runs).toBeGreaterThan(100);
    expect(written.runBytes).toBeGreaterThan(0);
    const payload = JSON.parse(/<script id="tweetlab-payload" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(payload.model).toEqual({ layers: 2, hidden: 16, embedding: 8, vocabSize: fixture.vocab.words.length });
    expect(payload.vocab.words[5]).toBe(HOSTILE_WORD);
    expect(Object.values(payload.wordsPerPost as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(fixture.posts.length);
    expect(payload.info).toMatchObject({ variant: 1, dataset: 2, epochs: 4, precision: 'float32' });
    expect(payload.info.metrics.perplexity).toBeCloseTo(Math.exp(1.5), 10);
  });

  it('puts hostile words and titles in as text, never markup', async () => {
    const outDir = path.join(path.dirname(fixture.dir), 'page-hostile');
    const { file } = await writeModelPage({ modelDir: fixture.dir, outDir, title: HOSTILE_TITLE });
    const html = await fsp.readFile(file, 'utf8');
    // Exactly the page's own three script elements end: the payload, the UI — the hostile word ends none.
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html.includes('<img')).toBe(false);
    expect(html.includes('<b>bold')).toBe(false);
    expect(html).toContain('<h1>&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot;</h1>');
    expect(html).toContain('\\u003c/script\\u003e\\u003cimg');
  });

  it('makes no network request: no URL with a host, no fetching API, and a CSP that forbids connections', async () => {
    const scripts = await pageScripts();
    expect(scripts.ui).not.toMatch(NETWORK);
    expect(scripts.worker).not.toMatch(NETWORK);
    const { file } = await writeModelPage({ modelDir: fixture.dir, outDir: path.join(path.dirname(fixture.dir), 'page-net') });
    const html = await fsp.readFile(file, 'utf8');
    expect(NETWORK.test(html)).toBe(false);
    // No element loads anything (the hostile word's "src=" sits escaped inside the JSON payload).
    expect(/<[a-z][^>]*\s(?:src|href)\s*=/i.test(html)).toBe(false);
    expect(html).toContain("connect-src 'none'");
  });

  it('ships float16 and int8 weights in a smaller page', async () => {
    const sizes: number[] = [];
    for (const precision of ['float32', 'float16', 'int8'] as const) {
      const payload = await buildPagePayload({ modelDir: fixture.dir, outDir: '', precision });
      expect(payload.info.precision).toBe(precision);
      sizes.push(payload.weights.data.length + (payload.weights.scales?.length ?? 0));
    }
    expect(sizes[1]!).toBeLessThan(sizes[0]! * 0.55);
    expect(sizes[2]!).toBeLessThan(sizes[1]!);
  });

  it('names the folder of a model it cannot read', async () => {
    const missing = path.join(path.dirname(fixture.dir), 'nope');
    await expect(writeModelPage({ modelDir: missing, outDir: missing })).rejects.toThrow(TweetlabError);
    await expect(writeModelPage({ modelDir: missing, outDir: missing })).rejects.toThrow(/nope/);
    await expect(
      buildPagePayload({ modelDir: fixture.dir, outDir: '', precision: 'float8' as 'int8' }),
    ).rejects.toThrow(/precision must be one of float32, float16, int8/);
  });
});

describe('renderFacts', () => {
  const info: PageInfo = {
    title: 't', dataset: 1, variant: 2, epochs: 6, layers: 2, hidden: 128, embedding: 64, vocabSize: 2600,
    metrics: { perplexity: 181.234, baselinePerplexity: 203.5 }, precision: 'float16', cliHint: '', temperature: 1, topP: 1,
  };

  it('states the model, its perplexity against the baseline, and the precision', () => {
    expect(renderFacts(info)).toBe(
      'Model variant 2, dataset variant 1, 6 epochs · 2 × 128 LSTM, embedding 64, 2,600 words · weights float16 · held-out perplexity 181.2 (Kneser–Ney 3-gram: 203.5)',
    );
    expect(renderFacts({ ...info, metrics: { perplexity: 50, baselinePerplexity: 60, baselineName: '<i>3-gram</i>' } })).toContain('&lt;i&gt;3-gram');
  });
});
