import type { Database as Db } from 'better-sqlite3';
import type { IdempotencyBegin, IdempotencyRepo } from '../port.js';
import { writeBatchOf } from './write-batch.js';

type Row = Record<string, unknown>;

/**
 * Answers of requests sent with an `Idempotency-Key`, and the done marks of inbound events' commands; the primary key
 * makes exactly one caller the one that runs. Every write goes through the connection's write batch: a burst of
 * commands claims and finishes its keys in shared transactions instead of two commits each, and a caller hears back
 * only once its write is committed. None needs a savepoint: `begin` changes at most the expired row it forgets (gone
 * for every reader already) and the one it claims, `finish` and `abandon` are one statement each.
 */
export function sqliteIdempotency(db: Db, tenant: string): IdempotencyRepo {
  const batch = writeBatchOf(db);
  return {
    begin: async (identity, key, fingerprint, now, expiredBefore) =>
      batch.runAtomic((): IdempotencyBegin => {
        db.prepare('DELETE FROM idempotency WHERE tenant = ? AND identity = ? AND key = ? AND created_at < ?').run(tenant, identity, key, expiredBefore);
        const claimed = db.prepare('INSERT INTO idempotency (tenant, identity, key, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, NULL, NULL, ?) ON CONFLICT DO NOTHING')
          .run(tenant, identity, key, fingerprint, now).changes === 1;
        if (claimed) return { state: 'new' };
        const r = db.prepare('SELECT * FROM idempotency WHERE tenant = ? AND identity = ? AND key = ?').get(tenant, identity, key) as Row;
        if (r.fingerprint !== fingerprint) return { state: 'mismatch' };
        return r.status === null ? { state: 'running' } : { state: 'done', status: Number(r.status), body: JSON.parse(String(r.body)) };
      }),
    finish: async (identity, key, status, body) => {
      await batch.runAtomic(() => db.prepare('UPDATE idempotency SET status = ?, body = ? WHERE tenant = ? AND identity = ? AND key = ?').run(status, JSON.stringify(body), tenant, identity, key));
    },
    abandon: async (identity, key) => {
      await batch.runAtomic(() => db.prepare('DELETE FROM idempotency WHERE tenant = ? AND identity = ? AND key = ? AND status IS NULL').run(tenant, identity, key));
    },
    prune: async (before) => db.prepare('DELETE FROM idempotency WHERE tenant = ? AND created_at < ?').run(tenant, before).changes,
  };
}
