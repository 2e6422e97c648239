import { Query } from 'mingo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimableFilter, customerSearchFilter, prefixRegex } from '../core/store/mongo/filters.js';
import type { Store } from '../core/store/port.js';
import { ENGINES } from './store/engines.js';

const NOW = '2026-06-30T12:00:00.000Z';
const matches = (filter: object, docs: object[]) => new Query(filter as Record<string, unknown>).find(docs).all() as Record<string, unknown>[];

/** The engine's own filter builders evaluated by mingo over documents shaped as MongoDB stores them, compared with SQLite's answers. */
describe('mingo: MongoDB filters agree with SQLite', () => {
  let store: Store;
  beforeAll(async () => {
    store = await ENGINES[0]!.open();
  });
  afterAll(() => store.close());

  it('customerSearchFilter finds what SQLite search finds, over Unicode and literal text', async () => {
    const ts = store.tenant('t-search');
    const input = [
      { name: 'Élodie Müller', company: 'ŒUVRE Straße', emails: ['Zoë@Example.test'] },
      { name: 'Ωmega', emails: ['x@y.test', 'second@ДОМ.test'] },
      { name: 'a.c', company: null, phones: ['élodie'] },
      { name: 'Merged Élodie' },
    ];
    for (const c of input) await ts.customers.create(c, NOW);
    await store.tenant('t-search').customers.merge(4, 1, 'web:a', NOW);
    await store.tenant('intruder').customers.create({ name: 'Élodie elsewhere' }, NOW);
    const docs = [
      ...(await store.tenant('t-search').bulk.page('customers', 0, 100)).map((c) => ({ ...c, tenant: 't-search' })),
      { tenant: 'intruder', id: 1, name: 'Élodie elsewhere', company: null, emails: [], mergedInto: null },
    ];
    for (const text of ['élodie', 'MÜLLER', 'œuvre', 'straße', 'ZOË', 'ωmega', 'дом', 'a.c', '.', '"', '","', '.*', '(']) {
      const viaMongo = matches(customerSearchFilter('t-search', text), docs).map((d) => d.id).sort();
      const viaSqlite = (await ts.customers.search(text, 100)).map((c) => c.id).sort();
      expect(viaMongo, text).toEqual(viaSqlite);
    }
  });

  it('claimableFilter picks outbox items that are pending, due, for a served platform, and unleased or lapsed', () => {
    const now = new Date(NOW);
    const at = (iso: string) => new Date(iso);
    const item = (id: number, o: Record<string, unknown>) => ({ id, status: 'pending', platform: 'slack', nextAttemptAt: at('2026-06-30T11:00:00.000Z'), leaseUntil: null, ...o });
    const docs = [
      item(1, {}),
      item(2, { nextAttemptAt: at('2026-06-30T13:00:00.000Z') }),
      item(3, { platform: 'discord' }),
      item(4, { leaseUntil: at('2026-06-30T11:30:00.000Z') }),
      item(5, { leaseUntil: at('2026-06-30T12:30:00.000Z') }),
      item(6, { status: 'sent' }),
      item(7, { status: 'dead' }),
      item(8, { nextAttemptAt: now }),
      item(9, { leaseUntil: now }),
    ];
    expect(matches(claimableFilter(['slack'], now), docs).map((d) => d.id)).toEqual([1, 4, 8]);
    expect(matches(claimableFilter(['slack', 'discord'], now), docs).map((d) => d.id)).toEqual([1, 3, 4, 8]);
    expect(matches(claimableFilter([], now), docs)).toEqual([]);
  });

  it('prefixRegex matches the prefix literally, at the start only', () => {
    const docs = ['member:1', 'member:10', 'xmember:1', 'member.1', 'memberX1'].map((account) => ({ account }));
    expect(matches({ account: prefixRegex('member:1') }, docs).map((d) => d.account)).toEqual(['member:1', 'member:10']);
    expect(matches({ account: prefixRegex('member.') }, docs).map((d) => d.account)).toEqual(['member.1']);
  });
});
