import type { InteractionType } from '../../domain/types.js';
import type { InteractionRepo } from '../port.js';
import { toInteraction, type Row } from './codecs.js';
import { appendEvents } from './event-log.js';
import { nextId } from './counters.js';
import type { Scope } from './scope.js';
import { writeBatchOf } from './write-batch.js';

/** Interactions: stored once per platform event, followed through edits and withdrawals. */
export function sqliteInteractions({ db, tenant }: Scope): InteractionRepo {
  return {
    add: async (input, events) => {
      const t = tenant;
      // Without a savepoint of its own (its page copies were a tenth of an ingested message's cost): the insert is
      // one statement, SQLite undoes it alone if it fails, and if what follows fails the interaction is taken back.
      return writeBatchOf(db).runAtomic(() => {
        // One statement stores it or finds the event already stored (the unique source index answers both); a
        // replay so leaves its taken id unused, a gap like an undone write's: ids only grow, none is handed out twice.
        const id = nextId(db, t, 'interaction');
        const stored = db.prepare(`INSERT INTO interactions (tenant, id, customer_id, identity, type, channel, direction, text, amount_minor, currency, occurred_at, source_event_id, message_id)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, source_event_id) WHERE source_event_id IS NOT NULL DO NOTHING`).run(
          t, id, input.customerId, input.identity, input.type, input.channel, input.direction, input.text,
          input.amountMinor, input.currency, input.occurredAt, input.sourceEventId, input.messageId ?? null).changes === 1;
        if (!stored) {
          const existing = db.prepare('SELECT * FROM interactions WHERE tenant = ? AND source_event_id = ?').get(t, input.sourceEventId) as Row;
          return { interaction: toInteraction(existing), created: false };
        }
        const added = { interaction: { ...input, tenant: t, id }, created: true };
        try {
          appendEvents(db, t, events?.(added) ?? []);
        } catch (e) {
          db.prepare('DELETE FROM interactions WHERE tenant = ? AND id = ?').run(t, id);
          throw e;
        }
        return added;
      });
    },
    listForCustomer: async (customerId, limit) =>
      (db.prepare('SELECT * FROM interactions WHERE tenant = ? AND customer_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?')
        .all(tenant, customerId, limit) as Row[]).map(toInteraction),
    countByType: async (customerId) => {
      const rows = db.prepare('SELECT type, COUNT(*) n FROM interactions WHERE tenant = ? AND customer_id = ? GROUP BY type').all(tenant, customerId) as { type: InteractionType; n: number }[];
      return Object.fromEntries(rows.map((r) => [r.type, r.n]));
    },
    applyMessageChange: async (messageId, change) => {
      const where = 'WHERE tenant = ? AND message_id = ? AND deleted = 0';
      const res = change.kind === 'changed'
        ? db.prepare(`UPDATE interactions SET text = ?, edits = json_insert(coalesce(edits, '[]'), '$[#]', json_object('text', text, 'at', ?)) ${where}`)
          .run(change.text, change.at, tenant, messageId)
        : db.prepare(`UPDATE interactions SET text = '', edits = NULL, deleted = 1 ${where}`).run(tenant, messageId);
      return res.changes;
    },
    withdraw: async (sourceEventId) =>
      db.prepare('DELETE FROM interactions WHERE tenant = ? AND source_event_id = ?').run(tenant, sourceEventId).changes > 0,
  };
}
