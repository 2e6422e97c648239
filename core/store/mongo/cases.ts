import type { CaseRepo } from '../port.js';
import { d, toCase, type Doc } from './codecs.js';
import { trusted } from './filters.js';
import type { Scope } from './scope.js';

/** Cases: open, first response, close with who resolved them. */
export function mongoCases({ m, tenant, nextId }: Scope): CaseRepo {
  return {
    open: async (input, now) => {
      const id = await nextId('case');
      const doc = { ...input, tenant, id, status: 'open' as const, dueAt: input.dueAt ? d(input.dueAt) : null, openedAt: d(now), closedAt: null };
      await m.Case.create(doc);
      return toCase(doc);
    },
    close: async (id, now, resolved) => {
      const set = { status: 'closed', closedAt: d(now), closedBy: resolved?.by ?? null, resolution: resolved?.resolution ?? null };
      const r = await m.Case.findOneAndUpdate({ tenant, id, status: 'open' }, { $set: set }, { returnDocument: 'after', lean: true }) as Doc | null;
      if (!r || !resolved || r.firstResponseAt) return r ? toCase(r) : null;
      // The resolution is the first response when nobody answered before; only the closer reaches this line.
      await m.Case.updateOne({ tenant, id, firstResponseAt: null }, { $set: { firstResponseAt: d(now) } });
      return toCase({ ...r, firstResponseAt: d(now) });
    },
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
