import type { DealRepo } from '../port.js';
import { json, toDeal, type Row } from './codecs.js';
import { appendEvents } from './event-log.js';
import { nextId, type Scope } from './scope.js';

/** Deals and their stage history. */
export function sqliteDeals({ db, tenant }: Scope): DealRepo {
  return {
    create: async (input, by, now, events) => {
      const t = tenant;
      return db.transaction(() => {
        const id = nextId(db, t, 'deal');
        const history = [{ stage: input.stage, at: now, by }];
        db.prepare(`INSERT INTO deals (tenant, id, customer_id, title, amount_minor, currency, stage, probability, owner, expected_close, closed_at, lost_reason, history, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)`).run(
          t, id, input.customerId, input.title, input.amountMinor, input.currency, input.stage, input.probability,
          input.owner, input.expectedClose, json(history), now, now);
        const deal = toDeal(db.prepare('SELECT * FROM deals WHERE tenant = ? AND id = ?').get(t, id) as Row);
        appendEvents(db, t, events?.(deal) ?? []);
        return deal;
      }).immediate();
    },
    get: async (id) => {
      const r = db.prepare('SELECT * FROM deals WHERE tenant = ? AND id = ?').get(tenant, id) as Row | undefined;
      return r ? toDeal(r) : null;
    },
    moveStage: async (id, change, events) => db.transaction(() => {
      const res = db.prepare(`UPDATE deals SET stage = ?, probability = ?, updated_at = ?,
          closed_at = CASE WHEN ? THEN ? ELSE NULL END, lost_reason = ?,
          history = json_insert(history, '$[#]', json(?)) WHERE tenant = ? AND id = ?`)
        .run(change.stage, change.probability, change.at, change.closed ? 1 : 0, change.at, change.lostReason ?? null,
          json({ stage: change.stage, at: change.at, by: change.by }), tenant, id);
      if (!res.changes) return null;
      const deal = toDeal(db.prepare('SELECT * FROM deals WHERE tenant = ? AND id = ?').get(tenant, id) as Row);
      appendEvents(db, tenant, events?.(deal) ?? []);
      return deal;
    }).immediate(),
    list: async (filter, limit) => {
      const clauses = ['tenant = ?'];
      const args: unknown[] = [tenant];
      if (filter.owner !== undefined) { clauses.push('owner = ?'); args.push(filter.owner); }
      if (filter.stage !== undefined) { clauses.push('stage = ?'); args.push(filter.stage); }
      if (filter.customerId !== undefined) { clauses.push('customer_id = ?'); args.push(filter.customerId); }
      if (filter.open !== undefined) clauses.push(filter.open ? 'closed_at IS NULL' : 'closed_at IS NOT NULL');
      args.push(limit);
      return (db.prepare(`SELECT * FROM deals WHERE ${clauses.join(' AND ')} ORDER BY id DESC LIMIT ?`).all(...args) as Row[]).map(toDeal);
    },
  };
}
