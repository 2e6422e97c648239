import type { DealRepo } from '../port.js';
import { newDeal, stageMove } from '../records.js';
import { d, dealDoc, dOrNull, toDeal, type Doc } from './codecs.js';
import { trusted } from './filters.js';
import type { Scope } from './scope.js';

/** Deals and their stage history. */
export function mongoDeals({ m, txn, tenant, nextId, withEvents }: Scope): DealRepo {
  return {
    create: async (input, by, now, events) => txn(async (session) => {
      const deal = newDeal(tenant, await nextId('deal', tenant, session), input, by, now);
      await m.Deal.create([dealDoc(deal)], { session });
      return withEvents(deal, events, session);
    }),
    get: async (id) => {
      const r = await m.Deal.findOne({ tenant, id }).lean();
      return r ? toDeal(r as Doc) : null;
    },
    moveStage: async (id, change, events) => txn(async (session) => {
      const { set, entry } = stageMove(change);
      const r = await m.Deal.findOneAndUpdate(
        { tenant, id },
        { $set: { ...set, updatedAt: d(set.updatedAt), closedAt: dOrNull(set.closedAt) }, $push: { history: entry } },
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
