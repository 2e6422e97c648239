import type { CaseRepo } from '../port.js';
import { d, toCase, type Doc } from './codecs.js';
import { trusted } from './filters.js';
import type { Scope } from './scope.js';
import { numbered } from './numbered.js';

/** Cases: open, first response, close with who resolved them. */
export function mongoCases(scope: Scope): CaseRepo {
  const { m, txn, tenant, withEvents } = scope;
  const record = numbered(scope, 'case', m.Case, toCase);
  return {
    open: async (input, now, events) =>
      record.create((id) => ({ ...input, tenant, id, status: 'open', dueAt: input.dueAt ? d(input.dueAt) : null, openedAt: d(now), closedAt: null }), events),
    close: async (id, now, resolved, events) => txn(async (session) => {
      const set = { status: 'closed', closedAt: d(now), closedBy: resolved?.by ?? null, resolution: resolved?.resolution ?? null };
      const r = await m.Case.findOneAndUpdate({ tenant, id, status: 'open' }, { $set: set }, { returnDocument: 'after', lean: true, session }) as Doc | null;
      if (!r) return null;
      if (!resolved || r.firstResponseAt) return withEvents(toCase(r), events, session);
      // The resolution is the first response when nobody answered before; only the closer reaches this line.
      await m.Case.updateOne({ tenant, id, firstResponseAt: null }, { $set: { firstResponseAt: d(now) } }, { session });
      return withEvents(toCase({ ...r, firstResponseAt: d(now) }), events, session);
    }),
    listOpen: async (customerId) => {
      const q: Doc = { tenant, status: 'open' };
      if (customerId !== undefined) q.customerId = customerId;
      return ((await m.Case.find(q).sort({ id: 1 }).lean()) as Doc[]).map(toCase);
    },
    get: record.get,
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
