import type { DealRepo } from '../port.js';
import { newDeal, stageMove } from '../records.js';
import { json, toDeal, type Row } from './codecs.js';
import { appendEvents } from './event-log.js';
import { createWithEvents, type Scope } from './scope.js';

/** Deals and their stage history. */
export function sqliteDeals(scope: Scope): DealRepo {
  const { db, tenant } = scope;
  return {
    create: async (input, by, now, events) => createWithEvents(scope, 'deal', (id) => newDeal(tenant, id, input, by, now), (deal, source) => {
      db.prepare(`INSERT INTO deals (tenant, id, customer_id, title, amount_minor, currency, stage, probability, owner, expected_close, closed_at, lost_reason, history, created_at, updated_at, source_event_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        tenant, deal.id, deal.customerId, deal.title, deal.amountMinor, deal.currency, deal.stage, deal.probability,
        deal.owner, deal.expectedClose, deal.closedAt, deal.lostReason, json(deal.history), deal.createdAt, deal.updatedAt, source);
    }, events, { table: 'deals', sourceEventId: input.sourceEventId, read: toDeal }),
    get: async (id) => {
      const r = db.prepare('SELECT * FROM deals WHERE tenant = ? AND id = ?').get(tenant, id) as Row | undefined;
      return r ? toDeal(r) : null;
    },
    moveStage: async (id, change, events) => db.transaction(() => {
      const { set, entry } = stageMove(change);
      const res = db.prepare(`UPDATE deals SET stage = ?, probability = ?, updated_at = ?, closed_at = ?, lost_reason = ?,
          history = json_insert(history, '$[#]', json(?)) WHERE tenant = ? AND id = ?`)
        .run(set.stage, set.probability, set.updatedAt, set.closedAt, set.lostReason, json(entry), tenant, id);
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
