import type { Database as Db } from 'better-sqlite3';
import type { IdempotencyBegin, IdempotencyRepo } from '../port.js';

type Row = Record<string, unknown>;

/** Answers of requests sent with an `Idempotency-Key`; the primary key makes exactly one caller the one that runs. */
export function sqliteIdempotency(db: Db, tenant: string): IdempotencyRepo {
  return {
    begin: async (identity, key, fingerprint, now, expiredBefore) =>
      db.transaction((): IdempotencyBegin => {
        db.prepare('DELETE FROM idempotency WHERE tenant = ? AND identity = ? AND key = ? AND created_at < ?').run(tenant, identity, key, expiredBefore);
        const claimed = db.prepare('INSERT INTO idempotency (tenant, identity, key, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, NULL, NULL, ?) ON CONFLICT DO NOTHING')
          .run(tenant, identity, key, fingerprint, now).changes === 1;
        if (claimed) return { state: 'new' };
        const r = db.prepare('SELECT * FROM idempotency WHERE tenant = ? AND identity = ? AND key = ?').get(tenant, identity, key) as Row;
        if (r.fingerprint !== fingerprint) return { state: 'mismatch' };
        return r.status === null ? { state: 'running' } : { state: 'done', status: Number(r.status), body: JSON.parse(String(r.body)) };
      }).immediate(),
    finish: async (identity, key, status, body) => {
      db.prepare('UPDATE idempotency SET status = ?, body = ? WHERE tenant = ? AND identity = ? AND key = ?').run(status, JSON.stringify(body), tenant, identity, key);
    },
    abandon: async (identity, key) => {
      db.prepare('DELETE FROM idempotency WHERE tenant = ? AND identity = ? AND key = ? AND status IS NULL').run(tenant, identity, key);
    },
    prune: async (before) => db.prepare('DELETE FROM idempotency WHERE tenant = ? AND created_at < ?').run(tenant, before).changes,
  };
}
