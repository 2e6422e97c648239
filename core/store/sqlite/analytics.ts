import type { AnalyticsRepo } from '../port.js';
import type { Row } from './codecs.js';
import { rfmFromStore, rfmScoresOf, rfmTotalsQuery } from './rfm.js';
import * as digest from './digest-sql.js';
import type { SqliteReadThreads } from './read-threads.js';
import type { Scope } from './scope.js';

/**
 * Aggregates computed in SQL: RFM, the pipeline, the KPI digest. The digest's four heavy reads (RFM at several dates,
 * activity, purchase facts, survey scores, asked at once) run on the file's read threads when there are some (not for
 * `:memory:`), two at a time, while this thread runs the light ones and scores the answers.
 */
export function sqliteAnalytics({ db, tenant }: Scope, reads: SqliteReadThreads | null = null): AnalyticsRepo {
  /** A heavy statement's rows as arrays: on a read thread when the store has them, else on this connection. */
  const rows = async (q: { sql: string; params: Record<string, unknown> }): Promise<unknown[][]> =>
    (reads ? reads.all(q.sql, q.params) : (db.prepare(q.sql).raw(true).all(q.params) as unknown[][]));
  const analytics: AnalyticsRepo = {
    rfm: async (asOf, money) => rfmFromStore(db, tenant, asOf, money),
    rfmAt: async (asOfs, money) => {
      if (asOfs.length === 0) return [];
      const q = rfmTotalsQuery(tenant, asOfs);
      return rfmScoresOf(await rows(q), q, asOfs, money);
    },
    rfmFor: async (customerId, asOf, money) => {
      const rows = await analytics.rfm(asOf, money);
      return rows.find((r) => r.customerId === customerId) ?? null;
    },
    dealCurrencies: async () =>
      (db.prepare('SELECT DISTINCT currency FROM deals WHERE tenant = ? ORDER BY currency').all(tenant) as Row[]).map((r) => String(r.currency)),
    pipeline: async (currency) =>
      (db.prepare(`SELECT stage, COUNT(*) count, SUM(amount_minor) totalMinor FROM deals
        WHERE tenant = ? AND currency = ? AND closed_at IS NULL GROUP BY stage ORDER BY stage`).all(tenant, currency) as Row[])
        .map((r) => ({ stage: String(r.stage), count: Number(r.count), totalMinor: Number(r.totalMinor) })),
    closedSince: async (since, currency) => {
      const r = db.prepare(`SELECT
          COALESCE(SUM(stage = 'won'), 0) won, COALESCE(SUM(stage = 'lost'), 0) lost,
          COALESCE(SUM(CASE WHEN stage = 'won' THEN amount_minor END), 0) wonTotal,
          COALESCE(SUM(CASE WHEN stage = 'won' THEN julianday(closed_at) - julianday(created_at) END), 0) cycle
        FROM deals WHERE tenant = ? AND currency = ? AND closed_at IS NOT NULL AND closed_at >= ?`).get(tenant, currency, since) as Row;
      return { won: Number(r.won), lost: Number(r.lost), wonTotalMinor: Number(r.wonTotal), wonCycleDays: Number(r.cycle) };
    },
    customersCreated: async (bounds, owner) => digest.customersCreated(db, tenant, bounds, owner),
    customerActivity: async (from, to, days, owner) => digest.customerActivity(db, tenant, from, to, days, owner),
    customerActivityAt: async (periods, days, owner) => {
      if (periods.length === 0) return [];
      return digest.customerActivityOf(await rows(digest.customerActivityQuery(tenant, periods, days, owner)), periods);
    },
    purchaseFacts: async (asOf, owner) => digest.purchaseFactsOf(await rows(digest.purchaseFactsQuery(tenant, asOf, owner))),
    surveyScores: async (bounds, owner, survey) => digest.surveyScoresOf(await rows(digest.surveyScoresQuery(tenant, bounds, owner, survey ?? null))),
    mentionDigest: async (bounds, owner) => digest.mentionDigest(db, tenant, bounds, owner),
    closedPerBucket: async (bounds, currency, owner) => digest.closedPerBucket(db, tenant, bounds, currency, owner),
    openDeals: async (currency, owner) => digest.openDeals(db, tenant, currency, owner),
  };
  return analytics;
}
