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
export function quintileScores(values: ArrayLike<number>): number[] {
  const n = values.length;
  // A typed array sorts numerically without a comparator; each tie group is then one run of the sorted values.
  const sorted = Float64Array.from(values).sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  // Scores rise with the value and there are at most five, so a value's score is how many of (at most four)
  // thresholds it reaches: the first value of each higher score. No per-value map or search: RFM scores a hundred
  // thousand customers three times per date.
  const thresholds: number[] = [];
  for (let lo = 0, rank = 1, last = 1; lo < n; rank++) {
    let hi = lo + 1;
    while (hi < n && sorted[hi] === sorted[lo]) hi++;
    const score = distinct < 5 ? rank : Math.ceil((5 * Math.floor((lo + hi + 1) / 2)) / n);
    for (; last < score; last++) thresholds.push(sorted[lo]!);
    lo = hi;
  }
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    let score = 1;
    while (score <= thresholds.length && v >= thresholds[score - 1]!) score++;
    out[i] = score;
  }
  return out;
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
 * Customers' purchase totals as columns, ids ascending: the store engines fill them straight from their aggregates
 * (no object or map per customer), the in-memory computation from its per-customer totals.
 */
export interface RfmColumns {
  ids: ArrayLike<number>;
  /** Latest purchase, ms. */
  last: Float64Array;
  frequency: Float64Array;
  /** Spend in the reporting currency. */
  monetary: Float64Array;
  /** Spend without a rate, per customer (see RfmScore.unconverted). */
  unconverted: Money[][];
}

/**
 * Monetary in the reporting currency of a customer's spend per currency (CRM-METHOD, Value): each currency's spend
 * is converted and rounded; spend with no rate is kept apart per currency and scored as nothing, never summed across
 * currencies. Nearly every customer spends only the reporting currency: nothing to convert, nothing apart.
 */
export function monetaryOf(spend: Money[], reporting: Reporting): { minor: number; unconverted: Money[] } {
  if (spend.length === 1 && spend[0]!.currency === reporting.currency) return { minor: spend[0]!.minor, unconverted: [] };
  return totalIn(spend, reporting.currency, reporting.fx);
}

/** Scores columns of purchase totals: three quintile scorings, one row per customer. */
export function scoreColumns(c: RfmColumns, asOf: string): RfmScore[] {
  const asOfMs = Date.parse(asOf);
  const [rs, fs, ms] = [quintileScores(c.last), quintileScores(c.frequency), quintileScores(c.monetary)];
  const out = new Array<RfmScore>(c.ids.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = {
      customerId: c.ids[i]!,
      recencyDays: Math.floor((asOfMs - c.last[i]!) / DAY_MS),
      frequency: c.frequency[i]!,
      monetaryMinor: c.monetary[i]!,
      unconverted: c.unconverted[i]!,
      r: rs[i]!,
      f: fs[i]!,
      m: ms[i]!,
    };
  }
  return out;
}

/** Scores customers' purchase totals, as the store engines score their aggregates. */
export function scoreTotals(per: Map<number, PurchaseTotals>, asOf: string, reporting: Reporting): RfmScore[] {
  const ids = Float64Array.from(per.keys()).sort();
  const n = ids.length;
  const c: RfmColumns = { ids, last: new Float64Array(n), frequency: new Float64Array(n), monetary: new Float64Array(n), unconverted: new Array(n) };
  ids.forEach((id, i) => {
    const t = per.get(id)!;
    const money = monetaryOf([...t.spend].map(([currency, minor]) => ({ currency, minor })), reporting);
    c.last[i] = t.last;
    c.frequency[i] = t.f;
    c.monetary[i] = money.minor;
    c.unconverted[i] = money.unconverted;
  });
  return scoreColumns(c, asOf);
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

function gridSegment(r: number, f: number, m: number): RfmSegment | undefined {
  const fm = Math.round((f + m) / 2);
  return GRID.find((g) => r >= g.r[0] && r <= g.r[1] && fm >= g.fm[0] && fm <= g.fm[1])?.segment;
}

/** The grid's answer for every score triple 1-5, index (r-1)*25 + (f-1)*5 + (m-1): the digest names two segments per customer. */
const SEGMENT_OF = Array.from({ length: 125 }, (_, i) => gridSegment(Math.floor(i / 25) + 1, (Math.floor(i / 5) % 5) + 1, (i % 5) + 1));

function isScore(x: number): boolean {
  return Number.isInteger(x) && x >= 1 && x <= 5;
}

export function rfmSegment(r: number, f: number, m: number): RfmSegment {
  const segment = isScore(r) && isScore(f) && isScore(m) ? SEGMENT_OF[(r - 1) * 25 + (f - 1) * 5 + (m - 1)] : gridSegment(r, f, m);
  if (!segment) throw new Error(`RFM scores out of range: ${r}${f}${m}`);
  return segment;
}
