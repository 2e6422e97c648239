import type { LedgerMatch } from '../port.js';
import { assertFieldName } from '../where.js';

/**
 * The aggregation behind a ledger total, a pure builder checked with mingo: the scope's entries of the accounts
 * in the window that match one kind (and its data values), summed. Every value is made a string and every data
 * field name is checked, so nothing a caller passes can become an operator.
 */
export function ledgerTotalPipeline(
  scope: { tenant: string; plugin: string; ledger: string }, accounts: readonly string[], window: { from: string; to: string }, matches: readonly LedgerMatch[],
): Record<string, unknown>[] {
  const or = matches.map((m) => ({
    kind: String(m.kind),
    ...Object.fromEntries(Object.entries(m.data ?? {}).map(([field, value]) => [`data.${assertFieldName(field)}`, String(value)])),
  }));
  return [
    { $match: { ...scope, account: { $in: accounts.map(String) }, at: { $gt: String(window.from), $lte: String(window.to) }, $or: or } },
    { $group: { _id: null, total: { $sum: '$delta' } } },
  ];
}
