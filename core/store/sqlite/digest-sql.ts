import type { Database as Db } from 'better-sqlite3';
import type {
  ClosedDealStats, CustomerActivity, CustomersCreated, MentionDigest, OpenDeals, PurchaseFacts, SurveyScoreCount,
} from '../port.js';

/**
 * The KPI digest's aggregates, one statement per block. Buckets are half-open [bounds[i], bounds[i+1]);
 * `@owner` NULL means the whole company, otherwise one rep's book (customers they own and those
 * customers' interactions; deals they own). ISO timestamps compare as text.
 */
type Row = Record<string, unknown>;
const DAY_MS = 86_400_000;

const OWNED_INTERACTION = `(@owner IS NULL OR customer_id IN (SELECT id FROM customers WHERE tenant = @tenant AND owner = @owner))`;
/**
 * The bucket of `col` among @b0..@b<n-1>: the index of the last bound at or before it, NULL before the first. A
 * CASE over bound parameters, not a lookup in json_each per row, which cost most of these scans.
 */
export function bucketOf(col: string, bounds: number): string {
  const steps = Array.from({ length: bounds - 1 }, (_, i) => `WHEN ${col} < @b${i + 1} THEN ${i}`);
  return `(CASE WHEN ${col} < @b0 THEN NULL ${steps.join(' ')} ELSE ${bounds - 1} END)`;
}

const CUSTOMERS_CREATED_SQL = (n: number) => `SELECT ${bucketOf('created_at', n)} bucket, COUNT(*) n FROM customers
WHERE tenant = @tenant AND merged_into IS NULL AND created_at < @last AND (@owner IS NULL OR owner = @owner)
GROUP BY bucket`;

/**
 * One walk of the covering purchase index, grouped per customer and currency in index order (no sort), for several
 * periods at once (the digest reads its period and the one before): the per-customer flags fold over a customer's
 * currencies, the year's revenue over everyone's. Period 0 has the latest end and bounds the walk, so its columns
 * need no upper bound. "Active": for a period of up to @scanDays, its interactions through the (tenant, occurred_at,
 * customer_id) index, each customer once; for a longer one (the trailing year of CAC) one index probe per customer
 * reads less. SQLite runs only the subquery of the CASE branch taken.
 */
export function activitySql(periods: number): string {
  const ks = Array.from({ length: periods }, (_, k) => k);
  const before = (k: number) => (k === 0 ? '' : ` AND occurred_at < @t${k}`);
  const flags = ks.map((k) => `MAX(occurred_at >= @s${k} AND occurred_at < @f${k}) atStart${k},
    MAX(occurred_at >= @e${k}${before(k)}) atEnd${k},
    MAX(occurred_at >= @y${k}${before(k)}) yearBuyer${k},
    SUM(CASE WHEN occurred_at >= @y${k}${before(k)} THEN COALESCE(amount_minor, 0) ELSE 0 END) yearMinor${k}`);
  const perCustomer = ks.map((k) => `MAX(atStart${k}) atStart${k}, MAX(atEnd${k}) atEnd${k}, MAX(yearBuyer${k}) yearBuyer${k}`);
  const active = (k: number) => `CASE WHEN julianday(@t${k}) - julianday(@f${k}) <= @scanDays THEN
    (SELECT COUNT(DISTINCT i.customer_id) FROM interactions i JOIN customers c ON c.tenant = i.tenant AND c.id = i.customer_id
      WHERE i.tenant = @tenant AND i.occurred_at >= @f${k} AND i.occurred_at < @t${k} AND (@owner IS NULL OR c.owner = @owner))
  ELSE (SELECT COUNT(*) FROM customers c WHERE c.tenant = @tenant AND (@owner IS NULL OR c.owner = @owner)
    AND EXISTS (SELECT 1 FROM interactions i WHERE i.tenant = @tenant AND i.customer_id = c.id AND i.occurred_at >= @f${k} AND i.occurred_at < @t${k}))
  END`;
  const totals = ks.map((k) => `${active(k)}, COALESCE(SUM(atStart${k}), 0), COALESCE(SUM(atEnd${k}), 0),
  COALESCE(SUM(firstPurchase >= @f${k}${k === 0 ? '' : ` AND firstPurchase < @t${k}`}), 0), COALESCE(SUM(yearBuyer${k}), 0)`);
  return `WITH pc AS (
  SELECT customer_id, currency, MIN(occurred_at) firstPurchase,
    ${flags.join(',\n    ')}
  FROM interactions
  WHERE tenant = @tenant AND type = 'purchase' AND customer_id IS NOT NULL AND occurred_at < @t0 AND ${OWNED_INTERACTION}
  GROUP BY customer_id, currency
), p AS (
  SELECT MIN(firstPurchase) firstPurchase, ${perCustomer.join(', ')} FROM pc GROUP BY customer_id
)
SELECT ${totals.join(',\n  ')},
  (SELECT json_group_array(json_array(currency, ${ks.map((k) => `m${k}`).join(', ')}) ORDER BY currency) FROM (
    SELECT currency, ${ks.map((k) => `SUM(yearMinor${k}) m${k}`).join(', ')} FROM pc GROUP BY currency))
FROM p`;
}

/**
 * Purchase dates from the covering purchase index, grouped in its order (so ORDER BY needs no sort); the customer's
 * last own inbound interaction from the covering (tenant, customer_id, occurred_at, type, direction) index, read
 * backwards from @asOf and stopped at the first match (MAX would read all of the customer's earlier rows).
 */
const PURCHASE_FACTS_SQL = `SELECT customer_id customerId, MIN(occurred_at) firstPurchaseAt, MAX(occurred_at) lastPurchaseAt,
  (SELECT i.occurred_at FROM interactions i WHERE i.tenant = @tenant AND i.customer_id = interactions.customer_id AND i.occurred_at < @asOf
    AND i.type <> 'purchase' AND i.direction = 'in' ORDER BY i.occurred_at DESC LIMIT 1) lastInteractionAt
FROM interactions
WHERE tenant = @tenant AND type = 'purchase' AND customer_id IS NOT NULL AND occurred_at < @asOf AND ${OWNED_INTERACTION}
GROUP BY customer_id ORDER BY customer_id`;

/**
 * The same grammar as parseSurveyAnswer: `^(nps|csat|ces) (\d{1,2})(?::|$)`. One answer per person per survey
 * per bucket: the latest (by time, then id) among rows sharing a sourceEventId up to its `#version`; a row
 * without one stands alone. `@survey` narrows to the answers of one survey (their sourceEventId prefix).
 */
const SURVEY_KEY = `CASE WHEN source_event_id IS NULL THEN 'i' || id WHEN instr(source_event_id, '#') > 0
  THEN substr(source_event_id, 1, instr(source_event_id, '#') - 1) ELSE source_event_id END`;
const SURVEY_SQL = (n: number) => `WITH a AS (
  SELECT ${bucketOf('occurred_at', n)} bucket, ${SURVEY_KEY} k, text, occurred_at, id
  FROM interactions
  WHERE tenant = @tenant AND type = 'survey_response' AND +occurred_at >= @first AND +occurred_at < @last AND ${OWNED_INTERACTION}
    AND (@survey IS NULL OR substr(source_event_id, 1, length(@survey)) = @survey)
), l AS (
  SELECT bucket, text, ROW_NUMBER() OVER (PARTITION BY bucket, k ORDER BY occurred_at DESC, id DESC) rn FROM a
), s AS (
  SELECT bucket, substr(text, 1, instr(text, ' ') - 1) kind, substr(text, instr(text, ' ') + 1) rest FROM l WHERE rn = 1
)
SELECT bucket, kind, CAST(rest AS INTEGER) score, COUNT(*) count FROM s
WHERE kind IN ('nps', 'csat', 'ces')
  AND (rest GLOB '[0-9]' OR rest GLOB '[0-9][0-9]' OR rest GLOB '[0-9]:*' OR rest GLOB '[0-9][0-9]:*')
GROUP BY bucket, kind, score ORDER BY bucket, kind, score`;

/** The same prefixes as mentionSentiment: `^(negative|neutral|positive): `. */
/** `+occurred_at` keeps these on the type index: the time index would read every type's rows of twelve periods. */
const SENTIMENT = `CASE WHEN substr(text, 1, 10) = 'negative: ' THEN 'negative' WHEN substr(text, 1, 9) = 'neutral: ' THEN 'neutral'
  WHEN substr(text, 1, 10) = 'positive: ' THEN 'positive' END`;
const MENTIONS_SQL = (n: number) => `SELECT ${bucketOf('occurred_at', n)} bucket, ${SENTIMENT} sentiment, COUNT(*) n FROM interactions
WHERE tenant = @tenant AND type = 'mention' AND +occurred_at >= @first AND +occurred_at < @last AND ${OWNED_INTERACTION}
GROUP BY bucket, sentiment`;
const LATEST_NEGATIVE_SQL = `SELECT customer_id, text, occurred_at FROM interactions
WHERE tenant = @tenant AND type = 'mention' AND occurred_at >= @from AND occurred_at < @last AND substr(text, 1, 10) = 'negative: '
  AND ${OWNED_INTERACTION}
ORDER BY occurred_at DESC, id DESC LIMIT 1`;

/** Cycle days summed as whole milliseconds and divided once, as the MongoDB pipeline does. */
const MS = (col: string) => `CAST(ROUND(unixepoch(${col}, 'subsec') * 1000) AS INTEGER)`;
const CLOSED_SQL = (n: number) => `SELECT ${bucketOf('closed_at', n)} bucket, COALESCE(SUM(stage = 'won'), 0) won, COALESCE(SUM(stage = 'lost'), 0) lost,
  COALESCE(SUM(CASE WHEN stage = 'won' THEN amount_minor END), 0) wonTotal,
  COALESCE(SUM(CASE WHEN stage = 'won' THEN ${MS('closed_at')} - ${MS('created_at')} END), 0) cycleMs
FROM deals
WHERE tenant = @tenant AND currency = @currency AND closed_at IS NOT NULL AND closed_at >= @first AND closed_at < @last
  AND (@owner IS NULL OR owner = @owner)
GROUP BY bucket`;

const OPEN_STAGES_SQL = `SELECT stage, COUNT(*) count, SUM(amount_minor) totalMinor FROM deals
WHERE tenant = @tenant AND currency = @currency AND closed_at IS NULL AND (@owner IS NULL OR owner = @owner)
GROUP BY stage ORDER BY stage`;

/** Up to a month's interactions are fewer than one probe per customer on any book with a month of history. */
const ACTIVE_SCAN_DAYS = 31;
const shift = (iso: string, days: number) => new Date(Date.parse(iso) - days * DAY_MS).toISOString();
function bucketParams(bounds: string[]) {
  if (bounds.length < 2) throw new Error('digest aggregates need at least two bounds');
  return { ...Object.fromEntries(bounds.map((b, i) => [`b${i}`, b])), first: bounds[0], last: bounds.at(-1) };
}

export function customersCreated(db: Db, tenant: string, bounds: string[], owner: string | null): CustomersCreated {
  const rows = db.prepare(CUSTOMERS_CREATED_SQL(bounds.length)).all({ tenant, owner, ...bucketParams(bounds) }) as Row[];
  const perBucket = new Array<number>(bounds.length - 1).fill(0);
  let total = 0;
  for (const r of rows) {
    total += Number(r.n);
    if (r.bucket !== null) perBucket[Number(r.bucket)] = Number(r.n);
  }
  return { perBucket, total };
}

export interface Period {
  from: string;
  to: string;
}

/** Customer activity of each period (any order), one walk of the purchases for all of them, in the order given. */
export function customerActivityAt(db: Db, tenant: string, periods: Period[], churnWindowDays: number, owner: string | null): CustomerActivity[] {
  if (periods.length === 0) return [];
  const q = customerActivityQuery(tenant, periods, churnWindowDays, owner);
  return customerActivityOf(db.prepare(q.sql).raw(true).all(q.params) as unknown[][], periods);
}

/** The statement of `customerActivityAt` (at least one period), for a connection of its own (the store's read thread) to run. */
export function customerActivityQuery(tenant: string, periods: Period[], churnWindowDays: number, owner: string | null): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = { tenant, owner, scanDays: ACTIVE_SCAN_DAYS };
  latestEndFirst(periods).forEach((i, k) => {
    const { from, to } = periods[i]!;
    Object.assign(params, { [`f${k}`]: from, [`t${k}`]: to, [`s${k}`]: shift(from, churnWindowDays), [`e${k}`]: shift(to, churnWindowDays), [`y${k}`]: shift(to, 365) });
  });
  return { sql: activitySql(periods.length), params };
}

/** Its one row as an array, read back into the periods' order. */
export function customerActivityOf([r]: unknown[][], periods: Period[]): CustomerActivity[] {
  const revenue = JSON.parse(String(r!.at(-1))) as [string | null, ...number[]][];
  const out: CustomerActivity[] = new Array(periods.length);
  latestEndFirst(periods).forEach((i, k) => {
    const [active, baseAtStart, baseAtEnd, newBuyers, yearBuyers] = r!.slice(5 * k, 5 * k + 5).map(Number) as [number, number, number, number, number];
    const yearRevenue = revenue.filter((y) => y[1 + k] !== 0).map((y) => ({ currency: y[0], minor: Number(y[1 + k]) }));
    out[i] = { active, baseAtStart, baseAtEnd, newBuyers, yearRevenue, yearBuyers };
  });
  return out;
}

/** The periods' indexes, latest end first: it bounds the walk (ISO instants compare as text, as occurred_at is stored). */
function latestEndFirst(periods: Period[]): number[] {
  return periods.map((_, i) => i).sort((x, y) => (periods[y]!.to < periods[x]!.to ? -1 : periods[y]!.to > periods[x]!.to ? 1 : 0));
}

export function customerActivity(db: Db, tenant: string, from: string, to: string, churnWindowDays: number, owner: string | null): CustomerActivity {
  return customerActivityAt(db, tenant, [{ from, to }], churnWindowDays, owner)[0]!;
}

export function purchaseFacts(db: Db, tenant: string, asOf: string, owner: string | null): PurchaseFacts[] {
  const q = purchaseFactsQuery(tenant, asOf, owner);
  return purchaseFactsOf(db.prepare(q.sql).raw(true).all(q.params) as unknown[][]);
}

/** The statement of `purchaseFacts`, for a connection of its own (the store's read thread) to run. */
export function purchaseFactsQuery(tenant: string, asOf: string, owner: string | null): { sql: string; params: Record<string, unknown> } {
  return { sql: PURCHASE_FACTS_SQL, params: { tenant, owner, asOf } };
}

/** Arrays, not row objects: one row per purchasing customer, and building objects was most of the call. */
export function purchaseFactsOf(rows: unknown[][]): PurchaseFacts[] {
  return (rows as [number, string, string, string | null][])
    .map(([customerId, firstPurchaseAt, lastPurchaseAt, lastInteractionAt]) => ({ customerId, firstPurchaseAt, lastPurchaseAt, lastInteractionAt }));
}

export function surveyScores(db: Db, tenant: string, bounds: string[], owner: string | null, survey: string | null = null): SurveyScoreCount[] {
  const q = surveyScoresQuery(tenant, bounds, owner, survey);
  return surveyScoresOf(db.prepare(q.sql).raw(true).all(q.params) as unknown[][]);
}

/** The statement of `surveyScores`, for a connection of its own (the store's read thread) to run. */
export function surveyScoresQuery(tenant: string, bounds: string[], owner: string | null, survey: string | null): { sql: string; params: Record<string, unknown> } {
  return { sql: SURVEY_SQL(bounds.length), params: { tenant, owner, survey, ...bucketParams(bounds) } };
}

/** Its rows as arrays: bucket, kind, score, count. */
export function surveyScoresOf(rows: unknown[][]): SurveyScoreCount[] {
  return rows.map(([bucket, kind, score, count]) => ({ bucket: Number(bucket), kind: kind as SurveyScoreCount['kind'], score: Number(score), count: Number(count) }));
}

export function mentionDigest(db: Db, tenant: string, bounds: string[], owner: string | null): MentionDigest {
  const w = bucketParams(bounds);
  const perBucket = Array.from({ length: bounds.length - 1 }, () => ({ negative: 0, neutral: 0, positive: 0 }));
  for (const r of db.prepare(MENTIONS_SQL(bounds.length)).all({ tenant, owner, ...w }) as Row[]) {
    const s = r.sentiment as keyof MentionDigest['perBucket'][number] | null;
    if (s) perBucket[Number(r.bucket)]![s] = Number(r.n);
  }
  const n = db.prepare(LATEST_NEGATIVE_SQL).get({ tenant, owner, from: bounds.at(-2), last: bounds.at(-1) }) as Row | undefined;
  return {
    perBucket,
    latestNegative: n ? { customerId: (n.customer_id as number) ?? null, text: String(n.text), occurredAt: String(n.occurred_at) } : null,
  };
}

export function closedPerBucket(db: Db, tenant: string, bounds: string[], currency: string, owner: string | null): ClosedDealStats[] {
  const w = bucketParams(bounds);
  const out = Array.from({ length: bounds.length - 1 }, () => ({ won: 0, lost: 0, wonTotalMinor: 0, wonCycleDays: 0 }));
  for (const r of db.prepare(CLOSED_SQL(bounds.length)).all({ tenant, owner, currency, ...w }) as Row[]) {
    out[Number(r.bucket)] = { won: Number(r.won), lost: Number(r.lost), wonTotalMinor: Number(r.wonTotal), wonCycleDays: Number(r.cycleMs) / DAY_MS };
  }
  return out;
}

export function openDeals(db: Db, tenant: string, currency: string, owner: string | null): OpenDeals {
  const stages = (db.prepare(OPEN_STAGES_SQL).all({ tenant, owner, currency }) as Row[])
    .map((r) => ({ stage: String(r.stage), count: Number(r.count), totalMinor: Number(r.totalMinor) }));
  return { stages };
}
