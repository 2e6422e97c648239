import type { Ledger, LedgerEntry } from '../../core/plugin-api.js';
import { accountsOf, avail, pending, stock } from './book.js';
import type { LoyaltyConfig } from './config.js';
import { addMonths, lotsOf } from './lots.js';

export type Reversal =
  | { status: 'ok'; entry: LedgerEntry }
  | { status: 'missing' }
  | { status: 'not reversible'; entry: LedgerEntry }
  | { status: 'duplicate'; entry: LedgerEntry }
  | { status: 'insufficient'; entry: LedgerEntry; balance: number };

/**
 * Undoes an earn, redemption or adjustment of a customer with new entries (an entry is never edited), at most
 * once per entry (key `reversal:<key>`). An earn still pending is taken back from pending; once released it
 * lives in avail under the same lot key. A balance that no longer holds the points is refused, changing nothing.
 */
export async function reverseEntry(ledger: Ledger, cfg: LoyaltyConfig, customerId: number, entryKey: string, data: Record<string, unknown>, now: string): Promise<Reversal> {
  const acc = await accountsOf(ledger, customerId);
  const e = [...acc.avail, ...acc.pending].find((x) => x.key === entryKey);
  if (!e) return { status: 'missing' };
  if (!['earn', 'redeem', 'adjust'].includes(e.kind)) return { status: 'not reversible', entry: e };
  const key = `reversal:${e.key}`;
  const info = { reversed: e.kind, of: e.key, ...data };
  const from = e.kind === 'earn' && lotsOf(acc.pending).some((l) => l.key === e.key && l.remaining > 0) ? pending(customerId) : avail(customerId);
  const entries: LedgerEntry[] = e.delta > 0
    ? [{ key, account: from, delta: -e.delta, kind: 'reversal', at: now, data: { ...info, lot: e.key } }]
    : [{ key, account: avail(customerId), delta: -e.delta, kind: 'reversal', at: now, data: { ...info, expiresAt: addMonths(now, cfg.expiryMonths) } }];
  if (e.kind === 'redeem') entries.push({ key: `${key}:stock`, account: stock(String(e.data.reward)), delta: 1, kind: 'reversal', at: now, data: info });
  const r = await ledger.append(entries, { [from]: 0 });
  if (r.status === 'duplicate') return { status: 'duplicate', entry: e };
  if (r.status === 'insufficient') return { status: 'insufficient', entry: e, balance: r.balance };
  return { status: 'ok', entry: e };
}
