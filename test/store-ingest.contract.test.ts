import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { NewInteraction } from '../core/domain/types.js';
import type { Store } from '../core/store/port.js';
import { ENGINES } from './store/engines.js';

const NOW = '2026-06-30T12:00:00.000Z';

const message = (n: number, sourceEventId: string | null): NewInteraction => ({
  customerId: 1 + (n % 3), identity: `web:u${n % 3}`, type: 'message', channel: 'general', direction: 'in', text: `hello number ${n}`,
  amountMinor: null, currency: null, occurredAt: NOW, sourceEventId,
});
const received = (tenant: string) => (r: { interaction: { id: number } }) => [{ name: 'message.received', payload: { tenant, id: r.interaction.id } }];

/** Issue #21: a burst of community messages, stored together, keeps every id, position and dedupe guarantee of one at a time. */
for (const engine of ENGINES) {
  describe.runIf(engine.available)(`ingest burst contract [${engine.name}]`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
    });
    afterAll(() => store.close());

    engine.it('gives a burst of messages stored at once distinct ids and one event each, at distinct growing positions', async () => {
      const ts = store.tenant('burst-a');
      const added = await Promise.all(Array.from({ length: 40 }, (_, n) => ts.interactions.add(message(n, `web:e${n}`), received('burst-a'))));
      expect(added.every((a) => a.created)).toBe(true);
      const ids = added.map((a) => a.interaction.id);
      expect(new Set(ids).size).toBe(40);
      const events = await ts.events.after(0, ['message.received'], 100);
      expect(events.map((e) => e.position)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      // Each event names the interaction it came with.
      expect(events.map((e) => (e.payload as { id: number }).id).sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
      expect(await ts.events.head()).toBe(40);
      // The next message, stored on its own, continues past all of them.
      const next = await ts.interactions.add(message(40, 'web:e40'), received('burst-a'));
      expect(next.interaction.id).toBeGreaterThan(Math.max(...ids));
      expect(await ts.events.head()).toBe(41);
    });

    engine.it('stores an event delivered twice in the same burst once, appends its event once, and answers both with the stored one', async () => {
      const ts = store.tenant('burst-b');
      const [first, again, other] = await Promise.all([
        ts.interactions.add(message(1, 'web:dup'), received('burst-b')),
        ts.interactions.add({ ...message(1, 'web:dup'), text: 'a retry' }, received('burst-b')),
        ts.interactions.add(message(2, 'web:other'), received('burst-b')),
      ]);
      expect([first.created, again.created, other.created]).toEqual([true, false, true]);
      expect(again.interaction).toEqual(first.interaction);
      expect(again.interaction.text).toBe('hello number 1');
      const events = await ts.events.after(0, ['message.received'], 10);
      expect(events.map((e) => (e.payload as { id: number }).id)).toEqual([first.interaction.id, other.interaction.id]);
      // Delivered again later, on its own: still nothing new.
      expect((await ts.interactions.add(message(1, 'web:dup'), received('burst-b'))).created).toBe(false);
      expect(await ts.events.head()).toBe(2);
    });

    engine.it('reads an identity and the document a collection keeps under its name together, each absent on its own', async () => {
      const ts = store.tenant('with-doc');
      type Grant = { id: string; role: string };
      const grants = ts.docs<Grant>('core', 'role_grants');
      expect(await ts.identities.getWithDoc<Grant>('web:ann', 'core', 'role_grants')).toEqual({ link: null, doc: null });
      const ann = await ts.identities.touch({ identity: 'web:ann', platform: 'web', displayName: 'Ann', role: 'customer', customerId: 4, locale: 'de', timezone: 'Europe/Berlin' }, NOW);
      expect(await ts.identities.getWithDoc<Grant>('web:ann', 'core', 'role_grants')).toEqual({ link: ann, doc: null });
      // A role granted before the person ever wrote: the document without the identity.
      await grants.put({ id: 'web:bob', role: 'staff' });
      expect(await ts.identities.getWithDoc<Grant>('web:bob', 'core', 'role_grants')).toEqual({ link: null, doc: { id: 'web:bob', role: 'staff' } });
      await grants.put({ id: 'web:ann', role: 'admin' });
      const both = await ts.identities.getWithDoc<Grant>('web:ann', 'core', 'role_grants');
      expect(both).toEqual({ link: ann, doc: { id: 'web:ann', role: 'admin' } });
      expect(both.link).toEqual(await ts.identities.get('web:ann'));
      // Another collection's document under the same name, and another tenant's, are not this one's.
      expect((await ts.identities.getWithDoc<Grant>('web:ann', 'core', 'other')).doc).toBeNull();
      expect(await store.tenant('with-doc-2').identities.getWithDoc<Grant>('web:ann', 'core', 'role_grants')).toEqual({ link: null, doc: null });
    });

    engine.it('keeps event positions growing after an erasure deleted the latest events', async () => {
      const ts = store.tenant('burst-c');
      const c = await ts.customers.create({ name: 'Gone' }, NOW);
      for (const n of [1, 2]) {
        await ts.interactions.add({ ...message(n, `web:c${n}`), customerId: c.id }, (r) => [{ name: 'message.received', payload: { tenant: 'burst-c', interaction: r.interaction } }]);
      }
      await ts.erasure.erase(await ts.erasure.footprint(c.id), [], NOW);
      expect(await ts.events.after(0, ['message.received'], 10)).toEqual([]);
      const after = await ts.interactions.add(message(3, 'web:c3'), received('burst-c'));
      expect((await ts.events.after(0, ['message.received'], 10)).map((e) => [e.position, (e.payload as { id: number }).id])).toEqual([[3, after.interaction.id]]);
    });
  });
}
