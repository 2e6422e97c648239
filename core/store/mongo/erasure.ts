import type { Model } from 'mongoose';
import type { ErasureRepo } from '../port.js';
import type { Txn } from './ledger.js';
import type { Models } from './models.js';
import { eraseMongoEvents } from './event-log.js';
import { anyOfFilter } from './filters.js';
import { erasureWrites, mergesOfFilter } from './erasure-writes.js';

export function mongoErasure(m: Models, txn: Txn, tenant: string): ErasureRepo {
  return {
    footprint: async (customerId) => {
      const ids = new Set<number>([customerId]);
      for (let frontier = [customerId]; frontier.length; ) {
        const rows = await m.Customer.find(anyOfFilter(tenant, 'mergedInto', frontier), { id: 1 }).lean();
        frontier = rows.map((r) => Number(r.id)).filter((id) => !ids.has(id));
        for (const id of frontier) ids.add(id);
      }
      const list = [...ids];
      const identities = new Set((await m.Identity.find(anyOfFilter(tenant, 'customerId', list), { identity: 1 }).lean()).map((r) => String(r.identity)));
      for (const r of await m.Merge.find(mergesOfFilter(tenant, list), { identities: 1 }).lean()) {
        for (const i of (r.identities ?? []) as string[]) identities.add(i);
      }
      return { customerIds: list.sort((a, b) => a - b), identities: [...identities].sort() };
    },
    erase: async (plan, words, now) =>
      txn(async (session) => {
        const o = { session, updatePipeline: true };
        for (const w of erasureWrites(tenant, plan, words, now)) {
          // The event log's model lives on the connection only when events are on.
          if (w.on === 'EventLog') await eraseMongoEvents(m.Customer.db, w.filter, session);
          else if (w.op === 'deleteMany') await (m[w.on] as Model<any>).deleteMany(w.filter, o);
          else await (m[w.on] as Model<any>)[w.op](w.filter, w.update, w.arrayFilters ? { ...o, arrayFilters: w.arrayFilters } : o);
        }
      }),
  };
}
