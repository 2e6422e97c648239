import type { DocCollection, Where } from '../port.js';
import { assertFieldName, cleanWhere } from '../where.js';
import { json, parse, type Row } from './codecs.js';
import type { Scope } from './scope.js';
import { docScopeSql } from './doc-indexes.js';

/** A plugin's documents in one tenant, as JSON in one table: atomic writes, compare-and-set, counts and keyset pages in SQL. */
export function sqliteDocs<T extends { id: string }>({ db, tenant }: Scope, plugin: string, collection: string): DocCollection<T> {
  const key = [tenant, plugin, collection] as const;
  // Plugin and collection as checked literals: the declared indexes are partial on them, and SQLite uses a partial
  // index only when the query names the same values.
  const scope = `tenant = ? AND ${docScopeSql(plugin, collection)}`;
  const filter = (where: Where) => {
    const w = cleanWhere(where);
    const clauses = Object.keys(w).map((f) => (w[f] === null ? `json_extract(doc, '$.${f}') IS NULL` : `json_extract(doc, '$.${f}') = ?`));
    const args = Object.values(w).filter((v) => v !== null).map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
    return { sql: clauses.length ? ` AND ${clauses.join(' AND ')}` : '', args };
  };
  return {
    put: async (doc) => {
      db.prepare('INSERT INTO plugin_docs (tenant, plugin, collection, id, doc, version) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT DO UPDATE SET doc = excluded.doc, version = version + 1').run(...key, doc.id, json(doc));
    },
    insertIfAbsent: async (doc) =>
      db.prepare('INSERT INTO plugin_docs (tenant, plugin, collection, id, doc, version) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT DO NOTHING').run(...key, doc.id, json(doc)).changes === 1,
    get: async (id) => {
      const r = db.prepare(`SELECT doc FROM plugin_docs WHERE ${scope} AND id = ?`).get(tenant, id) as Row | undefined;
      return r ? parse<T>(r.doc) : null;
    },
    find: async (where, opts = {}) => {
      const f = filter(where);
      // `+id` when filtering: walking the primary key only to skip a sort would pass over a declared index on the filter.
      const order = opts.orderBy ? ` ORDER BY json_extract(doc, '$.${assertFieldName(opts.orderBy)}') ${opts.desc ? 'DESC' : 'ASC'}, id` : f.sql ? ' ORDER BY +id' : ' ORDER BY id';
      const rows = db.prepare(`SELECT doc FROM plugin_docs WHERE ${scope}${f.sql}${order} LIMIT ?`)
        .all(tenant, ...f.args, opts.limit ?? 1000) as Row[];
      return rows.map((r) => parse<T>(r.doc));
    },
    delete: async (id) => db.prepare(`DELETE FROM plugin_docs WHERE ${scope} AND id = ?`).run(tenant, id).changes === 1,
    deleteWhere: async (where) => {
      const f = filter(where);
      return db.prepare(`DELETE FROM plugin_docs WHERE ${scope}${f.sql}`).run(tenant, ...f.args).changes;
    },
    increment: async (id, field, by) => {
      const path = `$.${assertFieldName(field)}`;
      const r = db.prepare(`INSERT INTO plugin_docs (tenant, plugin, collection, id, doc, version) VALUES (?, ?, ?, ?, json_set(json_object('id', ?), '${path}', ?), 1)
        ON CONFLICT DO UPDATE SET doc = json_set(doc, '${path}', coalesce(json_extract(doc, '${path}'), 0) + ?), version = version + 1 RETURNING json_extract(doc, '${path}') AS value`)
        .get(...key, id, id, by, by) as { value: number };
      return Number(r.value);
    },
    updateIfPresent: async (id, patch) => {
      const entries = Object.entries(patch);
      if (!entries.length) return (await db.prepare(`SELECT 1 FROM plugin_docs WHERE ${scope} AND id = ?`).get(tenant, id)) !== undefined;
      const sets = entries.map(([f]) => `, '$.${assertFieldName(f)}', json(?)`).join('');
      return db.prepare(`UPDATE plugin_docs SET doc = json_set(doc${sets}), version = version + 1 WHERE ${scope} AND id = ?`)
        .run(...entries.map(([, v]) => JSON.stringify(v ?? null)), tenant, id).changes === 1;
    },
    getVersioned: async (id) => {
      const r = db.prepare(`SELECT doc, version FROM plugin_docs WHERE ${scope} AND id = ?`).get(tenant, String(id)) as Row | undefined;
      return r ? { doc: parse<T>(r.doc), version: Number(r.version) } : null;
    },
    update: async (id, patch, opts = {}) => {
      const entries = Object.entries(patch);
      const sets = entries.map(([f]) => `, '$.${assertFieldName(f)}', json(?)`).join('');
      const guard = opts.ifVersion === undefined ? '' : ' AND version = ?';
      const r = db.prepare(`UPDATE plugin_docs SET doc = json_set(doc${sets}), version = version + 1
        WHERE ${scope} AND id = ?${guard} RETURNING version`)
        .get(...entries.map(([, v]) => JSON.stringify(v ?? null)), tenant, String(id), ...(opts.ifVersion === undefined ? [] : [Number(opts.ifVersion)])) as Row | undefined;
      if (r) return { status: 'ok', version: Number(r.version) };
      const now = db.prepare(`SELECT version FROM plugin_docs WHERE ${scope} AND id = ?`).get(tenant, String(id)) as Row | undefined;
      return now ? { status: 'conflict', version: Number(now.version) } : { status: 'missing' };
    },
    count: async (where) => {
      const f = filter(where);
      return (db.prepare(`SELECT COUNT(*) n FROM plugin_docs WHERE ${scope}${f.sql}`).get(tenant, ...f.args) as { n: number }).n;
    },
    page: async (after, limit) =>
      (db.prepare(`SELECT doc FROM plugin_docs WHERE ${scope} AND id > ? ORDER BY id LIMIT ?`)
        .all(tenant, after === null ? '' : String(after), limit) as Row[]).map((r) => parse<T>(r.doc)),
  };
}
