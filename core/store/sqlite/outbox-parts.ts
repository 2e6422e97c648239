import type { Database as Db } from 'better-sqlite3';

/**
 * Records a delivered part on the outbox row (a JSON object of part key -> platform reference). Only the
 * lease holder may record, so a worker whose lease ran out cannot mark parts another worker now owns.
 */
export async function sqliteMarkPart(db: Db, id: number, holder: string, part: string, ref: string | null): Promise<boolean> {
  return db.prepare(`UPDATE outbox SET parts = json_set(parts, '$.' || json_quote(?), ?)
    WHERE id = ? AND lease_holder = ? AND status = 'pending'`).run(part, ref, id, holder).changes === 1;
}
