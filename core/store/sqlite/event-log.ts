import type { Database as Db } from 'better-sqlite3';
import { nextId } from './counters.js';
import type { EventLogRepo, LoggedEvent, NewEvent, SubscriptionRepo, SubscriptionState } from '../port.js';

type Row = Record<string, unknown>;

const toEvent = (r: Row): LoggedEvent => ({
  tenant: String(r.tenant), position: Number(r.position), name: String(r.name), payload: JSON.parse(String(r.payload)), at: String(r.at),
});

const toState = (r: Row): SubscriptionState => ({
  name: String(r.name), tenant: String(r.tenant), position: Number(r.position), attempts: Number(r.attempts),
  nextAttemptAt: (r.next_attempt_at as string) ?? null, failedPosition: (r.failed_position as number) ?? null,
  lastError: (r.last_error as string) ?? null, parkedAt: (r.parked_at as string) ?? null,
  leaseHolder: (r.lease_holder as string) ?? null, leaseUntil: (r.lease_until as string) ?? null,
});

/**
 * Appends to the tenant's log; call it inside the fact's own transaction so both commit or neither does.
 * Positions come from the tenant's `event` counter, so they only grow. `at` is the wall clock of the append.
 * The events are described first and stored by one statement: all of them are stored, or none.
 */
export function appendEvents(db: Db, tenant: string, events: NewEvent[]): LoggedEvent[] {
  if (!events.length) return [];
  const at = new Date().toISOString();
  const payloads = events.map((e) => JSON.stringify(e.payload));
  const logged = events.map((e) => ({ tenant, position: nextId(db, tenant, 'event'), name: e.name, payload: e.payload, at }));
  db.prepare(`INSERT INTO event_log (tenant, position, name, payload, at) VALUES ${logged.map(() => '(?, ?, ?, ?, ?)').join(', ')}`)
    .run(logged.flatMap((l, i) => [tenant, l.position, l.name, payloads[i], at]));
  return logged;
}

export function sqliteEventLog(db: Db, tenant: string): EventLogRepo {
  return {
    append: async (events) => db.transaction(() => appendEvents(db, tenant, events)).immediate(),
    after: async (position, names, limit) => {
      if (!names.length) return [];
      const rows = db.prepare(`SELECT * FROM event_log WHERE tenant = ? AND position > ? AND name IN (${names.map(() => '?').join(', ')}) ORDER BY position LIMIT ?`)
        .all(tenant, position, ...names, limit) as Row[];
      return rows.map(toEvent);
    },
    head: async () => (db.prepare(`SELECT value FROM counters WHERE tenant = ? AND name = 'event'`).get(tenant) as { value: number } | undefined)?.value ?? 0,
  };
}

export function sqliteSubscriptions(db: Db): SubscriptionRepo {
  const mine = 'name = @name AND tenant = @tenant AND lease_holder = @holder';
  return {
    tenants: async () => (db.prepare(`SELECT tenant FROM counters WHERE name = 'event' ORDER BY tenant`).all() as { tenant: string }[]).map((r) => r.tenant),
    claim: async (name, tenant, holder, now, leaseMs) =>
      db.transaction(() => {
        db.prepare('INSERT OR IGNORE INTO event_subscriptions (name, tenant) VALUES (?, ?)').run(name, tenant);
        const until = new Date(Date.parse(now) + leaseMs).toISOString();
        const r = db.prepare(`UPDATE event_subscriptions SET lease_holder = @holder, lease_until = @until
          WHERE name = @name AND tenant = @tenant AND parked_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
            AND (lease_holder IS NULL OR lease_holder = @holder OR lease_until < @now) RETURNING *`).get({ name, tenant, holder, until, now }) as Row | undefined;
        return r ? toState(r) : null;
      }).immediate(),
    advance: async (name, tenant, holder, position) =>
      db.prepare(`UPDATE event_subscriptions SET position = @position, attempts = 0, next_attempt_at = NULL, failed_position = NULL, last_error = NULL
        WHERE ${mine}`).run({ name, tenant, holder, position }).changes === 1,
    fail: async (name, tenant, holder, f) =>
      db.prepare(`UPDATE event_subscriptions SET attempts = attempts + 1, failed_position = @position, last_error = @error,
        next_attempt_at = @retryAt, parked_at = CASE WHEN @park THEN @now ELSE NULL END, lease_holder = NULL, lease_until = NULL
        WHERE ${mine}`).run({ name, tenant, holder, position: f.position, error: f.error.slice(0, 1000), retryAt: f.retryAt, park: f.park ? 1 : 0, now: f.now }).changes === 1,
    release: async (name, tenant, holder) =>
      db.prepare(`UPDATE event_subscriptions SET lease_holder = NULL, lease_until = NULL WHERE ${mine}`).run({ name, tenant, holder }).changes === 1,
    list: async (filter) => {
      const where = filter.parked === undefined ? '' : filter.parked ? 'WHERE parked_at IS NOT NULL' : 'WHERE parked_at IS NULL';
      return (db.prepare(`SELECT * FROM event_subscriptions ${where} ORDER BY tenant, name`).all() as Row[]).map(toState);
    },
    retry: async (name, tenant) =>
      db.prepare(`UPDATE event_subscriptions SET parked_at = NULL, attempts = 0, next_attempt_at = NULL
        WHERE name = ? AND tenant = ? AND parked_at IS NOT NULL`).run(name, tenant).changes === 1,
    skip: async (name, tenant) =>
      db.prepare(`UPDATE event_subscriptions SET position = MAX(position, failed_position), parked_at = NULL, attempts = 0, next_attempt_at = NULL,
        failed_position = NULL, last_error = NULL WHERE name = ? AND tenant = ? AND parked_at IS NOT NULL`).run(name, tenant).changes === 1,
  };
}

/** Paths in event payloads that name a customer record or a person's identity (see core/events/bus.ts). */
const CUSTOMER_PATHS = ['$.customer.id', '$.customerId', '$.interaction.customerId', '$.deal.customerId', '$.case.customerId', '$.actor.customerId'];
const IDENTITY_PATHS = ['$.actor.identity', '$.interaction.identity', '$.by'];

/**
 * Forgetting a person: drops the events about them (by record, identity, or any of the words that named
 * them), inside the erasure's transaction. A reaction still pending for them is dropped with it.
 */
export function eraseEvents(db: Db, tenant: string, customerIds: number[], identities: string[], needles: string[]): void {
  const byId = [
    ...CUSTOMER_PATHS.map((p) => `json_extract(payload, '${p}') IN (${customerIds.map(() => '?').join(', ') || 'NULL'})`),
    ...IDENTITY_PATHS.map((p) => `json_extract(payload, '${p}') IN (${identities.map(() => '?').join(', ') || 'NULL'})`),
  ].join(' OR ');
  db.prepare(`DELETE FROM event_log WHERE tenant = ? AND (${byId})`)
    .run(tenant, ...CUSTOMER_PATHS.flatMap(() => customerIds), ...IDENTITY_PATHS.flatMap(() => identities));
  for (const n of needles) db.prepare('DELETE FROM event_log WHERE tenant = ? AND instr(lower(payload), ?) > 0').run(tenant, n);
}
