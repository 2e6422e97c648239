import Database from 'better-sqlite3';
import { afterAll, vi } from 'vitest';

/**
 * The SQL every better-sqlite3 connection of this test file prepares (the repositories' own statements, prepared
 * once and then reused), recorded from here until the file's tests end.
 */
export function capturePrepared(): string[] {
  const realPrepare = Database.prototype.prepare;
  const prepared: string[] = [];
  const spy = vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (this: Database.Database, sql: string) {
    prepared.push(sql);
    return realPrepare.call(this, sql);
  } as typeof realPrepare);
  afterAll(() => spy.mockRestore());
  return prepared;
}

/** The query plan's lines for `sql` with `args`, explained on a read-only connection of its own to `file`. */
export function explain(file: string, sql: string, args: unknown[]): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail);
  } finally {
    db.close();
  }
}
