import { Aggregator } from 'mingo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedSincePipeline, pipelineByStage, readRfmAt, rfmAtPipeline, rfmPipeline } from '../core/store/mongo/pipelines.js';
import type { Store } from '../core/store/port.js';
import { ENGINES } from './store/engines.js';
import { AS_OF, MONEY, seed } from './store/fixtures.js';
import * as digest from '../core/store/mongo/digest-pipelines.js';
import { BOUNDS, CUSTOMERS, digestDocs, seedDigest } from './fixtures/kpi-digest/store-seed.js';

const run = (pipeline: Record<string, unknown>[], docs: object[]) => new Aggregator(pipeline).run(docs) as Record<string, unknown>[];

/**
 * The MongoDB pipeline builders evaluated by mingo (an independent implementation of MongoDB's query
 * semantics) over the documents the mongoose engine would hold, compared with SQLite's answers.
 */
describe('mingo: MongoDB pipelines agree with SQLite on the contract fixtures', () => {
  let store: Store;
  const interactions: object[] = [];
  const deals: object[] = [];

  beforeAll(async () => {
    store = await ENGINES[0]!.open();
    await seed(store, 'acme');
    await seed(store, 'other');
    for (const tenant of ['acme', 'other']) {
      const ts = store.tenant(tenant);
      for (let c = 1; c <= 6; c++) {
        for (const i of await ts.interactions.listForCustomer(c, 1000)) interactions.push({ ...i, occurredAt: new Date(i.occurredAt) });
      }
      for (const d of await ts.deals.list({}, 1000)) {
        deals.push({ ...d, closedAt: d.closedAt ? new Date(d.closedAt) : null, createdAt: new Date(d.createdAt), updatedAt: new Date(d.updatedAt) });
      }
    }
    // A row of another tenant that would change every figure if the $match leaked.
    interactions.push({ tenant: 'intruder', id: 1, customerId: 1, type: 'purchase', amountMinor: 1e9, occurredAt: new Date(AS_OF) });
  });
  afterAll(() => store.close());

  it('rfmPipeline = SQLite RFM', async () => {
    for (const money of [MONEY, { ...MONEY, currency: 'EUR' }, { currency: 'USD', fx: {} }, { currency: 'GBP', fx: MONEY.fx }]) {
      const rows = run(rfmPipeline('acme', new Date(AS_OF), money.currency, money.fx), interactions);
      expect(rows, money.currency).toEqual(await store.tenant('acme').analytics.rfm(AS_OF, money));
      expect(rows.some((r) => (r.unconverted as unknown[]).length > 0)).toBe(true);
    }
  });

  it('rfmAtPipeline = SQLite RFM at several dates in one walk, purchases on a date included', async () => {
    const asOfs = [AS_OF, '2026-06-01T10:00:00.000Z', '2026-06-30T12:00:00.002Z', '2026-05-02T08:59:59.999Z', AS_OF, '2020-01-01T00:00:00.000Z'];
    for (const money of [MONEY, { ...MONEY, currency: 'EUR' }, { currency: 'USD', fx: {} }]) {
      const rows = run(rfmAtPipeline('acme', asOfs.map((a) => new Date(a)), money.currency, money.fx), interactions) as ({ at: number } & Record<string, unknown>)[];
      const folded = readRfmAt(rows, asOfs.length);
      expect(folded, money.currency).toEqual(await store.tenant('acme').analytics.rfmAt(asOfs, money));
      expect(folded.map((r) => r.length)).toEqual([6, 4, 6, 4, 6, 0]);
    }
  });

  it('pipelineByStage = SQLite pipeline', async () => {
    expect(run(pipelineByStage('acme', 'USD'), deals)).toEqual(await store.tenant('acme').analytics.pipeline('USD'));
  });

  it('closedSincePipeline = SQLite closed-deal stats', async () => {
    const since = '2026-06-01T00:00:00.000Z';
    const [row] = run(closedSincePipeline('acme', 'USD', new Date(since)), deals);
    expect(row).toEqual(await store.tenant('acme').analytics.closedSince(since, 'USD'));
  });

  describe('KPI digest pipelines = SQLite digest aggregates', () => {
    const docs = digestDocs('digest');
    const intruder = digestDocs('intruder');
    const all = {
      customers: [...docs.customers, ...intruder.customers],
      interactions: [...docs.interactions, ...intruder.interactions],
      deals: [...docs.deals, ...intruder.deals],
    };
    const b = BOUNDS.map((x) => new Date(x));
    const [mar, apr] = [BOUNDS[2]!, BOUNDS[3]!];
    /** What the mongo engine resolves for a rep before running a pipeline. */
    const book = (owner: string | null) => (owner === null ? null : CUSTOMERS.flatMap((c, i) => (c.owner === owner ? [i + 1] : [])));
    const sqlite = () => store.tenant('digest').analytics;

    beforeAll(() => seedDigest(store, 'digest'));

    it.each([null, 'web:rep1', 'web:rep2'])('every digest aggregate agrees for owner %s', async (owner) => {
      expect(digest.readCustomersCreated(run(digest.customersCreatedPipeline('digest', b, owner), all.customers), b))
        .toEqual(await sqlite().customersCreated(BOUNDS, owner));
      for (const [from, to] of [[mar, apr], [BOUNDS[1]!, mar]] as const) {
        expect(digest.readCustomerActivity(run(digest.customerActivityPipeline('digest', digest.activityWindow(from, to, 90), book(owner)), all.interactions)))
          .toEqual(await sqlite().customerActivity(from, to, 90, owner));
      }
      const ws = [[mar, apr], [BOUNDS[1]!, mar], [BOUNDS[0]!, apr]].map(([from, to]) => digest.activityWindow(from!, to!, 90));
      expect(digest.readCustomerActivityAt(run(digest.customerActivityAtPipeline('digest', ws, book(owner)), all.interactions), ws.length))
        .toEqual(await sqlite().customerActivityAt([{ from: mar, to: apr }, { from: BOUNDS[1]!, to: mar }, { from: BOUNDS[0]!, to: apr }], 90, owner));
      expect(digest.readPurchaseFacts(run(digest.purchaseFactsPipeline('digest', new Date(apr), book(owner)), all.interactions)))
        .toEqual(await sqlite().purchaseFacts(apr, owner));
      expect(digest.readSurveyScores(run(digest.surveyScoresPipeline('digest', b, book(owner)), all.interactions)))
        .toEqual(await sqlite().surveyScores(BOUNDS, owner));
      expect(digest.readMentionDigest(run(digest.mentionDigestPipeline('digest', b, book(owner)), all.interactions), b))
        .toEqual(await sqlite().mentionDigest(BOUNDS, owner));
      for (const currency of ['USD', 'EUR']) {
        expect(digest.readClosedPerBucket(run(digest.closedPerBucketPipeline('digest', b, currency, owner), all.deals), b))
          .toEqual(await sqlite().closedPerBucket(BOUNDS, currency, owner));
      }
      expect(digest.readOpenDeals(run(digest.openDealsPipeline('digest', 'USD', owner), all.deals)))
        .toEqual(await sqlite().openDeals('USD', owner));
    });

    it('puts the tenant $match first in every digest pipeline', () => {
      const pipelines = [
        digest.customersCreatedPipeline('digest', b, null), digest.customerActivityPipeline('digest', digest.activityWindow(mar, apr, 90), null),
        digest.customerActivityAtPipeline('digest', [digest.activityWindow(mar, apr, 90), digest.activityWindow(BOUNDS[1]!, mar, 90)], null),
        digest.purchaseFactsPipeline('digest', b[3]!, null), digest.surveyScoresPipeline('digest', b, null), digest.mentionDigestPipeline('digest', b, null),
        digest.closedPerBucketPipeline('digest', b, 'USD', null), digest.openDealsPipeline('digest', 'USD', null),
      ];
      for (const p of pipelines) expect((p[0] as { $match: { tenant: string } }).$match.tenant).toBe('digest');
    });
  });
});
