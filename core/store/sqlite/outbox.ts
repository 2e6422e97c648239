import type { Database as Db } from 'better-sqlite3';
import type { Platform } from '../../domain/types.js';
import type { OutboxQueue, OutboxRepo } from '../port.js';
import { queuedOutbox } from '../records.js';
import { json, toOutbox, type Row } from './codecs.js';
import { sqliteMarkPart } from './outbox-parts.js';
import type { Scope } from './scope.js';

/** A tenant's outbound messages: queued once per idempotency key, listed once delivered. */
export function sqliteOutbox({ db, tenant }: Scope): OutboxRepo {
  return {
    enqueue: async (input, now) => {
      const o = queuedOutbox(tenant, input, now);
      const res = db.prepare(`INSERT INTO outbox (tenant, platform, target, reply, status, attempts, next_attempt_at, idempotency_key, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, idempotency_key) DO NOTHING`)
        .run(o.tenant, o.platform, o.target, json(o.reply), o.status, o.attempts, o.nextAttemptAt, o.idempotencyKey, o.createdAt);
      return res.changes === 1;
    },
    delivered: async (target, limit) =>
      (db.prepare(`SELECT * FROM (SELECT * FROM outbox WHERE tenant = ? AND target = ? AND status = 'sent' ORDER BY sent_at DESC, id DESC LIMIT ?)
        ORDER BY sent_at, id`).all(tenant, target, limit) as Row[]).map(toOutbox),
  };
}

/** The workers' side of the outbox, across tenants: leases, retries, dead letters. */
export function sqliteOutboxQueue(db: Db): OutboxQueue {
  return {
    claim: async (holder, now, leaseMs, limit, platforms) => {
      if (!platforms.length) return [];
      const until = new Date(Date.parse(now) + leaseMs).toISOString();
      return db.transaction(() => {
        const rows = db.prepare(`SELECT id FROM outbox WHERE status = 'pending' AND platform IN (${platforms.map(() => '?').join(',')})
            AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_attempt_at, id LIMIT ?`)
          .all(...platforms, now, now, limit) as { id: number }[];
        const lease = db.prepare('UPDATE outbox SET lease_holder = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?');
        for (const r of rows) lease.run(holder, until, r.id);
        const get = db.prepare('SELECT * FROM outbox WHERE id = ?');
        return rows.map((r) => toOutbox(get.get(r.id) as Row));
      }).immediate();
    },
    markSent: async (id, holder, now) =>
      db.prepare(`UPDATE outbox SET status = 'sent', sent_at = ?, lease_holder = NULL, lease_until = NULL WHERE id = ? AND lease_holder = ? AND status = 'pending'`).run(now, id, holder).changes === 1,
    retryAt: async (id, holder, at, error) =>
      db.prepare(`UPDATE outbox SET next_attempt_at = ?, last_error = ?, lease_holder = NULL, lease_until = NULL WHERE id = ? AND lease_holder = ? AND status = 'pending'`).run(at, error, id, holder).changes === 1,
    postpone: async (id, holder, at) =>
      db.prepare(`UPDATE outbox SET next_attempt_at = ?, attempts = MAX(attempts - 1, 0), lease_holder = NULL, lease_until = NULL WHERE id = ? AND lease_holder = ? AND status = 'pending'`).run(at, id, holder).changes === 1,
    markDead: async (id, holder, error) =>
      db.prepare(`UPDATE outbox SET status = 'dead', last_error = ?, lease_holder = NULL, lease_until = NULL WHERE id = ? AND lease_holder = ? AND status = 'pending'`).run(error, id, holder).changes === 1,
    markPart: (id, holder, part, ref) => sqliteMarkPart(db, id, holder, part, ref),
    release: async (holder) =>
      db.prepare(`UPDATE outbox SET lease_holder = NULL, lease_until = NULL, attempts = MAX(attempts - 1, 0) WHERE lease_holder = ? AND status = 'pending'`).run(holder).changes,
    depth: async () => {
      const rows = db.prepare(`SELECT platform, COUNT(*) n FROM outbox WHERE status = 'pending' GROUP BY platform`).all() as { platform: Platform; n: number }[];
      return Object.fromEntries(rows.map((r) => [r.platform, r.n]));
    },
  };
}
