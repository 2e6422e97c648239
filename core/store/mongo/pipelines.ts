/**
 * Aggregation pipelines as pure builders: the mongoose engine runs them on a server, and the test suite
 * evaluates the very same arrays with mingo over the contract fixtures and compares with SQLite.
 * Every value in them comes from our own code or is a typed primitive: no user text becomes an operator.
 */
type Stage = Record<string, unknown>;
const DAY_MS = 86_400_000;

/** `(5 * k + n - 1) / n` as integer division; k counts documents at or below the current one. */
function quintile(k: string): unknown {
  return { $floor: { $divide: [{ $add: [{ $multiply: [5, k] }, '$n', -1] }, '$n'] } };
}

export function rfmPipeline(tenant: string, asOf: Date): Stage[] {
  return [
    { $match: { tenant, type: 'purchase', customerId: { $ne: null }, occurredAt: { $lte: asOf } } },
    {
      $group: {
        _id: '$customerId',
        lastAt: { $max: '$occurredAt' },
        frequency: { $sum: 1 },
        monetaryMinor: { $sum: { $ifNull: ['$amountMinor', 0] } },
      },
    },
    // $rank over a descending sort counts the documents strictly above; k = n - rank + 1 counts those at or below.
    { $setWindowFields: { sortBy: { lastAt: -1 }, output: { rr: { $rank: {} }, n: { $sum: 1, window: { documents: ['unbounded', 'unbounded'] } } } } },
    { $setWindowFields: { sortBy: { frequency: -1 }, output: { fr: { $rank: {} } } } },
    { $setWindowFields: { sortBy: { monetaryMinor: -1 }, output: { mr: { $rank: {} } } } },
    {
      $set: {
        kr: { $add: [{ $subtract: ['$n', '$rr'] }, 1] },
        kf: { $add: [{ $subtract: ['$n', '$fr'] }, 1] },
        km: { $add: [{ $subtract: ['$n', '$mr'] }, 1] },
      },
    },
    {
      $project: {
        _id: 0,
        customerId: '$_id',
        recencyDays: { $floor: { $divide: [{ $subtract: [asOf, '$lastAt'] }, DAY_MS] } },
        frequency: 1,
        monetaryMinor: 1,
        r: quintile('$kr'),
        f: quintile('$kf'),
        m: quintile('$km'),
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

export function forecastPipeline(tenant: string, currency: string): Stage[] {
  return [
    { $match: { tenant, currency, closedAt: null, expectedClose: { $ne: null } } },
    { $group: { _id: { $substrBytes: ['$expectedClose', 0, 7] }, weighted: { $sum: { $multiply: ['$amountMinor', '$probability'] } } } },
    { $project: { _id: 0, month: '$_id', weighted: 1 } },
  ];
}
