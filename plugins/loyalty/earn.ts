import type { Ledger, LedgerEntry } from '../../core/plugin-api.js';
import { avail, capDay, capTotal, localDay, pending, tierNow } from './book.js';
import type { LoyaltyConfig } from './config.js';
import { addDays, addMonths } from './lots.js';
import { earnKey, earning, type Occasion } from './rules.js';

/** `held`: points above a cap of an overCap "approve" rule, for the caller to hold for a manager. */
export type EarnResult =
  | { status: 'earned'; points: number; pending: boolean; key: string; held: number }
  | { status: 'duplicate'; key: string }
  | { status: 'nothing'; why: 'rule off' | 'capped'; held: number };

/** A cap race (another earning took the room between our read and our append) is re-read this many times. */
const ATTEMPTS = 5;

/**
 * Earns an occasion once: the earn entry and the cap usage go in one append, the caps as floors, so
 * neither a retried event nor two events at once can earn twice or past a cap.
 */
export async function earn(ledger: Ledger, cfg: LoyaltyConfig, o: Occasion, now: string, timeZone: string, extra: Record<string, unknown> = {}): Promise<EarnResult> {
  const rule = cfg.rules[o.rule];
  const key = earnKey(o);
  if (rule.points === 0 && rule.pointsPerCurrencyUnit === 0) return { status: 'nothing', why: 'rule off', held: 0 };
  // A cap the rule does not have has no account to read: its usage cannot change the points (and the local day is not free to work out).
  const dayAccount = rule.capPerDay === null ? null : capDay(o.customerId, o.rule, localDay(now, timeZone));
  const totalAccount = rule.capPerCustomer === null ? null : capTotal(o.customerId, o.rule);
  for (let i = 0; i < ATTEMPTS; i++) {
    const [tier, usedToday, usedTotal] = await Promise.all([
      tierNow(ledger, o.customerId, cfg, now),
      dayAccount === null ? 0 : ledger.balance(dayAccount),
      totalAccount === null ? 0 : ledger.balance(totalAccount),
    ]);
    const multiplier = tier.tier.multiplier;
    const { points, uncapped } = earning(rule, o.amountMinor, multiplier, { today: -usedToday, total: -usedTotal });
    const held = rule.overCap === 'approve' ? uncapped - points : 0;
    if (points === 0) return uncapped === 0 ? { status: 'nothing', why: 'rule off', held: 0 } : { status: 'nothing', why: 'capped', held };
    const data = {
      ...extra, rule: o.rule, source: o.sourceId, amountMinor: o.amountMinor, multiplier, uncapped,
      earnedAt: now, expiresAt: addMonths(now, cfg.expiryMonths), ...(rule.pending ? { releaseAt: addDays(now, cfg.pendingDays) } : {}),
    };
    const entries: LedgerEntry[] = [{ key, account: rule.pending ? pending(o.customerId) : avail(o.customerId), delta: points, kind: 'earn', at: now, data }];
    const floors: Record<string, number> = {};
    if (rule.capPerDay !== null && dayAccount !== null) {
      entries.push({ key: `${key}:cap-day`, account: dayAccount, delta: -points, kind: 'cap', at: now, data: { by: extra.by ?? null } });
      floors[dayAccount] = -rule.capPerDay;
    }
    if (rule.capPerCustomer !== null && totalAccount !== null) {
      entries.push({ key: `${key}:cap-total`, account: totalAccount, delta: -points, kind: 'cap', at: now, data: { by: extra.by ?? null } });
      floors[totalAccount] = -rule.capPerCustomer;
    }
    const r = await ledger.append(entries, floors);
    if (r.status === 'ok') return { status: 'earned', points, pending: rule.pending, key, held };
    if (r.status === 'duplicate') return { status: 'duplicate', key };
  }
  return { status: 'nothing', why: 'capped', held: 0 };
}
