import type { Database as Db } from 'better-sqlite3';
import type { InboxItem, InboxQueue } from '../port.js';

type Row = { id: string; event: string; holder: string; lease_until: string };
const toItem = (r: Row): InboxItem => ({ id: r.id, event: r.event, holder: r.holder, leaseUntil: r.lease_until });

/** Acknowledged requests not yet handled; a batch of appends or done marks is one transaction. */
export function sqliteInbox(db: Db): InboxQueue {
  const insert = db.prepare('INSERT INTO inbox (id, event, holder, lease_until) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const remove = db.prepare('DELETE FROM inbox WHERE id = ?');
  const extend = db.prepare('UPDATE inbox SET lease_until = ? WHERE id = ? AND holder = ?');
  const appendAll = db.transaction((items: InboxItem[]) => {
    for (const i of items) insert.run(i.id, i.event, i.holder, i.leaseUntil);
  });
  const removeAll = db.transaction((ids: string[]) => {
    for (const id of ids) remove.run(id);
  });
  const extendAll = db.transaction((ids: string[], holder: string, until: string) => {
    for (const id of ids) extend.run(until, id, holder);
  });
  const stale = db.prepare('UPDATE inbox SET holder = ?, lease_until = ? WHERE id IN (SELECT id FROM inbox WHERE lease_until < ? ORDER BY lease_until, id LIMIT ?) RETURNING *');
  return {
    append: async (items) => appendAll.immediate(items),
    done: async (ids) => removeAll.immediate(ids),
    claimStale: async (holder, now, leaseUntil, limit) =>
      (stale.all(holder, leaseUntil, now, limit) as Row[]).map(toItem).sort((a, b) => (a.id < b.id ? -1 : 1)),
    extend: async (ids, holder, leaseUntil) => extendAll.immediate(ids, holder, leaseUntil),
  };
}
