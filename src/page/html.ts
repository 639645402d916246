import { escapeHtml, jsonForScript } from '../viz/html.js';
import type { PageInfo, PagePayload } from './protocol.js';

/**
 * The page's HTML: static markup with every model fact escaped, the payload as inert JSON, the UI script
 * inline. No external resource of any kind, so it opens from file:// with no network request; the CSP says so
 * to the browser too (workers only from blob:, no connections).
 */

const CSS = `
:root { color-scheme: light dark; --accent: #2b6cb0; }
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 52rem; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 0.25rem; }
.facts { margin: 0 0 1rem; color: #555; font-size: 0.92rem; }
form { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: 0.75rem 1rem; align-items: end;
  padding: 1rem; border: 1px solid #ccc; border-radius: 0.5rem; }
label { display: flex; flex-direction: column; font-size: 0.85rem; gap: 0.2rem; }
label.wide { grid-column: 1 / -1; }
label.check { flex-direction: row; align-items: center; gap: 0.4rem; }
input, select, button { font: inherit; }
input[type=text], input[type=number], select { padding: 0.3rem 0.4rem; }
.buttons { display: flex; gap: 0.5rem; grid-column: 1 / -1; }
button { padding: 0.45rem 1rem; border-radius: 0.35rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button#stop { background: transparent; color: var(--accent); }
button:disabled { opacity: 0.5; cursor: default; }
:focus-visible { outline: 3px solid #f6ad55; outline-offset: 2px; }
#status { margin: 0.75rem 0 0.25rem; font-size: 0.9rem; }
#unknown { color: #b7791f; font-size: 0.9rem; margin: 0; }
ol#posts { padding-left: 1.5rem; }
li.post { margin: 0.5rem 0; }
li.post .text { display: block; font-size: 1.05rem; }
li.post.writing .text::after { content: "▍"; color: var(--accent); }
li.post .copied { display: block; color: #666; font-size: 0.8rem; }
details { margin-top: 1.5rem; font-size: 0.9rem; }
code { font-size: 0.88em; }
`;

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(x < 100 ? 2 : 1) : '—';
}

/** One sentence per fact; the caller's strings are escaped here. */
export function renderFacts(info: PageInfo): string {
  const parts = [
    `Model variant ${info.variant}${info.dataset !== null ? `, dataset variant ${info.dataset}` : ''}, ${info.epochs} epoch${info.epochs === 1 ? '' : 's'}`,
    `${info.layers} × ${info.hidden} LSTM, embedding ${info.embedding}, ${info.vocabSize.toLocaleString('en')} words`,
    `weights ${info.precision}`,
  ];
  const m = info.metrics;
  if (m) {
    const base = m.baselinePerplexity !== undefined ? ` (${m.baselineName ?? 'Kneser–Ney 3-gram'}: ${fmt(m.baselinePerplexity)})` : '';
    parts.push(`held-out perplexity ${fmt(m.perplexity)}${base}`);
  }
  return escapeHtml(parts.join(' · '));
}

/** The settings form; temperature, top-p and the length choices start as `tweetlab generate` writes with this model. */
function controls(hasLengths: boolean, hasRuns: boolean, sampling: { temperature: number; topP: number }, endOfPost: boolean): string {
  const { temperature, topP } = sampling;
  const drawn = endOfPost ? 'until the model ends the post' : 'drawn from posts';
  return `<form id="controls" aria-label="Generation settings">
  <label class="wide">Start words (optional)<input id="start" type="text" autocomplete="off" placeholder="a random word from the vocabulary"></label>
  <label>Temperature <output id="temperature-value" for="temperature">${temperature}</output><input id="temperature" type="range" min="0" max="2" step="0.05" value="${temperature}"></label>
  <label>Top-k (0 = all words)<input id="top-k" type="number" min="0" step="1" value="0"></label>
  <label>Top-p (1 = off)<input id="top-p" type="number" min="0.05" max="1" step="0.05" value="${topP}"></label>
  <label>Length<select id="length-mode">${hasLengths ? `<option value="drawn" selected>${drawn}</option>` : ''}<option value="fixed"${hasLengths ? '' : ' selected'}>fixed</option></select></label>
  <label>Fixed length (words)<input id="length" type="number" min="1" max="200" step="1" value="12"></label>
  <label>Posts<input id="count" type="number" min="1" max="1000" step="1" value="5"></label>
  <label>Seed<input id="seed" type="number" min="0" step="1" value="1"></label>
  <label class="check"><input id="new-only" type="checkbox"${hasRuns ? '' : ' disabled'}> New posts only${hasRuns ? '' : ' (needs the training posts: <code>--input</code>)'}</label>
  <div class="buttons"><button id="go" type="submit">Write posts</button><button id="stop" type="button" disabled>Stop</button></div>
</form>`;
}

/** The whole page. `uiScript` is the bundled UI (esbuild escapes any "</script" inside its strings). */
export function renderPage(payload: PagePayload, uiScript: string): string {
  const { info } = payload;
  const csp = "default-src 'none'; script-src 'unsafe-inline' 'wasm-unsafe-eval' blob:; worker-src blob:; style-src 'unsafe-inline'; img-src data:; connect-src 'none'";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>${escapeHtml(info.title)} — tweetlab</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(info.title)}</h1>
<p class="facts" id="facts">${renderFacts(info)}</p>
${controls(payload.wordsPerPost !== null, payload.runs !== null, info, payload.endScale !== null)}
<p id="status" role="status" aria-live="polite">Loading the model…</p>
<p id="unknown" aria-live="polite"></p>
<ol id="posts" aria-label="Generated posts"></ol>
<details><summary>About this page</summary>
<p>Everything runs in this browser: the model's weights are inside this file and a Web Worker writes the posts
with tweetlab's own WebAssembly kernels and sampling code, so no server and no network are needed. The same
settings and seed give the same posts as <code>${escapeHtml(info.cliHint)}</code>. Words the model never saw are
fed as <code>&lt;unk&gt;</code>. “New posts only” leaves out posts that copy 6 or more consecutive words of a
training post (checked against hashes of the training posts' word runs, not the posts themselves).</p>
<p>For another model saved by tweetlab (a folder with <code>model.json</code>, <code>weights.bin</code>,
<code>vocab.json</code>, <code>config.json</code>): <code>tweetlab page --model DIR --out DIR</code>.</p>
</details>
</main>
<script id="tweetlab-payload" type="application/json">${jsonForScript(payload)}</script>
<script>${uiScript}</script>
</body>
</html>
`;
}
