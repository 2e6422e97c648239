import { describe, expect, it } from 'vitest';
import type { NewInteraction } from '../../domain/types.js';
import type { NewEvent } from '../port.js';
import { openSqliteStore } from './engine.js';

const NOW = '2026-06-30T12:00:00.000Z';
const message = (n: number): NewInteraction => ({
  customerId: 7, identity: 'web:ann', type: 'message', channel: 'general', direction: 'in', text: `hello number ${n}`,
  amountMinor: null, currency: null, occurredAt: NOW, sourceEventId: `web:e${n}`,
});
const received = (): NewEvent[] => [{ name: 'message.received', payload: { ok: true } }];

// An interaction is stored without a savepoint of its own: whatever fails after its insert must take it back.
describe('SQLite interactions: a message and its event stored together or not at all', () => {
  it.each([
    ['its event cannot be described (JSON)', (): NewEvent[] => [{ name: 'message.received', payload: { n: 1n } }]],
    ['its event is refused by the log (no name)', (): NewEvent[] => [{ name: null as unknown as string, payload: {} }]],
    ['describing its events throws', (): NewEvent[] => {
      throw new Error('boom');
    }],
  ])('when %s, nothing of it stays, its batch-mates are stored, and a retry stores it', async (_, bad) => {
    const store = openSqliteStore(':memory:');
    const ts = store.tenant('t');
    const results = await Promise.allSettled([ts.interactions.add(message(1), received), ts.interactions.add(message(2), bad), ts.interactions.add(message(3), received)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await ts.interactions.listForCustomer(7, 10)).map((i) => i.text).sort()).toEqual(['hello number 1', 'hello number 3']);
    expect(await ts.events.after(0, ['message.received'], 10)).toHaveLength(2);
    const retried = await ts.interactions.add(message(2), received);
    expect(retried.created).toBe(true);
    expect(await ts.interactions.listForCustomer(7, 10)).toHaveLength(3);
    // Positions only grow; the failed write may have left one unused.
    const positions = (await ts.events.after(0, ['message.received'], 10)).map((e) => e.position);
    expect(positions).toHaveLength(3);
    expect(positions).toEqual([...new Set(positions)].sort((a, b) => a - b));
    await store.close();
  });

  it('appends several events of one fact with one statement, at consecutive positions', async () => {
    const store = openSqliteStore(':memory:');
    const ts = store.tenant('t');
    await ts.interactions.add(message(1), () => [{ name: 'a', payload: { i: 1 } }, { name: 'b', payload: { i: 2 } }, { name: 'c', payload: { i: 3 } }]);
    expect((await ts.events.after(0, ['a', 'b', 'c'], 10)).map((e) => [e.position, e.name, e.payload])).toEqual([[1, 'a', { i: 1 }], [2, 'b', { i: 2 }], [3, 'c', { i: 3 }]]);
    await store.close();
  });
});
