import type { DealRepo } from '../port.js';
import { newDeal } from '../records.js';
import { dealDoc, toDeal, type Doc } from './codecs.js';
import { dealListFilter } from './filters.js';
import { stageMoveUpdate } from './updates.js';
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
      const r = await m.Deal.findOneAndUpdate({ tenant, id }, stageMoveUpdate(change), { returnDocument: 'after', lean: true, session });
      return r ? withEvents(toDeal(r as Doc), events, session) : null;
    }),
    list: async (filter, limit) => {
      return ((await m.Deal.find(dealListFilter(tenant, filter)).sort({ id: -1 }).limit(limit).lean()) as Doc[]).map(toDeal);
    },
  };
}
