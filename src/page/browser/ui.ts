/**
 * The page's main thread: reads the controls, runs generation in a Web Worker started from a Blob URL (so the
 * page works from file://), shows words as they stream in and stops a run by terminating the worker. Every
 * word and post goes into the page as text (textContent), never as markup: posts are untrusted.
 */
import { COPY_RUN } from '../ngrams.js';
import type { FromWorker, GenerateSettings, PagePayload, ToWorker } from '../protocol.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const payload = JSON.parse(byId('tweetlab-payload').textContent ?? '{}') as PagePayload;

const form = byId<HTMLFormElement>('controls');
const stopButton = byId<HTMLButtonElement>('stop');
const goButton = byId<HTMLButtonElement>('go');
const statusLine = byId('status');
const unknownLine = byId('unknown');
const list = byId<HTMLOListElement>('posts');
const temperature = byId<HTMLInputElement>('temperature');
const temperatureOut = byId<HTMLOutputElement>('temperature-value');
const lengthMode = byId<HTMLSelectElement>('length-mode');
const lengthInput = byId<HTMLInputElement>('length');
const newOnly = byId<HTMLInputElement>('new-only');

const STOPPED = 'Stopped.';
const MAX_POSTS = 1000;
/** Worker events handled per animation frame, so a fast model never floods the page. */
const EVENTS_PER_FRAME = 1500;
let worker: Worker | null = null;
let ready = false;
let running = false;
let queued: GenerateSettings | null = null;
let rejected = 0;
const items = new Map<number, { li: HTMLLIElement; text: HTMLSpanElement }>();

function setStatus(text: string): void {
  statusLine.textContent = text;
}

function setRunning(on: boolean): void {
  running = on;
  stopButton.disabled = !on;
  goButton.disabled = on;
}

function startWorker(): void {
  const url = URL.createObjectURL(new Blob([payload.workerSource], { type: 'text/javascript' }));
  worker = new Worker(url);
  URL.revokeObjectURL(url);
  ready = false;
  worker.onmessage = (e: MessageEvent<FromWorker>) => enqueue(e.data);
  worker.onerror = (e) => {
    setRunning(false);
    setStatus(`The generator failed: ${e.message}`);
  };
  const { model, weights, kernels, vocab, wordsPerPost, runs, endScale } = payload;
  // Typed, so a field the worker reads cannot be left out of the message (postMessage takes anything).
  const init: ToWorker = { type: 'init', payload: { model, weights, kernels, vocab, wordsPerPost, runs, endScale } };
  worker.postMessage(init);
}

function itemFor(post: number): { li: HTMLLIElement; text: HTMLSpanElement } {
  let item = items.get(post);
  if (!item) {
    const li = document.createElement('li');
    li.className = 'post writing';
    const text = document.createElement('span');
    text.className = 'text';
    li.append(text);
    list.append(li);
    item = { li, text };
    items.set(post, item);
  }
  return item;
}

function finishPost(m: Extract<FromWorker, { type: 'post' }>): void {
  const item = itemFor(m.post);
  item.text.textContent = m.text;
  if (!m.kept) {
    item.li.remove();
    rejected++;
    return;
  }
  item.li.classList.remove('writing');
  if (m.copied) {
    const note = document.createElement('span');
    note.className = 'copied';
    const run = `“${m.copied.words.join(' ')}”`;
    // Runs are checked up to COPY_RUN words, the memorisation threshold: reaching it means that many or more.
    note.textContent =
      m.copied.length === 0
        ? 'no word run found in a training post'
        : m.copied.length >= COPY_RUN
          ? `copies ${COPY_RUN} or more consecutive words of a training post: ${run}`
          : `longest run also in a training post: ${m.copied.length} word${m.copied.length === 1 ? '' : 's'} — ${run}`;
    item.li.append(note);
  }
}

let pending: FromWorker[] = [];
let head = 0;
let scheduled = false;

function enqueue(m: FromWorker): void {
  if (m.type === 'batch') pending.push(...m.events);
  else pending.push(m);
  if (!scheduled) {
    scheduled = true;
    requestAnimationFrame(drain);
  }
}

function drain(): void {
  scheduled = false;
  const end = Math.min(pending.length, head + EVENTS_PER_FRAME);
  while (head < end) onMessage(pending[head++] as FromWorker);
  if (head < pending.length) {
    scheduled = true;
    requestAnimationFrame(drain);
  } else {
    pending = [];
    head = 0;
  }
}

function onMessage(m: FromWorker): void {
  if (m.type === 'ready') {
    ready = true;
    if (queued) run(queued);
    else if (statusLine.textContent !== STOPPED) setStatus('Model loaded. Press “Write posts”.');
  } else if (m.type === 'unknown') {
    unknownLine.textContent = m.words.length === 0 ? '' : `Not in the model's vocabulary (fed as <unk>): ${m.words.join(', ')}`;
  } else if (m.type === 'batch') {
    for (const e of m.events) onMessage(e);
  } else if (m.type === 'word') {
    const item = itemFor(m.post);
    item.text.textContent = item.text.textContent ? `${item.text.textContent} ${m.word}` : m.word;
  } else if (m.type === 'post') finishPost(m);
  else if (m.type === 'done') {
    setRunning(false);
    const skipped = rejected > 0 ? `; ${rejected} that copied ${COPY_RUN}+ words of a training post were left out` : '';
    setStatus(`Done: ${m.kept} post${m.kept === 1 ? '' : 's'}${skipped}.`);
  } else {
    setRunning(false);
    setStatus(`Error: ${m.message}`);
  }
}

function readSettings(): GenerateSettings {
  const num = (id: string, fallback: number) => {
    const v = Number(byId<HTMLInputElement>(id).value);
    return Number.isFinite(v) ? v : fallback;
  };
  return {
    start: byId<HTMLInputElement>('start').value,
    temperature: num('temperature', 1),
    topK: Math.max(0, Math.round(num('top-k', 0))),
    topP: num('top-p', 1),
    length: lengthMode.value === 'fixed' ? Math.max(1, Math.round(num('length', 12))) : null,
    count: Math.min(MAX_POSTS, Math.max(1, Math.round(num('count', 5)))),
    seed: Math.max(0, Math.round(num('seed', 1))),
    newOnly: newOnly.checked,
  };
}

function run(settings: GenerateSettings): void {
  list.replaceChildren();
  items.clear();
  rejected = 0;
  setRunning(true);
  if (!ready || !worker) {
    queued = settings;
    setStatus('Loading the model…');
    return;
  }
  queued = null;
  setStatus('Writing…');
  worker.postMessage({ type: 'generate', settings });
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  if (!running) run(readSettings());
});
stopButton.addEventListener('click', () => {
  worker?.terminate();
  queued = null;
  pending = [];
  head = 0;
  setRunning(false);
  for (const item of items.values()) if (item.li.classList.contains('writing')) item.li.remove();
  setStatus(STOPPED);
  startWorker();
});
temperature.addEventListener('input', () => {
  temperatureOut.textContent = temperature.value;
});
lengthMode.addEventListener('change', () => {
  lengthInput.disabled = lengthMode.value !== 'fixed';
});
lengthInput.disabled = lengthMode.value !== 'fixed';
startWorker();
