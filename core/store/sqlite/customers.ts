import type { CustomerRepo } from '../port.js';
import { erasedCustomer, nameKey, newCustomer, newMerge } from '../records.js';
import { json, toCustomer, toMerge, type Row } from './codecs.js';
import { nextId } from './counters.js';
import { createWithEvents, type Scope } from './scope.js';

/** Customers: create, find, search, patch, merge and undo, anonymise. */
export function sqliteCustomers(scope: Scope): CustomerRepo {
  const { db, tenant } = scope;
  return {
    create: async (input, now, events) => createWithEvents(scope, 'customer', (id) => newCustomer(tenant, id, input, now), (c, source) => {
      db.prepare(`INSERT INTO customers (tenant, id, name, name_lc, company, emails, phones, tags, owner, lifecycle, consent, merged_into, created_at, updated_at, source_event_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        tenant, c.id, c.name, nameKey(c.name), c.company, json(c.emails), json(c.phones), json(c.tags), c.owner, c.lifecycle,
        json(c.consent), c.mergedInto, c.createdAt, c.updatedAt, source);
    }, events, { table: 'customers', sourceEventId: input.sourceEventId, read: toCustomer }),
    get: async (id) => {
      const r = db.prepare('SELECT * FROM customers WHERE tenant = ? AND id = ?').get(tenant, id) as Row | undefined;
      return r ? toCustomer(r) : null;
    },
    createdBy: async (sourceEventId) => {
      const r = db.prepare('SELECT * FROM customers WHERE tenant = ? AND source_event_id = ?').get(tenant, sourceEventId) as Row | undefined;
      return r ? toCustomer(r) : null;
    },
    findByName: async (name) =>
      (db.prepare('SELECT * FROM customers WHERE tenant = ? AND name_lc = ? AND merged_into IS NULL ORDER BY id').all(tenant, nameKey(name)) as Row[]).map(toCustomer),
    // Name, company and each e-mail, case-insensitive over Unicode (JS lower-casing, as MongoDB's `i` regex folds), as the Mongo engine.
    search: async (text, limit) => {
      const t = String(text).toLowerCase();
      return (db.prepare(`SELECT * FROM customers WHERE tenant = ? AND merged_into IS NULL AND
        (instr(name_lc, ?) > 0 OR instr(unicode_lower(coalesce(company, '')), ?) > 0
          OR EXISTS (SELECT 1 FROM json_each(customers.emails) e WHERE instr(unicode_lower(e.value), ?) > 0)) ORDER BY id LIMIT ?`)
        .all(tenant, t, t, t, limit) as Row[]).map(toCustomer);
    },
    update: async (id, patch, now) => {
      // Read and write in one immediate transaction: concurrent patches of different fields both land.
      return db.transaction(() => {
        const current = db.prepare('SELECT * FROM customers WHERE tenant = ? AND id = ?').get(tenant, id) as Row | undefined;
        if (!current) return null;
        const c = { ...toCustomer(current), ...patch, updatedAt: now };
        db.prepare(`UPDATE customers SET name = ?, name_lc = ?, company = ?, emails = ?, phones = ?, tags = ?, owner = ?,
          lifecycle = ?, consent = ?, merged_into = ?, updated_at = ? WHERE tenant = ? AND id = ?`).run(
          c.name, nameKey(c.name), c.company, json(c.emails), json(c.phones), json(c.tags), c.owner, c.lifecycle,
          json(c.consent), c.mergedInto, now, tenant, id);
        return c;
      }).immediate();
    },
    count: async () =>
      (db.prepare('SELECT COUNT(*) n FROM customers WHERE tenant = ? AND merged_into IS NULL').get(tenant) as { n: number }).n,
    page: async (afterId, limit) =>
      (db.prepare('SELECT * FROM customers WHERE tenant = ? AND id > ? AND merged_into IS NULL ORDER BY id LIMIT ?').all(tenant, afterId, limit) as Row[]).map(toCustomer),
    countCreatedBetween: async (from, to) =>
      (db.prepare('SELECT COUNT(*) n FROM customers WHERE tenant = ? AND merged_into IS NULL AND created_at >= ? AND created_at < ?').get(tenant, from, to) as { n: number }).n,
    merge: async (fromId, intoId, by, now) => {
      const t = tenant;
      return db.transaction(() => {
        const ids = (sql: string, key: string) => (db.prepare(sql).all(t, fromId) as Row[]).map((r) => r[key]);
        const identities = ids('SELECT identity FROM identities WHERE tenant = ? AND customer_id = ?', 'identity') as string[];
        const interactionIds = ids('SELECT id FROM interactions WHERE tenant = ? AND customer_id = ?', 'id') as number[];
        const dealIds = ids('SELECT id FROM deals WHERE tenant = ? AND customer_id = ?', 'id') as number[];
        for (const table of ['identities', 'interactions', 'deals', 'cases']) {
          db.prepare(`UPDATE ${table} SET customer_id = ? WHERE tenant = ? AND customer_id = ?`).run(intoId, t, fromId);
        }
        db.prepare('UPDATE customers SET merged_into = ?, updated_at = ? WHERE tenant = ? AND id = ?').run(intoId, now, t, fromId);
        const mr = newMerge(t, nextId(db, t, 'merge'), fromId, intoId, { identities, interactionIds, dealIds }, by, now);
        db.prepare('INSERT INTO merges (tenant, id, from_id, into_id, identities, interaction_ids, deal_ids, by, at, undone_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(t, mr.id, mr.fromId, mr.intoId, json(mr.identities), json(mr.interactionIds), json(mr.dealIds), mr.by, mr.at, mr.undoneAt);
        return mr;
      }).immediate();
    },
    unmerge: async (mergeId, now) => {
      const t = tenant;
      return db.transaction(() => {
        const row = db.prepare('SELECT * FROM merges WHERE tenant = ? AND id = ? AND undone_at IS NULL').get(t, mergeId) as Row | undefined;
        if (!row) return null;
        const m = toMerge(row);
        const back = (table: string, key: string, values: (string | number)[]) => {
          const stmt = db.prepare(`UPDATE ${table} SET customer_id = ? WHERE tenant = ? AND ${key} = ?`);
          for (const v of values) stmt.run(m.fromId, t, v);
        };
        back('identities', 'identity', m.identities);
        back('interactions', 'id', m.interactionIds);
        back('deals', 'id', m.dealIds);
        db.prepare('UPDATE customers SET merged_into = NULL, updated_at = ? WHERE tenant = ? AND id = ?').run(now, t, m.fromId);
        db.prepare('UPDATE merges SET undone_at = ? WHERE tenant = ? AND id = ?').run(now, t, mergeId);
        return { ...m, undoneAt: now };
      }).immediate();
    },
    anonymise: async (id, now) => {
      const t = tenant;
      return db.transaction(() => {
        const e = erasedCustomer(id, now);
        const res = db.prepare(`UPDATE customers SET name = ?, name_lc = ?, company = ?, emails = ?, phones = ?, tags = ?,
          consent = ?, updated_at = ? WHERE tenant = ? AND id = ?`)
          .run(e.name, nameKey(e.name), e.company, json(e.emails), json(e.phones), json(e.tags), json(e.consent), e.updatedAt, t, id);
        if (res.changes === 0) return false;
        db.prepare(`UPDATE interactions SET text = '', identity = NULL, edits = NULL WHERE tenant = ? AND customer_id = ?`).run(t, id);
        db.prepare('DELETE FROM identities WHERE tenant = ? AND customer_id = ?').run(t, id);
        db.prepare(`UPDATE cases SET summary = '' WHERE tenant = ? AND customer_id = ?`).run(t, id);
        return true;
      }).immediate();
    },
  };
}
