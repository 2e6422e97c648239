import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeded } from '../../demo/random.js';
import type { Customer, Deal, Interaction } from '../../domain/types.js';
import { openSqliteStore } from './engine.js';
import * as digest from './digest-sql.js';
import type { Reporting } from '../../kpi/rfm.js';
import { rfmAtFromStore, rfmFromStore } from './rfm.js';

/**
 * The digest's fast SQL (covering indexes, CASE buckets, one purchase walk, a time-index count of active
 * customers, RFM scored in JavaScript) against the statements it replaced, kept here verbatim as the reference
 * definition, on a seeded book with several currencies, owners, merged customers and survey re-answers.
 */
// The replaced statements, as they were (git d094d41, core/store/sqlite/digest-sql.ts and rfm.ts).
const OWNED_INTERACTION = `(@owner IS NULL OR customer_id IN (SELECT id FROM customers WHERE tenant = @tenant AND owner = @owner))`;
const BUCKETS = `b AS (SELECT CAST(key AS INTEGER) i, value lo FROM json_each(@bounds))`;
const BUCKET_OF = (col: string) => `(SELECT MAX(i) FROM b WHERE lo <= ${col})`;

const CUSTOMERS_CREATED_SQL = `WITH ${BUCKETS}
SELECT ${BUCKET_OF('created_at')} bucket, COUNT(*) n FROM customers
WHERE tenant = @tenant AND merged_into IS NULL AND created_at < @last AND (@owner IS NULL OR owner = @owner)
GROUP BY bucket`;

/** Purchases through the (tenant, type, customer_id, occurred_at) index; "active" as one index probe per customer. */
const ACTIVITY_SQL = `WITH p AS (
  SELECT customer_id,
    MAX(occurred_at >= @startFrom AND occurred_at < @from) atStart,
    MAX(occurred_at >= @endFrom) atEnd,
    MIN(occurred_at) firstPurchase,
    MAX(occurred_at >= @yearFrom) yearBuyer
  FROM interactions
  WHERE tenant = @tenant AND type = 'purchase' AND customer_id IS NOT NULL AND occurred_at < @to AND ${OWNED_INTERACTION}
  GROUP BY customer_id
)
SELECT
  (SELECT COUNT(*) FROM customers c WHERE c.tenant = @tenant AND (@owner IS NULL OR c.owner = @owner)
    AND EXISTS (SELECT 1 FROM interactions i WHERE i.tenant = @tenant AND i.customer_id = c.id AND i.occurred_at >= @from AND i.occurred_at < @to)) active,
  COALESCE(SUM(atStart), 0) baseAtStart, COALESCE(SUM(atEnd), 0) baseAtEnd,
  COALESCE(SUM(firstPurchase >= @from), 0) newBuyers,
  (SELECT json_group_array(json_object('currency', currency, 'minor', minor) ORDER BY currency) FROM (
    SELECT currency, SUM(COALESCE(amount_minor, 0)) minor FROM interactions WHERE tenant = @tenant AND type = 'purchase' AND customer_id IS NOT NULL
      AND occurred_at >= @yearFrom AND occurred_at < @to AND ${OWNED_INTERACTION} GROUP BY currency HAVING minor <> 0)) yearRevenue,
  COALESCE(SUM(yearBuyer), 0) yearBuyers
FROM p`;

/** Purchase dates from the type index; the customer's last own inbound interaction by a walk of each purchaser's own rows. */
const PURCHASE_FACTS_SQL = `WITH p AS (
  SELECT customer_id, MIN(occurred_at) f, MAX(occurred_at) l FROM interactions
  WHERE tenant = @tenant AND type = 'purchase' AND customer_id IS NOT NULL AND occurred_at < @asOf AND ${OWNED_INTERACTION}
  GROUP BY customer_id
)
SELECT customer_id customerId, f firstPurchaseAt, l lastPurchaseAt,
  (SELECT MAX(occurred_at) FROM interactions i WHERE i.tenant = @tenant AND i.customer_id = p.customer_id AND i.occurred_at < @asOf
    AND i.type <> 'purchase' AND i.direction = 'in') lastInteractionAt
FROM p ORDER BY customer_id`;

/**
 * The same grammar as parseSurveyAnswer: `^(nps|csat|ces) (\d{1,2})(?::|$)`. One answer per person per survey
 * per bucket: the latest (by time, then id) among rows sharing a sourceEventId up to its `#version`; a row
 * without one stands alone. `@survey` narrows to the answers of one survey (their sourceEventId prefix).
 */
const SURVEY_KEY = `CASE WHEN source_event_id IS NULL THEN 'i' || id WHEN instr(source_event_id, '#') > 0
  THEN substr(source_event_id, 1, instr(source_event_id, '#') - 1) ELSE source_event_id END`;
const SURVEY_SQL = `WITH ${BUCKETS}, a AS (
  SELECT ${BUCKET_OF('occurred_at')} bucket, ${SURVEY_KEY} k, text, occurred_at, id
  FROM interactions
  WHERE tenant = @tenant AND type = 'survey_response' AND occurred_at >= @first AND occurred_at < @last AND ${OWNED_INTERACTION}
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
const SENTIMENT = `CASE WHEN substr(text, 1, 10) = 'negative: ' THEN 'negative' WHEN substr(text, 1, 9) = 'neutral: ' THEN 'neutral'
  WHEN substr(text, 1, 10) = 'positive: ' THEN 'positive' END`;
const MENTIONS_SQL = `WITH ${BUCKETS}
SELECT ${BUCKET_OF('occurred_at')} bucket, ${SENTIMENT} sentiment, COUNT(*) n FROM interactions
WHERE tenant = @tenant AND type = 'mention' AND occurred_at >= @first AND occurred_at < @last AND ${OWNED_INTERACTION}
GROUP BY bucket, sentiment`;
/** Cycle days summed as whole milliseconds and divided once, as the MongoDB pipeline does. */
const MS = (col: string) => `CAST(ROUND(unixepoch(${col}, 'subsec') * 1000) AS INTEGER)`;
const CLOSED_SQL = `WITH ${BUCKETS}
SELECT ${BUCKET_OF('closed_at')} bucket, COALESCE(SUM(stage = 'won'), 0) won, COALESCE(SUM(stage = 'lost'), 0) lost,
  COALESCE(SUM(CASE WHEN stage = 'won' THEN amount_minor END), 0) wonTotal,
  COALESCE(SUM(CASE WHEN stage = 'won' THEN ${MS('closed_at')} - ${MS('created_at')} END), 0) cycleMs
FROM deals
WHERE tenant = @tenant AND currency = @currency AND closed_at IS NOT NULL AND closed_at >= @first AND closed_at < @last
  AND (@owner IS NULL OR owner = @owner)
GROUP BY bucket`;

const RFM_SQL = `
WITH fx AS (SELECT key AS currency, value AS rate FROM json_each(@fx)
), pc AS (
  SELECT customer_id, COALESCE(currency, @reporting) AS currency, MAX(occurred_at) AS last_at, COUNT(*) AS n, SUM(COALESCE(amount_minor, 0)) AS amount
  FROM interactions
  WHERE tenant = @tenant AND type = 'purchase' AND customer_id IS NOT NULL AND occurred_at <= @asOf
  GROUP BY customer_id, COALESCE(currency, @reporting)
), cv AS (
  SELECT pc.*, CASE WHEN pc.currency = @reporting THEN amount
    WHEN f.rate IS NOT NULL AND r.rate IS NOT NULL THEN CAST(floor(amount * f.rate / r.rate + 0.5) AS INTEGER) END AS converted
  FROM pc LEFT JOIN fx f ON f.currency = pc.currency LEFT JOIN fx r ON r.currency = @reporting
), p AS (
  SELECT customer_id, MAX(last_at) AS last_at, SUM(n) AS frequency, SUM(COALESCE(converted, 0)) AS monetary,
    json_group_array(json_object('currency', currency, 'minor', amount) ORDER BY currency) FILTER (WHERE converted IS NULL AND amount <> 0) AS apart
  FROM cv GROUP BY customer_id
), w AS (
  SELECT customer_id, last_at, frequency, monetary, apart,
    (RANK() OVER (ORDER BY last_at) + COUNT(*) OVER (ORDER BY last_at)) / 2 AS kr,
    (RANK() OVER (ORDER BY frequency) + COUNT(*) OVER (ORDER BY frequency)) / 2 AS kf,
    (RANK() OVER (ORDER BY monetary) + COUNT(*) OVER (ORDER BY monetary)) / 2 AS km,
    DENSE_RANK() OVER (ORDER BY last_at) AS dr,
    DENSE_RANK() OVER (ORDER BY frequency) AS df,
    DENSE_RANK() OVER (ORDER BY monetary) AS dm,
    COUNT(*) OVER () AS n
  FROM p
), d AS (
  SELECT w.*, MAX(dr) OVER () AS nr, MAX(df) OVER () AS nf, MAX(dm) OVER () AS nm FROM w
)
SELECT customer_id AS customerId,
  (CAST(ROUND(unixepoch(@asOf, 'subsec') * 1000) AS INTEGER) - CAST(ROUND(unixepoch(last_at, 'subsec') * 1000) AS INTEGER)) / 86400000 AS recencyDays,
  frequency, monetary AS monetaryMinor, apart,
  CASE WHEN nr < 5 THEN dr ELSE (5 * kr + n - 1) / n END AS r,
  CASE WHEN nf < 5 THEN df ELSE (5 * kf + n - 1) / n END AS f,
  CASE WHEN nm < 5 THEN dm ELSE (5 * km + n - 1) / n END AS m
FROM d ORDER BY customer_id`;

const TENANT = 't';
const DAY = 86_400_000;
const AS_OF = Date.parse('2026-06-01T00:00:00.000Z');
const OWNERS = ['web:a', 'web:b', null] as const;
const iso = (ms: number) => new Date(ms).toISOString();
const WEEKS = Array.from({ length: 13 }, (_, i) => iso(AS_OF - (12 - i) * 7 * DAY));
const MONTHS = Array.from({ length: 13 }, (_, i) => iso(Date.UTC(2025, 5 + i, 1)));

/** A seeded book: purchases in three currencies and none, surveys answered again (#versions), mentions of every sentiment. */
function book() {
  const r = seeded(21);
  const customers: Customer[] = Array.from({ length: 80 }, (_, k) => {
    const at = iso(AS_OF - r.int(0, 300) * DAY - r.int(0, DAY));
    return {
      tenant: TENANT, id: k + 1, name: `C${k + 1}`, company: null, emails: [], phones: [], tags: [], owner: r.pick(OWNERS), lifecycle: 'lead',
      consent: { marketing: false, surveys: true, updatedAt: at }, mergedInto: k % 17 === 5 ? 1 : null, createdAt: at, updatedAt: at,
    };
  });
  const interactions: Interaction[] = Array.from({ length: 3000 }, (_, k) => {
    const x = r.int(0, 99);
    const customerId = r.chance(0.05) ? null : r.int(1, 85);
    const base = { tenant: TENANT, id: k + 1, customerId, identity: null, channel: 'web', direction: r.chance(0.8) ? 'in' : 'out', occurredAt: iso(AS_OF + 5 * DAY - r.int(0, 400) * DAY - r.int(0, DAY)), sourceEventId: null } as const;
    if (x < 35) return { ...base, type: 'purchase', text: 'order', amountMinor: r.int(0, 90_000), currency: r.pick(['USD', 'USD', 'EUR', 'GBP', null]) };
    if (x < 50) {
      const kind = r.pick(['nps', 'csat', 'ces'] as const);
      return { ...base, type: 'survey_response', text: `${kind} ${r.int(0, 10)}${r.chance(0.5) ? ': why' : ''}`, amountMinor: null, currency: null,
        sourceEventId: r.chance(0.6) ? `survey:S-${r.int(1, 3)}:${customerId}#${k}` : null };
    }
    if (x < 60) return { ...base, type: 'mention', text: `${r.pick(['negative', 'neutral', 'positive', 'other'])}: brand`, amountMinor: null, currency: null };
    return { ...base, type: r.pick(['message', 'call'] as const), text: 'hi', amountMinor: null, currency: null };
  });
  // Purchases, answers and mentions exactly on the bounds and the churn and year windows' edges, where < and <= differ.
  const edges = [...WEEKS, ...MONTHS].flatMap((b) => [0, 90, 365].map((days) => Date.parse(b) - days * DAY));
  edges.forEach((at, k) => {
    const type = (['purchase', 'purchase', 'survey_response', 'mention', 'message'] as const)[k % 5]!;
    const text = { purchase: 'order', survey_response: 'nps 9', mention: 'negative: edge', message: 'hi' }[type];
    // Customers of their own, so one edge decides their flags.
    customers.push({ ...customers[k % 80]!, id: 101 + k, owner: OWNERS[k % 3]!, mergedInto: null });
    interactions.push({ tenant: TENANT, id: interactions.length + 1, customerId: 101 + k, identity: null, type, channel: 'web', direction: 'in', text,
      amountMinor: type === 'purchase' ? 1_000 : null, currency: type === 'purchase' ? 'USD' : null, occurredAt: iso(at), sourceEventId: null });
  });
  const deals: Deal[] = Array.from({ length: 120 }, (_, k) => {
    const created = AS_OF - r.int(30, 300) * DAY;
    const stage = r.pick(['won', 'lost', 'lead', 'proposal']);
    const closed = stage === 'won' || stage === 'lost' ? iso(created + r.int(0, 200) * DAY + r.int(0, DAY)) : null;
    return {
      tenant: TENANT, id: k + 1, customerId: r.int(1, 80), title: 'D', amountMinor: r.int(100, 900_000), currency: r.pick(['USD', 'EUR']), stage,
      probability: 0.5, owner: r.pick(['web:a', 'web:b']), expectedClose: null, closedAt: closed, lostReason: null, history: [], createdAt: iso(created), updatedAt: closed ?? iso(created),
    };
  });
  return { customers, interactions, deals };
}


describe('digest SQL, fast path against the statements it replaced', () => {
  let dir: string;
  let db: Database.Database;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-digest-sql-'));
    const store = openSqliteStore(join(dir, 'crm.sqlite'));
    await store.tenant(TENANT).bulk.import(book());
    await store.close();
    db = new Database(join(dir, 'crm.sqlite'));
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const old = (sql: string, params: Record<string, unknown>) => db.prepare(sql).all({ tenant: TENANT, ...params }) as Record<string, unknown>[];
  const buckets = (bounds: string[]) => ({ bounds: JSON.stringify(bounds), first: bounds[0], last: bounds.at(-1) });

  it('buckets by CASE as the json_each lookup did, before, on and after every bound', () => {
    const bounds = WEEKS.slice(0, 4);
    const probes = [iso(AS_OF - 40 * DAY), ...bounds, ...bounds.map((b) => iso(Date.parse(b) + 1)), iso(AS_OF)];
    const params = Object.fromEntries(bounds.map((b, i) => [`b${i}`, b]));
    for (const at of probes) {
      const mine = db.prepare(`SELECT ${digest.bucketOf('@at', bounds.length)} b`).get({ ...params, at }) as { b: number | null };
      const theirs = db.prepare(`WITH ${BUCKETS} SELECT ${BUCKET_OF('@at')} b`).get({ bounds: JSON.stringify(bounds), at }) as { b: number | null };
      expect(mine.b, at).toBe(theirs.b);
    }
  });

  for (const owner of OWNERS) {
    for (const [name, bounds] of [['weeks', WEEKS], ['months', MONTHS]] as const) {
      it(`customers created, surveys, mentions and closed deals by ${name}, ${owner ?? 'company'}`, () => {
        const created = digest.customersCreated(db, TENANT, bounds, owner);
        const perBucket = new Array<number>(bounds.length - 1).fill(0);
        let total = 0;
        for (const r of old(CUSTOMERS_CREATED_SQL, { owner, ...buckets(bounds) })) {
          total += Number(r.n);
          if (r.bucket !== null) perBucket[Number(r.bucket)] = Number(r.n);
        }
        expect(created).toEqual({ perBucket, total });
        expect(digest.surveyScores(db, TENANT, bounds, owner)).toEqual(old(SURVEY_SQL, { owner, survey: null, ...buckets(bounds) }));
        expect(digest.surveyScores(db, TENANT, bounds, owner, 'survey:S-2:')).toEqual(old(SURVEY_SQL, { owner, survey: 'survey:S-2:', ...buckets(bounds) }));
        const mentions = digest.mentionDigest(db, TENANT, bounds, owner).perBucket;
        for (const r of old(MENTIONS_SQL, { owner, ...buckets(bounds) })) if (r.sentiment) expect(mentions[Number(r.bucket)]![r.sentiment as 'negative']).toBe(r.n);
        expect(mentions.flatMap((m) => [m.negative, m.neutral, m.positive]).reduce((a, n) => a + n, 0))
          .toBe(old(MENTIONS_SQL, { owner, ...buckets(bounds) }).filter((r) => r.sentiment).reduce((a, r) => a + Number(r.n), 0));
        for (const currency of ['USD', 'EUR']) {
          const closed = digest.closedPerBucket(db, TENANT, bounds, currency, owner);
          const rows = old(CLOSED_SQL, { owner, currency, ...buckets(bounds) });
          expect(rows.length).toBeGreaterThan(0);
          for (const r of rows) expect(closed[Number(r.bucket)]).toEqual({ won: r.won, lost: r.lost, wonTotalMinor: r.wonTotal, wonCycleDays: Number(r.cycleMs) / DAY });
        }
      });
    }

    it(`customer activity for a week, a month and a trailing year (both ways of counting active), ${owner ?? 'company'}`, () => {
      const windows = [[WEEKS[11]!, WEEKS[12]!], [WEEKS[10]!, WEEKS[11]!], [MONTHS[11]!, MONTHS[12]!], [MONTHS[0]!, MONTHS[12]!], [iso(AS_OF - 400 * DAY), WEEKS[0]!]];
      for (const [from, to] of windows as [string, string][]) {
        const shift = (at: string, days: number) => iso(Date.parse(at) - days * DAY);
        const [r] = old(ACTIVITY_SQL, { owner, from, to, startFrom: shift(from, 90), endFrom: shift(to, 90), yearFrom: shift(to, 365) });
        const expected = {
          active: r!.active, baseAtStart: r!.baseAtStart, baseAtEnd: r!.baseAtEnd, newBuyers: r!.newBuyers,
          yearRevenue: JSON.parse(String(r!.yearRevenue)), yearBuyers: r!.yearBuyers,
        };
        expect(expected.active, `${from} ${to}`).toBeGreaterThan(0);
        expect(digest.customerActivity(db, TENANT, from, to, 90, owner), `${from} ${to}`).toEqual(expected);
      }
    });

    it(`customer activity of several periods in one walk equals the reference statement per period, ${owner ?? 'company'}`, () => {
      const shift = (at: string, days: number) => iso(Date.parse(at) - days * DAY);
      const reference = ({ from, to }: digest.Period) => {
        const [r] = old(ACTIVITY_SQL, { owner, from, to, startFrom: shift(from, 90), endFrom: shift(to, 90), yearFrom: shift(to, 365) });
        return { active: r!.active, baseAtStart: r!.baseAtStart, baseAtEnd: r!.baseAtEnd, newBuyers: r!.newBuyers, yearRevenue: JSON.parse(String(r!.yearRevenue)), yearBuyers: r!.yearBuyers };
      };
      const period = (from: string, to: string) => ({ from, to });
      // The digest's order (this period, then the one before, sharing a bound), a period given twice, earliest first,
      // overlapping periods, and a period before every purchase; the book has purchases exactly on these bounds.
      const sets = [
        [period(WEEKS[11]!, WEEKS[12]!), period(WEEKS[10]!, WEEKS[11]!)],
        [period(WEEKS[3]!, WEEKS[4]!), period(MONTHS[11]!, MONTHS[12]!), period(WEEKS[3]!, WEEKS[4]!)],
        [period(MONTHS[0]!, MONTHS[12]!), period(WEEKS[5]!, WEEKS[6]!), period(iso(AS_OF - 900 * DAY), iso(AS_OF - 800 * DAY))],
      ];
      for (const periods of sets) {
        const folded = digest.customerActivityAt(db, TENANT, periods, 90, owner);
        expect(folded, JSON.stringify(periods)).toEqual(periods.map(reference));
      }
      expect(digest.customerActivityAt(db, TENANT, [], 90, owner)).toEqual([]);
    });

    it(`purchase facts, ${owner ?? 'company'}`, () => {
      for (const asOf of [WEEKS[12]!, WEEKS[3]!]) {
        const expected = old(PURCHASE_FACTS_SQL, { owner, asOf });
        expect(expected.length).toBeGreaterThan(0);
        expect(digest.purchaseFacts(db, TENANT, asOf, owner)).toEqual(expected);
      }
    });
  }

  it('RFM scores and amounts kept apart, with and without rates, as the window-function statement gave them', () => {
    const moneys: Reporting[] = [{ currency: 'USD', fx: {} }, { currency: 'USD', fx: { USD: 1, EUR: 1.1 } }, { currency: 'EUR', fx: { USD: 1, EUR: 1.1, GBP: 1.3 } }];
    for (const money of moneys) {
      for (const asOf of [WEEKS[12]!, WEEKS[2]!]) {
        const expected = old(RFM_SQL, { asOf, reporting: money.currency, fx: JSON.stringify(money.fx) }).map((r) => ({
          customerId: r.customerId, recencyDays: r.recencyDays, frequency: r.frequency, monetaryMinor: r.monetaryMinor,
          unconverted: JSON.parse(String(r.apart)), r: r.r, f: r.f, m: r.m,
        }));
        expect(expected.some((r) => r.unconverted.length > 0) || Object.keys(money.fx).length === 3).toBe(true);
        expect(rfmFromStore(db, TENANT, asOf, money)).toEqual(expected);
      }
    }
  });

  it('RFM at several dates in one walk equals the reference statement at each date, purchases on the dates included', () => {
    const reference = (asOf: string, money: Reporting) => old(RFM_SQL, { asOf, reporting: money.currency, fx: JSON.stringify(money.fx) }).map((r) => ({
      customerId: r.customerId, recencyDays: r.recencyDays, frequency: r.frequency, monetaryMinor: r.monetaryMinor,
      unconverted: JSON.parse(String(r.apart)), r: r.r, f: r.f, m: r.m,
    }));
    // The digest's order (end, then start), a date given twice, a date before every purchase, and earliest first.
    const dateSets = [[WEEKS[12]!, WEEKS[11]!], [WEEKS[2]!, WEEKS[12]!, WEEKS[2]!], [iso(AS_OF - 900 * DAY), MONTHS[6]!], [MONTHS[0]!, MONTHS[12]!, WEEKS[5]!]];
    for (const money of [{ currency: 'USD', fx: {} }, { currency: 'EUR', fx: { USD: 1, EUR: 1.1, GBP: 1.3 } }] as Reporting[]) {
      for (const asOfs of dateSets) {
        const folded = rfmAtFromStore(db, TENANT, asOfs, money);
        expect(folded.map((rows) => rows.length)).toEqual(asOfs.map((asOf) => reference(asOf, money).length));
        asOfs.forEach((asOf, i) => expect(folded[i], `${asOf} in ${asOfs.join(' ')}`).toEqual(reference(asOf, money)));
        asOfs.forEach((asOf, i) => expect(folded[i]).toEqual(rfmFromStore(db, TENANT, asOf, money)));
      }
    }
    // A purchase exactly on a date counts at that date (<=) and not a millisecond before it.
    const edge = db.prepare(`SELECT customer_id id, occurred_at at FROM interactions WHERE tenant = ? AND type = 'purchase' AND customer_id > 100 ORDER BY id LIMIT 1`)
      .get(TENANT) as { id: number; at: string };
    const [dayAfter, onIt, justBefore] = rfmAtFromStore(db, TENANT, [iso(Date.parse(edge.at) + DAY), edge.at, iso(Date.parse(edge.at) - 1)], { currency: 'USD', fx: {} });
    expect(dayAfter!.find((r) => r.customerId === edge.id)).toMatchObject({ recencyDays: 1, frequency: 1, monetaryMinor: 1_000 });
    expect(onIt!.find((r) => r.customerId === edge.id)).toMatchObject({ recencyDays: 0, frequency: 1, monetaryMinor: 1_000 });
    expect(justBefore!.find((r) => r.customerId === edge.id)).toBeUndefined();
    expect(rfmAtFromStore(db, TENANT, [], { currency: 'USD', fx: {} })).toEqual([]);
  });
});
