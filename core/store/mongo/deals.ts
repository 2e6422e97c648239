import type { DealRepo } from '../port.js';
import { d, toDeal, type Doc } from './codecs.js';
import { trusted } from './filters.js';
import type { Scope } from './scope.js';
import { numbered } from './numbered.js';

/** Deals and their stage history. */
export function mongoDeals(scope: Scope): DealRepo {
  const { m, txn, tenant, withEvents } = scope;
  const record = numbered(scope, 'deal', m.Deal, toDeal);
  return {
    create: async (input, by, now, events) => record.create((id) => ({
      ...input, tenant, id, closedAt: null, lostReason: null, history: [{ stage: input.stage, at: now, by }],
      createdAt: d(now), updatedAt: d(now),
    }), events),
    get: record.get,
    moveStage: async (id, change, events) => txn(async (session) => {
      const r = await m.Deal.findOneAndUpdate(
        { tenant, id },
        {
          $set: {
            stage: change.stage, probability: change.probability, updatedAt: d(change.at),
            closedAt: change.closed ? d(change.at) : null, lostReason: change.lostReason ?? null,
          },
          $push: { history: { stage: change.stage, at: change.at, by: change.by } },
        },
        { returnDocument: 'after', lean: true, session },
      );
      return r ? withEvents(toDeal(r as Doc), events, session) : null;
    }),
    list: async (filter, limit) => {
      const q: Doc = { tenant };
      if (filter.owner !== undefined) q.owner = String(filter.owner);
      if (filter.stage !== undefined) q.stage = String(filter.stage);
      if (filter.customerId !== undefined) q.customerId = Number(filter.customerId);
      if (filter.open !== undefined) q.closedAt = filter.open ? null : trusted({ $ne: null });
      return ((await m.Deal.find(q).sort({ id: -1 }).limit(limit).lean()) as Doc[]).map(toDeal);
    },
  };
}
