import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Store } from '../core/store/port.js';
import type { NewInteraction } from '../core/domain/types.js';
import { ENGINES } from './store/engines.js';

const NOW = '2026-07-01T09:00:00.000Z';

const message = (identity: string, n: number): NewInteraction => ({
  customerId: null, identity, type: 'message', channel: 'general', direction: 'in', text: `${identity} #${n}`,
  amountMinor: null, currency: null, occurredAt: NOW, sourceEventId: `web:${identity}:${n}`,
});

/**
 * Issue #21 item 2: the engine's own writes (dedupe rows, identity touches, interactions with their events) are
 * group-committed. Whatever the engine batches, callers writing at the same time must each find their write
 * stored once, in their own order, with its events, and a write that fails must fail alone.
 */
for (const engine of ENGINES) {
  describe.runIf(engine.available)(`group commit of the engine's writes [${engine.name}]`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
    });
    afterAll(() => store.close());

    engine.it('concurrent writes batched together are all stored, in order per identity, with their events', async () => {
      const ts = store.tenant('gc-a');
      const people = ['web:ann', 'web:bob', 'web:cy', 'web:dee', 'web:eve'];
      // Each person writes one thing after another (as the ingress runs one identity's events), all people at once.
      await Promise.all(people.map(async (identity) => {
        for (let n = 0; n < 12; n++) {
          await ts.identities.touch({ identity, platform: 'web', displayName: `${identity} v${n}`, role: 'customer', customerId: null, locale: null }, NOW);
          const { created } = await ts.interactions.add(message(identity, n), (r) => [{ name: 'message.received', payload: { identity, n, id: r.interaction.id } }]);
          expect(created).toBe(true);
        }
      }));
      const events = await ts.events.after(0, ['message.received'], 1000);
      expect(events).toHaveLength(people.length * 12);
      for (const identity of people) {
        expect((await ts.identities.get(identity))?.displayName).toBe(`${identity} v11`);
        const mine = events.map((e) => e.payload as { identity: string; n: number; id: number }).filter((p) => p.identity === identity);
        expect(mine.map((p) => p.n)).toEqual([...Array(12).keys()]);
        const ids = mine.map((p) => p.id);
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
      }
      // Retried deliveries of the same events store nothing new and append nothing.
      const again = await Promise.all(people.map((identity) => ts.interactions.add(message(identity, 3), () => [{ name: 'message.received', payload: {} }])));
      expect(again.map((r) => r.created)).toEqual(people.map(() => false));
      expect(await ts.events.after(0, ['message.received'], 1000)).toHaveLength(people.length * 12);
    });

    engine.it('dedupe keys seen at the same moment: each key is first seen exactly once', async () => {
      const keys = ['slack:Ev1', 'slack:Ev2', 'slack:Ev1', 'web:x', 'slack:Ev2', 'slack:Ev1'];
      const first = await Promise.all(keys.map((k) => store.system.firstSeen(`gc:${k}`, NOW)));
      for (const k of new Set(keys)) expect(first.filter((f, i) => f && keys[i] === k)).toHaveLength(1);
      expect(await Promise.all([...new Set(keys)].map((k) => store.system.firstSeen(`gc:${k}`, NOW)))).toEqual([false, false, false]);
    });

    engine.it('a write that fails in a batch fails alone: the others of its batch are stored', async () => {
      const ts = store.tenant('gc-b');
      const results = await Promise.allSettled([0, 1, 2, 3].map((n) => ts.interactions.add(message('web:fay', n), (r) => {
        if (n === 2) throw new Error('this one cannot describe itself');
        return [{ name: 'message.received', payload: { n, id: r.interaction.id } }];
      })));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      const stored = await ts.events.after(0, ['message.received'], 100);
      expect(stored.map((e) => (e.payload as { n: number }).n).sort()).toEqual([0, 1, 3]);
      // Nothing of the failed write stayed: its event id is free and a retry stores it.
      expect((await ts.interactions.add(message('web:fay', 2))).created).toBe(true);
    });
  });
}
