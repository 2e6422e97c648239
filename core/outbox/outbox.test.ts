import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite/engine.js';
import type { OutboxItem } from '../store/port.js';
import { Outbox, backoffMs, type SendResult } from './outbox.js';

const START = Date.parse('2026-06-30T12:00:00.000Z');

/** Drains with a fake clock that jumps to the next due time, as a worker polling forever would. */
async function drainAll(outbox: Outbox, clock: { t: number }, rounds = 400): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await outbox.drain();
    clock.t += 1000;
  }
}

describe('outbox', () => {
  it('recovers from a platform answering 500s and 429s for a while and delivers everything once', async () => {
    const store = openSqliteStore(':memory:');
    const clock = { t: START };
    const outbox = new Outbox(store, { holder: 'w1', clock: () => clock.t, rates: { telegram: { perSecond: 5, burst: 5 } } });
    const delivered: number[] = [];
    let calls = 0;
    outbox.registerSender('telegram', async (item: OutboxItem): Promise<SendResult> => {
      calls++;
      if (calls <= 10) throw new Error('HTTP 500 from the Bot API');
      if (calls <= 15) return { ok: false, retryAfterMs: 7000, reason: '429 Too Many Requests' };
      delivered.push(item.id);
      return { ok: true };
    });
    for (let i = 0; i < 30; i++) {
      await outbox.send('t', { platform: 'telegram', target: `telegram:${i}`, reply: { text: `m${i}` }, idempotencyKey: `k${i}` });
    }
    await outbox.send('t', { platform: 'telegram', target: 'telegram:0', reply: { text: 'again' }, idempotencyKey: 'k0' });
    await drainAll(outbox, clock);
    expect(delivered).toHaveLength(30);
    expect(new Set(delivered).size).toBe(30);
    expect(await store.system.outbox.depth()).toEqual({});
  });

  it('paces a platform to its token bucket', async () => {
    const store = openSqliteStore(':memory:');
    const clock = { t: START };
    const outbox = new Outbox(store, { holder: 'w1', clock: () => clock.t, rates: { slack: { perSecond: 1, burst: 1 } } });
    const at: number[] = [];
    outbox.registerSender('slack', async () => {
      at.push(clock.t);
      return { ok: true };
    });
    for (let i = 0; i < 5; i++) await outbox.send('t', { platform: 'slack', target: 'channel:C1', reply: { text: `${i}` }, idempotencyKey: `p${i}` });
    await drainAll(outbox, clock, 20);
    expect(at).toHaveLength(5);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(1000);
  });

  it('dead-letters a permanent failure at once and a failing item after the attempt limit', async () => {
    const store = openSqliteStore(':memory:');
    const clock = { t: START };
    const events: string[] = [];
    const outbox = new Outbox(store, { holder: 'w1', clock: () => clock.t, maxAttempts: 3, onEvent: (e) => events.push(`${e.type}:${e.item.target}`) });
    outbox.registerSender('discord', async (item) => (item.target === 'discord:1' ? { ok: false, permanent: 'cannot DM this user' } : { ok: false, retryAfterMs: 1000, reason: '502' }));
    await outbox.send('t', { platform: 'discord', target: 'discord:1', reply: { text: 'x' }, idempotencyKey: 'd1' });
    await outbox.send('t', { platform: 'discord', target: 'discord:2', reply: { text: 'y' }, idempotencyKey: 'd2' });
    await drainAll(outbox, clock, 10);
    expect(events.filter((e) => e.startsWith('dead'))).toEqual(['dead:discord:1', 'dead:discord:2']);
    expect(events.filter((e) => e === 'retry:discord:2')).toHaveLength(2);
  });

  it('backs off exponentially up to ten minutes', () => {
    expect([1, 2, 3, 10, 20].map(backoffMs)).toEqual([2000, 4000, 8000, 600_000, 600_000]);
  });
});

describe('outbox per-target pacing', () => {
  it('postpones a paced item without pausing the platform or counting an attempt', async () => {
    const store = openSqliteStore(':memory:');
    const clock = { t: START };
    const outbox = new Outbox(store, { holder: 'w1', clock: () => clock.t, maxAttempts: 2 });
    const sent: string[] = [];
    let pacedOnce = false;
    outbox.registerSender('telegram', async (item) => {
      if (item.target === 'telegram:busy' && !pacedOnce) {
        pacedOnce = true;
        return { ok: false, retryAfterMs: 60_000, reason: 'paced', onlyThisTarget: true };
      }
      sent.push(item.target);
      return { ok: true };
    });
    await outbox.send('t', { platform: 'telegram', target: 'telegram:busy', reply: { text: 'a' }, idempotencyKey: 'a' });
    await outbox.send('t', { platform: 'telegram', target: 'telegram:free', reply: { text: 'b' }, idempotencyKey: 'b' });
    await outbox.drain();
    expect(sent).toEqual(['telegram:free']);
    clock.t += 61_000;
    await outbox.drain();
    expect(sent).toEqual(['telegram:free', 'telegram:busy']);
  });
});

describe('outbox notBefore', () => {
  it('holds an item back until notBefore, then delivers it once', async () => {
    const store = openSqliteStore(':memory:');
    const clock = { t: START };
    const outbox = new Outbox(store, { holder: 'w1', clock: () => clock.t });
    const sent: string[] = [];
    outbox.registerSender('telegram', async (item) => (sent.push(item.reply.text), { ok: true }));
    await outbox.send('t', { platform: 'telegram', target: 'channel:-1', reply: { text: 'after the wait' }, idempotencyKey: 'w', notBefore: new Date(START + 30_000).toISOString() });
    clock.t = START + 29_999;
    await outbox.drain();
    expect(sent).toEqual([]);
    clock.t = START + 30_000;
    await outbox.drain();
    await outbox.drain();
    expect(sent).toEqual(['after the wait']);
  });
});
