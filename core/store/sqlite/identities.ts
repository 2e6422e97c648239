import type { IdentityRepo } from '../port.js';
import { identityRecord } from '../records.js';
import { parse, toIdentity, type Row } from './codecs.js';
import type { Scope } from './scope.js';
import { writeBatchOf } from './write-batch.js';

/**
 * Every message reads its author's identity and the role granted them: one statement (one read transaction, not two)
 * returning an array, not an object built column by column. Its SQL text is its own, so the statement cache hands
 * this raw statement to no other caller. The identity's columns are NULL when it is not stored yet.
 */
const WITH_DOC = `SELECT i.tenant, i.identity, i.platform, i.display_name, i.role, i.customer_id, i.verified, i.locale, i.timezone, i.reachable,
    i.last_seen_at, i.created_at, (SELECT doc FROM plugin_docs WHERE tenant = ? AND plugin = ? AND collection = ? AND id = ?) AS doc
  FROM (SELECT 1) LEFT JOIN identities i ON i.tenant = ? AND i.identity = ?`;
const withDocLink = (v: unknown[]) => identityRecord({
  tenant: v[0], identity: v[1], platform: v[2], displayName: v[3], role: v[4], customerId: v[5], verified: v[6], locale: v[7], timezone: v[8],
  reachable: v[9], lastSeenAt: v[10], createdAt: v[11],
});

/** Chat identities: first contact, refresh, role, link to a customer, reachability. */
export function sqliteIdentities({ db, tenant }: Scope): IdentityRepo {
  const withDoc = db.prepare(WITH_DOC).raw(true);
  const identities: IdentityRepo = {
    get: async (identity) => {
      const r = db.prepare('SELECT * FROM identities WHERE tenant = ? AND identity = ?').get(tenant, identity) as Row | undefined;
      return r ? toIdentity(r) : null;
    },
    getWithDoc: async <T extends { id: string }>(identity: string, plugin: string, collection: string) => {
      const v = withDoc.get(tenant, plugin, collection, identity, tenant, identity) as unknown[];
      return { link: v[1] === null ? null : withDocLink(v), doc: v[12] === null ? null : parse<T>(v[12]) };
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
