import type { Database as Db } from 'better-sqlite3';
import type { EventsOf } from '../port.js';
import { appendEvents } from './event-log.js';

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

/** Stores a new record under the next id of its kind and appends its events, all in one immediate transaction. */
export function createWithEvents<R>(
  { db, tenant }: Scope, counter: string, build: (id: number) => R, insert: (record: R) => void, events: EventsOf<R> | undefined,
): R {
  return db.transaction(() => {
    const record = build(nextId(db, tenant, counter));
    insert(record);
    appendEvents(db, tenant, events?.(record) ?? []);
    return record;
  }).immediate();
}
