import { createRequire } from 'node:module';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

// scripts/tslab-kernel.cjs: tslab's kernel, where a failed cell cancels only the execute requests sent before it
// failed (and none when the request said stop_on_error: false). Driven here through tslab's own handler class
// with a stand-in executor, so no Jupyter is needed (the e2e test test/e2e/notebook-lab.test.ts drives a real one).
const require = createRequire(__filename);
const repoRoot = path.resolve(__dirname, '..', '..');
type Frames = (string | Buffer)[];
interface Sock {
  send: (frames: Frames) => Promise<void>;
}
const kernel = require(path.join(repoRoot, 'scripts', 'tslab-kernel.cjs')) as { patch: () => void; sentAt: (h: unknown) => number; inTurn: (send: Sock['send']) => Sock['send'] };
const jupyter = require(require.resolve('tslab/dist/jupyter.js', { paths: [repoRoot] })) as {
  JupyterHandlerImpl: new (executor: unknown, isJs: boolean) => Handler;
  ZmqServer: { prototype: { handleExecute: (sock: unknown, msg: unknown) => Promise<void> } };
};

interface Reply {
  status: string;
  execution_count?: number;
}
interface Handler {
  handleExecute(req: Record<string | symbol, unknown>, writeStream: unknown, writeDisplayData: unknown): Promise<Reply>;
}

/** An executor whose cells are "ok", "fail" or "slow-fail" (fails after 30 ms); it records what it ran. */
function fakeExecutor(ran: string[]) {
  return {
    execute: async (code: string) => {
      ran.push(code);
      if (code === 'slow-fail') await new Promise((r) => setTimeout(r, 30));
      return !code.endsWith('fail');
    },
  };
}

// tslab points process.stdout/stderr.write at the cell while a request runs; put them back after each test.
const { write: outWrite } = process.stdout;
const { write: errWrite } = process.stderr;
afterEach(() => {
  process.stdout.write = outWrite;
  process.stderr.write = errWrite;
});

beforeAll(() => kernel.patch());

/** A request as the patched ZmqServer hands it on: its content plus the time it was sent. */
function request(handler: Handler, code: string, sent: number, extra: Record<string, unknown> = {}): Promise<Reply> {
  const req: Record<string | symbol, unknown> = { code, ...extra };
  const msg = { header: { date: new Date(sent).toISOString() }, content: req };
  // The patched ZmqServer.handleExecute stamps the header's date on the content before tslab's own code runs.
  const server = Object.create(jupyter.ZmqServer.prototype) as { handler: Handler; handleExecute: (s: unknown, m: unknown) => Promise<void>; connInfo: unknown };
  let reply: Promise<Reply> | undefined;
  server.connInfo = { key: '' };
  server.handler = { handleExecute: (r, w, d) => (reply = handler.handleExecute(r, w, d)) } as Handler;
  void server.handleExecute(null, { ...msg, createReply: () => ({ header: {}, signAndSend: () => undefined }) });
  if (!reply) throw new Error('the server did not hand the request to the handler');
  return reply;
}

describe('tslab-kernel', () => {
  it('runs a cell sent after a failed cell replied (tslab alone aborted it)', async () => {
    const ran: string[] = [];
    const handler = new jupyter.JupyterHandlerImpl(fakeExecutor(ran), false);
    const failed = await request(handler, 'fail', Date.now() - 5);
    expect(failed.status).toBe('error');
    const next = await request(handler, 'ok-after', Date.now() + 1);
    expect(next).toEqual({ status: 'ok', execution_count: 2 });
    expect(ran).toEqual(['fail', 'ok-after']);
  });

  it('cancels the requests sent before the failure (a "Run all" queue)', async () => {
    const ran: string[] = [];
    const handler = new jupyter.JupyterHandlerImpl(fakeExecutor(ran), false);
    const t0 = Date.now() - 1000;
    const replies = [request(handler, 'slow-fail', t0), request(handler, 'queued-1', t0 + 1), request(handler, 'queued-2', t0 + 2)];
    expect((await Promise.all(replies)).map((r) => r.status)).toEqual(['error', 'abort', 'abort']);
    expect(ran).toEqual(['slow-fail']);
    // The queue is not stuck: the next request runs.
    expect((await request(handler, 'later', Date.now() + 1)).status).toBe('ok');
  });

  it('cancels nothing when the failed request said stop_on_error: false (nbconvert --allow-errors)', async () => {
    const ran: string[] = [];
    const handler = new jupyter.JupyterHandlerImpl(fakeExecutor(ran), false);
    const t0 = Date.now() - 1000;
    const replies = [request(handler, 'slow-fail', t0, { stop_on_error: false }), request(handler, 'queued', t0 + 1)];
    expect((await Promise.all(replies)).map((r) => r.status)).toEqual(['error', 'ok']);
    expect(ran).toEqual(['slow-fail', 'queued']);
  });

  it('reads the time a message was sent from its header, or takes now', () => {
    expect(kernel.sentAt({ date: '2026-12-02T17:29:41.123456Z' })).toBe(Date.parse('2026-12-02T17:29:41.123Z'));
    const before = Date.now();
    expect(kernel.sentAt({})).toBeGreaterThanOrEqual(before);
  });

  it('sends one message at a time, in order, and lets a newer update of a display replace one still waiting', async () => {
    // Like zeromq: a send while another is under way throws EBUSY at the caller.
    const sent: string[] = [];
    let inFlight: (() => void) | null = null;
    const raw: Sock = {
      send: (frames) => {
        if (inFlight) throw Object.assign(new Error('Socket is busy writing'), { code: 'EBUSY' });
        return new Promise<void>((resolve) => {
          inFlight = () => {
            inFlight = null;
            sent.push(label(frames));
            resolve();
          };
        });
      },
    };
    const frames = (type: string, content: object): Frames => [Buffer.from('topic'), Buffer.from('<IDS|MSG>'), 'hmac', JSON.stringify({ msg_type: type }), '{}', '{}', JSON.stringify(content)];
    const label = (f: Frames) => `${JSON.parse(String(f[3])).msg_type}:${JSON.parse(String(f[6])).text}`;
    const update = (id: string, text: string) => frames('update_display_data', { transient: { display_id: id }, text });
    const sock: Sock = { send: kernel.inTurn(raw.send) };
    const flush = async () => {
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setImmediate(r));
        (inFlight as (() => void) | null)?.();
      }
    };
    expect(() => {
      void sock.send(frames('stream', { text: 'a' }));
      void sock.send(update('chart', 'epoch 1'));
      void sock.send(frames('stream', { text: 'b' }));
      void sock.send(update('chart', 'epoch 2'));
      void sock.send(update('other', 'x'));
    }).not.toThrow();
    await flush();
    expect(sent).toEqual(['stream:a', 'update_display_data:epoch 2', 'stream:b', 'update_display_data:x']);
    void sock.send(frames('stream', { text: 'c' }));
    await flush();
    expect(sent[sent.length - 1]).toBe('stream:c');
  });
});
