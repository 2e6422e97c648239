import type { Database as Db } from 'better-sqlite3';
import { addPurchases, scoreTotals, type PurchaseTotals, type Reporting, type RfmScore } from '../../kpi/rfm.js';

/**
 * RFM per CRM-METHOD: SQL sums each customer's purchases per stored currency, read from the covering purchase
 * index in its own order (no sort, no table rows); conversion to the reporting currency and the quintile scores
 * are core/kpi/rfm.ts's, the same functions the in-memory computation uses. A NULL currency is the reporting one.
 * Several as-of dates share one walk: the latest bounds the walk and takes plain aggregates, each earlier one
 * takes its own totals with CASE on occurred_at (the digest reads RFM at its period's end and start).
 */
function rfmTotalsSql(asOfs: number): string {
  const latest = `MAX(occurred_at), COUNT(*), SUM(COALESCE(amount_minor, 0))`;
  const upTo = (i: number) => {
    const before = `occurred_at <= @a${i}`;
    return `MAX(CASE WHEN ${before} THEN occurred_at END), SUM(${before}), SUM(CASE WHEN ${before} THEN COALESCE(amount_minor, 0) END)`;
  };
  const columns = Array.from({ length: asOfs }, (_, i) => (i === 0 ? latest : upTo(i)));
  return `SELECT customer_id, currency, ${columns.join(', ')}
FROM interactions
WHERE tenant = @tenant AND type = 'purchase' AND customer_id IS NOT NULL AND occurred_at <= @a0
GROUP BY customer_id, currency`;
}

type TotalsRow = [number, string | null, ...(string | number | null)[]];

/** RFM scores at each of `asOfs` (any order, repeats allowed), one list per as-of date in the order given. */
export function rfmAtFromStore(db: Db, tenant: string, asOfs: string[], reporting: Reporting): RfmScore[][] {
  if (asOfs.length === 0) return [];
  // Latest first: it bounds the walk (ISO instants compare as text, as occurred_at is stored).
  const order = asOfs.map((_, i) => i).sort((x, y) => (asOfs[y]! < asOfs[x]! ? -1 : asOfs[y]! > asOfs[x]! ? 1 : 0));
  const params: Record<string, string> = { tenant };
  order.forEach((i, k) => (params[`a${k}`] = asOfs[i]!));
  const per = order.map(() => new Map<number, PurchaseTotals>());
  // Arrays, not row objects: one row per customer and currency, and building objects was most of the call.
  const rows = db.prepare(rfmTotalsSql(order.length)).raw(true).all(params) as TotalsRow[];
  for (const row of rows) {
    const [customerId, currency] = row;
    for (let k = 0; k < order.length; k++) {
      const n = Number(row[3 + 3 * k]);
      if (n > 0) addPurchases(per[k]!, customerId, Date.parse(String(row[2 + 3 * k])), n, currency ?? reporting.currency, Number(row[4 + 3 * k]));
    }
  }
  const scored = order.map((_, k) => scoreTotals(per[k]!, params[`a${k}`]!, reporting));
  const out: RfmScore[][] = new Array(asOfs.length);
  order.forEach((i, k) => (out[i] = scored[k]!));
  return out;
}

export function rfmFromStore(db: Db, tenant: string, asOf: string, reporting: Reporting): RfmScore[] {
  return rfmAtFromStore(db, tenant, [asOf], reporting)[0]!;
}
