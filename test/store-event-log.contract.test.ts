import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../core/store/port.js';
import { ENGINES } from './store/engines.js';

const NOW = '2026-06-30T12:00:00.000Z';
const LATER = '2026-06-30T12:05:00.000Z';

/** Issue #23: the event log written with the facts, and the leased cursors of durable subscriptions, on every engine. */
for (const engine of ENGINES) {
  describe.runIf(engine.available)(`event log contract [${engine.name}]`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
    });
    afterAll(() => store.close());

    engine.it('appends a fact\'s events in its own transaction, with positions growing per tenant', async () => {
      const ts = store.tenant('ev-a');
      const c = await ts.customers.create({ name: 'Ann' }, NOW, (customer) => [{ name: 'customer.created', payload: { tenant: 'ev-a', customer } }]);
      const { interaction } = await ts.interactions.add({
        customerId: c.id, identity: 'web:ann', type: 'purchase', channel: 'web', direction: 'in', text: 'x', amountMinor: 500, currency: 'USD',
        occurredAt: NOW, sourceEventId: 'web:e1',
      }, (r) => [{ name: 'interaction.recorded', payload: { tenant: 'ev-a', interaction: r.interaction, by: 'web:ann' } }]);
      // A retried platform event stores nothing new, so it appends nothing.
      await ts.interactions.add({ ...interaction, sourceEventId: 'web:e1' }, () => [{ name: 'interaction.recorded', payload: {} }]);
      const deal = await ts.deals.create({ customerId: c.id, title: 'D', amountMinor: 100, currency: 'USD', stage: 'lead', probability: 0.1, owner: 'web:rep', expectedClose: null }, 'web:rep', NOW,
        (d) => [{ name: 'deal.created', payload: { id: d.id } }]);
      await ts.deals.moveStage(deal.id, { stage: 'won', at: NOW, by: 'web:rep', probability: 1, closed: true }, (d) => [
        { name: 'deal.stage_changed', payload: { id: d.id, stage: d.stage } }, { name: 'deal.won', payload: { id: d.id } },
      ]);
      const kase = await ts.cases.open({ customerId: c.id, kind: 'complaint', owner: null, summary: 's', dueAt: null }, NOW, (k) => [{ name: 'case.opened', payload: { id: k.id } }]);
      await ts.cases.close(kase.id, NOW, { by: 'web:rep', resolution: 'ok' }, (k) => [{ name: 'case.closed', payload: { id: k.id, status: k.status } }]);
      expect(await ts.cases.close(kase.id, NOW, undefined, () => [{ name: 'case.closed', payload: {} }])).toBeNull();

      const all = await ts.events.after(0, ['customer.created', 'interaction.recorded', 'deal.created', 'deal.stage_changed', 'deal.won', 'case.opened', 'case.closed'], 100);
      expect(all.map((e) => [e.position, e.name])).toEqual([
        [1, 'customer.created'], [2, 'interaction.recorded'], [3, 'deal.created'], [4, 'deal.stage_changed'], [5, 'deal.won'], [6, 'case.opened'], [7, 'case.closed'],
      ]);
      expect(all[0]!.payload).toMatchObject({ tenant: 'ev-a', customer: { id: c.id, name: 'Ann' } });
      expect(all[3]!.payload).toEqual({ id: deal.id, stage: 'won' });
      expect(all[6]!.payload).toEqual({ id: kase.id, status: 'closed' });
      expect(await ts.events.head()).toBe(7);
      expect((await ts.events.after(2, ['deal.won', 'case.closed'], 1)).map((e) => e.position)).toEqual([5]);
      // Another tenant's log starts at 1 and sees nothing of this one.
      expect(await store.tenant('ev-b').events.after(0, ['customer.created'], 10)).toEqual([]);
      expect((await store.tenant('ev-b').events.append([{ name: 'customer.erased', payload: { n: 1 } }], NOW))[0]!.position).toBe(1);
    });

    engine.it('writes neither the fact nor its events when computing the events fails', async () => {
      const ts = store.tenant('ev-c');
      await expect(ts.customers.create({ name: 'Gone' }, NOW, () => {
        throw new Error('boom');
      })).rejects.toThrow('boom');
      expect(await ts.customers.count()).toBe(0);
      expect(await ts.events.head()).toBe(0);
    });

    engine.it('leases a cursor to one holder, advances it, retries, parks, and lets an admin retry it', async () => {
      const subs = store.system.subscriptions;
      await store.tenant('ev-l1').events.append([{ name: 'customer.erased', payload: { n: 1 } }], NOW);
      await store.tenant('ev-l2').events.append([{ name: 'customer.erased', payload: { n: 2 } }], NOW);
      expect(await subs.tenants()).toEqual(expect.arrayContaining(['ev-l1', 'ev-l2']));
      const a = await subs.claim('p:x', 'ev-l1', 'h1', NOW, 30_000);
      expect(a).toMatchObject({ name: 'p:x', tenant: 'ev-l1', position: 0, attempts: 0, parkedAt: null, leaseHolder: 'h1' });
      expect(await subs.claim('p:x', 'ev-l1', 'h2', NOW, 30_000)).toBeNull();
      expect(await subs.advance('p:x', 'ev-l1', 'h2', 3)).toBe(false);
      expect(await subs.advance('p:x', 'ev-l1', 'h1', 3)).toBe(true);
      expect(await subs.fail('p:x', 'ev-l1', 'h1', { position: 5, error: 'db down', retryAt: LATER, park: false, now: NOW })).toBe(true);
      // Not due before its retry time, whoever asks; due after it.
      expect(await subs.claim('p:x', 'ev-l1', 'h2', NOW, 30_000)).toBeNull();
      const again = await subs.claim('p:x', 'ev-l1', 'h2', LATER, 30_000);
      expect(again).toMatchObject({ position: 3, attempts: 1, failedPosition: 5, lastError: 'db down', leaseHolder: 'h2' });
      expect(await subs.fail('p:x', 'ev-l1', 'h2', { position: 5, error: 'still down', retryAt: LATER, park: true, now: LATER })).toBe(true);
      expect(await subs.claim('p:x', 'ev-l1', 'h2', '2027-01-01T00:00:00.000Z', 30_000)).toBeNull();
      const parked = await subs.list({ parked: true });
      expect(parked.map((s) => [s.name, s.tenant, s.attempts, s.lastError])).toEqual([['p:x', 'ev-l1', 2, 'still down']]);

      expect(await subs.retry('p:x', 'ev-l1')).toBe(true);
      expect(await subs.retry('p:x', 'ev-l1')).toBe(false);
      expect(await subs.claim('p:x', 'ev-l1', 'h1', LATER, 30_000)).toMatchObject({ position: 3, attempts: 0, parkedAt: null });
      expect(await subs.release('p:x', 'ev-l1', 'h1')).toBe(true);
      // A lease that ran out is taken over.
      await subs.claim('p:y', 'ev-l1', 'h1', NOW, 1000);
      expect(await subs.claim('p:y', 'ev-l1', 'h2', LATER, 1000)).toMatchObject({ leaseHolder: 'h2' });
      expect((await subs.list({ parked: false })).filter((s) => s.tenant === 'ev-l1').map((s) => s.name)).toEqual(['p:x', 'p:y']);
    });

    engine.it('lets an admin skip the event a parked subscription failed on', async () => {
      const subs = store.system.subscriptions;
      await subs.claim('p:z', 'ev-s', 'h1', NOW, 30_000);
      expect(await subs.advance('p:z', 'ev-s', 'h1', 3)).toBe(true);
      await subs.fail('p:z', 'ev-s', 'h1', { position: 5, error: 'bad payload', retryAt: LATER, park: true, now: LATER });
      expect(await subs.skip('p:z', 'ev-s')).toBe(true);
      expect(await subs.skip('p:z', 'ev-s')).toBe(false);
      expect(await subs.claim('p:z', 'ev-s', 'h1', LATER, 30_000)).toMatchObject({ position: 5, attempts: 0, failedPosition: null, lastError: null, parkedAt: null });
    });
  });
}
