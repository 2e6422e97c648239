import type { Model } from 'mongoose';
import type { BulkKind, BulkRecords, BulkRepo } from '../port.js';
import type { Models } from './models.js';
import type { Txn } from './ledger.js';
import { counterFilter, idPageFilter } from './filters.js';
import { counterAtLeastUpdate } from './updates.js';
import { caseDoc, customerDoc, dealDoc, interactionDoc, type Doc } from './codecs.js';

/** Imported records as stored documents, in the importing tenant. */
const TO_DOC: { [K in BulkKind]: (tenant: string, r: BulkRecords[K]) => Doc } = {
  customers: (tenant, c) => customerDoc({ ...c, tenant }),
  interactions: (tenant, i) => interactionDoc({ ...i, tenant }),
  deals: (tenant, x) => dealDoc({ ...x, tenant }),
  cases: (tenant, k) => caseDoc({ ...k, tenant }),
};
const COUNTER: Record<BulkKind, string> = { customers: 'customer', interactions: 'interaction', deals: 'deal', cases: 'case' };

/** The largest id, in a loop: spreading 150,000+ ids into Math.max overflows the call stack. */
export function maxId(rows: { id: number }[]): number {
  let max = 0;
  for (const r of rows) if (r.id > max) max = r.id;
  return max;
}

export function mongoBulk(m: Models, txn: Txn, tenant: string, read: { [K in BulkKind]: (x: Doc) => BulkRecords[K] }): BulkRepo {
  const model: Record<BulkKind, Model<any>> = { customers: m.Customer, interactions: m.Interaction, deals: m.Deal, cases: m.Case };
  return {
    import: (batch) =>
      txn(async (session) => {
        for (const kind of Object.keys(TO_DOC) as BulkKind[]) {
          const rows = batch[kind] as BulkRecords[typeof kind][] | undefined;
          if (!rows?.length) continue;
          // The driver's own insertMany: mongoose's per-document casting costs ~30x (mongoose#14719) and TO_DOC already shapes them.
          await model[kind].collection.insertMany(rows.map((r) => TO_DOC[kind](tenant, r as never)), { session, ordered: false });
          await m.Counter.updateOne(counterFilter(tenant, COUNTER[kind]), counterAtLeastUpdate(maxId(rows)), { upsert: true, session });
        }
      }),
    page: async (kind, afterId, limit) =>
      ((await model[kind].find(idPageFilter(tenant, afterId)).sort({ id: 1 }).limit(limit).lean()) as Doc[]).map(read[kind]) as never,
  };
}
