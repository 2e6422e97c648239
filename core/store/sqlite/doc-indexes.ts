import type { Database as Db } from 'better-sqlite3';
import { assertDocScope, docIndexName } from '../doc-indexes.js';

/** One plugin collection's rows as SQL over checked literals, the condition each of its partial indexes carries. */
export function docScopeSql(plugin: string, collection: string): string {
  const s = assertDocScope(plugin, collection);
  return `plugin = '${s.plugin}' AND collection = '${s.collection}'`;
}

/**
 * Expression indexes on `json_extract(doc, '$.field')` after the tenant, plugin and collection, partial on the plugin
 * collection that declared them: a write to another collection maintains none of them (all plugins share one table), and the docs
 * repository's queries, which name the same literals, use them. Names and fields are checked before reaching SQL.
 */
export function ensureSqliteDocIndexes(db: Db, plugin: string, collection: string, indexes: readonly (readonly string[])[]): string[] {
  return db.transaction(() =>
    indexes.map((fields) => {
      const name = docIndexName(plugin, collection, fields);
      const columns = fields.map((f) => `json_extract(doc, '$.${f}')`).join(', ');
      db.exec(`CREATE INDEX IF NOT EXISTS "${name}" ON plugin_docs (tenant, plugin, collection, ${columns}) WHERE ${docScopeSql(plugin, collection)}`);
      return name;
    }),
  )();
}
