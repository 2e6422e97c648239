import type { Database as Db } from 'better-sqlite3';
import type { EventsOf } from '../port.js';
import { appendEvents } from './event-log.js';
import { nextId } from './counters.js';

/** What every repository of one tenant works with: the database and the tenant. */
export interface Scope {
  db: Db;
  tenant: string;
}

/** A record created by an inbound event's command: the table it lives in, its key, and how a stored row reads back. */
export interface CreatedBy<R> {
  table: 'customers' | 'deals' | 'cases';
  sourceEventId: string | null | undefined;
  read: (row: Record<string, unknown>) => R;
}

/**
 * Stores a new record under the next id of its kind and appends its events, all in one immediate transaction.
 * With a source event key, the record that key already created is returned instead (no new id, no events).
 */
export function createWithEvents<R>(
  { db, tenant }: Scope, counter: string, build: (id: number) => R, insert: (record: R, sourceEventId: string | null) => void, events: EventsOf<R> | undefined,
  createdBy?: CreatedBy<R>,
): R {
  const key = createdBy?.sourceEventId ?? null;
  return db.transaction(() => {
    if (key !== null) {
      const existing = db.prepare(`SELECT * FROM ${createdBy!.table} WHERE tenant = ? AND source_event_id = ?`).get(tenant, key) as Record<string, unknown> | undefined;
      if (existing) return createdBy!.read(existing);
    }
    const record = build(nextId(db, tenant, counter));
    insert(record, key);
    appendEvents(db, tenant, events?.(record) ?? []);
    return record;
  }).immediate();
}
