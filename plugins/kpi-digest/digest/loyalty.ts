import type { PluginContext } from '../../../core/plugin-api.js';
import type { Pair } from './compute.js';

/** The loyalty plugin's published figures, this period against the one before. */
export interface LoyaltyFigures {
  issued: Pair;
  redeemed: Pair;
  activeMembers: Pair;
}

/**
 * Reads the `loyalty` KPI source for [prevFrom, from) and [from, to); null when no plugin provides it.
 * The source knows no owners, so a rep's digest shows the company's figures too.
 */
export async function readLoyalty(kpis: PluginContext['kpis'], tenant: string, prevFrom: string, from: string, to: string): Promise<LoyaltyFigures | null> {
  const [now, prev] = await Promise.all([kpis.read('loyalty', tenant, from, to), kpis.read('loyalty', tenant, prevFrom, from)]);
  if (!now || !prev) return null;
  const pair = (k: string): Pair => ({ value: now[k] ?? null, previous: prev[k] ?? null });
  return { issued: pair('issued'), redeemed: pair('redeemed'), activeMembers: pair('activeMembers') };
}
