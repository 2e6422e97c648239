import type {
  ClosedDealStats, CustomerActivity, CustomersCreated, MentionDigest, OpenDeals, PurchaseFacts, SurveyScoreCount,
} from '../port.js';

/**
 * The KPI digest's aggregates as pure pipeline builders (run by mongoose, and by mingo in the tests),
 * each paired with the reader that turns its raw output into the port's shape. Bucket i is
 * [bounds[i], bounds[i+1]). A rep's book arrives as the ids of the customers they own (`ids`), resolved
 * by the engine beforehand, so no pipeline needs a $lookup. Regexes are constants of ours.
 */
type Stage = Record<string, unknown>;
type Raw = Record<string, unknown>;
const DAY_MS = 86_400_000;

/** parseSurveyAnswer's and mentionSentiment's grammars. */
const SURVEY_RE = '^(nps|csat|ces) (\\d{1,2})(?::|$)';
const SENTIMENT_RE = '^(negative|neutral|positive): ';

const isPurchase = { $eq: ['$type', 'purchase'] };
const flag = (cond: unknown) => ({ $cond: [cond, 1, 0] });
const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

/** Index of the last bound at or before the value: -1 before the first bound. */
function bucketOf(field: string, bounds: Date[]): unknown {
  return { $subtract: [{ $size: { $filter: { input: bounds, as: 'lo', cond: { $lte: ['$$lo', field] } } } }, 1] };
}

function bucketRange(bounds: Date[]): { $gte: Date; $lt: Date } {
  if (bounds.length < 2) throw new Error('digest aggregates need at least two bounds');
  return { $gte: bounds[0]!, $lt: bounds.at(-1)! };
}

/** Interactions of the whole tenant (of any customer, or also of none), or of the customers one rep owns. */
const customerFilter = (ids: number[] | null) => (ids === null ? { $ne: null } : { $in: ids });
const bookFilter = (ids: number[] | null) => (ids === null ? {} : { customerId: { $in: ids } });
const ownerFilter = (owner: string | null) => (owner === null ? {} : { owner });

export function customersCreatedPipeline(tenant: string, bounds: Date[], owner: string | null): Stage[] {
  return [
    { $match: { tenant, mergedInto: null, createdAt: { $lt: bucketRange(bounds).$lt }, ...ownerFilter(owner) } },
    { $group: { _id: bucketOf('$createdAt', bounds), n: { $sum: 1 } } },
    { $project: { _id: 0, bucket: '$_id', n: 1 } },
  ];
}

export function readCustomersCreated(rows: Raw[], bounds: Date[]): CustomersCreated {
  const perBucket = new Array<number>(bounds.length - 1).fill(0);
  let total = 0;
  for (const r of rows) {
    total += Number(r.n);
    if (Number(r.bucket) >= 0) perBucket[Number(r.bucket)] = Number(r.n);
  }
  return { perBucket, total };
}

export interface ActivityWindow {
  from: Date;
  to: Date;
  /** Starts of the churn windows ending at `from` and at `to`, and of the year ending at `to`. */
  startFrom: Date;
  endFrom: Date;
  yearFrom: Date;
}

export function activityWindow(from: string, to: string, churnWindowDays: number): ActivityWindow {
  const back = (at: string, days: number) => new Date(Date.parse(at) - days * DAY_MS);
  return { from: new Date(from), to: new Date(to), startFrom: back(from, churnWindowDays), endFrom: back(to, churnWindowDays), yearFrom: back(to, 365) };
}

/** Activity counts per customer, then totals; the year's purchase revenue per currency beside them (never summed across currencies). */
function activityFacets(w: ActivityWindow): { totals: Stage[]; yearRevenue: Stage[] } {
  const at = '$occurredAt';
  const yearPurchase = { $and: [isPurchase, { $gte: [at, w.yearFrom] }] };
  const totals: Stage[] = [
    {
      $group: {
        _id: '$customerId',
        active: { $max: flag({ $gte: [at, w.from] }) },
        atStart: { $max: flag({ $and: [isPurchase, { $gte: [at, w.startFrom] }, { $lt: [at, w.from] }] }) },
        atEnd: { $max: flag({ $and: [isPurchase, { $gte: [at, w.endFrom] }] }) },
        firstPurchase: { $min: { $cond: [isPurchase, at, null] } },
        yearBuyer: { $max: flag(yearPurchase) },
      },
    },
    {
      $group: {
        _id: null,
        active: { $sum: '$active' },
        baseAtStart: { $sum: '$atStart' },
        baseAtEnd: { $sum: '$atEnd' },
        newBuyers: { $sum: flag({ $and: [{ $eq: [{ $type: '$firstPurchase' }, 'date'] }, { $gte: ['$firstPurchase', w.from] }] }) },
        yearBuyers: { $sum: '$yearBuyer' },
      },
    },
    { $project: { _id: 0, active: 1, baseAtStart: 1, baseAtEnd: 1, newBuyers: 1, yearBuyers: 1 } },
  ];
  const yearRevenue: Stage[] = [
    { $match: { type: 'purchase', occurredAt: { $gte: w.yearFrom } } },
    { $group: { _id: '$currency', minor: { $sum: { $ifNull: ['$amountMinor', 0] } } } },
    { $match: { minor: { $ne: 0 } } },
    { $sort: { _id: 1 } },
    { $project: { _id: 0, currency: '$_id', minor: 1 } },
  ];
  return { totals, yearRevenue };
}

/**
 * Customer activity of several periods in one read of the interactions (the digest's period and the one before):
 * the documents up to the latest end, then two facets per period, each first narrowed to its own end.
 */
export function customerActivityAtPipeline(tenant: string, ws: ActivityWindow[], ids: number[] | null): Stage[] {
  const end = new Date(Math.max(...ws.map((w) => w.to.getTime())));
  const facets: Record<string, Stage[]> = {};
  ws.forEach((w, k) => {
    const upTo = { $match: { occurredAt: { $lt: w.to } } };
    const { totals, yearRevenue } = activityFacets(w);
    facets[`totals${k}`] = [upTo, ...totals];
    facets[`yearRevenue${k}`] = [upTo, ...yearRevenue];
  });
  return [
    { $match: { tenant, customerId: customerFilter(ids), occurredAt: { $lt: end } } },
    { $facet: facets },
  ];
}

export function customerActivityPipeline(tenant: string, w: ActivityWindow, ids: number[] | null): Stage[] {
  return customerActivityAtPipeline(tenant, [w], ids);
}

/** customerActivityAtPipeline's one output document as one activity per period, in the windows' order. */
export function readCustomerActivityAt(rows: Raw[], periods: number): CustomerActivity[] {
  const facet = (rows[0] ?? {}) as Record<string, Raw[] | undefined>;
  return Array.from({ length: periods }, (_, k) => {
    const r = facet[`totals${k}`]?.[0] ?? {};
    const n = (key: string) => Number(r[key] ?? 0);
    return {
      active: n('active'), baseAtStart: n('baseAtStart'), baseAtEnd: n('baseAtEnd'), newBuyers: n('newBuyers'),
      yearRevenue: (facet[`yearRevenue${k}`] ?? []).map((y) => ({ currency: y.currency === null || y.currency === undefined ? null : String(y.currency), minor: Number(y.minor) })),
      yearBuyers: n('yearBuyers'),
    };
  });
}

export function readCustomerActivity(rows: Raw[]): CustomerActivity {
  return readCustomerActivityAt(rows, 1)[0]!;
}

export function purchaseFactsPipeline(tenant: string, asOf: Date, ids: number[] | null): Stage[] {
  const at = '$occurredAt';
  return [
    { $match: { tenant, customerId: customerFilter(ids), occurredAt: { $lt: asOf } } },
    {
      $group: {
        _id: '$customerId',
        firstPurchaseAt: { $min: { $cond: [isPurchase, at, null] } },
        lastPurchaseAt: { $max: { $cond: [isPurchase, at, null] } },
        // Idleness counts the customer's own inbound interactions (CRM-METHOD lifecycle), not a rep's notes.
        lastInteractionAt: { $max: { $cond: [{ $and: [{ $not: [isPurchase] }, { $eq: ['$direction', 'in'] }] }, at, null] } },
      },
    },
    { $match: { firstPurchaseAt: { $type: 'date' } } },
    { $project: { _id: 0, customerId: '$_id', firstPurchaseAt: 1, lastPurchaseAt: 1, lastInteractionAt: 1 } },
    { $sort: { customerId: 1 } },
  ];
}

export function readPurchaseFacts(rows: Raw[]): PurchaseFacts[] {
  return rows.map((r) => ({
    customerId: Number(r.customerId), firstPurchaseAt: iso(r.firstPurchaseAt), lastPurchaseAt: iso(r.lastPurchaseAt),
    lastInteractionAt: r.lastInteractionAt == null ? null : iso(r.lastInteractionAt),
  }));
}

/** sourceEventId up to its `#version` (the person's answer to one survey), or the row's own id when it has none. */
const SURVEY_KEY = {
  $cond: [
    { $eq: [{ $ifNull: ['$sourceEventId', null] }, null] },
    { $concat: ['i', { $toString: '$id' }] },
    { $arrayElemAt: [{ $split: ['$sourceEventId', '#'] }, 0] },
  ],
};

/** As SURVEY_SQL: the latest answer per person per survey per bucket, optionally of one survey (a sourceEventId prefix). */
export function surveyScoresPipeline(tenant: string, bounds: Date[], ids: number[] | null, survey: string | null = null): Stage[] {
  const onlySurvey = survey === null ? [] : [{ $match: { $expr: { $eq: [{ $substrCP: [{ $ifNull: ['$sourceEventId', ''] }, 0, survey.length] }, survey] } } }];
  return [
    { $match: { tenant, type: 'survey_response', occurredAt: bucketRange(bounds), ...bookFilter(ids) } },
    ...onlySurvey,
    { $sort: { occurredAt: -1, id: -1 } },
    { $group: { _id: { bucket: bucketOf('$occurredAt', bounds), k: SURVEY_KEY }, text: { $first: '$text' } } },
    { $set: { m: { $regexFind: { input: '$text', regex: SURVEY_RE } } } },
    { $match: { m: { $ne: null } } },
    {
      $group: {
        _id: {
          bucket: '$_id.bucket',
          kind: { $arrayElemAt: ['$m.captures', 0] },
          score: { $toInt: { $arrayElemAt: ['$m.captures', 1] } },
        },
        count: { $sum: 1 },
      },
    },
    { $project: { _id: 0, bucket: '$_id.bucket', kind: '$_id.kind', score: '$_id.score', count: 1 } },
    { $sort: { bucket: 1, kind: 1, score: 1 } },
  ];
}

export function readSurveyScores(rows: Raw[]): SurveyScoreCount[] {
  return rows.map((r) => ({ bucket: Number(r.bucket), kind: r.kind as SurveyScoreCount['kind'], score: Number(r.score), count: Number(r.count) }));
}

export function mentionDigestPipeline(tenant: string, bounds: Date[], ids: number[] | null): Stage[] {
  return [
    { $match: { tenant, type: 'mention', occurredAt: bucketRange(bounds), ...bookFilter(ids) } },
    {
      $facet: {
        counts: [
          { $set: { s: { $regexFind: { input: '$text', regex: SENTIMENT_RE } } } },
          { $match: { s: { $ne: null } } },
          { $group: { _id: { bucket: bucketOf('$occurredAt', bounds), sentiment: { $arrayElemAt: ['$s.captures', 0] } }, n: { $sum: 1 } } },
          { $project: { _id: 0, bucket: '$_id.bucket', sentiment: '$_id.sentiment', n: 1 } },
        ],
        latestNegative: [
          { $match: { occurredAt: { $gte: bounds.at(-2)! }, text: { $regex: /^negative: / } } },
          { $sort: { occurredAt: -1, id: -1 } },
          { $limit: 1 },
          { $project: { _id: 0, customerId: 1, text: 1, occurredAt: 1 } },
        ],
      },
    },
  ];
}

export function readMentionDigest(rows: Raw[], bounds: Date[]): MentionDigest {
  const perBucket = Array.from({ length: bounds.length - 1 }, () => ({ negative: 0, neutral: 0, positive: 0 }));
  const facet = (rows[0] ?? {}) as { counts?: Raw[]; latestNegative?: Raw[] };
  for (const r of facet.counts ?? []) perBucket[Number(r.bucket)]![r.sentiment as 'negative' | 'neutral' | 'positive'] = Number(r.n);
  const n = facet.latestNegative?.[0];
  return {
    perBucket,
    latestNegative: n ? { customerId: n.customerId == null ? null : Number(n.customerId), text: String(n.text), occurredAt: iso(n.occurredAt) } : null,
  };
}

export function closedPerBucketPipeline(tenant: string, bounds: Date[], currency: string, owner: string | null): Stage[] {
  const isWon = { $eq: ['$stage', 'won'] };
  return [
    { $match: { tenant, currency, closedAt: { $ne: null, ...bucketRange(bounds) }, ...ownerFilter(owner) } },
    {
      $group: {
        _id: bucketOf('$closedAt', bounds),
        won: { $sum: flag(isWon) },
        lost: { $sum: flag({ $eq: ['$stage', 'lost'] }) },
        wonTotalMinor: { $sum: { $cond: [isWon, '$amountMinor', 0] } },
        cycleMs: { $sum: { $cond: [isWon, { $subtract: ['$closedAt', '$createdAt'] }, 0] } },
      },
    },
    { $project: { _id: 0, bucket: '$_id', won: 1, lost: 1, wonTotalMinor: 1, cycleMs: 1 } },
  ];
}

export function readClosedPerBucket(rows: Raw[], bounds: Date[]): ClosedDealStats[] {
  const out = Array.from({ length: bounds.length - 1 }, () => ({ won: 0, lost: 0, wonTotalMinor: 0, wonCycleDays: 0 }));
  for (const r of rows) {
    out[Number(r.bucket)] = { won: Number(r.won), lost: Number(r.lost), wonTotalMinor: Number(r.wonTotalMinor), wonCycleDays: Number(r.cycleMs) / DAY_MS };
  }
  return out;
}

export function openDealsPipeline(tenant: string, currency: string, owner: string | null): Stage[] {
  return [
    { $match: { tenant, currency, closedAt: null, ...ownerFilter(owner) } },
    { $group: { _id: '$stage', count: { $sum: 1 }, totalMinor: { $sum: '$amountMinor' } } },
    { $project: { _id: 0, stage: '$_id', count: 1, totalMinor: 1 } },
    { $sort: { stage: 1 } },
  ];
}

export function readOpenDeals(rows: Raw[]): OpenDeals {
  return { stages: rows.map((r) => ({ stage: String(r.stage), count: Number(r.count), totalMinor: Number(r.totalMinor) })) };
}
