import type { Database as Db } from 'better-sqlite3';
import type { ErasurePlan, ErasureRepo } from '../port.js';
import { eraseEvents } from './event-log.js';

export const ERASED = 'erased';
const ERASED_REPLY = JSON.stringify({ text: '(erased)' });

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export function sqliteErasure(db: Db, tenant: string): ErasureRepo {
  return {
    footprint: async (customerId) => {
      const ids = new Set<number>([customerId]);
      for (let frontier = [customerId]; frontier.length; ) {
        const rows = db.prepare(`SELECT id FROM customers WHERE tenant = ? AND merged_into IN (${marks(frontier.length)})`).all(tenant, ...frontier) as { id: number }[];
        frontier = rows.map((r) => r.id).filter((id) => !ids.has(id));
        for (const id of frontier) ids.add(id);
      }
      const list = [...ids];
      const identities = new Set((db.prepare(`SELECT identity FROM identities WHERE tenant = ? AND customer_id IN (${marks(list.length)})`).all(tenant, ...list) as { identity: string }[]).map((r) => r.identity));
      const merges = db.prepare(`SELECT identities FROM merges WHERE tenant = ? AND (from_id IN (${marks(list.length)}) OR into_id IN (${marks(list.length)}))`).all(tenant, ...list, ...list) as { identities: string }[];
      for (const m of merges) for (const i of JSON.parse(m.identities) as string[]) identities.add(i);
      return { customerIds: list.sort((a, b) => a - b), identities: [...identities].sort() };
    },
    erase: async (plan, words, now) => {
      const c = plan.customerIds;
      const ids = plan.identities;
      const needles = [...ids, ...words].map((w) => w.trim().toLowerCase()).filter((w) => w.length >= 3);
      db.transaction(() => {
        const run = (sql: string, ...args: unknown[]) => db.prepare(sql).run(tenant, ...args);
        const inC = `(${marks(c.length)})`;
        const inI = `(${marks(Math.max(ids.length, 1))})`;
        const idArgs = ids.length ? ids : [''];
        const anonymise = db.prepare(`UPDATE customers SET name = ?, name_lc = ?, company = NULL, emails = '[]', phones = '[]', tags = '[]', consent = ?, updated_at = ?
          WHERE tenant = ? AND id = ?`);
        for (const id of c) anonymise.run(`Erased C-${id}`, `erased c-${id}`, JSON.stringify({ marketing: false, surveys: false, updatedAt: now }), now, tenant, id);
        run(`UPDATE interactions SET text = '', identity = NULL, edits = NULL WHERE tenant = ? AND (customer_id IN ${inC} OR identity IN ${inI})`, ...c, ...idArgs);
        run(`DELETE FROM identities WHERE tenant = ? AND (customer_id IN ${inC} OR identity IN ${inI})`, ...c, ...idArgs);
        run(`UPDATE cases SET summary = '' WHERE tenant = ? AND customer_id IN ${inC}`, ...c);
        run(`UPDATE cases SET owner = NULL WHERE tenant = ? AND owner IN ${inI}`, ...idArgs);
        run(`UPDATE deals SET title = 'Deal D-' || id, lost_reason = NULL WHERE tenant = ? AND customer_id IN ${inC}`, ...c);
        run(`UPDATE deals SET owner = '${ERASED}' WHERE tenant = ? AND owner IN ${inI}`, ...idArgs);
        run(`UPDATE merges SET identities = '[]' WHERE tenant = ? AND (from_id IN ${inC} OR into_id IN ${inC})`, ...c, ...c);
        run(`UPDATE merges SET by = '${ERASED}' WHERE tenant = ? AND by IN ${inI}`, ...idArgs);
        run(`UPDATE customers SET owner = NULL WHERE tenant = ? AND owner IN ${inI}`, ...idArgs);
        run(`UPDATE spend SET by = '${ERASED}' WHERE tenant = ? AND by IN ${inI}`, ...idArgs);
        run(`DELETE FROM outbox WHERE tenant = ? AND target IN ${inI}`, ...idArgs);
        const history = db.prepare(`SELECT id, history FROM deals WHERE tenant = ? AND EXISTS (SELECT 1 FROM json_each(deals.history) h WHERE json_extract(h.value, '$.by') IN ${inI})`).all(tenant, ...idArgs) as { id: number; history: string }[];
        for (const d of history) {
          const h = (JSON.parse(d.history) as { by: string }[]).map((x) => (ids.includes(x.by) ? { ...x, by: ERASED } : x));
          db.prepare('UPDATE deals SET history = ? WHERE tenant = ? AND id = ?').run(JSON.stringify(h), tenant, d.id);
        }
        for (const field of ['by', 'approvedBy']) {
          run(`UPDATE ledger_entries SET data = json_set(data, '$.${field}', '${ERASED}') WHERE tenant = ? AND json_extract(data, '$.${field}') IN ${inI}`, ...idArgs);
        }
        eraseEvents(db, tenant, c, ids, needles);
        for (const n of needles) {
          run(`UPDATE outbox SET reply = '${ERASED_REPLY}' WHERE tenant = ? AND instr(lower(reply), ?) > 0`, n);
          run(`UPDATE deals SET title = 'Deal D-' || id WHERE tenant = ? AND instr(lower(title), ?) > 0`, n);
          run(`UPDATE deals SET lost_reason = NULL WHERE tenant = ? AND instr(lower(coalesce(lost_reason, '')), ?) > 0`, n);
        }
      }).immediate();
    },
  };
}
