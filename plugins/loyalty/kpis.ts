import type { LedgerEntry } from '../../core/plugin-api.js';

/**
 * What the loyalty plugin publishes to other plugins (the KPI digest) for a tenant and a period; a type,
 * not an interface, so it is a `Record<string, number>` as the core's KPI source wants.
 */
export type LoyaltyKpis = {
  /** Points earned by rules, net of reversed earnings; releases from pending are moves, not new points. */
  issued: number;
  /** Points spent on rewards, net of reversed redemptions (can be negative when a reversal outweighs). */
  redeemed: number;
  expired: number;
  /** Distinct customers with an earning or a redemption in the period. */
  activeMembers: number;
};

/** The customer of a points account (`avail:7`, `pending:7`); null for stock, cap and other accounts. */
function customerOf(account: string): number | null {
  const m = /^(?:avail|pending):(\d+)$/.exec(account);
  return m ? Number(m[1]) : null;
}

/**
 * The figures over entries whose `at` is in [from, to). Manual adjustments (`/points give|take`) are
 * neither issued nor redeemed, as they do not count towards tiers either.
 */
export function loyaltyKpis(entries: readonly LedgerEntry[], from: string, to: string): LoyaltyKpis {
  const k: LoyaltyKpis = { issued: 0, redeemed: 0, expired: 0, activeMembers: 0 };
  const members = new Set<number>();
  for (const e of entries) {
    const customer = customerOf(e.account);
    if (customer === null || e.at < from || e.at >= to) continue;
    const reversed = e.kind === 'reversal' ? e.data.reversed : null;
    if (e.kind === 'earn' || reversed === 'earn') k.issued += e.delta;
    if (e.kind === 'redeem' || reversed === 'redeem') k.redeemed -= e.delta;
    if (e.kind === 'expire') k.expired -= e.delta;
    if (e.kind === 'earn' || e.kind === 'redeem') members.add(customer);
  }
  k.activeMembers = members.size;
  return k;
}
