import type { Database as Db } from 'better-sqlite3';

/**
 * Counters taken inside one write-batch transaction: each read once, advanced here, written back just before the
 * commit. The batch's transaction is immediate, so no other connection moves them meanwhile; a write undone by its
 * savepoint leaves a gap, never a value handed out twice.
 */
class BatchCounters {
  private readonly taken = new Map<string, { tenant: string; name: string; value: number }>();

  constructor(private readonly db: Db) {}

  take(tenant: string, name: string): number {
    const key = `${tenant}\0${name}`;
    let c = this.taken.get(key);
    if (!c) {
      const row = this.db.prepare('SELECT value FROM counters WHERE tenant = ? AND name = ?').get(tenant, name) as { value: number } | undefined;
      this.taken.set(key, (c = { tenant, name, value: row?.value ?? 0 }));
    }
    return ++c.value;
  }

  flush(): void {
    for (const c of this.taken.values()) {
      this.db.prepare('INSERT INTO counters (tenant, name, value) VALUES (?, ?, ?) ON CONFLICT (tenant, name) DO UPDATE SET value = MAX(value, excluded.value)')
        .run(c.tenant, c.name, c.value);
    }
  }
}

const batchCounters = new WeakMap<Db, BatchCounters>();

/** Runs `fn` as a write batch's transaction body: counters it takes are kept in memory and written once at its end. */
export function withBatchCounters<R>(db: Db, fn: () => R): R {
  const counters = new BatchCounters(db);
  batchCounters.set(db, counters);
  try {
    const out = fn();
    counters.flush();
    return out;
  } finally {
    batchCounters.delete(db);
  }
}

/** Atomically takes the next value of a per-tenant counter (`customer`, `deal`, ...); callers run it inside their transaction. */
export function nextId(db: Db, tenant: string, name: string): number {
  const batch = batchCounters.get(db);
  if (batch) return batch.take(tenant, name);
  const row = db
    .prepare('INSERT INTO counters (tenant, name, value) VALUES (?, ?, 1) ON CONFLICT (tenant, name) DO UPDATE SET value = value + 1 RETURNING value')
    .get(tenant, name) as { value: number };
  return row.value;
}
