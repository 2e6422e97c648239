import type { SpendRepo } from '../port.js';
import type { Row } from './codecs.js';
import type { Scope } from './scope.js';

/** Acquisition spend per month. */
export function sqliteSpend({ db, tenant }: Scope): SpendRepo {
  return {
    record: async (month, amountMinor, currency, by, now) => {
      db.prepare('INSERT INTO spend (tenant, month, amount_minor, currency, by, at) VALUES (?, ?, ?, ?, ?, ?)').run(tenant, month, amountMinor, currency, by, now);
    },
    total: async (fromMonth, toMonth) =>
      Number((db.prepare('SELECT COALESCE(SUM(amount_minor), 0) s FROM spend WHERE tenant = ? AND month >= ? AND month <= ?').get(tenant, fromMonth, toMonth) as Row).s),
  };
}
