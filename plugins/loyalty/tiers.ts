import type { LedgerEntry } from '../../core/plugin-api.js';
import type { Tier } from './config.js';
import { addDays } from './lots.js';

/** Points earned by rules in the window (reversed earnings subtracted); adjustments and refunds do not count. */
export function earnedInWindow(entries: readonly LedgerEntry[], now: string, windowDays: number): number {
  const from = addDays(now, -windowDays);
  return entries
    .filter((e) => e.at > from && e.at <= now && (e.kind === 'earn' || (e.kind === 'reversal' && e.data.reversed === 'earn')))
    .reduce((s, e) => s + e.delta, 0);
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
