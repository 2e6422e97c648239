import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../core/store/port.js';
import { openSqliteStore } from '../core/store/sqlite/engine.js';
import { rfmScores } from '../core/kpi/rfm.js';
import { ENGINES, mongoUri } from './store/engines.js';
import { AS_OF, MONEY, PURCHASES, seed } from './store/fixtures.js';
import { BOUNDS, seedDigest } from './fixtures/kpi-digest/store-seed.js';

const NOW = '2026-06-30T12:00:00.000Z';
const msg = (customerId: number | null, sourceEventId: string | null) => ({
  customerId, identity: 'web:a', type: 'message' as const, channel: 'web', direction: 'in' as const, text: 'hi',
  amountMinor: null, currency: null, occurredAt: NOW, sourceEventId,
});

if (!mongoUri) console.log('contract [mongo]: real MongoDB skipped, MONGODB_URI is not set (npm run test:mongo runs every case against it); jongodb runs instead');

for (const engine of ENGINES) {
  describe.runIf(engine.available)(`contract [${engine.name}]`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
      await engine.setup('seed the shared book of business', () => seed(store, 'acme'));
    });
    afterAll(() => store.close());

    engine.it('creates, gets, finds and searches customers with short sequential ids', async () => {
      const ts = store.tenant('t-customers');
      const a = await ts.customers.create({ name: 'Acme Corp', company: 'Acme', emails: ['buy@acme.test'] }, NOW);
      const b = await ts.customers.create({ name: 'Beta' }, NOW);
      expect([a.id, b.id]).toEqual([1, 2]);
      expect((await ts.customers.get(1))?.emails).toEqual(['buy@acme.test']);
      expect((await ts.customers.findByName('acme corp')).map((c) => c.id)).toEqual([1]);
      expect((await ts.customers.search('ACME.T', 10)).map((c) => c.id)).toEqual([1]);
      expect(await ts.customers.count()).toBe(2);
      expect(await ts.customers.countCreatedBetween(NOW, '2026-07-01T00:00:00.000Z')).toBe(2);
      expect(await ts.customers.countCreatedBetween('2026-01-01T00:00:00.000Z', NOW)).toBe(0);
      expect((await ts.customers.page(0, 1)).map((c) => c.id)).toEqual([1]);
      expect((await ts.customers.page(1, 10)).map((c) => c.id)).toEqual([2]);
      expect(await ts.customers.page(2, 10)).toEqual([]);
      const u = await ts.customers.update(2, { tags: ['vip'] }, NOW);
      expect(u?.tags).toEqual(['vip']);
    });

    engine.it('searches name, company and each e-mail ignoring case over Unicode, and nothing else', async () => {
      const ts = store.tenant('t-search');
      const a = await ts.customers.create({ name: 'Élodie Müller', company: 'ŒUVRE Straße', emails: ['Zoë@Example.test'] }, NOW);
      const b = await ts.customers.create({ name: 'Ωmega', emails: ['x@y.test', 'second@ДОМ.test'] }, NOW);
      await ts.customers.create({ name: 'Plain', phones: ['élodie'], tags: ['müller'] }, NOW);
      const ids = async (text: string) => (await ts.customers.search(text, 10)).map((c) => c.id);
      expect(await ids('ÉLODIE')).toEqual([a.id]);
      expect(await ids('müLLER')).toEqual([a.id]);
      expect(await ids('œuvre straße')).toEqual([a.id]);
      expect(await ids('zoË@')).toEqual([a.id]);
      expect(await ids('ωMEGA')).toEqual([b.id]);
      expect(await ids('@дом')).toEqual([b.id]);
      expect(await ids('","')).toEqual([]);
      expect(await ids('"x@')).toEqual([]);
    });

    engine.it('keeps both of two concurrent customer patches of different fields', async () => {
      const ts = store.tenant('t-update');
      const c = await ts.customers.create({ name: 'Both' }, NOW);
      await Promise.all([ts.customers.update(c.id, { tags: ['vip'] }, NOW), ts.customers.update(c.id, { owner: 'web:bob' }, NOW)]);
      const after = await ts.customers.get(c.id);
      expect([after?.tags, after?.owner]).toEqual([['vip'], 'web:bob']);
      expect(await ts.customers.update(999, { owner: 'x' }, NOW)).toBeNull();
    });

    engine.it('treats operator-shaped text as plain text', async () => {
      const ts = store.tenant('t-inject');
      await ts.customers.create({ name: '{"$gt": ""}' }, NOW);
      await ts.customers.create({ name: 'Other' }, NOW);
      expect((await ts.customers.findByName('{"$gt": ""}')).map((c) => c.name)).toEqual(['{"$gt": ""}']);
      expect(await ts.customers.search('.*', 10)).toEqual([]);
      const docs = ts.docs<{ id: string; owner: string }>('p', 'c');
      await docs.put({ id: '1', owner: 'x' });
      expect(await docs.find({ owner: '{"$ne": null}' })).toEqual([]);
      await expect(docs.find({ 'owner.$ne': 'x' } as never)).rejects.toThrow(/invalid field name/);
    });

    engine.it('keeps tenants apart: customers, interactions and deals', async () => {
      const a = store.tenant('iso-a');
      const b = store.tenant('iso-b');
      const c = await a.customers.create({ name: 'Secret' }, NOW);
      await a.interactions.add(msg(c.id, null));
      await a.deals.create({ customerId: c.id, title: 'x', amountMinor: 1, currency: 'USD', stage: 'lead', probability: 0.1, owner: 'web:a', expectedClose: null }, 'web:a', NOW);
      expect(await b.customers.get(c.id)).toBeNull();
      expect(await b.customers.findByName('Secret')).toEqual([]);
      expect(await b.interactions.listForCustomer(c.id, 10)).toEqual([]);
      expect(await b.deals.list({}, 10)).toEqual([]);
      expect(await b.analytics.pipeline('USD')).toEqual([]);
    });

    engine.it('stores the same platform event once however often it is delivered', async () => {
      const ts = store.tenant('t-idem');
      const c = await ts.customers.create({ name: 'Idem' }, NOW);
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await ts.interactions.add(msg(c.id, 'slack:Ev1')));
      expect(results.map((r) => r.created)).toEqual([true, false, false]);
      expect(await ts.interactions.listForCustomer(c.id, 10)).toHaveLength(1);
      expect(await ts.interactions.countByType(c.id)).toEqual({ message: 1 });
    });

    engine.it('keeps acknowledged requests until done; a lease that ran out is taken over by one holder, oldest first', async () => {
      const inbox = store.system.inbox;
      const at = (s: number) => new Date(Date.parse(NOW) + s * 1000).toISOString();
      await inbox.append([
        { id: 'in-2', event: '{"n":2}', holder: 'dead', leaseUntil: at(10) },
        { id: 'in-1', event: '{"n":1}', holder: 'dead', leaseUntil: at(10) },
        { id: 'in-3', event: '{"n":3}', holder: 'alive', leaseUntil: at(100) },
      ]);
      // A second append of a recorded id changes nothing.
      await inbox.append([{ id: 'in-1', event: '{"n":"other"}', holder: 'x', leaseUntil: at(0) }]);
      expect(await inbox.claimStale('me', at(5), at(60), 10)).toEqual([]);
      const taken = await inbox.claimStale('me', at(20), at(60), 10);
      expect(taken).toEqual([
        { id: 'in-1', event: '{"n":1}', holder: 'me', leaseUntil: at(60) },
        { id: 'in-2', event: '{"n":2}', holder: 'me', leaseUntil: at(60) },
      ]);
      // Taken means leased: nobody else gets them until the new lease runs out.
      expect(await inbox.claimStale('other', at(30), at(90), 10)).toEqual([]);
      await inbox.extend(['in-1', 'in-3'], 'me', at(200));
      await inbox.done(['in-2']);
      expect((await inbox.claimStale('late', at(150), at(300), 10)).map((i) => [i.id, i.holder])).toEqual([['in-3', 'late']]);
      expect((await inbox.claimStale('later', at(250), at(400), 10)).map((i) => i.id)).toEqual(['in-1']);
      await inbox.done(['in-1', 'in-3']);
      expect(await inbox.claimStale('last', at(1000), at(1100), 10)).toEqual([]);
    });

    engine.it('withdraws an interaction by its source event, in its tenant only, and frees the key', async () => {
      const ts = store.tenant('t-withdraw');
      const other = store.tenant('t-withdraw-other');
      const c = await ts.customers.create({ name: 'Withdrawn' }, NOW);
      await ts.interactions.add(msg(c.id, 'deal-won:1'));
      await ts.interactions.add(msg(c.id, 'deal-won:2'));
      await other.interactions.add(msg(c.id, 'deal-won:1'));
      expect(await ts.interactions.withdraw('deal-won:1')).toBe(true);
      expect(await ts.interactions.withdraw('deal-won:1')).toBe(false);
      expect((await ts.interactions.listForCustomer(c.id, 10)).map((i) => i.sourceEventId)).toEqual(['deal-won:2']);
      expect(await other.interactions.listForCustomer(c.id, 10)).toHaveLength(1);
      expect((await ts.interactions.add(msg(c.id, 'deal-won:1'))).created).toBe(true);
    });

    engine.it('tracks identities: first contact, refresh, role, attach, reachability', async () => {
      const ts = store.tenant('t-ident');
      const first = await ts.identities.touch({ identity: 'telegram:42', platform: 'telegram', displayName: 'Ann', role: 'customer', customerId: 7, locale: 'zh' }, NOW);
      expect(first).toMatchObject({ role: 'customer', customerId: 7, locale: 'zh', reachable: true });
      const again = await ts.identities.touch({ identity: 'telegram:42', platform: 'telegram', displayName: 'Ann B', role: 'rep', customerId: null, locale: null }, NOW);
      expect(again).toMatchObject({ displayName: 'Ann B', role: 'customer', customerId: 7, locale: 'zh' });
      expect((await ts.identities.setRole('telegram:42', 'manager'))?.role).toBe('manager');
      await ts.identities.setReachable('telegram:42', false);
      expect((await ts.identities.get('telegram:42'))?.reachable).toBe(false);
      expect((await ts.identities.listForCustomer(7)).map((i) => i.identity)).toEqual(['telegram:42']);
    });

    engine.it("keeps a person's own time zone: the platform's fills a gap, one they set stands", async () => {
      const ts = store.tenant('t-zone');
      const base = { platform: 'slack' as const, displayName: 'Bo', role: 'rep' as const, customerId: null, locale: null };
      expect((await ts.identities.touch({ ...base, identity: 'slack:T1:U1' }, NOW)).timezone).toBeNull();
      expect((await ts.identities.touch({ ...base, identity: 'slack:T1:U1', timezone: 'America/Chicago' }, NOW)).timezone).toBe('America/Chicago');
      expect((await ts.identities.touch({ ...base, identity: 'slack:T1:U2', timezone: 'Asia/Tokyo' }, NOW)).timezone).toBe('Asia/Tokyo');
      expect((await ts.identities.setTimezone('slack:T1:U1', 'Europe/Berlin'))?.timezone).toBe('Europe/Berlin');
      expect((await ts.identities.touch({ ...base, identity: 'slack:T1:U1', timezone: 'America/Chicago' }, NOW)).timezone).toBe('Europe/Berlin');
      expect((await ts.identities.touch({ ...base, identity: 'slack:T1:U1' }, NOW)).timezone).toBe('Europe/Berlin');
      expect((await ts.identities.setTimezone('slack:T1:U1', null))?.timezone).toBeNull();
      expect(await ts.identities.setTimezone('slack:T1:U9', 'UTC')).toBeNull();
      expect((await store.tenant('t-zone-other').identities.get('slack:T1:U2'))).toBeNull();
    });

    engine.it('merges two customers keeping history, and undoes the merge', async () => {
      const ts = store.tenant('t-merge');
      const a = await ts.customers.create({ name: 'A' }, NOW);
      const b = await ts.customers.create({ name: 'B' }, NOW);
      await ts.identities.touch({ identity: 'web:b', platform: 'web', displayName: 'B', role: 'customer', customerId: b.id, locale: null }, NOW);
      await ts.interactions.add(msg(b.id, 'e-merge'));
      const m = await ts.customers.merge(b.id, a.id, 'web:admin', NOW);
      expect(m).toMatchObject({ fromId: b.id, intoId: a.id, identities: ['web:b'], interactionIds: [1] });
      expect((await ts.identities.get('web:b'))?.customerId).toBe(a.id);
      expect((await ts.customers.get(b.id))?.mergedInto).toBe(a.id);
      expect(await ts.customers.findByName('B')).toEqual([]);
      const undone = await ts.customers.unmerge(m.id, NOW);
      expect(undone?.undoneAt).toBe(NOW);
      expect((await ts.identities.get('web:b'))?.customerId).toBe(b.id);
      expect(await ts.interactions.listForCustomer(b.id, 10)).toHaveLength(1);
      expect(await ts.customers.unmerge(m.id, NOW)).toBeNull();
    });

    engine.it('anonymises a customer: no name, contacts, texts or identities left', async () => {
      const ts = store.tenant('t-erase');
      const c = await ts.customers.create({ name: 'Eve', emails: ['eve@x.test'] }, NOW);
      await ts.identities.touch({ identity: 'web:eve', platform: 'web', displayName: 'Eve', role: 'customer', customerId: c.id, locale: null }, NOW);
      await ts.interactions.add({ ...msg(c.id, null), text: 'my phone is 555' });
      expect(await ts.customers.anonymise(c.id, NOW)).toBe(true);
      const after = await ts.customers.get(c.id);
      expect(after).toMatchObject({ name: `Erased C-${c.id}`, emails: [], phones: [] });
      expect(await ts.identities.get('web:eve')).toBeNull();
      expect((await ts.interactions.listForCustomer(c.id, 10))[0]?.text).toBe('');
    });

    engine.it('follows platform edits of a stored message: new text with the old kept, deletion blanks it, unknown ids change nothing', async () => {
      const ts = store.tenant('t-edits');
      const c = await ts.customers.create({ name: 'Edd' }, NOW);
      const { interaction } = await ts.interactions.add({ ...msg(c.id, 'slack:EvEdit1'), text: 'price is 10', messageId: 'slack:C1:1.000100' });
      expect(interaction.messageId).toBe('slack:C1:1.000100');
      const other = await store.tenant('t-edits-other').interactions.add({ ...msg(c.id, null), text: 'untouched', messageId: 'slack:C1:1.000100' });
      expect(await ts.interactions.applyMessageChange('slack:C1:1.000100', { kind: 'changed', text: 'price is $text 12', at: '2026-06-30T12:01:00.000Z' })).toBe(1);
      expect(await ts.interactions.applyMessageChange('slack:C1:1.000100', { kind: 'changed', text: 'price is 14', at: '2026-06-30T12:02:00.000Z' })).toBe(1);
      const [edited] = await ts.interactions.listForCustomer(c.id, 10);
      expect(edited).toMatchObject({ text: 'price is 14', messageId: 'slack:C1:1.000100', edits: [
        { text: 'price is 10', at: '2026-06-30T12:01:00.000Z' }, { text: 'price is $text 12', at: '2026-06-30T12:02:00.000Z' },
      ] });
      expect(edited?.deleted).toBeUndefined();
      expect(await ts.interactions.applyMessageChange('slack:C1:9.999999', { kind: 'changed', text: 'ghost', at: NOW })).toBe(0);
      expect(await ts.interactions.applyMessageChange('slack:C1:1.000100', { kind: 'deleted', at: NOW })).toBe(1);
      const [gone] = await ts.interactions.listForCustomer(c.id, 10);
      expect(gone).toMatchObject({ text: '', deleted: true });
      expect(gone?.edits).toBeUndefined();
      expect(await ts.interactions.applyMessageChange('slack:C1:1.000100', { kind: 'changed', text: 'back again', at: NOW })).toBe(0);
      expect((await ts.interactions.listForCustomer(c.id, 10))[0]?.text).toBe('');
      expect(other.interaction.text).toBe('untouched');
      expect((await store.tenant('t-edits-other').interactions.listForCustomer(c.id, 10))[0]).toMatchObject({ text: 'untouched', messageId: 'slack:C1:1.000100' });
    });

    engine.it('erases a whole footprint: merged records, identities, titles, reasons, messages, staff fields', async () => {
      const ts = store.tenant('t-forget');
      const keep = await ts.customers.create({ name: 'Keep' }, NOW);
      const gina = await ts.customers.create({ name: 'Gina Rossi', emails: ['gina@x.test'], phones: ['+49 170 1'] }, NOW);
      const alt = await ts.customers.create({ name: 'gina2' }, NOW);
      const older = await ts.customers.create({ name: 'G. Rossi' }, NOW);
      await ts.identities.touch({ identity: 'web:gina', platform: 'web', displayName: 'gina', role: 'rep', customerId: gina.id, locale: null }, NOW);
      await ts.identities.touch({ identity: 'web:gina2', platform: 'web', displayName: 'gina2', role: 'customer', customerId: alt.id, locale: null }, NOW);
      await ts.identities.touch({ identity: 'web:keep', platform: 'web', displayName: 'keep', role: 'customer', customerId: keep.id, locale: null }, NOW);
      await ts.customers.merge(older.id, alt.id, 'web:gina', NOW);
      await ts.customers.merge(alt.id, gina.id, 'web:admin', NOW);
      await ts.interactions.add({ ...msg(gina.id, null), identity: 'web:gina', text: 'Gina Rossi here', messageId: 'web:gina:1' });
      await ts.interactions.applyMessageChange('web:gina:1', { kind: 'changed', text: 'Gina Rossi, Via Roma 1', at: NOW });
      await ts.interactions.add({ ...msg(keep.id, null), identity: 'web:keep', text: 'kept' });
      const own = await ts.deals.create({ customerId: gina.id, title: 'Gina Rossi deal', amountMinor: 1, currency: 'USD', stage: 'lead', probability: 0.1, owner: 'web:rex', expectedClose: null }, 'web:rex', NOW);
      await ts.deals.moveStage(own.id, { stage: 'lost', at: NOW, by: 'web:gina', probability: 0, closed: true, lostReason: 'Gina Rossi left' });
      const other = await ts.deals.create({ customerId: keep.id, title: 'Referral from Gina Rossi', amountMinor: 1, currency: 'USD', stage: 'lead', probability: 0.1, owner: 'web:gina', expectedClose: null }, 'web:gina', NOW);
      await ts.outbox.enqueue({ platform: 'web', target: 'web:gina', reply: { text: 'your survey' }, idempotencyKey: 'f1' }, NOW);
      await ts.outbox.enqueue({ platform: 'web', target: 'web:keep', reply: { text: 'alert', fields: [{ label: 'from', value: 'gina@x.test' }] }, idempotencyKey: 'f2' }, NOW);
      await ts.outbox.enqueue({ platform: 'web', target: 'web:keep', reply: { text: 'hello keep' }, idempotencyKey: 'f3' }, NOW);
      await ts.spend.record('2026-06', 100, 'USD', 'web:gina', NOW);
      await ts.ledger('loyalty', 'points').append([{ key: 'k1', account: `avail:${keep.id}`, delta: 5, kind: 'earn', at: NOW, data: { by: 'web:gina' } }]);

      const plan = await ts.erasure.footprint(gina.id);
      expect(plan).toEqual({ customerIds: [gina.id, alt.id, older.id], identities: ['web:gina', 'web:gina2'] });
      await ts.erasure.erase(plan, ['Gina Rossi', 'gina@x.test', '+49 170 1', 'G. Rossi'], NOW);

      for (const id of plan.customerIds) expect(await ts.customers.get(id)).toMatchObject({ name: `Erased C-${id}`, emails: [], phones: [] });
      expect(await ts.identities.get('web:gina')).toBeNull();
      expect(await ts.identities.get('web:gina2')).toBeNull();
      expect((await ts.identities.get('web:keep'))?.customerId).toBe(keep.id);
      // The text a message had before an edit is the person's words too.
      expect((await ts.interactions.listForCustomer(gina.id, 10)).map((i) => [i.text, i.identity, i.edits ?? []])).toEqual([['', null, []]]);
      expect((await ts.interactions.listForCustomer(keep.id, 10)).map((i) => i.text)).toEqual(['kept']);
      expect(await ts.deals.get(own.id)).toMatchObject({ title: `Deal D-${own.id}`, lostReason: null, history: [{ by: 'web:rex' }, { by: 'erased' }] });
      expect(await ts.deals.get(other.id)).toMatchObject({ title: `Deal D-${other.id}`, owner: 'erased', history: [{ by: 'erased' }] });
      expect(await ts.erasure.footprint(gina.id)).toEqual({ customerIds: [gina.id, alt.id, older.id], identities: [] });
      const q = store.system.outbox;
      const claimed = await q.claim('h', NOW, 60_000, 10, ['web']);
      expect(claimed.map((i) => [i.target, i.reply.text])).toEqual([['web:keep', '(erased)'], ['web:keep', 'hello keep']]);
      for (const i of claimed) await q.markSent(i.id, 'h', NOW);
      expect((await ts.ledger('loyalty', 'points').entries(`avail:${keep.id}`))[0]?.data).toEqual({ by: 'erased' });
    });

    engine.it('moves deals through stages with history in one write', async () => {
      const ts = store.tenant('t-deals');
      const d = await ts.deals.create({ customerId: 1, title: 'Big', amountMinor: 500, currency: 'EUR', stage: 'lead', probability: 0.1, owner: 'web:rep', expectedClose: '2026-07-01' }, 'web:rep', NOW);
      const moved = await ts.deals.moveStage(d.id, { stage: 'won', at: '2026-07-01T00:00:00.000Z', by: 'web:mgr', probability: 1, closed: true });
      expect(moved).toMatchObject({ stage: 'won', closedAt: '2026-07-01T00:00:00.000Z', probability: 1 });
      expect(moved?.history.map((h) => h.stage)).toEqual(['lead', 'won']);
      // The event that made a move is kept with it (a replay finds it); a move without one keeps the entry as it was.
      const reopened = await ts.deals.moveStage(d.id, { stage: 'proposal', at: '2026-07-02T00:00:00.000Z', by: 'web:mgr', probability: 0.5, closed: false, sourceEventId: 'slack:Ev1' });
      expect(reopened?.history.slice(1)).toEqual([
        { stage: 'won', at: '2026-07-01T00:00:00.000Z', by: 'web:mgr' }, { stage: 'proposal', at: '2026-07-02T00:00:00.000Z', by: 'web:mgr', sourceEventId: 'slack:Ev1' },
      ]);
      await ts.deals.moveStage(d.id, { stage: 'won', at: '2026-07-03T00:00:00.000Z', by: 'web:mgr', probability: 1, closed: true });
      expect((await ts.deals.list({ owner: 'web:rep', open: false }, 10)).map((x) => x.id)).toEqual([d.id]);
      expect(await ts.deals.list({ open: true }, 10)).toEqual([]);
      expect(await ts.deals.moveStage(999, { stage: 'won', at: NOW, by: 'x', probability: 1, closed: true })).toBeNull();
    });

    engine.it('opens and closes cases', async () => {
      const ts = store.tenant('t-cases');
      const k = await ts.cases.open({ customerId: 3, kind: 'complaint', owner: 'web:rep', summary: 'late', dueAt: null }, NOW);
      expect((await ts.cases.listOpen(3)).map((x) => x.id)).toEqual([k.id]);
      expect((await ts.cases.close(k.id, NOW))?.status).toBe('closed');
      expect(await ts.cases.close(k.id, NOW)).toBeNull();
      expect(await ts.cases.listOpen()).toEqual([]);
    });

    engine.it('creates a customer, deal and case once per source event, with their events once; other events and tenants apart', async () => {
      const ts = store.tenant('t-created-by');
      const ev = (name: string) => (fact: { id: number }) => [{ name, payload: { id: fact.id } }];
      const customer = { name: 'Once Ltd', sourceEventId: 'web:e1' };
      const c1 = await ts.customers.create(customer, NOW, ev('customer.created'));
      const c2 = await ts.customers.create({ ...customer, name: 'Replayed Ltd' }, NOW, ev('customer.created'));
      expect(c2).toEqual(c1);
      expect(await ts.customers.createdBy('web:e1')).toEqual(c1);
      expect(await ts.customers.createdBy('web:e9')).toBeNull();
      const deal = { customerId: c1.id, title: 'Once', amountMinor: 100, currency: 'EUR', stage: 'lead', probability: 0.1, owner: 'web:rep', expectedClose: null, sourceEventId: 'web:e1' };
      const d1 = await ts.deals.create(deal, 'web:rep', NOW, ev('deal.created'));
      expect(await ts.deals.create({ ...deal, amountMinor: 999 }, 'web:rep', NOW, ev('deal.created'))).toEqual(d1);
      const kase = { customerId: c1.id, kind: 'complaint', owner: 'web:rep', summary: 'late', dueAt: null, sourceEventId: 'web:e1' };
      const k1 = await ts.cases.open(kase, NOW, ev('case.opened'));
      expect(await ts.cases.open({ ...kase, summary: 'again' }, NOW, ev('case.opened'))).toEqual(k1);
      expect((await ts.events.after(0, ['customer.created', 'deal.created', 'case.opened'], 10)).map((e) => e.name)).toEqual(['customer.created', 'deal.created', 'case.opened']);
      // Another event, no event, or another tenant under the same key: each a record of its own.
      expect((await ts.customers.create({ ...customer, sourceEventId: 'web:e2' }, NOW)).id).toBe(c1.id + 1);
      expect((await ts.customers.create({ name: 'Once Ltd' }, NOW)).id).toBe(c1.id + 2);
      expect((await ts.customers.create({ name: 'Once Ltd', sourceEventId: null }, NOW)).id).toBe(c1.id + 3);
      expect((await store.tenant('t-created-by-2').customers.create(customer, NOW)).tenant).toBe('t-created-by-2');
      expect((await ts.cases.open({ ...kase, sourceEventId: undefined }, NOW)).id).toBe(k1.id + 1);
      expect((await ts.customers.findByName('Once Ltd')).length).toBe(4);
    });

    engine.it('gives two creations under one source event at once the same one record', async () => {
      // A replay racing a first run that stalled past its lease: whichever commits first wins, the other gets its record.
      const ts = store.tenant('t-created-raced');
      const [r1, r2] = await Promise.all([0, 1].map(() => ts.customers.create({ name: 'Raced', sourceEventId: 'web:e3' }, NOW)));
      expect(r2).toEqual(r1);
      expect((await ts.customers.findByName('Raced')).length).toBe(1);
    });

    engine.it('records who resolved a case, how, and its first response', async () => {
      const ts = store.tenant('t-resolve');
      const at = (h: number) => new Date(Date.parse(NOW) + h * 3_600_000).toISOString();
      const a = await ts.cases.open({ customerId: 3, kind: 'complaint', owner: 'web:rep', summary: 'late', dueAt: null }, at(0));
      const b = await ts.cases.open({ customerId: 3, kind: 'complaint', owner: 'web:rep', summary: 'broken', dueAt: null }, at(5));
      const c = await ts.cases.open({ customerId: 4, kind: 'complaint', owner: 'web:rep', summary: 'rude', dueAt: null }, at(5));
      expect(await ts.cases.respond(3, at(2))).toBe(1);
      expect(await ts.cases.respond(3, at(3))).toBe(0);
      const closed = await ts.cases.close(a.id, at(4), { by: 'web:rep', resolution: 'refunded' });
      expect(closed).toMatchObject({ status: 'closed', closedAt: at(4), closedBy: 'web:rep', resolution: 'refunded', firstResponseAt: at(2) });
      expect(await ts.cases.close(c.id, at(6), { by: 'web:mgr', resolution: 'apologised' })).toMatchObject({ firstResponseAt: at(6), closedBy: 'web:mgr' });
      expect(await ts.cases.close(c.id, at(7), { by: 'web:x', resolution: 'again' })).toBeNull();
      expect(await ts.cases.get(b.id)).toMatchObject({ status: 'open', firstResponseAt: null, closedBy: null, resolution: null });
      expect(await ts.cases.get(999)).toBeNull();
      expect((await ts.cases.list({ customerId: 3 }, 10)).map((k) => k.id)).toEqual([a.id, b.id]);
      expect((await ts.cases.list({ kind: 'complaint', openedFrom: at(1), openedTo: at(6) }, 10)).map((k) => k.id)).toEqual([b.id, c.id]);
      expect((await ts.cases.list({ openedFrom: at(0) }, 1)).map((k) => k.id)).toEqual([a.id]);
      expect(await store.tenant('t-other').cases.list({}, 10)).toEqual([]);
    });

    engine.it('computes RFM in the engine exactly as the in-memory definition does', async () => {
      const rows = await store.tenant('acme').analytics.rfm(AS_OF, MONEY);
      const expected = rfmScores(PURCHASES.map((p) => ({ customerId: p.customer, at: p.at, amountMinor: p.amount, currency: p.currency === undefined ? 'USD' : p.currency })), AS_OF, MONEY);
      expect(rows).toEqual(expected);
      expect(rows.find((r) => r.customerId === 6)).toMatchObject({ recencyDays: 0, frequency: 1, monetaryMinor: 250_00 });
      // Every currency counted: EUR 333.34 x 1.08 = 360.0072 -> 360.01; CNY 7.77 x 0.14 = 1.0878 -> 1.09; GBP has no rate and stays apart.
      expect(rows.find((r) => r.customerId === 2)).toMatchObject({ frequency: 3, monetaryMinor: 900_00 + 360_01, unconverted: [] });
      expect(rows.find((r) => r.customerId === 3)).toMatchObject({ frequency: 3, monetaryMinor: 30_00 + 1_09, unconverted: [] });
      expect(rows.find((r) => r.customerId === 4)).toMatchObject({ frequency: 3, monetaryMinor: 70_00, unconverted: [{ currency: 'GBP', minor: 50_00 }] });
      expect(await store.tenant('acme').analytics.rfmFor(4, AS_OF, MONEY)).toEqual(rows.find((r) => r.customerId === 4));
      // In EUR: USD converts by 1 / 1.08, and the same spend ranks the same way.
      const inEur = await store.tenant('acme').analytics.rfm(AS_OF, { ...MONEY, currency: 'EUR' });
      expect(inEur).toEqual(rfmScores(PURCHASES.map((p) => ({ customerId: p.customer, at: p.at, amountMinor: p.amount, currency: p.currency === undefined ? 'USD' : p.currency })), AS_OF, { ...MONEY, currency: 'EUR' }));
      expect(inEur.find((r) => r.customerId === 2)!.monetaryMinor).toBe(Math.round((900_00 * 1) / 1.08) + 333_34);
    });

    engine.it('reads RFM at several dates in one call exactly as one call per date, purchases on a date included', async () => {
      const a = store.tenant('acme').analytics;
      // A purchase exactly on the second date (<= counts it) and 1 ms after the fourth; the period start before the end.
      const asOfs = [AS_OF, '2026-06-01T10:00:00.000Z', '2026-06-30T12:00:00.002Z', '2026-05-02T08:59:59.999Z', AS_OF];
      for (const money of [MONEY, { ...MONEY, currency: 'EUR' }]) {
        const folded = await a.rfmAt(asOfs, money);
        expect(folded).toHaveLength(asOfs.length);
        for (const [i, asOf] of asOfs.entries()) {
          expect(folded[i], asOf).toEqual(await a.rfm(asOf, money));
          expect(folded[i], asOf).toEqual(rfmScores(PURCHASES.map((p) => ({ customerId: p.customer, at: p.at, amountMinor: p.amount, currency: p.currency === undefined ? 'USD' : p.currency })), asOf, money));
        }
      }
      const [, onDate, , before] = await a.rfmAt(asOfs, MONEY);
      expect(onDate!.find((r) => r.customerId === 2)).toMatchObject({ recencyDays: 0, frequency: 3 });
      expect(before!.find((r) => r.customerId === 1)).toMatchObject({ frequency: 1, monetaryMinor: 40_00 });
      expect(await a.rfmAt([], MONEY)).toEqual([]);
      expect(await store.tenant('t-empty-rfm').analytics.rfmAt([AS_OF, '2026-01-01T00:00:00.000Z'], MONEY)).toEqual([[], []]);
    });

    engine.it('adds up the pipeline and closed deals', async () => {
      const a = store.tenant('acme').analytics;
      expect(await a.pipeline('USD')).toEqual([
        { stage: 'lead', count: 1, totalMinor: 2_500_00 },
        { stage: 'proposal', count: 2, totalMinor: 14_000_00 },
      ]);
      expect(await a.closedSince('2026-06-01T00:00:00.000Z', 'USD')).toEqual({ won: 1, lost: 1, wonTotalMinor: 7_000_00, wonCycleDays: 40 });
    });

    engine.it('computes the KPI digest aggregates per bucket, for the company and for one rep', async () => {
      await seedDigest(store, 'digest');
      const a = store.tenant('digest').analytics;
      const [mar, apr] = [BOUNDS[2]!, BOUNDS[3]!];
      expect(await a.customersCreated(BOUNDS, null)).toEqual({ perBucket: [1, 1, 2], total: 5 });
      expect(await a.customersCreated(BOUNDS, 'web:rep1')).toEqual({ perBucket: [1, 0, 1], total: 2 });
      // The year's revenue per currency, never summed across them: the digest converts.
      const year = [{ currency: 'EUR', minor: 40_00 }, { currency: 'GBP', minor: 5_00 }, { currency: 'USD', minor: 730_00 }];
      expect(await a.customerActivity(mar, apr, 90, null)).toEqual({ active: 4, baseAtStart: 2, baseAtEnd: 3, newBuyers: 1, yearRevenue: year, yearBuyers: 4 });
      expect(await a.customerActivity(mar, apr, 90, 'web:rep1')).toEqual({ active: 2, baseAtStart: 1, baseAtEnd: 1, newBuyers: 0, yearRevenue: [{ currency: 'USD', minor: 600_00 }], yearBuyers: 1 });
      expect(await a.customerActivity(mar, apr, 90, 'web:nobody')).toEqual({ active: 0, baseAtStart: 0, baseAtEnd: 0, newBuyers: 0, yearRevenue: [], yearBuyers: 0 });
      // Several periods in one read, in the order given, each as its own call: the digest's period and the one before.
      const periods = [{ from: mar, to: apr }, { from: BOUNDS[1]!, to: mar }, { from: BOUNDS[0]!, to: apr }, { from: mar, to: apr }];
      for (const owner of [null, 'web:rep1']) {
        expect(await a.customerActivityAt(periods, 90, owner)).toEqual(await Promise.all(periods.map((p) => a.customerActivity(p.from, p.to, 90, owner))));
      }
      expect(await a.customerActivityAt([], 90, null)).toEqual([]);
      expect(await a.purchaseFacts(apr, null)).toEqual([
        { customerId: 1, firstPurchaseAt: '2025-12-20T00:00:00.000Z', lastPurchaseAt: '2026-03-10T00:00:00.000Z', lastInteractionAt: '2026-03-25T00:00:00.000Z' },
        { customerId: 2, firstPurchaseAt: '2026-02-20T00:00:00.000Z', lastPurchaseAt: '2026-02-20T00:00:00.000Z', lastInteractionAt: '2026-03-15T00:00:00.000Z' },
        { customerId: 3, firstPurchaseAt: '2026-03-06T00:00:00.000Z', lastPurchaseAt: '2026-03-06T00:00:00.000Z', lastInteractionAt: '2026-03-01T00:00:00.000Z' },
        { customerId: 5, firstPurchaseAt: '2025-07-01T00:00:00.000Z', lastPurchaseAt: '2025-07-01T00:00:00.000Z', lastInteractionAt: null },
      ]);
      expect((await a.purchaseFacts(apr, 'web:rep1')).map((f) => f.customerId)).toEqual([1]);
      // Malformed answers ("nps 100", "NPS 9", "npsx 9") are not counted; "ces 06" reads as 6.
      expect(await a.surveyScores(BOUNDS, null)).toEqual([
        { bucket: 1, kind: 'nps', score: 10, count: 1 },
        { bucket: 2, kind: 'ces', score: 6, count: 1 },
        { bucket: 2, kind: 'csat', score: 4, count: 1 },
        { bucket: 2, kind: 'nps', score: 3, count: 1 },
        { bucket: 2, kind: 'nps', score: 7, count: 1 },
        { bucket: 2, kind: 'nps', score: 9, count: 1 },
      ]);
      expect(await a.surveyScores(BOUNDS, 'web:rep1')).toEqual([
        { bucket: 2, kind: 'csat', score: 4, count: 1 },
        { bucket: 2, kind: 'nps', score: 9, count: 1 },
      ]);
      expect(await a.mentionDigest(BOUNDS, null)).toEqual({
        perBucket: [{ negative: 0, neutral: 0, positive: 0 }, { negative: 0, neutral: 0, positive: 1 }, { negative: 2, neutral: 1, positive: 0 }],
        latestNegative: { customerId: null, text: 'negative: app broken', occurredAt: '2026-03-20T00:00:00.000Z' },
      });
      expect(await a.mentionDigest(BOUNDS, 'web:rep1')).toEqual({
        perBucket: [{ negative: 0, neutral: 0, positive: 0 }, { negative: 0, neutral: 0, positive: 1 }, { negative: 0, neutral: 0, positive: 0 }],
        latestNegative: null,
      });
      const none = { won: 0, lost: 0, wonTotalMinor: 0, wonCycleDays: 0 };
      expect(await a.closedPerBucket(BOUNDS, 'USD', null)).toEqual([none, { ...none, lost: 1 }, { won: 1, lost: 0, wonTotalMinor: 1_000_00, wonCycleDays: 64.5 }]);
      expect(await a.closedPerBucket(BOUNDS, 'USD', 'web:rep1')).toEqual([none, none, { won: 1, lost: 0, wonTotalMinor: 1_000_00, wonCycleDays: 64.5 }]);
      expect(await a.closedPerBucket(BOUNDS, 'EUR', null)).toEqual([none, { won: 1, lost: 0, wonTotalMinor: 9_000_00, wonCycleDays: 27 }, none]);
      expect(await a.openDeals('USD', null)).toEqual({
        stages: [{ stage: 'lead', count: 1, totalMinor: 200_00 }, { stage: 'proposal', count: 1, totalMinor: 300_00 }],
      });
      expect(await a.openDeals('USD', 'web:rep1')).toEqual({ stages: [{ stage: 'lead', count: 1, totalMinor: 200_00 }] });
      expect(await store.tenant('digest-empty').analytics.customersCreated(BOUNDS, null)).toEqual({ perBucket: [0, 0, 0], total: 0 });
    });

    engine.it('records acquisition spend per month', async () => {
      const s = store.tenant('t-spend').spend;
      await s.record('2026-05', 1000_00, 'USD', 'web:m', NOW);
      await s.record('2026-06', 500_00, 'USD', 'web:m', NOW);
      await s.record('2026-06', 250_00, 'USD', 'web:m', NOW);
      expect(await s.total('2026-06', '2026-06')).toBe(750_00);
      expect(await s.total('2026-01', '2026-12')).toBe(1750_00);
    });

    engine.it('queues outbound messages once, leases each to one worker, and lists deliveries', async () => {
      const ts = store.tenant('t-out');
      const q = store.system.outbox;
      const reply = { text: 'hello' };
      expect(await ts.outbox.enqueue({ platform: 'web', target: 'web:zed', reply, idempotencyKey: 'k1' }, NOW)).toBe(true);
      expect(await ts.outbox.enqueue({ platform: 'web', target: 'web:zed', reply, idempotencyKey: 'k1' }, NOW)).toBe(false);
      await ts.outbox.enqueue({ platform: 'web', target: 'web:zed', reply: { text: 'second' }, idempotencyKey: 'k2' }, NOW);
      const [w1, w2] = await Promise.all([q.claim('w1', NOW, 60_000, 1, ['web']), q.claim('w2', NOW, 60_000, 5, ['web'])]);
      expect(w1.length + w2.length).toBe(2);
      expect(new Set([...w1, ...w2].map((i) => i.id)).size).toBe(2);
      expect(await q.claim('w3', NOW, 60_000, 5, ['web'])).toEqual([]);
      const mine = [...w1.map((i) => ({ i, h: 'w1' })), ...w2.map((i) => ({ i, h: 'w2' }))];
      expect(await q.markSent(mine[0]!.i.id, 'not-the-holder', NOW)).toBe(false);
      for (const { i, h } of mine) expect(await q.markSent(i.id, h, NOW)).toBe(true);
      expect((await ts.outbox.delivered('web:zed', 10)).map((i) => i.reply.text).sort()).toEqual(['hello', 'second']);
    });

    engine.it('re-leases an item whose lease ran out, retries later, and dead-letters', async () => {
      const ts = store.tenant('t-out2');
      const q = store.system.outbox;
      await ts.outbox.enqueue({ platform: 'telegram', target: 'telegram:1', reply: { text: 'x' }, idempotencyKey: 'r1' }, NOW);
      const [first] = await q.claim('crashed', NOW, 1000, 1, ['telegram']);
      expect(first?.attempts).toBe(1);
      const later = new Date(Date.parse(NOW) + 2000).toISOString();
      const [again] = await q.claim('w2', later, 1000, 1, ['telegram']);
      expect(again).toMatchObject({ id: first!.id, attempts: 2 });
      expect(await q.retryAt(again!.id, 'w2', new Date(Date.parse(NOW) + 60_000).toISOString(), '429')).toBe(true);
      expect(await q.claim('w2', later, 1000, 1, ['telegram'])).toEqual([]);
      const [third] = await q.claim('w2', new Date(Date.parse(NOW) + 61_000).toISOString(), 1000, 1, ['telegram']);
      expect(third?.attempts).toBe(3);
      expect(await q.postpone(third!.id, 'w2', new Date(Date.parse(NOW) + 62_000).toISOString())).toBe(true);
      const [fourth] = await q.claim('w2', new Date(Date.parse(NOW) + 63_000).toISOString(), 1000, 1, ['telegram']);
      expect(fourth).toMatchObject({ id: third!.id, attempts: 3 });
      expect(await q.markDead(fourth!.id, 'w2', 'blocked')).toBe(true);
      expect((await q.depth()).telegram ?? 0).toBe(0);
    });

    engine.it('sees an event key once and claims a job tick once', async () => {
      const s = store.system;
      expect(await s.firstSeen('slack:Ev42', NOW)).toBe(true);
      expect(await s.firstSeen('slack:Ev42', NOW)).toBe(false);
      const claims = await Promise.all([1, 2, 3, 4, 5].map((i) => s.claimTick('job', 'tick-1', `p${i}`, NOW)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await s.lastTick('job')).toBe('tick-1');
    });

    engine.it('gives back an unfinished tick once, to one other process', async () => {
      const s = store.system;
      expect(await s.claimTick('poll', 't1', 'w1', NOW)).toBe(true);
      expect(await s.claimTick('poll', 't2', 'w1', NOW)).toBe(true);
      expect(await s.claimReleasedTick('poll', 'w2', NOW)).toBeNull();
      expect(await s.releaseTick('poll', 't2', 'w2')).toBe(false);
      expect(await s.releaseTick('poll', 't2', 'w1')).toBe(true);
      expect(await s.releaseTick('poll', 't1', 'w1')).toBe(true);
      expect(await s.claimTick('poll', 't1', 'w3', NOW)).toBe(false);
      const takers = await Promise.all(['w2', 'w3', 'w4'].map((h) => s.claimReleasedTick('poll', h, NOW)));
      expect(takers.filter(Boolean).sort()).toEqual(['t1', 't2']);
      expect(await s.claimReleasedTick('poll', 'w5', NOW)).toBeNull();
    });

    engine.it('appends ledger entries atomically, once per key, never below a floor', async () => {
      const l = store.tenant('ledger-a').ledger('loyalty', 'points');
      const e = (key: string, account: string, delta: number) => ({ key, account, delta, kind: 'earn', at: NOW, data: { why: key } });
      expect(await l.append([e('k1', 'cust:1', 100)])).toEqual({ status: 'ok', balances: { 'cust:1': 100 } });
      expect(await l.append([e('k1', 'cust:1', 100)])).toEqual({ status: 'duplicate' });
      await l.append([e('s1', 'stock:mug', 1)]);
      // Redeeming a mug: points and stock move together or not at all.
      const redeem = (key: string, cost: number) => l.append([e(key, 'cust:1', -cost), e(`${key}:stock`, 'stock:mug', -1)], { 'cust:1': 0, 'stock:mug': 0 });
      expect(await redeem('r1', 150)).toEqual({ status: 'insufficient', account: 'cust:1', balance: 100 });
      expect(await redeem('r2', 60)).toEqual({ status: 'ok', balances: { 'cust:1': 40, 'stock:mug': 0 } });
      expect(await redeem('r3', 10)).toEqual({ status: 'insufficient', account: 'stock:mug', balance: 0 });
      expect(await l.balance('cust:1')).toBe(40);
      expect((await l.entries('cust:1')).map((x) => [x.key, x.delta])).toEqual([['k1', 100], ['r2', -60]]);
      expect((await l.entriesByPrefix('stock:')).map((x) => x.key)).toEqual(['s1', 'r2:stock']);
      expect(await store.tenant('ledger-b').ledger('loyalty', 'points').balance('cust:1')).toBe(0);
      expect(await l.eraseAccount('cust:1')).toBe(2);
      expect(await l.balance('cust:1')).toBe(0);
    });

    engine.it('lets exactly as many concurrent spends through as the balance covers', async () => {
      const l = store.tenant('ledger-race').ledger('loyalty', 'points');
      await l.append([{ key: 'fund', account: 'c', delta: 50, kind: 'earn', at: NOW, data: {} }]);
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) =>
        l.append([{ key: `spend-${i}`, account: 'c', delta: -1, kind: 'redeem', at: NOW, data: {} }], { c: 0 })));
      expect(results.filter((r) => r.status === 'ok')).toHaveLength(50);
      expect(await l.balance('c')).toBe(0);
      const sum = (await l.entries('c')).reduce((a, x) => a + x.delta, 0);
      expect(sum).toBe(0);
    });

    engine.it('imports a book of business with its own ids in bulk, pages through it, and keeps counting after it', async () => {
      const ts = store.tenant('t-bulk');
      const consent = { marketing: false, surveys: true, updatedAt: NOW };
      const customer = (id: number) => ({ tenant: 't-bulk', id, name: `Imported ${id}`, company: null, emails: [], phones: [], tags: [], owner: 'web:rep', lifecycle: 'lead', consent, mergedInto: null, createdAt: NOW, updatedAt: NOW });
      await ts.bulk.import({
        customers: [customer(10), customer(20)],
        interactions: [{ tenant: 't-bulk', id: 5, customerId: 20, identity: null, type: 'purchase', channel: 'import', direction: 'in', text: 'order', amountMinor: 900, currency: 'USD', occurredAt: NOW, sourceEventId: 'crm-x:5' }],
        deals: [{ tenant: 't-bulk', id: 3, customerId: 10, title: 'Old deal', amountMinor: 100, currency: 'USD', stage: 'won', probability: 1, owner: 'web:rep', expectedClose: null, closedAt: NOW, lostReason: null, history: [{ stage: 'won', at: NOW, by: 'import' }], createdAt: NOW, updatedAt: NOW }],
        cases: [{ tenant: 't-bulk', id: 2, customerId: 10, kind: 'complaint', owner: null, status: 'open', summary: 'late', dueAt: null, openedAt: NOW, closedAt: null }],
      });
      expect((await ts.bulk.page('customers', 0, 10)).map((c) => c.id)).toEqual([10, 20]);
      expect((await ts.bulk.page('customers', 10, 10)).map((c) => c.name)).toEqual(['Imported 20']);
      expect(await ts.bulk.page('interactions', 0, 10)).toEqual([expect.objectContaining({ id: 5, customerId: 20, amountMinor: 900, occurredAt: NOW })]);
      expect((await ts.bulk.page('deals', 0, 10))[0]).toMatchObject({ id: 3, stage: 'won', closedAt: NOW });
      expect((await ts.bulk.page('cases', 0, 10))[0]).toMatchObject({ id: 2, status: 'open' });
      expect((await ts.customers.findByName('imported 20')).map((c) => c.id)).toEqual([20]);
      expect((await ts.customers.create({ name: 'After' }, NOW)).id).toBe(21);
      expect((await ts.interactions.add({ ...msg(10, 'crm-x:5') })).created).toBe(false);
      expect(await store.tenant('t-bulk-other').bulk.page('customers', 0, 10)).toEqual([]);
    });

    engine.it('keeps plugin documents per tenant, plugin and collection', async () => {
      const a = store.tenant('docs-a').docs<{ id: string; kind: string; n: number }>('loyalty', 'ledger');
      const b = store.tenant('docs-b').docs<{ id: string; kind: string; n: number }>('loyalty', 'ledger');
      expect(await a.insertIfAbsent({ id: 'e1', kind: 'earn', n: 5 })).toBe(true);
      expect(await a.insertIfAbsent({ id: 'e1', kind: 'earn', n: 99 })).toBe(false);
      await a.put({ id: 'e2', kind: 'redeem', n: 3 });
      await a.put({ id: 'e3', kind: 'earn', n: 1 });
      expect(await b.get('e1')).toBeNull();
      expect((await a.find({ kind: 'earn' }, { orderBy: 'n', desc: true })).map((d) => d.id)).toEqual(['e1', 'e3']);
      expect(await a.deleteWhere({ kind: 'earn' })).toBe(2);
      expect(await a.delete('e2')).toBe(true);
      expect(await a.find({})).toEqual([]);
    });

    engine.it('updates a document only at the version it was read at, counts by filter and pages by id', async () => {
      const docs = store.tenant('t-cas').docs<{ id: string; seen: string[]; kind: string }>('p', 'c');
      await docs.put({ id: 'a', seen: [], kind: 'x' });
      const read = await docs.getVersioned('a');
      expect(read).toEqual({ doc: { id: 'a', seen: [], kind: 'x' }, version: 1 });
      expect(await docs.update('a', { seen: ['bob'] }, { ifVersion: 1 })).toEqual({ status: 'ok', version: 2 });
      // A writer that read version 1 too loses, and learns the version to read again.
      expect(await docs.update('a', { seen: ['carol'] }, { ifVersion: 1 })).toEqual({ status: 'conflict', version: 2 });
      expect((await docs.get('a'))?.seen).toEqual(['bob']);
      expect(await docs.update('a', { kind: 'y' })).toEqual({ status: 'ok', version: 3 });
      expect(await docs.update('nope', { kind: 'y' }, { ifVersion: 1 })).toEqual({ status: 'missing' });
      await docs.increment('a', 'n' as never, 1);
      expect((await docs.getVersioned('a'))?.version).toBe(4);
      expect(await docs.getVersioned('nope')).toBeNull();

      for (const id of ['c', 'b', 'd', 'e']) await docs.insertIfAbsent({ id, seen: [], kind: id < 'd' ? 'x' : 'z' });
      await store.tenant('t-cas-other').docs<{ id: string; kind: string }>('p', 'c').put({ id: 'b0', kind: 'x' });
      expect(await docs.count({ kind: 'x' })).toBe(2);
      expect(await docs.count({ kind: 'z' })).toBe(2);
      expect(await docs.count({})).toBe(5);
      expect(await docs.count({ kind: '{"$ne": null}' })).toBe(0);
      expect((await docs.page(null, 2)).map((d) => d.id)).toEqual(['a', 'b']);
      expect((await docs.page('b', 2)).map((d) => d.id)).toEqual(['c', 'd']);
      expect((await docs.page('d', 10)).map((d) => d.id)).toEqual(['e']);
      expect(await docs.page('e', 10)).toEqual([]);
    });

    engine.it('increments a document field atomically and updates only documents that exist', async () => {
      const v = store.tenant('docs-inc').docs<{ id: string; n?: number; note?: string | null; keep?: string }>('listening', 'meta');
      expect(await v.increment('version', 'n', 1)).toBe(1);
      expect(await Promise.all([1, 2, 3, 4].map(() => v.increment('version', 'n', 1)))).toEqual(expect.arrayContaining([2, 3, 4, 5]));
      expect(await v.get('version')).toEqual({ id: 'version', n: 5 });
      expect(await store.tenant('docs-other').docs<{ id: string }>('listening', 'meta').get('version')).toBeNull();
      await v.put({ id: 'src', note: 'x', keep: 'k' });
      expect(await v.updateIfPresent('src', { note: null })).toBe(true);
      expect(await v.get('src')).toEqual({ id: 'src', note: null, keep: 'k' });
      await v.delete('src');
      expect(await v.updateIfPresent('src', { note: 'back' })).toBe(false);
      expect(await v.get('src')).toBeNull();
      await expect(v.increment('version', 'n.$inc', 1)).rejects.toThrow(/invalid field name/);
    });

    engine.it('creates the document indexes a manifest declares, the same ones however often asked, and refuses unsafe field names', async () => {
      const declared = [['day', 'query'], ['customerId']];
      const names = ['plugin_docs.listening.mentions.day.query', 'plugin_docs.listening.mentions.customerId'];
      expect(await store.ensureDocIndexes('listening', 'mentions', declared)).toEqual(names);
      expect(await store.ensureDocIndexes('listening', 'mentions', declared)).toEqual(names);
      expect(await store.ensureDocIndexes('listening', 'mentions', [])).toEqual([]);
      await expect(store.ensureDocIndexes('listening', 'mentions', [['a.b']])).rejects.toThrow(/invalid field name "a.b"/);
      await expect(store.ensureDocIndexes('listening', 'mentions', [["day') ; DROP TABLE plugin_docs; --"]])).rejects.toThrow(/invalid field name/);
      await expect(store.ensureDocIndexes('listening', 'mentions', [['day', 'day']])).rejects.toThrow(/each field once/);
      await expect(store.ensureDocIndexes('listening', 'mentions', [[]])).rejects.toThrow(/1 to 8 fields/);
      await expect(store.ensureDocIndexes('listening', "mentions' OR 1=1", [['day']])).rejects.toThrow(/invalid document collection name/);
      await expect(store.ensureDocIndexes("core'; --", 'mentions', [['day']])).rejects.toThrow(/invalid plugin id/);

      // Indexed filters and orders answer exactly as before, per tenant and collection.
      const docs = store.tenant('t-idx').docs<{ id: string; day: string; query: string; customerId: number | null }>('listening', 'mentions');
      for (const [id, day, query, customerId] of [['m1', 'd1', 'acme', 1], ['m2', 'd1', 'beta', null], ['m3', 'd2', 'acme', 1], ['m4', 'd1', 'acme', 2]] as const) {
        await docs.put({ id, day, query, customerId });
      }
      await store.tenant('t-idx-other').docs<{ id: string; day: string; query: string }>('listening', 'mentions').put({ id: 'x1', day: 'd1', query: 'acme' });
      await store.tenant('t-idx').docs<{ id: string; day: string; query: string }>('listening', 'other').put({ id: 'y1', day: 'd1', query: 'acme' });
      expect((await docs.find({ day: 'd1', query: 'acme' })).map((d) => d.id)).toEqual(['m1', 'm4']);
      expect((await docs.find({ day: 'd1' }, { orderBy: 'query', desc: true })).map((d) => d.id)).toEqual(['m2', 'm1', 'm4']);
      expect(await docs.count({ customerId: 1 })).toBe(2);
      expect(await docs.count({ customerId: null })).toBe(1);
    });
  });
}

describe('contract [sqlite] across processes', () => {
  it('five processes racing for the same scheduled tick: exactly one runs it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'crm-race-')), 'crm.sqlite');
    openSqliteStore(file).close();
    const script = fileURLToPath(new URL('./store/claim-tick.ts', import.meta.url));
    const startAt = String(Date.now() + 3000);
    const run = promisify(execFile);
    const outs = await Promise.all([1, 2, 3, 4, 5].map((i) => run(process.execPath, ['--import', 'tsx', script, file, `p${i}`, startAt])));
    const results = outs.map((o) => o.stdout);
    expect(results.filter((r) => r === 'ran')).toHaveLength(1);
    expect(results.filter((r) => r === 'skipped')).toHaveLength(4);
  });
});
