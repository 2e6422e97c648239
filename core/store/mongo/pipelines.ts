/**
 * Aggregation pipelines as pure builders: the mongoose engine runs them on a server, and the test suite
 * evaluates the very same arrays with mingo over the contract fixtures and compares with SQLite.
 * Every value in them comes from our own code or is a typed primitive: no user text becomes an operator.
 */
type Stage = Record<string, unknown>;
const DAY_MS = 86_400_000;

const ALL = { documents: ['unbounded', 'unbounded'] };

/**
 * The quintile rule of core/kpi/rfm.ts for one value: ra = $rank ascending (lo + 1), rd = $rank
 * descending (hi = n - rd + 1), so the middle rank k = floor((ra + n - rd + 1) / 2) and the score is
 * ceil(5k/n); with fewer than five distinct values ($denseRank's maximum) the dense rank itself.
 */
function quintile(ra: string, rd: string, dense: string, distinct: string): unknown {
  const k = { $floor: { $divide: [{ $add: [ra, '$n', { $multiply: [-1, rd] }, 1] }, 2] } };
  return { $cond: [{ $lt: [distinct, 5] }, dense, { $floor: { $divide: [{ $add: [{ $multiply: [5, k] }, '$n', -1] }, '$n'] } }] };
}

/** The ranks one value's quintile needs, as two window stages (ascending and descending), within each partition. */
function ranks(field: string, p: string, partitionBy: string): Stage[] {
  return [
    { $setWindowFields: { partitionBy, sortBy: { [field]: 1 }, output: { [`${p}a`]: { $rank: {} }, [`${p}d`]: { $denseRank: {} } } } },
    { $setWindowFields: { partitionBy, sortBy: { [field]: -1 }, output: { [`${p}r`]: { $rank: {} }, [`${p}n`]: { $max: `$${p}d`, window: ALL } } } },
  ];
}

/**
 * A currency total (`$amount` in `$_id.currency`) in the reporting currency, by the rule of core/kpi/fx.ts and the
 * SQL: floor(total x rate / reporting rate + 0.5); null when either rate is missing. Built from the config rates,
 * each code a $literal, so a rate table can never become an operator.
 */
export function convertedExpr(reporting: string, rates: Record<string, number>): unknown {
  const to = rates[reporting];
  const branches = Object.entries(rates).filter(([c]) => c !== reporting && to !== undefined).map(([c, rate]) => ({
    case: { $eq: ['$_id.currency', { $literal: c }] },
    then: { $floor: { $add: [{ $divide: [{ $multiply: ['$amount', rate] }, to] }, 0.5] } },
  }));
  return { $switch: { branches: [{ case: { $eq: ['$_id.currency', { $literal: reporting }] }, then: '$amount' }, ...branches], default: null } };
}

export function rfmPipeline(tenant: string, asOf: Date, reporting: string, rates: Record<string, number>): Stage[] {
  return [...rfmAtPipeline(tenant, [asOf], reporting, rates), { $project: { at: 0 } }];
}

/**
 * RFM at several as-of dates in one pass over the purchases: each row carries `at`, the index of its as-of date in
 * `asOfs`; rows are sorted by it, then by customer. Per customer and currency one $group sums the purchases up to
 * each date; one copy per date then goes through the single-date steps, ranked within its date.
 */
export function rfmAtPipeline(tenant: string, asOfs: Date[], reporting: string, rates: Record<string, number>): Stage[] {
  const latest = new Date(Math.max(...asOfs.map((a) => a.getTime())));
  const upTo = (i: number, value: unknown, otherwise: unknown) => ({ $cond: [{ $lte: ['$occurredAt', asOfs[i]] }, value, otherwise] });
  const totals: Stage = {};
  asOfs.forEach((_, i) => {
    totals[`last${i}`] = { $max: upTo(i, '$occurredAt', null) };
    totals[`n${i}`] = { $sum: upTo(i, 1, 0) };
    totals[`amount${i}`] = { $sum: upTo(i, { $ifNull: ['$amountMinor', 0] }, 0) };
  });
  return [
    { $match: { tenant, type: 'purchase', customerId: { $ne: null }, occurredAt: { $lte: latest } } },
    // Per customer and currency first, so each currency's total is converted (or kept apart) once.
    { $group: { _id: { customerId: '$customerId', currency: { $ifNull: ['$currency', { $literal: reporting }] } }, ...totals } },
    { $project: { at: asOfs.map((asOf, i) => ({ i: { $literal: i }, asOf: { $literal: asOf }, lastAt: `$last${i}`, frequency: `$n${i}`, amount: `$amount${i}` })) } },
    { $unwind: '$at' },
    { $match: { 'at.frequency': { $gt: 0 } } },
    {
      $project: {
        _id: { customerId: '$_id.customerId', currency: '$_id.currency', i: '$at.i' },
        asOf: '$at.asOf', lastAt: '$at.lastAt', frequency: '$at.frequency', amount: '$at.amount',
      },
    },
    { $addFields: { converted: convertedExpr(reporting, rates) } },
    { $sort: { '_id.currency': 1 } },
    {
      $group: {
        _id: { i: '$_id.i', customerId: '$_id.customerId' },
        asOf: { $first: '$asOf' },
        lastAt: { $max: '$lastAt' },
        frequency: { $sum: '$frequency' },
        monetaryMinor: { $sum: { $ifNull: ['$converted', 0] } },
        apart: { $push: { $cond: [{ $and: [{ $eq: ['$converted', null] }, { $ne: ['$amount', 0] }] }, { currency: '$_id.currency', minor: '$amount' }, null] } },
      },
    },
    { $setWindowFields: { partitionBy: '$_id.i', output: { n: { $sum: 1, window: ALL } } } },
    ...ranks('lastAt', 'r', '$_id.i'),
    ...ranks('frequency', 'f', '$_id.i'),
    ...ranks('monetaryMinor', 'm', '$_id.i'),
    {
      $project: {
        _id: 0,
        at: '$_id.i',
        customerId: '$_id.customerId',
        recencyDays: { $floor: { $divide: [{ $subtract: ['$asOf', '$lastAt'] }, DAY_MS] } },
        frequency: 1,
        monetaryMinor: 1,
        unconverted: { $filter: { input: '$apart', cond: { $ne: ['$$this', null] } } },
        r: quintile('$ra', '$rr', '$rd', '$rn'),
        f: quintile('$fa', '$fr', '$fd', '$fn'),
        m: quintile('$ma', '$mr', '$md', '$mn'),
      },
    },
    { $sort: { at: 1, customerId: 1 } },
  ];
}

/** Splits rfmAtPipeline's rows into one list per as-of date. */
export function readRfmAt<T extends { at: number }>(rows: T[], asOfs: number): Omit<T, 'at'>[][] {
  const out: Omit<T, 'at'>[][] = Array.from({ length: asOfs }, () => []);
  for (const { at, ...row } of rows) out[at]!.push(row);
  return out;
}

export function pipelineByStage(tenant: string, currency: string): Stage[] {
  return [
    { $match: { tenant, currency, closedAt: null } },
    { $group: { _id: '$stage', count: { $sum: 1 }, totalMinor: { $sum: '$amountMinor' } } },
    { $project: { _id: 0, stage: '$_id', count: 1, totalMinor: 1 } },
    { $sort: { stage: 1 } },
  ];
}

export function closedSincePipeline(tenant: string, currency: string, since: Date): Stage[] {
  const isWon = { $eq: ['$stage', 'won'] };
  return [
    { $match: { tenant, currency, closedAt: { $ne: null, $gte: since } } },
    {
      $group: {
        _id: null,
        won: { $sum: { $cond: [isWon, 1, 0] } },
        lost: { $sum: { $cond: [{ $eq: ['$stage', 'lost'] }, 1, 0] } },
        wonTotalMinor: { $sum: { $cond: [isWon, '$amountMinor', 0] } },
        wonCycleDays: { $sum: { $cond: [isWon, { $divide: [{ $subtract: ['$closedAt', '$createdAt'] }, DAY_MS] }, 0] } },
      },
    },
    { $project: { _id: 0, won: 1, lost: 1, wonTotalMinor: 1, wonCycleDays: 1 } },
  ];
}

/** A customer's interactions counted per type. */
export function countByTypePipeline(tenant: string, customerId: number): Stage[] {
  return [
    { $match: { tenant, customerId: Number(customerId) } },
    { $group: { _id: '$type', n: { $sum: 1 } } },
    { $sort: { _id: 1 } },
  ];
}

/** Acquisition spend over the months fromMonth..toMonth (`YYYY-MM`, both included). */
export function spendTotalPipeline(tenant: string, fromMonth: string, toMonth: string): Stage[] {
  return [
    { $match: { tenant, month: { $gte: String(fromMonth), $lte: String(toMonth) } } },
    { $group: { _id: null, s: { $sum: '$amountMinor' } } },
  ];
}

/** Pending outbox items per platform, across tenants. */
export function outboxDepthPipeline(): Stage[] {
  return [
    { $match: { status: 'pending' } },
    { $group: { _id: '$platform', n: { $sum: 1 } } },
    { $sort: { _id: 1 } },
  ];
}

/**
 * What a worker's change stream on the event log listens to: inserted events only, reduced to where they
 * belong; the cursors in the store, not the stream, say what is delivered, so a restart simply catches up.
 */
export function eventLogWatchPipeline(): Stage[] {
  return [
    { $match: { operationType: 'insert' } },
    { $project: { operationType: 1, 'fullDocument.tenant': 1, 'fullDocument.position': 1 } },
  ];
}
