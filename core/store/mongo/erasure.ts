import type { ErasurePlan, ErasureRepo } from '../port.js';
import type { Txn } from './ledger.js';
import type { Models } from './models.js';
import { eraseMongoEvents, eventErasureFilter } from './event-log.js';
import { escapeRegex, trusted } from './filters.js';

const ERASED = 'erased';

/** A filter for outbox items whose reply text or fields name any needle (case-insensitive, literal). */
export function replyMentions(tenant: string, needles: string[]) {
  const any = needles.map((n) => new RegExp(escapeRegex(n), 'i'));
  return { tenant, $or: [{ 'reply.text': trusted({ $in: any }) }, { 'reply.fields.value': trusted({ $in: any }) }, { 'reply.fields.label': trusted({ $in: any }) }] };
}

export function mongoErasure(m: Models, txn: Txn, tenant: string): ErasureRepo {
  return {
    footprint: async (customerId) => {
      const ids = new Set<number>([customerId]);
      for (let frontier = [customerId]; frontier.length; ) {
        const rows = await m.Customer.find({ tenant, mergedInto: trusted({ $in: frontier }) }, { id: 1 }).lean();
        frontier = rows.map((r) => Number(r.id)).filter((id) => !ids.has(id));
        for (const id of frontier) ids.add(id);
      }
      const list = [...ids];
      const identities = new Set((await m.Identity.find({ tenant, customerId: trusted({ $in: list }) }, { identity: 1 }).lean()).map((r) => String(r.identity)));
      for (const r of await m.Merge.find({ tenant, $or: [{ fromId: trusted({ $in: list }) }, { intoId: trusted({ $in: list }) }] }, { identities: 1 }).lean()) {
        for (const i of (r.identities ?? []) as string[]) identities.add(i);
      }
      return { customerIds: list.sort((a, b) => a - b), identities: [...identities].sort() };
    },
    erase: async (plan, words, now) =>
      txn(async (session) => {
        const c = plan.customerIds;
        const ids = plan.identities;
        const o = { session, updatePipeline: true };
        for (const id of c) {
          await m.Customer.updateOne({ tenant, id }, {
            $set: { name: `Erased C-${id}`, nameLc: `erased c-${id}`, company: null, emails: [], phones: [], tags: [], consent: { marketing: false, surveys: false, updatedAt: now }, updatedAt: new Date(now) },
          }, o);
        }
        await m.Interaction.updateMany({ tenant, $or: [{ customerId: trusted({ $in: c }) }, { identity: trusted({ $in: ids }) }] }, { $set: { text: '', identity: null } }, o);
        await m.Identity.deleteMany({ tenant, $or: [{ customerId: trusted({ $in: c }) }, { identity: trusted({ $in: ids }) }] }, o);
        await m.Case.updateMany({ tenant, customerId: trusted({ $in: c }) }, { $set: { summary: '' } }, o);
        await m.Case.updateMany({ tenant, owner: trusted({ $in: ids }) }, { $set: { owner: null } }, o);
        await m.Deal.updateMany({ tenant, customerId: trusted({ $in: c }) }, [{ $set: { title: { $concat: ['Deal D-', { $toString: '$id' }] }, lostReason: null } }], o);
        await m.Deal.updateMany({ tenant, owner: trusted({ $in: ids }) }, { $set: { owner: ERASED } }, o);
        await m.Deal.updateMany({ tenant, 'history.by': trusted({ $in: ids }) }, { $set: { 'history.$[h].by': ERASED } }, { ...o, arrayFilters: [{ 'h.by': trusted({ $in: ids }) }] });
        await m.Merge.updateMany({ tenant, $or: [{ fromId: trusted({ $in: c }) }, { intoId: trusted({ $in: c }) }] }, { $set: { identities: [] } }, o);
        await m.Merge.updateMany({ tenant, by: trusted({ $in: ids }) }, { $set: { by: ERASED } }, o);
        await m.Customer.updateMany({ tenant, owner: trusted({ $in: ids }) }, { $set: { owner: null } }, o);
        await m.Spend.updateMany({ tenant, by: trusted({ $in: ids }) }, { $set: { by: ERASED } }, o);
        await m.Outbox.deleteMany({ tenant, target: trusted({ $in: ids }) }, o);
        for (const field of ['data.by', 'data.approvedBy']) await m.LedgerEntry.updateMany({ tenant, [field]: trusted({ $in: ids }) }, { $set: { [field]: ERASED } }, o);
        const needles = [...ids, ...words].map((w) => w.trim()).filter((w) => w.length >= 3);
        await eraseMongoEvents(m.Customer.db, eventErasureFilter(tenant, c, ids, needles), session);
        if (needles.length) {
          await m.Outbox.updateMany(replyMentions(tenant, needles), { $set: { reply: { text: '(erased)' } } }, o);
          const any = needles.map((n) => new RegExp(escapeRegex(n), 'i'));
          await m.Deal.updateMany({ tenant, title: trusted({ $in: any }) }, [{ $set: { title: { $concat: ['Deal D-', { $toString: '$id' }] } } }], o);
          await m.Deal.updateMany({ tenant, lostReason: trusted({ $in: any }) }, { $set: { lostReason: null } }, o);
        }
      }),
  };
}
