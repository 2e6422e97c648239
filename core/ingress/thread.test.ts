import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../chat/event.js';
import type { Engine } from '../engine.js';
import { Metrics } from '../metrics.js';
import { IN_FLIGHT, ProcessingThread, serveProcessing } from './thread.js';

/** The processing thread's end of the channel, driven from a MessageChannel in this thread. */
const ports: MessagePort[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

function serve(process: (ev: ChatEvent) => Promise<unknown>) {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const metrics = new Metrics();
  metrics.ingested.inc({ platform: 'web', kind: 'command' }, 3);
  let stopped = false;
  const messages: unknown[] = [];
  let posts = 0;
  port1.on('message', () => posts++);
  // The ready signal comes alone; answers come in batches, one message per turn of the thread's event loop.
  port1.on('message', (m: unknown) => (Array.isArray(m) ? messages.push(...m) : messages.push(m)));
  serveProcessing(port2, { engine: { processAdmitted: (ev: ChatEvent) => process(ev), metrics } as unknown as Engine, stop: async () => void (stopped = true) });
  const next = async (count: number) => {
    while (messages.length < count) await new Promise((r) => setTimeout(r, 5));
    return messages.slice(0, count);
  };
  return { ask: (...qs: object[]) => port1.postMessage(qs), next, stopped: () => stopped, posts: () => posts };
}

const said = (text: string): ChatEvent => ({ platform: 'web', scope: null, actor: { identity: 'web:ann', displayName: 'ann' }, channel: 'web', eventId: text, text });

describe('serveProcessing', () => {
  it('says it is ready, answers each question under its number, and a failure fails only that question', async () => {
    const t = serve(async (ev) => {
      if (ev.text === 'boom') throw new Error('the store is gone');
      // A function cannot be copied to the other thread.
      if (ev.text === 'uncopyable') return { kind: 'done', replies: [{ text: 'x', later: () => 1 }] };
      return { kind: 'done', replies: [{ text: `did ${ev.text}` }] };
    });
    // One batch holding all four, as the HTTP thread sends the questions of one turn.
    t.ask(
      { n: 1, kind: 'process', ev: said('a'), replay: false },
      { n: 2, kind: 'process', ev: said('boom'), replay: false },
      { n: 3, kind: 'process', ev: said('uncopyable'), replay: false },
      { n: 4, kind: 'metrics' },
    );
    const [ready, ...answers] = await t.next(5);
    expect(ready).toEqual({ kind: 'ready' });
    const byN = Object.fromEntries((answers as { n: number }[]).map((a) => [a.n, a]));
    expect(byN[1]).toEqual({ n: 1, ok: true, value: { kind: 'done', replies: [{ text: 'did a' }] } });
    expect(byN[2]).toEqual({ n: 2, ok: false, error: 'the store is gone' });
    expect(byN[3]).toMatchObject({ n: 3, ok: false, error: expect.stringMatching(/could not be cloned/) });
    expect(byN[4]).toMatchObject({ n: 4, ok: true, value: { counters: { crm_ingested_events_total: [['kind="command",platform="web"', 3]] } } });
  });

  it('sends the answers of questions finished in the same turn in one message', async () => {
    const t = serve(async (ev) => ({ kind: 'done', replies: [{ text: `did ${ev.text}` }] }));
    t.ask(...['a', 'b', 'c'].map((text, i) => ({ n: i + 1, kind: 'process', ev: said(text), replay: false })));
    const [, ...answers] = await t.next(4);
    expect(answers).toEqual(['a', 'b', 'c'].map((text, i) => ({ n: i + 1, ok: true, value: { kind: 'done', replies: [{ text: `did ${text}` }] } })));
    // The ready signal, then one batch.
    expect(t.posts()).toBe(2);
  });

  it('starts the questions held in chunks, a chunk a turn, and sends each chunk\'s answers before starting the next', async () => {
    const chunk = IN_FLIGHT / 2;
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    let answered = 0;
    // What had been sent back when each question started, counted as the thread posts it.
    const post = port2.postMessage.bind(port2);
    port2.postMessage = (m: unknown) => {
      if (Array.isArray(m)) answered += m.length;
      post(m);
    };
    const sentBefore: number[] = [];
    serveProcessing(port2, { engine: { processAdmitted: async () => (sentBefore.push(answered), { kind: 'done', replies: [] }) } as unknown as Engine, stop: async () => {} });
    const total = 2 * chunk + 3;
    port1.postMessage(Array.from({ length: total }, (_, i) => ({ n: i + 1, kind: 'process', ev: said(`m${i}`), replay: false })));
    while (answered < total) await new Promise((r) => setTimeout(r, 5));
    expect(sentBefore).toHaveLength(total);
    // Chunk k starts once the k chunks before it were answered, not with all of them at once.
    expect([sentBefore[0], sentBefore[chunk - 1], sentBefore[chunk], sentBefore[2 * chunk - 1], sentBefore[2 * chunk]]).toEqual([0, 0, chunk, chunk, 2 * chunk]);
  });

  it('stops the app when asked, then answers', async () => {
    const t = serve(async () => ({ kind: 'done', replies: [] }));
    t.ask({ n: 1, kind: 'stop' });
    const [, answer] = await t.next(2);
    expect(answer).toEqual({ n: 1, ok: true });
    expect(t.stopped()).toBe(true);
  });
});

describe('ProcessingThread', () => {
  it('sends a question while this thread is still busy with the rest of its turn, so the two threads work at once', async () => {
    const thread = await ProcessingThread.start({ entry: new URL('../../test/fixtures/ingress/arrival-thread.ts', import.meta.url), data: null, onDeath: () => {} });
    try {
      const answer = thread.process(said('hello'), false);
      // The callbacks already queued run first (they may ask more); then this turn goes on with other work.
      for (let i = 0; i < 3; i++) await Promise.resolve();
      const busyUntil = performance.timeOrigin + performance.now() + 300;
      while (performance.timeOrigin + performance.now() < busyUntil);
      const { replies } = (await answer) as { replies: { text: string }[] };
      const arrived = Number(replies[0]!.text);
      expect(arrived).toBeLessThan(busyUntil);
    } finally {
      await thread.stop();
    }
  });
});
