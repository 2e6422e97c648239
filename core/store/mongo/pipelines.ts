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

/** The ranks one value's quintile needs, as two window stages (ascending and descending). */
function ranks(field: string, p: string): Stage[] {
  return [
    { $setWindowFields: { sortBy: { [field]: 1 }, output: { [`${p}a`]: { $rank: {} }, [`${p}d`]: { $denseRank: {} } } } },
    { $setWindowFields: { sortBy: { [field]: -1 }, output: { [`${p}r`]: { $rank: {} }, [`${p}n`]: { $max: `$${p}d`, window: ALL } } } },
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
  return [
    { $match: { tenant, type: 'purchase', customerId: { $ne: null }, occurredAt: { $lte: asOf } } },
    // Per customer and currency first, so each currency's total is converted (or kept apart) once.
    {
      $group: {
        _id: { customerId: '$customerId', currency: { $ifNull: ['$currency', { $literal: reporting }] } },
        lastAt: { $max: '$occurredAt' },
        frequency: { $sum: 1 },
        amount: { $sum: { $ifNull: ['$amountMinor', 0] } },
      },
    },
    { $addFields: { converted: convertedExpr(reporting, rates) } },
    { $sort: { '_id.currency': 1 } },
    {
      $group: {
        _id: '$_id.customerId',
        lastAt: { $max: '$lastAt' },
        frequency: { $sum: '$frequency' },
        monetaryMinor: { $sum: { $ifNull: ['$converted', 0] } },
        apart: { $push: { $cond: [{ $and: [{ $eq: ['$converted', null] }, { $ne: ['$amount', 0] }] }, { currency: '$_id.currency', minor: '$amount' }, null] } },
      },
    },
    { $setWindowFields: { output: { n: { $sum: 1, window: ALL } } } },
    ...ranks('lastAt', 'r'),
    ...ranks('frequency', 'f'),
    ...ranks('monetaryMinor', 'm'),
    {
      $project: {
        _id: 0,
        customerId: '$_id',
        recencyDays: { $floor: { $divide: [{ $subtract: [asOf, '$lastAt'] }, DAY_MS] } },
        frequency: 1,
        monetaryMinor: 1,
        unconverted: { $filter: { input: '$apart', cond: { $ne: ['$$this', null] } } },
        r: quintile('$ra', '$rr', '$rd', '$rn'),
        f: quintile('$fa', '$fr', '$fd', '$fn'),
        m: quintile('$ma', '$mr', '$md', '$mn'),
      },
    },
    { $sort: { customerId: 1 } },
  ];
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
