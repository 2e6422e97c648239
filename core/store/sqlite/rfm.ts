import type { Database as Db } from 'better-sqlite3';
import type { Money } from '../../kpi/fx.js';
import { instantMs } from '../../kpi/instant.js';
import { monetaryOf, scoreColumns, type Reporting, type RfmColumns, type RfmScore } from '../../kpi/rfm.js';

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
GROUP BY customer_id, currency ORDER BY customer_id, currency`;
}

type TotalsRow = [number, string | null, ...(string | number | null)[]];

/**
 * One as-of date's totals (its columns from `col`: latest purchase, count, spend) folded into score columns. Rows
 * come per customer and currency, ordered, so a customer's currencies are consecutive: no map per customer, and
 * spend outside the reporting currency (a NULL currency is the reporting one) gathered only for who has any.
 */
function foldTotals(rows: TotalsRow[], col: number, reporting: Reporting): RfmColumns {
  const cap = rows.length;
  const c: RfmColumns = { ids: new Float64Array(cap), last: new Float64Array(cap), frequency: new Float64Array(cap), monetary: new Float64Array(cap), unconverted: [] };
  const ids = c.ids as Float64Array;
  let n = 0;
  let others: Money[] | null = null;
  const finish = () => {
    if (n === 0) return;
    if (others === null) c.unconverted.push([]);
    else {
      const money = monetaryOf([{ currency: reporting.currency, minor: c.monetary[n - 1]! }, ...others], reporting);
      c.monetary[n - 1] = money.minor;
      c.unconverted.push(money.unconverted);
      others = null;
    }
  };
  for (const row of rows) {
    const count = Number(row[col + 1]);
    if (!(count > 0)) continue;
    const [id, currency] = row;
    const at = instantMs(String(row[col]));
    if (n === 0 || ids[n - 1] !== id) {
      finish();
      ids[n] = id;
      c.last[n] = at;
      n++;
    } else if (at > c.last[n - 1]!) c.last[n - 1] = at;
    c.frequency[n - 1]! += count;
    const minor = Number(row[col + 2]);
    if (currency === null || currency === reporting.currency) c.monetary[n - 1]! += minor;
    else (others ??= []).push({ currency, minor });
  }
  finish();
  return { ids: ids.subarray(0, n), last: c.last.subarray(0, n), frequency: c.frequency.subarray(0, n), monetary: c.monetary.subarray(0, n), unconverted: c.unconverted };
}

/** The one statement serving RFM at each of `asOfs`, and which of its column groups answers which date. */
export interface RfmTotalsQuery {
  sql: string;
  params: Record<string, string>;
  /** order[k]: the index in `asOfs` of the date whose totals are the statement's k-th column group. */
  order: number[];
}

export function rfmTotalsQuery(tenant: string, asOfs: string[]): RfmTotalsQuery {
  // Latest first: it bounds the walk (ISO instants compare as text, as occurred_at is stored).
  const order = asOfs.map((_, i) => i).sort((x, y) => (asOfs[y]! < asOfs[x]! ? -1 : asOfs[y]! > asOfs[x]! ? 1 : 0));
  const params: Record<string, string> = { tenant };
  order.forEach((i, k) => (params[`a${k}`] = asOfs[i]!));
  return { sql: rfmTotalsSql(order.length), params, order };
}

/** The statement's rows (arrays, as `raw` gives them) scored at each of `asOfs`, one list per date in the order given. */
export function rfmScoresOf(rows: unknown[][], q: RfmTotalsQuery, asOfs: string[], reporting: Reporting): RfmScore[][] {
  const out: RfmScore[][] = new Array(asOfs.length);
  q.order.forEach((i, k) => (out[i] = scoreColumns(foldTotals(rows as TotalsRow[], 2 + 3 * k, reporting), asOfs[i]!)));
  return out;
}

/** RFM scores at each of `asOfs` (any order, repeats allowed), one list per as-of date in the order given. */
export function rfmAtFromStore(db: Db, tenant: string, asOfs: string[], reporting: Reporting): RfmScore[][] {
  if (asOfs.length === 0) return [];
  const q = rfmTotalsQuery(tenant, asOfs);
  // Arrays, not row objects: one row per customer and currency, and building objects was most of the call.
  return rfmScoresOf(db.prepare(q.sql).raw(true).all(q.params) as unknown[][], q, asOfs, reporting);
}

export function rfmFromStore(db: Db, tenant: string, asOf: string, reporting: Reporting): RfmScore[] {
  return rfmAtFromStore(db, tenant, [asOf], reporting)[0]!;
}
