import type { Database as Db } from 'better-sqlite3';

/** What every repository of one tenant works with: the database and the tenant. */
export interface Scope {
  db: Db;
  tenant: string;
}

/** Atomically takes the next value of a per-tenant counter (`customer`, `deal`, ...); callers run it inside their transaction. */
export function nextId(db: Db, tenant: string, name: string): number {
  const row = db
    .prepare('INSERT INTO counters (tenant, name, value) VALUES (?, ?, 1) ON CONFLICT (tenant, name) DO UPDATE SET value = value + 1 RETURNING value')
    .get(tenant, name) as { value: number };
  return row.value;
}
