import type { Database as Db } from 'better-sqlite3';
import { docIndexName } from '../doc-indexes.js';

/**
 * Expression indexes on `json_extract(doc, '$.field')` after the tenant, plugin and collection columns, so the
 * docs repository's equality filters and ORDER BY (the same expressions) use them. Field names are checked by
 * `docIndexName` before any of them reaches SQL; the name is a quoted identifier of those checked parts.
 */
export function ensureSqliteDocIndexes(db: Db, indexes: readonly (readonly string[])[]): string[] {
  return db.transaction(() =>
    indexes.map((fields) => {
      const name = docIndexName(fields);
      const columns = fields.map((f) => `json_extract(doc, '$.${f}')`).join(', ');
      db.exec(`CREATE INDEX IF NOT EXISTS "${name}" ON plugin_docs (tenant, plugin, collection, ${columns})`);
      return name;
    }),
  )();
}
