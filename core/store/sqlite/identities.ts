import type { IdentityRepo } from '../port.js';
import { toIdentity, type Row } from './codecs.js';
import type { Scope } from './scope.js';
import { writeBatchOf } from './write-batch.js';

/** Chat identities: first contact, refresh, role, link to a customer, reachability. */
export function sqliteIdentities({ db, tenant }: Scope): IdentityRepo {
  const identities: IdentityRepo = {
    get: async (identity) => {
      const r = db.prepare('SELECT * FROM identities WHERE tenant = ? AND identity = ?').get(tenant, identity) as Row | undefined;
      return r ? toIdentity(r) : null;
    },
    // One statement that returns the stored row: atomic by itself, so it needs no savepoint in the write batch.
    touch: async (input, now) => toIdentity(await writeBatchOf(db).runAtomic(() => db.prepare(`INSERT INTO identities
        (tenant, identity, platform, display_name, role, customer_id, verified, locale, timezone, reachable, last_seen_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, 1, ?, ?)
        ON CONFLICT (tenant, identity) DO UPDATE SET display_name = excluded.display_name, last_seen_at = excluded.last_seen_at,
          locale = coalesce(excluded.locale, identities.locale), timezone = coalesce(identities.timezone, excluded.timezone), reachable = 1
        RETURNING *`)
      .get(tenant, input.identity, input.platform, input.displayName, input.role, input.customerId, input.locale, input.timezone ?? null, now, now) as Row)),
    setRole: async (identity, role) => {
      db.prepare('UPDATE identities SET role = ? WHERE tenant = ? AND identity = ?').run(role, tenant, identity);
      return identities.get(identity);
    },
    attach: async (identity, customerId) => {
      db.prepare('UPDATE identities SET customer_id = ? WHERE tenant = ? AND identity = ?').run(customerId, tenant, identity);
      return identities.get(identity);
    },
    setTimezone: async (identity, timezone) => {
      db.prepare('UPDATE identities SET timezone = ? WHERE tenant = ? AND identity = ?').run(timezone, tenant, identity);
      return identities.get(identity);
    },
    setReachable: async (identity, reachable) => {
      db.prepare('UPDATE identities SET reachable = ? WHERE tenant = ? AND identity = ?').run(reachable ? 1 : 0, tenant, identity);
    },
    listForCustomer: async (customerId) =>
      (db.prepare('SELECT * FROM identities WHERE tenant = ? AND customer_id = ? ORDER BY identity').all(tenant, customerId) as Row[]).map(toIdentity),
  };
  return identities;
}
