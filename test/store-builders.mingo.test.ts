import { Aggregator, Query } from 'mingo';
import { update, updateMany } from 'mingo/updater';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Customer, Deal, IdentityLink } from '../core/domain/types.js';
import type { OutboxItem, Store, TenantStore, Where } from '../core/store/port.js';
import * as codec from '../core/store/mongo/codecs.js';
import * as f from '../core/store/mongo/filters.js';
import * as u from '../core/store/mongo/updates.js';
import { countByTypePipeline, outboxDepthPipeline, spendTotalPipeline } from '../core/store/mongo/pipelines.js';
import { ENGINES } from './store/engines.js';
import { seed } from './store/fixtures.js';

type D = Record<string, unknown>;
const NOW = '2026-06-30T12:00:00.000Z';
const LATER = '2026-07-01T09:00:00.000Z';

const matches = (filter: object, docs: D[]) => new Query(filter as D).find(docs).all() as D[];
const run = (pipeline: object[], docs: D[]) => new Aggregator(pipeline as D[]).run(docs) as D[];
const ids = (docs: D[]) => docs.map((x) => x.id as number).sort((a, b) => a - b);
const byId = <T extends { id: number }>(xs: T[]) => [...xs].sort((a, b) => a.id - b.id);

/**
 * MongoDB's upsert rule for the engine's upserting updates, which mingo's updater leaves out: a match gets
 * `$set`/`$inc`; no match inserts the filter's equality fields, then `$setOnInsert`, `$set` and `$inc`.
 */
function upsert(docs: D[], filter: D, modifier: D): D {
  const { $setOnInsert, ...rest } = modifier as { $setOnInsert?: D } & D;
  const hit = matches(filter, docs)[0];
  if (hit) {
    update(hit, rest as never);
    return hit;
  }
  const doc: D = {};
  for (const [k, v] of Object.entries(filter)) if (v === null || typeof v !== 'object') doc[k] = v;
  update(doc, { ...(rest as D), $set: { ...($setOnInsert ?? {}), ...((rest.$set as D) ?? {}) } } as never);
  docs.push(doc);
  return doc;
}

/**
 * The engine's own filter, update and pipeline builders run by mingo over documents shaped as MongoDB stores them
 * (made by the engine's own codecs from SQLite's records), each compared with what SQLite does for the same call.
 */
describe('mingo: MongoDB filters, updates and pipelines agree with SQLite', () => {
  let store: Store;
  let acme: TenantStore;
  const customerDocs = async (): Promise<D[]> => {
    const out: D[] = [];
    for (const t of ['acme', 'other']) out.push(...(await store.tenant(t).bulk.page('customers', 0, 1000)).map(codec.customerDoc));
    return out;
  };
  const dealDocs = async (): Promise<D[]> => {
    const out: D[] = [];
    for (const t of ['acme', 'other']) out.push(...(await store.tenant(t).bulk.page('deals', 0, 1000)).map(codec.dealDoc));
    return out;
  };
  const caseDocs = async (): Promise<D[]> => {
    const out: D[] = [];
    for (const t of ['acme', 'other']) out.push(...(await store.tenant(t).bulk.page('cases', 0, 1000)).map(codec.caseDoc));
    return out;
  };

  beforeAll(async () => {
    store = await ENGINES[0]!.open();
    await seed(store, 'acme');
    await seed(store, 'other');
    acme = store.tenant('acme');
    // A namesake merged away (so live filters matter) and a customer created later (so creation windows matter).
    await acme.customers.create({ name: 'CUSTOMER 3' }, '2026-02-01T00:00:00.000Z');
    await acme.customers.merge(7, 3, 'web:alice', '2026-02-02T00:00:00.000Z');
    await acme.customers.create({ name: 'Late', owner: 'web:bob' }, '2026-03-01T00:00:00.000Z');
  });
  afterAll(() => store.close());

  it('customer filters select what SQLite selects: live, by name, keyset pages, created between', async () => {
    const docs = await customerDocs();
    expect(matches(f.liveCustomersFilter('acme'), docs).length).toBe(await acme.customers.count());
    for (const name of ['customer 3', 'CUSTOMER 3', 'Late', 'nobody']) {
      expect(ids(matches(f.customerNameFilter('acme', name), docs)), name).toEqual((await acme.customers.findByName(name)).map((c) => c.id));
    }
    for (const after of [0, 2, 6, 8]) {
      expect(ids(matches(f.customerPageFilter('acme', after), docs)), String(after)).toEqual((await acme.customers.page(after, 100)).map((c) => c.id));
    }
    for (const [from, to] of [['2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'], ['2026-01-01T00:00:00.000Z', '2026-12-31T00:00:00.000Z'], ['2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.001Z']] as const) {
      expect(matches(f.customersCreatedFilter('acme', new Date(from), new Date(to)), docs).length, from).toBe(await acme.customers.countCreatedBetween(from, to));
    }
  });

  it('customerPatchUpdate leaves the document SQLite leaves, name key included', async () => {
    const docs = await customerDocs();
    const patch = { name: 'Ünïcode RENAMED', tags: ['vip'], owner: 'web:bob' };
    const target = matches({ tenant: 'acme', id: 2 }, docs)[0]!;
    update(target, u.customerPatchUpdate(patch, LATER) as never);
    const viaSqlite = await acme.customers.update(2, patch, LATER);
    expect(codec.toCustomer(target)).toEqual(viaSqlite);
    expect(matches(f.customerNameFilter('acme', 'ünïcode renamed'), docs).map((x) => x.id)).toEqual([2]);
  });

  it('merge and unmerge updates move what SQLite moves, and back', async () => {
    const t = store.tenant('merge-t');
    for (const name of ['From', 'Into']) await t.customers.create({ name }, NOW);
    await t.identities.touch({ identity: 'web:from', platform: 'web', displayName: 'F', role: 'customer', customerId: 1, locale: null }, NOW);
    await t.deals.create({ customerId: 1, title: 'D', amountMinor: 1, currency: 'USD', stage: 'lead', probability: 0.1, owner: 'web:a', expectedClose: null }, 'web:a', NOW);
    const customers: D[] = (await t.bulk.page('customers', 0, 10)).map(codec.customerDoc);
    const identities: D[] = (await t.identities.listForCustomer(1)).map((i) => ({ ...i }));
    const deals: D[] = (await t.bulk.page('deals', 0, 10)).map(codec.dealDoc);

    const mr = await t.customers.merge(1, 2, 'web:a', LATER);
    updateMany(identities, { tenant: 'merge-t', customerId: 1 }, u.reassignUpdate(2) as never);
    updateMany(deals, { tenant: 'merge-t', customerId: 1 }, u.reassignUpdate(2) as never);
    updateMany(customers, { tenant: 'merge-t', id: 1 }, u.mergedIntoUpdate(2, LATER) as never);
    expect(customers.map(codec.toCustomer)).toEqual(await t.bulk.page('customers', 0, 10));
    expect(identities.map((i) => i.customerId)).toEqual((await t.identities.listForCustomer(2)).map((i) => i.customerId));

    await t.customers.unmerge(mr.id, LATER);
    updateMany(identities, f.anyOfFilter('merge-t', 'identity', mr.identities), u.reassignUpdate(mr.fromId) as never);
    updateMany(deals, f.anyOfFilter('merge-t', 'id', mr.dealIds), u.reassignUpdate(mr.fromId) as never);
    updateMany(customers, { tenant: 'merge-t', id: mr.fromId }, u.mergedIntoUpdate(null, LATER) as never);
    expect(customers.map(codec.toCustomer)).toEqual(await t.bulk.page('customers', 0, 10));
    expect(deals.map(codec.toDeal)).toEqual(await t.bulk.page('deals', 0, 10));
    expect(identities.map((i) => i.customerId)).toEqual([1]);
  });

  it('erasure updates leave what SQLite anonymise leaves', async () => {
    const t = store.tenant('erase-t');
    await t.customers.create({ name: 'Zoë', company: 'Z', emails: ['z@x.test'], phones: ['+1'], tags: ['t'] }, NOW);
    await t.interactions.add({ customerId: 1, identity: 'web:z', type: 'message', channel: 'web', direction: 'in', text: 'secret', amountMinor: null, currency: null, occurredAt: NOW, sourceEventId: null });
    await t.cases.open({ customerId: 1, kind: 'complaint', owner: null, summary: 'private', dueAt: null }, NOW);
    const customer = codec.customerDoc((await t.customers.get(1))!);
    const interactions: D[] = (await t.bulk.page('interactions', 0, 10)).map(codec.interactionDoc);
    const cases: D[] = (await t.bulk.page('cases', 0, 10)).map(codec.caseDoc);
    update(customer, u.erasureUpdate(1, LATER) as never);
    updateMany(interactions, { tenant: 'erase-t', customerId: 1 }, u.erasedInteractionsUpdate() as never);
    updateMany(cases, { tenant: 'erase-t', customerId: 1 }, u.erasedCasesUpdate() as never);
    expect(await t.customers.anonymise(1, LATER)).toBe(true);
    expect(codec.toCustomer(customer)).toEqual(await t.customers.get(1));
    expect(customer.nameLc).toBe('erased c-1');
    expect(interactions.map(codec.toInteraction)).toEqual(await t.bulk.page('interactions', 0, 10));
    expect(cases.map(codec.toCase)).toEqual(await t.bulk.page('cases', 0, 10));
  });

  it('identityTouchUpdate upserts as SQLite touch: first contact, refresh, locale kept, the person\'s zone kept', async () => {
    const t = store.tenant('touch-t');
    const docs: D[] = [];
    const touch = async (input: Parameters<TenantStore['identities']['touch']>[0], now: string) => {
      if (input.timezone) updateMany(docs, { tenant: 'touch-t', identity: input.identity, timezone: null }, u.platformZoneUpdate(input.timezone) as never);
      const doc = upsert(docs, { tenant: 'touch-t', identity: input.identity }, u.identityTouchUpdate(input, now));
      expect(codec.toIdentity(doc), `${input.identity} at ${now}`).toEqual(await t.identities.touch(input, now));
    };
    const base = { identity: 'slack:T1:U1', platform: 'slack' as const, displayName: 'Ana', role: 'customer' as const, customerId: null };
    await touch({ ...base, locale: 'es', timezone: 'Europe/Madrid' }, NOW);
    await touch({ ...base, displayName: 'Ana P', locale: null }, LATER);
    await touch({ ...base, locale: 'en', timezone: 'America/Lima' }, LATER);
    await touch({ ...base, identity: 'web:b', locale: null }, NOW);

    const doc = matches({ identity: 'web:b' }, docs)[0]!;
    const steps: [Parameters<typeof u.identityFieldUpdate>, () => Promise<IdentityLink | null | void>][] = [
      [['role', 'manager'], () => t.identities.setRole('web:b', 'manager')],
      [['customerId', 4], () => t.identities.attach('web:b', 4)],
      [['timezone', 'Asia/Tokyo'], () => t.identities.setTimezone('web:b', 'Asia/Tokyo')],
      [['reachable', false], () => t.identities.setReachable('web:b', false)],
    ];
    for (const [args, viaSqlite] of steps) {
      update(doc, u.identityFieldUpdate(...args) as never);
      await viaSqlite();
      expect(codec.toIdentity(doc), args[0]).toEqual(await t.identities.get('web:b'));
    }
  });

  it('stageMoveUpdate and dealListFilter agree with SQLite deals', async () => {
    const docs = await dealDocs();
    const moves = [
      { id: 1, change: { stage: 'won', at: LATER, by: 'web:bob', probability: 1, closed: true } },
      { id: 2, change: { stage: 'lost', at: LATER, by: 'web:bob', probability: 0, closed: true, lostReason: 'price' } },
      { id: 4, change: { stage: 'proposal', at: LATER, by: 'web:bob', probability: 0.5, closed: false } },
    ];
    for (const { id, change } of moves) {
      const doc = matches({ tenant: 'acme', id }, docs)[0]!;
      update(doc, u.stageMoveUpdate(change) as never);
      expect(codec.toDeal(doc)).toEqual(await acme.deals.moveStage(id, change));
    }
    const filters = [{}, { open: true }, { open: false }, { stage: 'proposal' }, { customerId: 2 }, { owner: 'web:alice', open: false }, { owner: 'web:nobody' }];
    for (const filter of filters) {
      const viaMongo = matches(f.dealListFilter('acme', filter), docs).map((x) => x.id as number).sort((a, b) => b - a);
      expect(viaMongo, JSON.stringify(filter)).toEqual((await acme.deals.list(filter, 100)).map((x: Deal) => x.id));
    }
  });

  it('case filters and updates agree with SQLite: open, respond, close with and without a resolution, list', async () => {
    const opened = [
      { customerId: 1, kind: 'complaint', at: '2026-06-01T00:00:00.000Z' },
      { customerId: 1, kind: 'question', at: '2026-06-10T00:00:00.000Z' },
      { customerId: 2, kind: 'complaint', at: '2026-06-20T00:00:00.000Z' },
      { customerId: 1, kind: 'complaint', at: '2026-07-02T00:00:00.000Z' },
    ];
    for (const c of opened) await acme.cases.open({ customerId: c.customerId, kind: c.kind, owner: null, summary: 's', dueAt: null }, c.at);
    const docs = await caseDocs();
    const close = async (id: number, at: string, resolved?: { by: string; resolution: string }) => {
      const hit = matches({ ...f.openCasesFilter('acme'), id }, docs)[0];
      if (hit) {
        update(hit, u.caseCloseUpdate(at, resolved) as never);
        if (resolved) updateMany(docs, { tenant: 'acme', id, firstResponseAt: null }, u.firstResponseUpdate(at) as never);
      }
      const viaSqlite = await acme.cases.close(id, at, resolved);
      expect(hit ? codec.toCase(hit) : null, `close ${id}`).toEqual(viaSqlite);
    };
    const respond = async (customerId: number, at: string) => {
      const { modifiedCount } = updateMany(docs, f.awaitingResponseFilter('acme', customerId, new Date(at)), u.firstResponseUpdate(at) as never);
      expect(modifiedCount, `respond ${customerId} ${at}`).toBe(await acme.cases.respond(customerId, at));
    };
    await respond(1, '2026-06-05T00:00:00.000Z');
    await close(2, '2026-06-11T00:00:00.000Z', { by: 'web:alice', resolution: 'answered' });
    await close(1, '2026-06-12T00:00:00.000Z', { by: 'web:alice', resolution: 'refund' });
    await close(3, '2026-06-21T00:00:00.000Z');
    await close(3, '2026-06-22T00:00:00.000Z', { by: 'web:alice', resolution: 'again' });
    await respond(1, '2026-06-30T00:00:00.000Z');
    expect(docs.filter((x) => x.tenant === 'acme').map(codec.toCase)).toEqual(await acme.bulk.page('cases', 0, 100));
    for (const customerId of [undefined, 1, 2, 3]) {
      expect(ids(matches(f.openCasesFilter('acme', customerId), docs)), String(customerId)).toEqual((await acme.cases.listOpen(customerId)).map((c: Case) => c.id));
    }
    const lists = [{}, { customerId: 1 }, { kind: 'complaint' }, { openedFrom: '2026-06-10T00:00:00.000Z' }, { openedTo: '2026-06-20T00:00:00.000Z' },
      { customerId: 1, kind: 'complaint', openedFrom: '2026-06-01T00:00:00.000Z', openedTo: '2026-07-02T00:00:00.000Z' }];
    for (const l of lists) expect(ids(matches(f.caseListFilter('acme', l), docs)), JSON.stringify(l)).toEqual((await acme.cases.list(l, 100)).map((c: Case) => c.id));
  });

  it('outbox lease, outcome and release updates leave what SQLite leaves; depth and delivered agree', async () => {
    const t = store.tenant('out-t');
    const targets = ['web:a', 'web:b', 'slack:T1:U1', 'web:a'];
    for (const [i, target] of targets.entries()) {
      await t.outbox.enqueue({ platform: target.split(':')[0] as OutboxItem['platform'], target, reply: { text: `m${i}` }, idempotencyKey: `k${i}` }, NOW);
    }

    const now = new Date(NOW);
    const until = new Date(Date.parse(NOW) + 60_000);
    const claimedIds = (await store.system.outbox.claim('w1', NOW, 60_000, 10, ['web'])).map((o) => o.id);
    const mirror: D[] = [1, 2, 3, 4].map((id) => codec.outboxDoc({
      id, tenant: 'out-t', platform: targets[id - 1]!.split(':')[0] as OutboxItem['platform'], target: targets[id - 1]!, reply: { text: `m${id - 1}` },
      status: 'pending', attempts: 0, nextAttemptAt: NOW, leaseHolder: null, leaseUntil: null, idempotencyKey: `k${id - 1}`, lastError: null, createdAt: NOW, sentAt: null, parts: {},
    }));
    const picked = ids(matches(f.claimableFilter(['web'], now), mirror));
    updateMany(mirror, f.claimCandidatesFilter(['web'], now, picked), u.leaseUpdate('w1', until) as never);
    expect(ids(matches(f.claimedFilter(picked, 'w1', until), mirror))).toEqual(claimedIds);
    expect(run(outboxDepthPipeline(), mirror)).toEqual(Object.entries(await store.system.outbox.depth()).map(([platform, n]) => ({ _id: platform, n })).sort((a, b) => (a._id < b._id ? -1 : 1)));

    const q = store.system.outbox;
    const outcomes: [number, object, () => Promise<boolean>][] = [
      [claimedIds[0]!, u.sentUpdate(LATER), () => q.markSent(claimedIds[0]!, 'w1', LATER)],
      [claimedIds[1]!, u.retryUpdate(LATER, 'HTTP 502'), () => q.retryAt(claimedIds[1]!, 'w1', LATER, 'HTTP 502')],
      [claimedIds[2]!, u.postponeUpdate(LATER), () => q.postpone(claimedIds[2]!, 'w1', LATER)],
      [claimedIds[0]!, u.deadUpdate('too late'), () => q.markDead(claimedIds[0]!, 'w1', 'too late')],
    ];
    for (const [id, modifier, viaSqlite] of outcomes) {
      const { modifiedCount } = updateMany(mirror, f.leasedFilter(id, 'w1'), modifier as never);
      expect(modifiedCount === 1, `${id} ${Object.keys(modifier)}`).toBe(await viaSqlite());
    }
    const sent = matches(f.deliveredFilter('out-t', 'web:a'), mirror).map(codec.toOutbox);
    expect(sent).toEqual(await t.outbox.delivered('web:a', 10));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ status: 'sent', attempts: 1, leaseHolder: null, leaseUntil: null, sentAt: LATER });
    expect(matches({ id: claimedIds[1] }, mirror).map(codec.toOutbox)[0]).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 502', nextAttemptAt: LATER, leaseHolder: null });
    expect(matches({ id: claimedIds[2] }, mirror).map(codec.toOutbox)[0]).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: LATER, leaseHolder: null });

    const again = (await q.claim('w2', LATER, 60_000, 10, ['web', 'slack'])).map((o) => o.id);
    const later = new Date(LATER);
    const pickedAgain = ids(matches(f.claimableFilter(['web', 'slack'], later), mirror));
    updateMany(mirror, f.claimCandidatesFilter(['web', 'slack'], later, pickedAgain), u.leaseUpdate('w2', new Date(Date.parse(LATER) + 60_000)) as never);
    expect(pickedAgain).toEqual([...again].sort((a, b) => a - b));
    const { modifiedCount } = updateMany(mirror, f.heldFilter('w2'), u.releaseUpdate() as never);
    expect(modifiedCount).toBe(await q.release('w2'));
    // Every field of every item, after all of the above: what a third worker claims is the same on both.
    const until3 = new Date(Date.parse(LATER) + 30_000);
    const viaSqlite = await q.claim('w3', LATER, 30_000, 10, ['web', 'slack']);
    const pickedLast = ids(matches(f.claimableFilter(['web', 'slack'], later), mirror));
    updateMany(mirror, f.claimCandidatesFilter(['web', 'slack'], later, pickedLast), u.leaseUpdate('w3', until3) as never);
    expect(byId(matches(f.claimedFilter(pickedLast, 'w3', until3), mirror).map(codec.toOutbox))).toEqual(byId(viaSqlite));
    expect(viaSqlite.map((o) => o.attempts).sort()).toEqual([1, 1, 2]);
  });

  it('plugin document filters and updates agree with SQLite: put, insert once, patch, increment, where, pages', async () => {
    const docs = store.tenant('docs-t').docs<{ id: string; kind?: string; n?: number; done?: boolean | null }>('loyalty', 'cards');
    const wheres: Where[] = [{}, { kind: 'gold' }, { done: null }, { done: false }, { kind: 'gold', n: 7 }];
    const base = { tenant: 'docs-t', plugin: 'loyalty', collection: 'cards' };
    const mirror: D[] = [];
    const key = (id: string) => ({ ...base, id });
    for (const d of [{ id: 'a', kind: 'gold', n: 1 }, { id: 'b', kind: 'silver', done: true }, { id: 'c', kind: 'gold', done: null }]) {
      upsert(mirror, key(d.id), u.docPutUpdate(d));
      await docs.put(d);
    }
    const replaced = { id: 'a', kind: 'gold', n: 2 };
    upsert(mirror, key('a'), u.docPutUpdate(replaced));
    await docs.put(replaced);
    for (const d of [{ id: 'a', kind: 'lost' }, { id: 'd', kind: 'bronze' }] as { id: string; kind: string }[]) {
      const before = matches(key(d.id), mirror).length;
      upsert(mirror, key(d.id), u.docInsertUpdate(d));
      expect(before === 0, d.id).toBe(await docs.insertIfAbsent(d));
    }
    for (const [id, by] of [['a', 5], ['e', 2], ['e', -1]] as const) {
      const doc = upsert(mirror, key(id), u.docIncrementUpdate(id, 'n', by));
      expect((doc.doc as D).n, `${id} ${by}`).toBe(await docs.increment(id, 'n', by));
    }
    update(matches(key('b'), mirror)[0]!, f.docPatch({ done: false, n: 7 }) as never);
    expect(await docs.updateIfPresent('b', { done: false, n: 7 })).toBe(true);

    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      const doc = matches(key(id), mirror)[0]!;
      expect({ doc: doc.doc, version: doc.version }, id).toEqual(await docs.getVersioned(id));
    }
    for (const where of wheres) {
      const viaMongo = matches(f.docWhereFilter(base, where), mirror).map((x) => x.id).sort();
      expect(viaMongo, JSON.stringify(where)).toEqual((await docs.find(where)).map((x) => x.id));
      expect(viaMongo.length).toBe(await docs.count(where));
    }
    for (const after of [null, 'a', 'c', 'e']) {
      const page = matches(f.docPageFilter(base, after), mirror).map((x) => x.id).sort();
      expect(page, String(after)).toEqual((await docs.page(after, 100)).map((x) => x.id));
    }
  });

  it('countByTypePipeline, spendTotalPipeline = SQLite countByType, spend total', async () => {
    const interactions: D[] = [];
    for (const t of ['acme', 'other']) interactions.push(...(await store.tenant(t).bulk.page('interactions', 0, 1000)).map(codec.interactionDoc));
    await acme.interactions.add({ customerId: 1, identity: null, type: 'call', channel: 'phone', direction: 'out', text: 'hi', amountMinor: null, currency: null, occurredAt: NOW, sourceEventId: null });
    interactions.push(codec.interactionDoc((await acme.interactions.listForCustomer(1, 1))[0]!));
    for (const customerId of [1, 2, 5, 99]) {
      const rows = run(countByTypePipeline('acme', customerId), interactions);
      expect(Object.fromEntries(rows.map((r) => [r._id, r.n])), String(customerId)).toEqual(await acme.interactions.countByType(customerId));
    }
    const spend: D[] = [];
    for (const [month, amount, tenant] of [['2026-01', 100, 'acme'], ['2026-02', 250, 'acme'], ['2026-03', 75, 'acme'], ['2026-02', 9999, 'other']] as const) {
      await store.tenant(tenant).spend.record(month, amount, 'USD', 'web:a', NOW);
      spend.push({ tenant, month, amountMinor: amount, currency: 'USD', by: 'web:a', at: new Date(NOW) });
    }
    for (const [from, to] of [['2026-01', '2026-03'], ['2026-02', '2026-02'], ['2026-04', '2026-05'], ['2025-12', '2026-01']] as const) {
      const [r] = run(spendTotalPipeline('acme', from, to), spend);
      expect((r?.s as number | undefined) ?? 0, `${from}..${to}`).toBe(await acme.spend.total(from, to));
    }
  });

  it('job tick builders: a released tick is the one another holder takes, the oldest first; old event keys pruned', () => {
    const ticks: D[] = [
      { job: 'digest', tick: '2026-06-02', holder: 'p1', at: new Date(NOW) },
      { job: 'digest', tick: '2026-06-01', holder: 'p1', at: new Date(NOW) },
      { job: 'survey', tick: '2026-06-01', holder: '', at: new Date(NOW) },
    ];
    updateMany(ticks, { job: 'digest', tick: '2026-06-02', holder: 'p1' }, u.tickReleaseUpdate() as never);
    updateMany(ticks, { job: 'digest', tick: '2026-06-01', holder: 'p1' }, u.tickReleaseUpdate() as never);
    const [first] = run([{ $match: f.releasedTickFilter('digest') }, { $sort: { tick: 1 } }, { $limit: 1 }], ticks);
    expect(first?.tick).toBe('2026-06-01');
    update(first!, u.tickClaimUpdate('p2', LATER) as never);
    expect(matches(f.releasedTickFilter('digest'), ticks).map((x) => x.tick)).toEqual(['2026-06-02']);
    expect(ticks[1]).toEqual({ job: 'digest', tick: '2026-06-01', holder: 'p2', at: new Date(LATER) });
    const seen = [{ _id: 'a', at: new Date('2026-06-01T00:00:00.000Z') }, { _id: 'b', at: new Date(NOW) }];
    expect(matches(f.seenBeforeFilter(new Date(NOW)), seen).map((x) => x._id)).toEqual(['a']);
  });
});
