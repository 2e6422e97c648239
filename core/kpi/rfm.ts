/** RFM per CRM-METHOD.md: recency, frequency, monetary scored 1-5 by quintile, mapped to named segments. */
import { totalIn, type Money, type Rates } from './fx.js';

export interface Purchase {
  customerId: number;
  at: string;
  amountMinor: number;
  /** Null: the reporting currency. */
  currency: string | null;
}

/** What monetary is converted into: the reporting currency and the config `fx` rates (TenantSettings fits). */
export interface Reporting {
  currency: string;
  fx: Rates;
}

export interface RfmScore {
  customerId: number;
  recencyDays: number;
  frequency: number;
  /** Spend in the reporting currency: each currency's total converted, then rounded to a minor unit. */
  monetaryMinor: number;
  /** Spend in currencies without a rate, per currency (sorted by code): kept apart, not in monetary or its score. */
  unconverted: Money[];
  r: number;
  f: number;
  m: number;
}

const DAY_MS = 86_400_000;

/**
 * Quintile scores per CRM-METHOD.md. A tie group holds ranks lo+1..hi (lo values below it, hi at or
 * below it); the whole group takes the quintile of its middle rank k = floor((lo + hi + 1) / 2), i.e.
 * ceil(5k/n), the quintile where most of the group falls (of equally full ones the middle, the lower of two). With fewer
 * than five distinct values the scores are the distinct values' ranks, 1 up. SQLite's RFM scores with this
 * function; the MongoDB pipeline implements the same rule from the same four numbers (lo, hi, dense rank, distinct count).
 */
export function quintileScores(values: number[]): number[] {
  const n = values.length;
  // A typed array sorts numerically without a comparator; each tie group is then one run of the sorted values.
  const sorted = Float64Array.from(values).sort();
  const groups: { value: number; lo: number; hi: number }[] = [];
  for (let lo = 0; lo < n;) {
    let hi = lo + 1;
    while (hi < n && sorted[hi] === sorted[lo]) hi++;
    groups.push({ value: sorted[lo]!, lo, hi });
    lo = hi;
  }
  const score = new Map(groups.map((g, i) => [g.value, groups.length < 5 ? i + 1 : Math.ceil((5 * Math.floor((g.lo + g.hi + 1) / 2)) / n)]));
  return values.map((v) => score.get(v)!);
}

/** One customer's purchases up to the as-of instant: the latest (ms), how many, and spend per currency. */
export interface PurchaseTotals {
  last: number;
  f: number;
  spend: Map<string, number>;
}

/** Adds a group of purchases (a single one, or a store's per-customer per-currency aggregate) to a customer's totals. */
export function addPurchases(per: Map<number, PurchaseTotals>, customerId: number, lastMs: number, count: number, currency: string, amountMinor: number): void {
  const c = per.get(customerId) ?? { last: lastMs, f: 0, spend: new Map<string, number>() };
  c.last = Math.max(c.last, lastMs);
  c.f += count;
  c.spend.set(currency, (c.spend.get(currency) ?? 0) + amountMinor);
  per.set(customerId, c);
}

/**
 * Scores customers' purchase totals. Monetary is in the reporting currency (CRM-METHOD, Value): per customer
 * each currency's spend is converted and rounded; spend with no rate is kept apart per currency and scored as
 * nothing, never summed across currencies. The SQLite engine feeds it its per-currency aggregates.
 */
export function scoreTotals(per: Map<number, PurchaseTotals>, asOf: string, reporting: Reporting): RfmScore[] {
  const asOfMs = Date.parse(asOf);
  const ids = [...per.keys()].sort((a, b) => a - b);
  const rows = ids.map((id) => {
    const c = per.get(id)!;
    // Nearly every customer spends only the reporting currency: nothing to convert, nothing apart.
    const only = c.spend.size === 1 ? c.spend.get(reporting.currency) : undefined;
    const money = only !== undefined ? { minor: only, unconverted: [] }
      : totalIn([...c.spend].map(([currency, minor]) => ({ currency, minor })), reporting.currency, reporting.fx);
    return { last: c.last, f: c.f, money };
  });
  const r = quintileScores(rows.map((x) => x.last));
  const f = quintileScores(rows.map((x) => x.f));
  const m = quintileScores(rows.map((x) => x.money.minor));
  return ids.map((customerId, i) => ({
    customerId,
    recencyDays: Math.floor((asOfMs - rows[i]!.last) / DAY_MS),
    frequency: rows[i]!.f,
    monetaryMinor: rows[i]!.money.minor,
    unconverted: rows[i]!.money.unconverted,
    r: r[i]!,
    f: f[i]!,
    m: m[i]!,
  }));
}

/** The in-memory computation of what the store engines compute from their aggregates: purchases after asOf do not count. */
export function rfmScores(purchases: Purchase[], asOf: string, reporting: Reporting): RfmScore[] {
  const asOfMs = Date.parse(asOf);
  const per = new Map<number, PurchaseTotals>();
  for (const p of purchases) {
    const at = Date.parse(p.at);
    if (at <= asOfMs) addPurchases(per, p.customerId, at, 1, p.currency ?? reporting.currency, p.amountMinor);
  }
  return scoreTotals(per, asOf, reporting);
}

export const RFM_SEGMENTS = [
  'Champions', 'Loyal', 'Potential loyalist', 'New', 'Promising', 'Need attention', 'About to sleep', 'At risk',
  'Cannot lose them', 'Hibernating', 'Lost',
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/**
 * The common recency x frequency-monetary grid: FM is the rounded mean of F and M.
 * Rows are checked in order; the first that matches names the segment.
 */
const GRID: { segment: RfmSegment; r: [number, number]; fm: [number, number] }[] = [
  { segment: 'Champions', r: [5, 5], fm: [4, 5] },
  { segment: 'Loyal', r: [3, 4], fm: [4, 5] },
  { segment: 'Potential loyalist', r: [4, 5], fm: [2, 3] },
  { segment: 'New', r: [5, 5], fm: [1, 1] },
  { segment: 'Promising', r: [4, 4], fm: [1, 1] },
  { segment: 'Need attention', r: [3, 3], fm: [3, 3] },
  { segment: 'About to sleep', r: [3, 3], fm: [1, 2] },
  { segment: 'Cannot lose them', r: [1, 2], fm: [5, 5] },
  { segment: 'At risk', r: [1, 2], fm: [3, 4] },
  { segment: 'Hibernating', r: [2, 2], fm: [1, 2] },
  { segment: 'Lost', r: [1, 1], fm: [1, 2] },
];

export function rfmSegment(r: number, f: number, m: number): RfmSegment {
  const fm = Math.round((f + m) / 2);
  const row = GRID.find((g) => r >= g.r[0] && r <= g.r[1] && fm >= g.fm[0] && fm <= g.fm[1]);
  if (!row) throw new Error(`RFM scores out of range: ${r}${f}${m}`);
  return row.segment;
}
