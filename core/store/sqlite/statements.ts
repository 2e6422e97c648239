import type { Database as Db, Statement } from 'better-sqlite3';

const MAX = 2000;

/**
 * Makes `db.prepare` reuse the statement compiled for the same SQL text, so the repositories' one-line
 * `db.prepare(sql).run(...)` calls do not re-parse SQL on every request. No code iterates a statement, and the one
 * that switches its mode (raw: identities' author-and-grant read) has SQL text no other caller uses, so a cached
 * statement is always in the state its caller expects.
 */
export function cacheStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Statement>();
  db.prepare = ((sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
      cache.set(sql, (s = prepare(sql)));
    }
    return s;
  }) as Db['prepare'];
}
