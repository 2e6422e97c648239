import type { DocCollection, Where } from '../port.js';
import { type Doc } from './codecs.js';
import { docPageFilter, docPatch, docUpdateFilter, docWhereFilter } from './filters.js';
import { docIncrementUpdate, docInsertUpdate, docPutUpdate } from './updates.js';
import { assertFieldName } from '../where.js';
import type { Scope } from './scope.js';

/** A plugin's documents in one tenant: atomic writes, compare-and-set, counts and keyset pages in the server. */
export function mongoDocs<T extends { id: string }>({ m, tenant }: Scope, plugin: string, collection: string): DocCollection<T> {
  const Doc = m.PluginDoc;
  const base = { tenant, plugin, collection };
  const filter = (where: Where) => docWhereFilter(base, where);
  return {
    put: async (doc) => {
      await Doc.updateOne({ ...base, id: String(doc.id) }, docPutUpdate(doc), { upsert: true });
    },
    insertIfAbsent: async (doc) => {
      const r = await Doc.updateOne({ ...base, id: String(doc.id) }, docInsertUpdate(doc), { upsert: true });
      return r.upsertedCount === 1;
    },
    get: async (id) => {
      const r = (await Doc.findOne({ ...base, id: String(id) }).lean()) as Doc | null;
      return r ? (r.doc as T) : null;
    },
    find: async (where, o = {}) => {
      const sort: Record<string, 1 | -1> = o.orderBy ? { [`doc.${assertFieldName(o.orderBy)}`]: o.desc ? -1 : 1, id: 1 } : { id: 1 };
      const rows = (await Doc.find(filter(where)).sort(sort).limit(o.limit ?? 1000).lean()) as Doc[];
      return rows.map((r) => r.doc as T);
    },
    delete: async (id) => (await Doc.deleteOne({ ...base, id: String(id) })).deletedCount === 1,
    deleteWhere: async (where) => (await Doc.deleteMany(filter(where))).deletedCount,
    increment: async (id, field, by) => {
      const name = assertFieldName(field);
      const r = (await Doc.findOneAndUpdate(docUpdateFilter(base, String(id)), docIncrementUpdate(String(id), name, by), { upsert: true, returnDocument: 'after' }).lean()) as Doc;
      return Number((r.doc as Record<string, unknown>)[name]);
    },
    updateIfPresent: async (id, patch) => {
      const r = Object.keys(patch).length ? await Doc.updateOne({ ...base, id }, docPatch(patch)) : { matchedCount: await Doc.countDocuments({ ...base, id }) };
      return r.matchedCount === 1;
    },
    getVersioned: async (id) => {
      const r = (await Doc.findOne({ ...base, id: String(id) }).lean()) as Doc | null;
      return r ? { doc: r.doc as T, version: Number(r.version ?? 0) } : null;
    },
    update: async (id, patch, opts = {}) => {
      const r = (await Doc.findOneAndUpdate(docUpdateFilter(base, String(id), opts.ifVersion), docPatch(patch), { returnDocument: 'after', lean: true })) as Doc | null;
      if (r) return { status: 'ok', version: Number(r.version) };
      const now = (await Doc.findOne({ ...base, id: String(id) }, { version: 1 }).lean()) as Doc | null;
      return now ? { status: 'conflict', version: Number(now.version ?? 0) } : { status: 'missing' };
    },
    count: async (where) => Doc.countDocuments(filter(where)),
    page: async (after, limit) =>
      ((await Doc.find(docPageFilter(base, after)).sort({ id: 1 }).limit(limit).lean()) as Doc[]).map((r) => r.doc as T),
  };
}
