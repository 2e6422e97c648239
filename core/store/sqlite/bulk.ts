import type { Database } from 'better-sqlite3';
import type { BulkKind, BulkRecords, BulkRepo } from '../port.js';
import { nameKey } from '../records.js';
import { json, type Row } from './codecs.js';

/** One prepared INSERT per kind, columns in the order of `values`. */
const INSERTS: Record<BulkKind, { sql: string; values: (t: string, r: any) => unknown[] }> = {
  customers: {
    sql: `INSERT INTO customers (tenant, id, name, name_lc, company, emails, phones, tags, owner, lifecycle, consent, merged_into, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    values: (t, c: BulkRecords['customers']) => [t, c.id, c.name, nameKey(c.name), c.company, json(c.emails), json(c.phones), json(c.tags), c.owner, c.lifecycle, json(c.consent), c.mergedInto, c.createdAt, c.updatedAt],
  },
  interactions: {
    sql: `INSERT INTO interactions (tenant, id, customer_id, identity, type, channel, direction, text, amount_minor, currency, occurred_at, source_event_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    values: (t, i: BulkRecords['interactions']) => [t, i.id, i.customerId, i.identity, i.type, i.channel, i.direction, i.text, i.amountMinor, i.currency, i.occurredAt, i.sourceEventId],
  },
  deals: {
    sql: `INSERT INTO deals (tenant, id, customer_id, title, amount_minor, currency, stage, probability, owner, expected_close, closed_at, lost_reason, history, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    values: (t, d: BulkRecords['deals']) => [t, d.id, d.customerId, d.title, d.amountMinor, d.currency, d.stage, d.probability, d.owner, d.expectedClose, d.closedAt, d.lostReason, json(d.history), d.createdAt, d.updatedAt],
  },
  cases: {
    sql: `INSERT INTO cases (tenant, id, customer_id, kind, owner, status, summary, due_at, opened_at, closed_at, closed_by, resolution, first_response_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    values: (t, k: BulkRecords['cases']) => [
      t, k.id, k.customerId, k.kind, k.owner, k.status, k.summary, k.dueAt, k.openedAt, k.closedAt, k.closedBy ?? null, k.resolution ?? null, k.firstResponseAt ?? null,
    ],
  },
};
const COUNTER: Record<BulkKind, string> = { customers: 'customer', interactions: 'interaction', deals: 'deal', cases: 'case' };

export function sqliteBulk(db: Database, tenant: string, read: { [K in BulkKind]: (r: Row) => BulkRecords[K] }): BulkRepo {
  const bump = db.prepare('INSERT INTO counters (tenant, name, value) VALUES (?, ?, ?) ON CONFLICT (tenant, name) DO UPDATE SET value = MAX(value, excluded.value)');
  const importAll = db.transaction((batch: { [K in BulkKind]?: BulkRecords[K][] }) => {
    for (const kind of Object.keys(INSERTS) as BulkKind[]) {
      const rows = batch[kind] as { id: number }[] | undefined;
      if (!rows?.length) continue;
      const stmt = db.prepare(INSERTS[kind].sql);
      let max = 0;
      for (const r of rows) {
        stmt.run(...INSERTS[kind].values(tenant, r));
        max = Math.max(max, r.id);
      }
      bump.run(tenant, COUNTER[kind], max);
    }
  });
  return {
    import: async (batch) => importAll.immediate(batch),
    page: async (kind, afterId, limit) =>
      (db.prepare(`SELECT * FROM ${kind} WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?`).all(tenant, afterId, limit) as Row[]).map(read[kind]) as never,
  };
}
