import type { CustomerRepo } from '../port.js';
import type mongoose from 'mongoose';
import { newCustomer, newMerge } from '../records.js';
import { customerDoc, d, mergeDoc, toCustomer, toMerge, type Doc } from './codecs.js';
import {
  anyOfFilter, customerNameFilter, customerPageFilter, customersCreatedFilter, customerSearchFilter, liveCustomersFilter,
} from './filters.js';
import {
  customerPatchUpdate, erasedCasesUpdate, erasedInteractionsUpdate, erasureUpdate, mergedIntoUpdate, reassignUpdate,
} from './updates.js';
import type { Scope } from './scope.js';
import { numbered } from './numbered.js';

/** Customers: create, find, search, patch, merge and undo, anonymise. */
export function mongoCustomers(scope: Scope): CustomerRepo {
  const { m, txn, tenant, nextId } = scope;
  const record = numbered(scope, 'customer', m.Customer, toCustomer);
  return {
    create: async (input, now, events) => record.create((id) => customerDoc(newCustomer(tenant, id, input, now)), events, input.sourceEventId),
    get: record.get,
    createdBy: record.bySource,
    findByName: async (name) =>
      ((await m.Customer.find(customerNameFilter(tenant, name)).sort({ id: 1 }).lean()) as Doc[]).map(toCustomer),
    search: async (text, limit) => {
      const rows = await m.Customer.find(customerSearchFilter(tenant, text))
        .sort({ id: 1 }).limit(limit).lean();
      return (rows as Doc[]).map(toCustomer);
    },
    update: async (id, patch, now) => {
      const r = await m.Customer.findOneAndUpdate({ tenant, id }, customerPatchUpdate(patch, now), { returnDocument: 'after', lean: true });
      return r ? toCustomer(r as Doc) : null;
    },
    count: async () => m.Customer.countDocuments(liveCustomersFilter(tenant)),
    page: async (afterId, limit) =>
      ((await m.Customer.find(customerPageFilter(tenant, afterId)).sort({ id: 1 }).limit(limit).lean()) as Doc[]).map(toCustomer),
    countCreatedBetween: async (from, to) => m.Customer.countDocuments(customersCreatedFilter(tenant, d(from), d(to))),
    merge: async (fromId, intoId, by, now) =>
      txn(async (session) => {
        const t = tenant;
        const pick = async (model: mongoose.Model<any>, key: string) =>
          ((await model.find({ tenant: t, customerId: fromId }, { [key]: 1 }).session(session ?? null).lean()) as Doc[]).map((x) => x[key]);
        const identities = (await pick(m.Identity, 'identity')) as string[];
        const interactionIds = (await pick(m.Interaction, 'id')) as number[];
        const dealIds = (await pick(m.Deal, 'id')) as number[];
        for (const model of [m.Identity, m.Interaction, m.Deal, m.Case] as mongoose.Model<any>[]) {
          await model.updateMany({ tenant: t, customerId: fromId }, reassignUpdate(intoId), { session });
        }
        await m.Customer.updateOne({ tenant: t, id: fromId }, mergedIntoUpdate(intoId, now), { session });
        const mr = newMerge(t, await nextId('merge'), fromId, intoId, { identities, interactionIds, dealIds }, by, now);
        await m.Merge.create([mergeDoc(mr)], { session });
        return mr;
      }),
    unmerge: async (mergeId, now) =>
      txn(async (session) => {
        const t = tenant;
        const row = await m.Merge.findOneAndUpdate({ tenant: t, id: mergeId, undoneAt: null }, { $set: { undoneAt: d(now) } }, { returnDocument: 'after', lean: true, session });
        if (!row) return null;
        const mr = toMerge(row as Doc);
        await m.Identity.updateMany(anyOfFilter(t, 'identity', mr.identities), reassignUpdate(mr.fromId), { session });
        await m.Interaction.updateMany(anyOfFilter(t, 'id', mr.interactionIds), reassignUpdate(mr.fromId), { session });
        await m.Deal.updateMany(anyOfFilter(t, 'id', mr.dealIds), reassignUpdate(mr.fromId), { session });
        await m.Customer.updateOne({ tenant: t, id: mr.fromId }, mergedIntoUpdate(null, now), { session });
        return mr;
      }),
    anonymise: async (id, now) =>
      txn(async (session) => {
        const t = tenant;
        const res = await m.Customer.updateOne({ tenant: t, id }, erasureUpdate(id, now), { session });
        if (res.matchedCount === 0) return false;
        await m.Interaction.updateMany({ tenant: t, customerId: id }, erasedInteractionsUpdate(), { session });
        await m.Identity.deleteMany({ tenant: t, customerId: id }, { session });
        await m.Case.updateMany({ tenant: t, customerId: id }, erasedCasesUpdate(), { session });
        return true;
      }),
  };
}
