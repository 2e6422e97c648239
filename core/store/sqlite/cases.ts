import type { CaseRepo } from '../port.js';
import { caseClosing, newCase } from '../records.js';
import { toCase, type Row } from './codecs.js';
import { appendEvents } from './event-log.js';
import { createWithEvents, type Scope } from './scope.js';

/** Cases: open, first response, close with who resolved them. */
export function sqliteCases(scope: Scope): CaseRepo {
  const { db, tenant } = scope;
  return {
    open: async (input, now, events) => createWithEvents(scope, 'case', (id) => newCase(tenant, id, input, now), (kase, source) => {
      db.prepare(`INSERT INTO cases (tenant, id, customer_id, kind, owner, status, summary, due_at, opened_at, closed_at, closed_by, resolution, first_response_at, source_event_id)
        VALUES (@tenant, @id, @customerId, @kind, @owner, @status, @summary, @dueAt, @openedAt, @closedAt, @closedBy, @resolution, @firstResponseAt, @source)`).run({ ...kase, source });
    }, events, { table: 'cases', sourceEventId: input.sourceEventId, read: toCase }),
    close: async (id, now, resolved, events) => db.transaction(() => {
      const { set, firstResponseAt } = caseClosing(now, resolved);
      const res = db.prepare(`UPDATE cases SET status = @status, closed_at = @closedAt, closed_by = @closedBy, resolution = @resolution,
        first_response_at = COALESCE(first_response_at, @firstResponseAt) WHERE tenant = @t AND id = @id AND status = 'open'`)
        .run({ ...set, firstResponseAt, t: tenant, id });
      if (!res.changes) return null;
      const kase = toCase(db.prepare('SELECT * FROM cases WHERE tenant = ? AND id = ?').get(tenant, id) as Row);
      appendEvents(db, tenant, events?.(kase) ?? []);
      return kase;
    }).immediate(),
    listOpen: async (customerId) => {
      const rows = customerId === undefined
        ? db.prepare(`SELECT * FROM cases WHERE tenant = ? AND status = 'open' ORDER BY id`).all(tenant)
        : db.prepare(`SELECT * FROM cases WHERE tenant = ? AND status = 'open' AND customer_id = ? ORDER BY id`).all(tenant, customerId);
      return (rows as Row[]).map(toCase);
    },
    get: async (id) => {
      const r = db.prepare('SELECT * FROM cases WHERE tenant = ? AND id = ?').get(tenant, id) as Row | undefined;
      return r ? toCase(r) : null;
    },
    // `+opened_at`: found by the customer's index (a few cases), not by a range over every case opened until now.
    respond: async (customerId, at) =>
      db.prepare(`UPDATE cases SET first_response_at = ? WHERE tenant = ? AND customer_id = ? AND status = 'open'
        AND first_response_at IS NULL AND +opened_at <= ?`).run(at, tenant, customerId, at).changes,
    list: async (f, limit) => {
      const where = ['tenant = @t'];
      if (f.customerId !== undefined) where.push('customer_id = @customerId');
      if (f.kind !== undefined) where.push('kind = @kind');
      if (f.openedFrom !== undefined) where.push('opened_at >= @openedFrom');
      if (f.openedTo !== undefined) where.push('opened_at < @openedTo');
      const rows = db.prepare(`SELECT * FROM cases WHERE ${where.join(' AND ')} ORDER BY id LIMIT @limit`).all({ ...f, t: tenant, limit }) as Row[];
      return rows.map(toCase);
    },
  };
}
