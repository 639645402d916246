#!/usr/bin/env node
// The tslab kernel as the project's Jupyter starts it (scripts/jupyter-env.mjs writes the kernel spec):
//   node scripts/tslab-kernel.cjs CONNECTION_FILE
// It is tslab's own kernel with two changes: which cells an error cancels, and how messages are sent.
//
// tslab, after a cell fails, cancels every execute request that reaches it within the next 200 ms, whoever sent
// it and whenever. A Jupyter client that runs cells one by one (nbclient, nbconvert --allow-errors, a test
// driver, a fast student) sends the next cell as soon as the failed one replies, so that cell and all the
// following ones come back "aborted" with no output at all. Here, as in Python's kernel, a failed cell cancels
// only the requests sent before it failed (a "Run all" queue), and none when its request said
// `stop_on_error: false`.
//
// How it sends: tslab sends every message (outputs, display updates, status) with zeromq's
// send() without waiting for the previous one, and zeromq throws "Socket is busy writing" (EBUSY) when one is
// still under way, which happens when Jupyter reads slowly (a loaded machine, a busy browser). The throw came
// out of whatever wrote to the cell: a live chart's update ended the training it showed, and the error text, the
// cell's "idle" status and the outputs after it were lost too. Here each socket sends one message after the
// other; a display update still waiting to go is replaced by a newer update of the same display.
'use strict';
const path = require('node:path');

const tslabDist = path.join(path.dirname(require.resolve('tslab/package.json')), 'dist');
const jupyter = require(path.join(tslabDist, 'jupyter.js'));
const { startKernel } = require(path.join(tslabDist, 'main.js'));

/** Where the time a request was sent (its header's date, in ms) is kept on its content. */
const SENT_AT = Symbol('tweetlab.sentAt');
/** Per handler: the tail of the execute queue and when the last stopping error happened. */
const STATE = Symbol('tweetlab.executeState');

/** The time a Jupyter message was sent, from its header (ISO date), or now when it has none. */
function sentAt(header) {
  const t = header && typeof header.date === 'string' ? Date.parse(header.date) : NaN;
  return Number.isFinite(t) ? t : Date.now();
}

/**
 * $TWEETLAB_KERNEL_LOG: a file that gets one line per execute request (status, seconds, first line of code) and
 * the cell's stderr text, to see what a kernel did when a client lost track of it.
 */
function kernelLog() {
  const file = process.env.TWEETLAB_KERNEL_LOG;
  if (!file) return null;
  const fs = require('node:fs');
  return (line) => fs.appendFileSync(file, `${new Date().toISOString()} ${process.pid} ${line}\n`);
}

/** Runs one execute request after the ones before it; the shape of tslab's reply ({status, execution_count}). */
async function executeOne(handler, state, req, writeStream, writeDisplayData) {
  if (req[SENT_AT] < state.failedAt) return { status: 'abort', execution_count: undefined };
  const log = kernelLog();
  const started = Date.now();
  const stream = log ? (name, text) => (name === 'stderr' && log(`stderr: ${text.trimEnd()}`), writeStream(name, text)) : writeStream;
  const reply = await executeCode(handler, state, req, stream, writeDisplayData);
  log?.(`${reply.status} after ${((Date.now() - started) / 1000).toFixed(1)} s: ${String(req.code).split('\n', 1)[0]}`);
  return reply;
}

async function executeCode(handler, state, req, writeStream, writeDisplayData) {
  try {
    const count = await handler.handleExecuteImpl(req, writeStream, writeDisplayData);
    return { status: 'ok', execution_count: count.count };
  } catch (e) {
    if (req.stop_on_error !== false) state.failedAt = Date.now();
    // tslab throws its ExecutionCount when the code failed (the error is already printed to the cell).
    if (e && typeof e.count === 'number') return { status: 'error', execution_count: e.count };
    console.error('unexpected error:', e);
    return { status: 'error', execution_count: undefined };
  }
}

/** The display an update_display_data message updates, or null for any other message. */
function updatedDisplay(frames) {
  const at = frames.findIndex((f) => String(f) === '<IDS|MSG>');
  if (at < 0) return null;
  try {
    const header = JSON.parse(String(frames[at + 2]));
    if (header.msg_type !== 'update_display_data') return null;
    const content = JSON.parse(String(frames[at + 5]));
    return content.transient && content.transient.display_id ? String(content.transient.display_id) : null;
  } catch {
    return null;
  }
}

/** `send` made to queue: one message at a time, in order, never throwing at the caller. */
function inTurn(send) {
  const queue = [];
  let busy = false;
  async function pump() {
    busy = true;
    while (queue.length > 0) {
      const { frames } = queue.shift();
      try {
        await send(frames);
      } catch (e) {
        const log = kernelLog();
        if (log) log(`send failed: ${e && e.message}`);
      }
    }
    busy = false;
  }
  return (frames) => {
    // Only a message that has to wait can be merged with (or later replaced by) another.
    const display = busy ? updatedDisplay(frames) : null;
    const waiting = display === null ? undefined : queue.find((m) => m.display === display);
    if (waiting) waiting.frames = frames;
    else queue.push({ frames, display });
    if (!busy) void pump();
    return Promise.resolve();
  };
}

/**
 * zeromq's Socket.prototype.send, queued per socket (the sockets themselves are frozen). Not for Reply sockets
 * (the heartbeat): a Reply socket must answer before it receives again.
 */
function sendSocketsInTurn() {
  const zmq = require(require.resolve('zeromq', { paths: [tslabDist] }));
  let owner = zmq.Socket.prototype;
  while (owner && !Object.prototype.hasOwnProperty.call(owner, 'send')) owner = Object.getPrototypeOf(owner);
  if (!owner) return;
  const original = owner.send;
  const queued = new WeakMap();
  Object.defineProperty(owner, 'send', {
    configurable: true,
    writable: true,
    value: function send(frames) {
      if (this instanceof zmq.Reply) return original.call(this, frames);
      if (!queued.has(this)) queued.set(this, inTurn((f) => original.call(this, f)));
      return queued.get(this)(frames);
    },
  });
}

function patch() {
  sendSocketsInTurn();
  const server = jupyter.ZmqServer.prototype;
  const handleExecuteMsg = server.handleExecute;
  server.handleExecute = function (sock, msg) {
    if (msg.content && typeof msg.content === 'object') msg.content[SENT_AT] = sentAt(msg.header);
    return handleExecuteMsg.call(this, sock, msg);
  };
  jupyter.JupyterHandlerImpl.prototype.handleExecute = function (req, writeStream, writeDisplayData) {
    if (!this[STATE]) this[STATE] = { tail: Promise.resolve(), failedAt: -Infinity };
    const state = this[STATE];
    if (req[SENT_AT] === undefined) req[SENT_AT] = Date.now();
    const result = state.tail.then(() => executeOne(this, state, req, writeStream, writeDisplayData));
    state.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  };
}

module.exports = { patch, sentAt, inTurn };

if (require.main === module) {
  const configPath = process.argv[2];
  if (!configPath) {
    process.stderr.write('usage: node scripts/tslab-kernel.cjs CONNECTION_FILE\n');
    process.exit(2);
  }
  patch();
  const { version } = require('tslab/package.json');
  startKernel({ configPath, enableFindLocal: false, jsKernel: false, globalVersion: version });
}
