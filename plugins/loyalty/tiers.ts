import type { LedgerEntry, LedgerMatch } from '../../core/plugin-api.js';
import type { Tier } from './config.js';
import { addDays } from './lots.js';

/** What a tier counts: points earned by rules, reversed earnings subtracted; adjustments and refunds do not count. */
export const TIER_EARNINGS: readonly LedgerMatch[] = [{ kind: 'earn' }, { kind: 'reversal', data: { reversed: 'earn' } }];

/** The rolling window a tier counts in: after `from`, up to and including `now`. */
export const tierWindow = (now: string, windowDays: number) => ({ from: addDays(now, -windowDays), to: now });

const counts = (e: LedgerEntry) => TIER_EARNINGS.some((m) => e.kind === m.kind && Object.entries(m.data ?? {}).every(([k, v]) => e.data[k] === v));

/** Tier points in the window from loaded entries; the store's `ledger.total` computes the same over TIER_EARNINGS. */
export function earnedInWindow(entries: readonly LedgerEntry[], now: string, windowDays: number): number {
  const { from, to } = tierWindow(now, windowDays);
  return entries.filter((e) => e.at > from && e.at <= to && counts(e)).reduce((s, e) => s + e.delta, 0);
}

export interface TierStanding {
  tier: Tier;
  earned: number;
  next: { tier: Tier; needed: number } | null;
}

/** Tiers must be sorted by threshold with the first at 0 (checked when the config loads). */
export function standing(tiers: readonly Tier[], earned: number): TierStanding {
  const at = tiers.reduce((found, t, i) => (earned >= t.threshold ? i : found), 0);
  const tier = tiers[at]!;
  const next = tiers[at + 1];
  return { tier, earned, next: next ? { tier: next, needed: next.threshold - earned } : null };
}

export function explainTier(s: TierStanding, windowDays: number): string {
  const why = `${s.earned} points earned in the last ${windowDays} days; ${s.tier.name} starts at ${s.tier.threshold}`;
  const boost = s.tier.multiplier === 1 ? '' : ` (purchases earn x${s.tier.multiplier})`;
  const next = s.next ? ` ${s.next.tier.name} needs ${s.next.needed} more (${s.next.tier.threshold} in ${windowDays} days, x${s.next.tier.multiplier}).` : ' This is the top tier.';
  return `Tier ${s.tier.name}${boost}: ${why}.${next}`;
}
