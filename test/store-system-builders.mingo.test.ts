import { Aggregator, Query } from 'mingo';
import { update, updateMany } from 'mingo/updater';
import { describe, expect, it } from 'vitest';
import type { InboxItem, LedgerEntry } from '../core/store/port.js';
import * as codec from '../core/store/mongo/codecs.js';
import * as f from '../core/store/mongo/filters.js';
import * as u from '../core/store/mongo/updates.js';
import { erasureWrites } from '../core/store/mongo/erasure-writes.js';
import { openSqliteStore } from '../core/store/sqlite/engine.js';
import { seed } from './store/fixtures.js';

type D = Record<string, any>;
const T0 = '2026-06-30T12:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const matches = (filter: object, docs: D[]) => new Query(filter as D).find(docs).all() as D[];
/** An update pipeline run the way MongoDB runs it: each matched document replaced by the pipeline's output. */
const pipelineUpdate = (docs: D[], filter: object, pipeline: object[]) => {
  for (const hit of matches(filter, docs)) Object.assign(hit, new Aggregator(pipeline as D[]).run([{ ...hit }])[0]);
};
/** MongoDB's insert-only upsert: a new document from the filter's equality fields and `$setOnInsert`, a match left alone. */
const insertOnly = (docs: D[], filter: D, modifier: { $setOnInsert: D }) => {
  if (!matches(filter, docs).length) docs.push({ ...filter, ...modifier.$setOnInsert });
};

/** The builders of the system repositories (inbox, web access, idempotency, subscriptions, ledger, erasure) run by mingo, each compared with SQLite. */
describe('mingo: system repository builders agree with SQLite', () => {
  it('inbox: insert-only appends, stale claims in lease order, holder-only extension, done', async () => {
    const sqlite = openSqliteStore(':memory:').system.inbox;
    const docs: D[] = [];
    const items: InboxItem[] = [
      { id: 'b', event: 'e1', holder: 'p1', leaseUntil: at(1) },
      { id: 'a', event: 'e2', holder: 'p1', leaseUntil: at(1) },
      { id: 'c', event: 'e3', holder: 'p2', leaseUntil: at(5) },
    ];
    const append = async (xs: InboxItem[]) => {
      await sqlite.append(xs);
      for (const i of xs) insertOnly(docs, { _id: i.id }, u.insertOnlyUpdate({ event: i.event, holder: i.holder, leaseUntil: codec.d(i.leaseUntil) }) as never);
    };
    await append(items);
    await append([{ id: 'a', event: 'again', holder: 'p9', leaseUntil: at(0) }]);
    expect(docs.find((x) => x._id === 'a')).toMatchObject({ event: 'e2', holder: 'p1' });

    const claim = async (holder: string, now: string, until: string, limit: number) => {
      const taken = matches(f.staleInboxFilter(codec.d(now)), docs)
        .sort((x, y) => x.leaseUntil - y.leaseUntil || (x._id < y._id ? -1 : 1)).slice(0, limit);
      for (const x of taken) update(x, u.inboxLeaseUpdate(holder, codec.d(until)) as never);
      const mine = taken.map((x) => x._id).sort();
      expect(mine, `${holder} at ${now}`).toEqual((await sqlite.claimStale(holder, now, until, limit)).map((x) => x.id));
    };
    await claim('p3', at(2), at(10), 1);
    await claim('p3', at(2), at(10), 5);
    await claim('p4', at(6), at(20), 5);
    await claim('p4', at(30), at(40), 5);

    for (const [ids, holder] of [[['a', 'b'], 'p4'], [['c'], 'p3']] as const) {
      await sqlite.extend([...ids], holder, at(50));
      updateMany(docs, f.heldInboxFilter([...ids], holder), u.leaseUntilUpdate(codec.d(at(50))) as never);
    }
    expect(docs.map((x) => `${x._id}/${x.holder}/${x.leaseUntil.toISOString()}`).sort()).toEqual([`a/p4/${at(50)}`, `b/p4/${at(50)}`, `c/p4/${at(40)}`]);
    await sqlite.done(['a']);
    docs.splice(0, docs.length, ...docs.filter((x) => !matches(f.idsFilter(['a']), [x]).length));
    expect(docs.map((x) => x._id).sort()).toEqual(['b', 'c']);
    // What SQLite still has answers to a claim at the same times as the mirror.
    await claim('p5', at(45), at(60), 5);
    await claim('p5', at(55), at(60), 5);
  });

  it('web access: an invite is used once and only before it expires; live sessions; prune removes the same', async () => {
    const web = openSqliteStore(':memory:').tenant('w').webAccess;
    const invites: D[] = [];
    const sessions: D[] = [];
    for (const [hash, identity, exp] of [['h1', 'web:a', 10], ['h2', 'web:b', 1], ['h3', 'web:a', 10]] as const) {
      await web.addInvite({ hash, identity, expiresAt: at(exp) }, T0);
      invites.push({ tenant: 'w', hash, identity, expiresAt: codec.d(at(exp)), usedAt: null, createdAt: codec.d(T0) });
    }
    for (const [hash, identity, exp] of [['s1', 'web:a', 5], ['s2', 'web:b', 30], ['s3', 'web:a', 30]] as const) {
      await web.addSession({ hash, identity, expiresAt: at(exp) }, T0);
      sessions.push({ tenant: 'w', hash, identity, expiresAt: codec.d(at(exp)), createdAt: codec.d(T0) });
    }
    for (const [hash, now] of [['h1', 2], ['h1', 3], ['h2', 2], ['nope', 2], ['h3', 20]] as const) {
      const [hit] = matches(f.usableInviteFilter('w', hash, codec.d(at(now))), invites);
      if (hit) update(hit, u.inviteUsedUpdate(at(now)) as never);
      const mine = hit ? { status: 'ok', identity: hit.identity } : { status: matches({ tenant: 'w', hash }, invites)[0] ? 'not ok' : 'unknown' };
      const theirs = await web.useInvite(hash, at(now));
      expect(mine.status === 'ok' ? mine : mine.status === 'unknown' ? mine : { status: 'not ok' }, `${hash} at ${now}`)
        .toEqual(theirs.status === 'ok' || theirs.status === 'unknown' ? theirs : { status: 'not ok' });
    }
    for (const [hash, now] of [['s1', 4], ['s1', 5], ['s2', 20], ['x', 0]] as const) {
      const mine = matches(f.liveSessionFilter('w', hash, codec.d(at(now))), sessions)[0];
      expect(mine ? { identity: mine.identity, expiresAt: mine.expiresAt.toISOString() } : null, `${hash} at ${now}`).toEqual(await web.session(hash, at(now)));
    }
    const pruned = matches(f.expiredSessionsFilter('w', codec.d(at(15))), sessions).length + matches(f.staleInvitesFilter('w', codec.d(at(15)), codec.d(at(3))), invites).length;
    expect(pruned).toBe(4);
    expect(pruned).toBe(await web.prune(at(15), at(3)));
    expect(matches(f.identityFilter('w', 'web:b'), sessions).map((x) => x.hash)).toEqual(['s2']);
    expect(await web.endSessions('web:b')).toBe(1);
  });

  it('idempotency: a key expires by its creation time, finishes with its answer, and only an unfinished one is abandoned', async () => {
    const repo = openSqliteStore(':memory:').tenant('i').idempotency;
    const docs: D[] = [{ tenant: 'i', identity: 'web:a', key: 'k1', fingerprint: 'f', status: null, body: null, createdAt: codec.d(T0) }];
    await repo.begin('web:a', 'k1', 'f', T0, at(-1440));
    expect(matches(f.idempotencyKeyFilter('i', 'web:a', 'k1', codec.d(T0)), docs)).toEqual([]);
    expect(matches(f.idempotencyKeyFilter('i', 'web:a', 'k1', codec.d(at(1))), docs)).toHaveLength(1);
    expect(matches(f.idempotencyKeyFilter('i', 'web:b', 'k1'), docs)).toEqual([]);
    expect(matches(f.unfinishedKeyFilter('i', 'web:a', 'k1'), docs)).toHaveLength(1);
    updateMany(docs, f.idempotencyKeyFilter('i', 'web:a', 'k1'), u.idempotencyFinishUpdate(201, { id: 7 }) as never);
    await repo.finish('web:a', 'k1', 201, { id: 7 });
    expect(await repo.begin('web:a', 'k1', 'f', at(1), at(-1440))).toEqual({ state: 'done', status: docs[0]!.status, body: docs[0]!.body });
    expect(matches(f.unfinishedKeyFilter('i', 'web:a', 'k1'), docs)).toEqual([]);
    expect(matches(f.createdBeforeFilter('i', codec.d(at(1))), docs)).toHaveLength(await repo.prune(at(1)));
  });

  it('subscriptions: lease, advance, fail and park, retry, skip leave the state SQLite leaves', async () => {
    const subs = openSqliteStore(':memory:').system.subscriptions;
    const docs: D[] = [];
    const state = (x: D) => ({
      name: x.name, tenant: x.tenant, position: x.position, attempts: x.attempts, nextAttemptAt: codec.isoOrNull(x.nextAttemptAt),
      failedPosition: x.failedPosition ?? null, lastError: x.lastError ?? null, parkedAt: codec.isoOrNull(x.parkedAt),
      leaseHolder: x.leaseHolder ?? null, leaseUntil: codec.isoOrNull(x.leaseUntil),
    });
    const same = async () => expect(docs.map(state)).toEqual(await subs.list({}));
    const held = f.subscriptionHeldFilter('s', 't', 'me');

    insertOnly(docs, f.subscriptionFilter('s', 't'), u.subscriptionSeedUpdate('s', 't') as never);
    const claim = async (holder: string, now: string) => {
      const [hit] = matches(f.claimableSubscriptionFilter('s', 't', holder, codec.d(now)), docs);
      if (hit) update(hit, u.subscriptionLeaseUpdate(holder, new Date(Date.parse(now) + 60_000)) as never);
      expect(Boolean(hit), `${holder} at ${now}`).toBe((await subs.claim('s', 't', holder, now, 60_000)) !== null);
      await same();
    };
    await claim('me', T0);
    await claim('other', at(0.5));
    updateMany(docs, held, u.subscriptionAdvanceUpdate(4) as never);
    await subs.advance('s', 't', 'me', 4);
    await same();
    const failure = { position: 5, error: 'x'.repeat(1200), retryAt: at(2), park: true, now: at(1) };
    updateMany(docs, held, u.subscriptionFailUpdate(failure) as never);
    await subs.fail('s', 't', 'me', failure);
    await same();
    expect(matches(f.subscriptionListFilter(true), docs)).toHaveLength((await subs.list({ parked: true })).length);
    expect(matches(f.subscriptionListFilter(false), docs)).toHaveLength((await subs.list({ parked: false })).length);
    // Released by someone who does not hold it: nothing changes.
    updateMany(docs, f.subscriptionHeldFilter('s', 't', 'other'), u.subscriptionReleaseUpdate() as never);
    await subs.release('s', 't', 'other');
    await same();
    pipelineUpdate(docs, f.parkedSubscriptionFilter('s', 't'), u.subscriptionSkipPipeline());
    await subs.skip('s', 't');
    await same();
    expect(docs[0]).toMatchObject({ position: 5, parkedAt: null });
    // Not parked any more: neither retry nor skip applies.
    expect(matches(f.parkedSubscriptionFilter('s', 't'), docs)).toEqual([]);
    expect(await subs.retry('s', 't')).toBe(false);
  });

  it('ledger: floors guard the same moves, accounts and prefixes select the same entries', async () => {
    const ledger = openSqliteStore(':memory:').tenant('l').ledger('loyalty', 'points');
    const scope = { tenant: 'l', plugin: 'loyalty', ledger: 'points' };
    const balances: D[] = [];
    const entries: D[] = [];
    let seq = 0;
    const counters: D[] = [];
    const append = async (batch: LedgerEntry[], floors: Record<string, number> = {}) => {
      const moved = balances.map((x) => ({ ...x }));
      let ok = !matches(f.ledgerKeyFilter(scope, batch[0]!.key), entries).length;
      for (const e of batch) {
        if (!ok) break;
        insertOnly(moved, f.ledgerAccountFilter(scope, e.account), u.balanceSeedUpdate());
        const [hit] = matches(f.floorGuardFilter(scope, e.account, e.delta, floors[e.account]), moved);
        if (hit) update(hit, u.balanceMoveUpdate(e.delta) as never);
        else ok = false;
      }
      const theirs = await ledger.append(batch, floors);
      expect(ok ? 'ok' : 'refused', batch[0]!.key).toBe(theirs.status === 'ok' ? 'ok' : 'refused');
      if (!ok) return;
      balances.splice(0, balances.length, ...moved);
      insertOnly(counters, f.counterFilter('l', 'ledger:loyalty:points'), { $setOnInsert: { value: 0 } });
      update(counters[0]!, u.counterIncUpdate(batch.length) as never);
      for (const e of batch) entries.push({ ...scope, ...e, seq: ++seq });
      expect(counters[0]!.value).toBe(seq);
    };
    const entry = (key: string, account: string, delta: number): LedgerEntry => ({ key, account, delta, kind: 'earn', at: T0, data: {} });
    await append([entry('k1', 'c:1', 10), entry('k1b', 'pool:a', -10)]);
    await append([entry('k2', 'c:1', -15)], { 'c:1': 0 });
    await append([entry('k3', 'c:1', -10)], { 'c:1': 0 });
    await append([entry('k3', 'c:1', -1)]);
    await append([entry('k4', 'c:10', 3), entry('k4b', 'c:1.x', 2)]);
    for (const account of ['c:1', 'pool:a', 'c:10']) {
      expect(matches(f.ledgerAccountFilter(scope, account), balances)[0]?.balance ?? 0, account).toBe(await ledger.balance(account));
      expect(matches(f.ledgerAccountFilter(scope, account), entries).map((x) => x.key), account).toEqual((await ledger.entries(account)).map((x) => x.key));
    }
    for (const prefix of ['c:1', 'c:1.', 'pool', '.*']) {
      expect(matches(f.ledgerPrefixFilter(scope, prefix), entries).map((x) => `${x.key}/${x.account}`), prefix)
        .toEqual((await ledger.entriesByPrefix(prefix)).map((x) => `${x.key}/${x.account}`));
    }
  });

  it('erasure writes leave customers, interactions, deals and cases as the SQLite erasure leaves them', async () => {
    const store = openSqliteStore(':memory:');
    await seed(store, 'acme');
    const t = store.tenant('acme');
    // Lost deals whose reasons must go: one of the customer's, one of another's that names them.
    const [own] = await t.deals.list({ customerId: 2 }, 10);
    await t.deals.moveStage(own!.id, { stage: 'lost', at: T0, by: 'web:bob', probability: 0, closed: true, lostReason: 'price' });
    const [other] = await t.deals.list({ customerId: 3 }, 10);
    await t.deals.moveStage(other!.id, { stage: 'lost', at: T0, by: 'web:bob', probability: 0, closed: true, lostReason: 'went with customer 2 instead' });
    // An edited message of the customer's: the text before the edit must go as well.
    await t.interactions.add({ customerId: 2, identity: null, type: 'message', channel: 'web', direction: 'in', text: 'first words', amountMinor: null, currency: null, occurredAt: T0, sourceEventId: null, messageId: 'web:edited:1' });
    expect(await t.interactions.applyMessageChange('web:edited:1', { kind: 'changed', text: 'second words', at: T0 })).toBe(1);
    const all = async () => ({
      Customer: (await t.bulk.page('customers', 0, 1000)).map(codec.customerDoc),
      Interaction: (await t.bulk.page('interactions', 0, 10_000)).map(codec.interactionDoc),
      Deal: (await t.bulk.page('deals', 0, 1000)).map(codec.dealDoc),
      Case: (await t.bulk.page('cases', 0, 1000)).map(codec.caseDoc),
    });
    const mirror: Record<string, D[]> = await all();
    const plan = await t.erasure.footprint(2);
    const words = ['Customer 2'];
    const writes = erasureWrites('acme', plan, words, T0);
    for (const w of writes) {
      const docs = mirror[w.on];
      if (!docs) continue;
      if (w.op === 'deleteMany') docs.splice(0, docs.length, ...docs.filter((x) => !matches(w.filter, [x]).length));
      else if (Array.isArray(w.update)) pipelineUpdate(docs, w.filter, w.update);
      else updateMany(docs, w.filter, w.update as never, w.arrayFilters as never);
    }
    await t.erasure.erase(plan, words, T0);
    const after = await all();
    expect(mirror.Customer!.map(codec.toCustomer)).toEqual(after.Customer.map(codec.toCustomer));
    expect(mirror.Interaction!.map(codec.toInteraction)).toEqual(after.Interaction.map(codec.toInteraction));
    expect(mirror.Deal!.map(codec.toDeal)).toEqual(after.Deal.map(codec.toDeal));
    expect(mirror.Case!.map(codec.toCase)).toEqual(after.Case.map(codec.toCase));
    expect(mirror.Customer!.find((x) => x.id === 2)).toMatchObject({ name: 'Erased C-2', nameLc: 'erased c-2', emails: [] });
    expect(writes.some((w) => w.on === 'EventLog')).toBe(true);
  });
});
