import type { CaseRepo } from '../port.js';
import { caseClosing, newCase } from '../records.js';
import { caseDoc, d, toCase, type Doc } from './codecs.js';
import { awaitingResponseFilter, caseListFilter, openCasesFilter } from './filters.js';
import { caseCloseUpdate, firstResponseUpdate } from './updates.js';
import type { Scope } from './scope.js';
import { numbered } from './numbered.js';

/** Cases: open, first response, close with who resolved them. */
export function mongoCases(scope: Scope): CaseRepo {
  const { m, txn, tenant, withEvents } = scope;
  const record = numbered(scope, 'case', m.Case, toCase);
  return {
    open: async (input, now, events) => record.create((id) => caseDoc(newCase(tenant, id, input, now)), events, input.sourceEventId),
    close: async (id, now, resolved, events) => txn(async (session) => {
      const { firstResponseAt } = caseClosing(now, resolved);
      const r = await m.Case.findOneAndUpdate({ ...openCasesFilter(tenant), id }, caseCloseUpdate(now, resolved), { returnDocument: 'after', lean: true, session }) as Doc | null;
      if (!r) return null;
      if (firstResponseAt === null || r.firstResponseAt) return withEvents(toCase(r), events, session);
      // Only the closer reaches this line, so setting the first response where none is recorded cannot race another close.
      await m.Case.updateOne({ tenant, id, firstResponseAt: null }, firstResponseUpdate(firstResponseAt), { session });
      return withEvents(toCase({ ...r, firstResponseAt }), events, session);
    }),
    listOpen: async (customerId) => {
      return ((await m.Case.find(openCasesFilter(tenant, customerId)).sort({ id: 1 }).lean()) as Doc[]).map(toCase);
    },
    get: record.get,
    respond: async (customerId, at) =>
      (await m.Case.updateMany(awaitingResponseFilter(tenant, customerId, d(at)), firstResponseUpdate(at))).modifiedCount,
    list: async (f, limit) => {
      return ((await m.Case.find(caseListFilter(tenant, f)).sort({ id: 1 }).limit(limit).lean()) as Doc[]).map(toCase);
    },
  };
}
