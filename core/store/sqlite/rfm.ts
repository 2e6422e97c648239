import type { Database as Db } from 'better-sqlite3';
import { addPurchases, scoreTotals, type PurchaseTotals, type Reporting, type RfmScore } from '../../kpi/rfm.js';

/**
 * RFM per CRM-METHOD: SQL sums each customer's purchases per stored currency, read from the covering purchase
 * index in its own order (no sort, no table rows); conversion to the reporting currency and the quintile scores
 * are core/kpi/rfm.ts's, the same functions the in-memory computation uses. A NULL currency is the reporting one.
 */
const RFM_TOTALS_SQL = `SELECT customer_id, currency, MAX(occurred_at) last_at, COUNT(*) n, SUM(COALESCE(amount_minor, 0)) amount
FROM interactions
WHERE tenant = @tenant AND type = 'purchase' AND customer_id IS NOT NULL AND occurred_at <= @asOf
GROUP BY customer_id, currency`;


export function rfmFromStore(db: Db, tenant: string, asOf: string, reporting: Reporting): RfmScore[] {
  const per = new Map<number, PurchaseTotals>();
  // Arrays, not row objects: one row per customer and currency, and building objects was most of the call.
  const rows = db.prepare(RFM_TOTALS_SQL).raw(true).all({ tenant, asOf }) as [number, string | null, string, number, number][];
  for (const [customerId, currency, lastAt, n, amount] of rows) addPurchases(per, customerId, Date.parse(lastAt), n, currency ?? reporting.currency, amount);
  return scoreTotals(per, asOf, reporting);
}
