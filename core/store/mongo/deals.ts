import type { DealRepo } from '../port.js';
import { newDeal } from '../records.js';
import { dealDoc, toDeal, type Doc } from './codecs.js';
import { dealListFilter } from './filters.js';
import { stageMoveUpdate } from './updates.js';
import type { Scope } from './scope.js';
import { numbered } from './numbered.js';

/** Deals and their stage history. */
export function mongoDeals(scope: Scope): DealRepo {
  const { m, txn, tenant, withEvents } = scope;
  const record = numbered(scope, 'deal', m.Deal, toDeal);
  return {
    create: async (input, by, now, events) => record.create((id) => dealDoc(newDeal(tenant, id, input, by, now)), events, input.sourceEventId),
    get: record.get,
    moveStage: async (id, change, events) => txn(async (session) => {
      const r = await m.Deal.findOneAndUpdate({ tenant, id }, stageMoveUpdate(change), { returnDocument: 'after', lean: true, session });
      return r ? withEvents(toDeal(r as Doc), events, session) : null;
    }),
    list: async (filter, limit) => {
      return ((await m.Deal.find(dealListFilter(tenant, filter)).sort({ id: -1 }).limit(limit).lean()) as Doc[]).map(toDeal);
    },
  };
}
