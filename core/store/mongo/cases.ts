import type { CaseRepo } from '../port.js';
import { caseClosing, newCase } from '../records.js';
import { caseDoc, d, toCase, type Doc } from './codecs.js';
import { trusted } from './filters.js';
import type { Scope } from './scope.js';

/** Cases: open, first response, close with who resolved them. */
export function mongoCases({ m, txn, tenant, nextId, withEvents }: Scope): CaseRepo {
  return {
    open: async (input, now, events) => txn(async (session) => {
      const kase = newCase(tenant, await nextId('case', tenant, session), input, now);
      await m.Case.create([caseDoc(kase)], { session });
      return withEvents(kase, events, session);
    }),
    close: async (id, now, resolved, events) => txn(async (session) => {
      const { set, firstResponseAt } = caseClosing(now, resolved);
      const r = await m.Case.findOneAndUpdate({ tenant, id, status: 'open' }, { $set: { ...set, closedAt: d(set.closedAt) } }, { returnDocument: 'after', lean: true, session }) as Doc | null;
      if (!r) return null;
      if (firstResponseAt === null || r.firstResponseAt) return withEvents(toCase(r), events, session);
      // Only the closer reaches this line, so setting the first response where none is recorded cannot race another close.
      await m.Case.updateOne({ tenant, id, firstResponseAt: null }, { $set: { firstResponseAt: d(firstResponseAt) } }, { session });
      return withEvents(toCase({ ...r, firstResponseAt }), events, session);
    }),
    listOpen: async (customerId) => {
      const q: Doc = { tenant, status: 'open' };
      if (customerId !== undefined) q.customerId = customerId;
      return ((await m.Case.find(q).sort({ id: 1 }).lean()) as Doc[]).map(toCase);
    },
    get: async (id) => {
      const r = (await m.Case.findOne({ tenant, id }).lean()) as Doc | null;
      return r ? toCase(r) : null;
    },
    respond: async (customerId, at) =>
      (await m.Case.updateMany(
        { tenant, customerId, status: 'open', firstResponseAt: null, openedAt: trusted({ $lte: d(at) }) },
        { $set: { firstResponseAt: d(at) } },
      )).modifiedCount,
    list: async (f, limit) => {
      const q: Doc = { tenant };
      if (f.customerId !== undefined) q.customerId = f.customerId;
      if (f.kind !== undefined) q.kind = String(f.kind);
      if (f.openedFrom !== undefined || f.openedTo !== undefined) {
        q.openedAt = trusted({ ...(f.openedFrom !== undefined ? { $gte: d(f.openedFrom) } : {}), ...(f.openedTo !== undefined ? { $lt: d(f.openedTo) } : {}) });
      }
      return ((await m.Case.find(q).sort({ id: 1 }).limit(limit).lean()) as Doc[]).map(toCase);
    },
  };
}
