import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../chat/event.js';
import type { Reply } from '../chat/reply.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Store } from '../store/port.js';
import { openSqliteStore } from '../store/sqlite/engine.js';
import { Ingress, type IngressHost } from './ingress.js';

const NOW = Date.parse('2026-06-30T12:00:00.000Z');
const event = (user: string, text: string, eventId: string | null = null): ChatEvent =>
  ({ platform: 'web', scope: null, actor: { identity: `web:${user}`, displayName: user }, channel: 'web', eventId, text });

/** A host whose `process` waits until released, answering with the text it got; what it processed and sent is recorded. */
function host(store: Store) {
  const processed: string[] = [];
  const sent: { platform: string; target: string; reply: Reply; idempotencyKey: string }[] = [];
  let open!: () => void;
  const gate = new Promise<void>((ok) => (open = ok));
  const h: IngressHost<Reply[]> = {
    store,
    log: pino({ level: 'silent' }),
    outbox: {
      sendReplies: async (_tenant: string, m: { platform: string; target: string; replies: Reply[]; key: string }) =>
        void m.replies.forEach((reply, n) => sent.push({ platform: m.platform, target: m.target, reply, idempotencyKey: `${m.key}:${n}` })),
    } as unknown as Outbox,
    tenantFor: () => 'default',
    admit: (ev) => (ev.text === 'over the limit' ? [{ text: 'slow down' }] : null),
    process: async (ev) => {
      await gate;
      processed.push(ev.text);
      return [{ text: `did ${ev.text}` }];
    },
    repliesFor: (out) => out,
  };
  return { h, processed, sent, open };
}

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

describe('Ingress', () => {
  it('gives an event not answered inline its queued answer address, recorded with it, so the answer is delivered where it is handled', async () => {
    const store = openSqliteStore(':memory:');
    stores.push(store);
    const { h, open } = host(store);
    const seen: ChatEvent[] = [];
    const ingress = new Ingress(h, { holder: 'p1', clock: () => NOW, concurrency: 1, inlineAhead: 1, processor: async (ev) => (seen.push(ev), h.process(ev, true, false)) });
    const inline = await ingress.submit(event('ann', 'first'), { queuedAnswer: { to: 'inbox' } });
    const queued = await ingress.submit(event('bob', 'second'), { queuedAnswer: { to: 'inbox' } });
    expect([inline, queued].map((a) => a.kind === 'accepted' && a.inline)).toEqual([true, false]);
    const recorded = (await store.system.inbox.claimStale('p2', new Date(NOW + 60_000).toISOString(), new Date(NOW + 70_000).toISOString(), 10)).map((i) => JSON.parse(i.event) as ChatEvent);
    // Recorded at the same clock reading: the inbox's order between them is its ids' random part.
    expect(recorded.map((e) => [e.text, e.answer ?? null]).sort()).toEqual([['first', null], ['second', { to: 'inbox' }]]);
    open();
    await ingress.stop();
    expect(seen.map((e) => [e.text, e.answer ?? null])).toEqual([['first', null], ['second', { to: 'inbox' }]]);
  });

  it('records before answering, answers inline with little ahead, says queued behind more, and is busy when full', async () => {
    const store = openSqliteStore(':memory:');
    stores.push(store);
    const { h, open } = host(store);
    const ingress = new Ingress(h, { holder: 'p1', clock: () => NOW, capacity: 5, concurrency: 1, inlineAhead: 2 });
    const accepted = [];
    for (let i = 0; i < 6; i++) accepted.push(await ingress.submit(event(`u${i}`, `cmd ${i}`)));
    expect(accepted.map((a) => (a.kind === 'busy' ? 'busy' : a.inline ? 'inline' : 'queued'))).toEqual(['inline', 'inline', 'queued', 'queued', 'queued', 'busy']);
    // The five accepted are in the inbox, leased to this process, until handled.
    expect(await store.system.inbox.claimStale('other', new Date(NOW + 60_000).toISOString(), new Date(NOW + 70_000).toISOString(), 10)).toHaveLength(5);
    open();
    const answers = await Promise.all(accepted.flatMap((a) => (a.kind === 'accepted' ? [a.outcome] : [])));
    expect(answers.map((r) => r[0]!.text)).toEqual(['did cmd 0', 'did cmd 1', 'did cmd 2', 'did cmd 3', 'did cmd 4']);
    await ingress.stop();
    expect(await store.system.inbox.claimStale('other', new Date(NOW + 600_000).toISOString(), new Date(NOW + 700_000).toISOString(), 10)).toEqual([]);
  });

  it('counts requests still at the door as ahead: of a burst arriving at once, only the first wait for their answers, and the queue holds no more than its capacity', async () => {
    const store = openSqliteStore(':memory:');
    stores.push(store);
    const { h, open } = host(store);
    const ingress = new Ingress(h, { holder: 'p1', clock: () => NOW, capacity: 5, concurrency: 1, inlineAhead: 2 });
    // Submitted in one turn, as a burst of requests read together: none has reached the queue when the next arrives.
    const accepted = await Promise.all(Array.from({ length: 7 }, (_, i) => ingress.submit(event(`u${i}`, `cmd ${i}`))));
    expect(accepted.map((a) => (a.kind === 'busy' ? 'busy' : a.inline ? 'inline' : 'queued'))).toEqual(['inline', 'inline', 'queued', 'queued', 'queued', 'busy', 'busy']);
    expect(ingress.depth).toBe(5);
    open();
    const answers = await Promise.all(accepted.flatMap((a) => (a.kind === 'accepted' ? [a.outcome] : [])));
    expect(answers.map((r) => r[0]!.text)).toEqual(['did cmd 0', 'did cmd 1', 'did cmd 2', 'did cmd 3', 'did cmd 4']);
    await ingress.stop();
  });

  it('refuses over the rate limits at the door, recording nothing', async () => {
    const store = openSqliteStore(':memory:');
    stores.push(store);
    const { h, processed } = host(store);
    const ingress = new Ingress(h, { holder: 'p1', clock: () => NOW });
    const a = await ingress.submit(event('a', 'over the limit'));
    expect(a.kind === 'accepted' && a.id === null && a.inline && (await a.outcome)).toEqual([{ text: 'slow down' }]);
    expect(processed).toEqual([]);
    expect(await store.system.inbox.claimStale('other', new Date(NOW + 600_000).toISOString(), new Date(NOW + 700_000).toISOString(), 10)).toEqual([]);
  });

  it('gives every event an id, so a replay of a finished one is recognised', async () => {
    const store = openSqliteStore(':memory:');
    stores.push(store);
    const { h, open } = host(store);
    open();
    const ingress = new Ingress(h, { holder: 'p1', clock: () => NOW });
    const ev = event('a', 'hello');
    const a = await ingress.submit(ev);
    expect(a.kind).toBe('accepted');
    expect(ev.eventId).toMatch(/^inbox:/);
    await ingress.stop();
  });

  it("replays what a dead process acknowledged, oldest first, answering through the outbox once", async () => {
    const store = openSqliteStore(':memory:');
    stores.push(store);
    const { h, processed, sent, open } = host(store);
    open();
    const past = new Date(NOW - 60_000).toISOString();
    await store.system.inbox.append([
      { id: '2-b', event: JSON.stringify(event('bob', 'second', 'e2')), holder: 'dead', leaseUntil: past },
      { id: '1-a', event: JSON.stringify(event('ann', 'first', 'e1')), holder: 'dead', leaseUntil: past },
    ]);
    const ingress = new Ingress(h, { holder: 'p2', clock: () => NOW });
    ingress.start();
    for (let i = 0; i < 200 && sent.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    await ingress.stop();
    expect(processed).toEqual(['first', 'second']);
    expect(sent).toEqual([
      { platform: 'web', target: 'web:ann', reply: { text: 'did first' }, idempotencyKey: 'inbox:1-a:0' },
      { platform: 'web', target: 'web:bob', reply: { text: 'did second' }, idempotencyKey: 'inbox:2-b:0' },
    ]);
    // Done: a later sweep finds nothing to replay.
    expect(await store.system.inbox.claimStale('p3', new Date(NOW + 600_000).toISOString(), new Date(NOW + 700_000).toISOString(), 10)).toEqual([]);
  });
});
