import type { CustomerRepo } from '../port.js';
import type mongoose from 'mongoose';
import { d, toCustomer, toMerge, type Doc } from './codecs.js';
import { customerSearchFilter, trusted } from './filters.js';
import type { Scope } from './scope.js';
import { numbered } from './numbered.js';

/** Customers: create, find, search, patch, merge and undo, anonymise. */
export function mongoCustomers(scope: Scope): CustomerRepo {
  const { m, txn, tenant, nextId } = scope;
  const record = numbered(scope, 'customer', m.Customer, toCustomer);
  return {
    create: async (input, now, events) => record.create((id) => ({
      tenant, id, name: input.name, nameLc: input.name.toLowerCase(), company: input.company ?? null,
      emails: input.emails ?? [], phones: input.phones ?? [], tags: input.tags ?? [], owner: input.owner ?? null,
      lifecycle: input.lifecycle ?? 'lead', consent: { marketing: false, surveys: true, updatedAt: now }, mergedInto: null,
      createdAt: d(now), updatedAt: d(now),
    }), events),
    get: record.get,
    findByName: async (name) =>
      ((await m.Customer.find({ tenant, nameLc: String(name).toLowerCase(), mergedInto: null }).sort({ id: 1 }).lean()) as Doc[]).map(toCustomer),
    search: async (text, limit) => {
      const rows = await m.Customer.find(customerSearchFilter(tenant, text))
        .sort({ id: 1 }).limit(limit).lean();
      return (rows as Doc[]).map(toCustomer);
    },
    update: async (id, patch, now) => {
      const set: Doc = { ...patch, updatedAt: d(now) };
      if (patch.name !== undefined) set.nameLc = patch.name.toLowerCase();
      const r = await m.Customer.findOneAndUpdate({ tenant, id }, { $set: set }, { returnDocument: 'after', lean: true });
      return r ? toCustomer(r as Doc) : null;
    },
    count: async () => m.Customer.countDocuments({ tenant, mergedInto: null }),
    page: async (afterId, limit) =>
      ((await m.Customer.find({ tenant, id: trusted({ $gt: Number(afterId) }), mergedInto: null }).sort({ id: 1 }).limit(limit).lean()) as Doc[]).map(toCustomer),
    countCreatedBetween: async (from, to) => m.Customer.countDocuments({ tenant, mergedInto: null, createdAt: trusted({ $gte: d(from), $lt: d(to) }) }),
    merge: async (fromId, intoId, by, now) =>
      txn(async (session) => {
        const t = tenant;
        const pick = async (model: mongoose.Model<any>, key: string) =>
          ((await model.find({ tenant: t, customerId: fromId }, { [key]: 1 }).session(session ?? null).lean()) as Doc[]).map((x) => x[key]);
        const identities = (await pick(m.Identity, 'identity')) as string[];
        const interactionIds = (await pick(m.Interaction, 'id')) as number[];
        const dealIds = (await pick(m.Deal, 'id')) as number[];
        for (const model of [m.Identity, m.Interaction, m.Deal, m.Case] as mongoose.Model<any>[]) {
          await model.updateMany({ tenant: t, customerId: fromId }, { $set: { customerId: intoId } }, { session });
        }
        await m.Customer.updateOne({ tenant: t, id: fromId }, { $set: { mergedInto: intoId, updatedAt: d(now) } }, { session });
        const id = await nextId('merge');
        const doc = { tenant: t, id, fromId, intoId, identities, interactionIds, dealIds, by, at: d(now), undoneAt: null };
        await m.Merge.create([doc], { session });
        return toMerge(doc);
      }),
    unmerge: async (mergeId, now) =>
      txn(async (session) => {
        const t = tenant;
        const row = await m.Merge.findOneAndUpdate({ tenant: t, id: mergeId, undoneAt: null }, { $set: { undoneAt: d(now) } }, { returnDocument: 'after', lean: true, session });
        if (!row) return null;
        const mr = toMerge(row as Doc);
        await m.Identity.updateMany({ tenant: t, identity: trusted({ $in: mr.identities }) }, { $set: { customerId: mr.fromId } }, { session });
        await m.Interaction.updateMany({ tenant: t, id: trusted({ $in: mr.interactionIds }) }, { $set: { customerId: mr.fromId } }, { session });
        await m.Deal.updateMany({ tenant: t, id: trusted({ $in: mr.dealIds }) }, { $set: { customerId: mr.fromId } }, { session });
        await m.Customer.updateOne({ tenant: t, id: mr.fromId }, { $set: { mergedInto: null, updatedAt: d(now) } }, { session });
        return mr;
      }),
    anonymise: async (id, now) =>
      txn(async (session) => {
        const t = tenant;
        const res = await m.Customer.updateOne({ tenant: t, id }, {
          $set: { name: `Erased C-${id}`, nameLc: `erased c-${id}`, company: null, emails: [], phones: [], tags: [], consent: { marketing: false, surveys: false, updatedAt: now }, updatedAt: d(now) },
        }, { session });
        if (res.matchedCount === 0) return false;
        await m.Interaction.updateMany({ tenant: t, customerId: id }, { $set: { text: '', identity: null, edits: [] } }, { session });
        await m.Identity.deleteMany({ tenant: t, customerId: id }, { session });
        await m.Case.updateMany({ tenant: t, customerId: id }, { $set: { summary: '' } }, { session });
        return true;
      }),
  };
}
