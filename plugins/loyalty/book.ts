import type { Ledger, LedgerEntry } from '../../core/plugin-api.js';
import type { LoyaltyConfig } from './config.js';
import { expiringWithin, lotsOf, type Lot } from './lots.js';
import { TIER_EARNINGS, earnedInWindow, standing, tierWindow, type TierStanding } from './tiers.js';

/** Account names inside the plugin's one ledger: points per customer, stock per reward, cap usage per rule. */
export const LEDGER = 'points';
export const avail = (customerId: number) => `avail:${customerId}`;
export const pending = (customerId: number) => `pending:${customerId}`;
export const stock = (rewardId: string) => `stock:${rewardId}`;
/** Cap accounts go negative by the points a rule gave; a floor of -cap makes the cap atomic. */
export const capPrefix = (customerId: number) => `cap:${customerId}:`;
export const capDay = (customerId: number, rule: string, day: string) => `${capPrefix(customerId)}${rule}:day:${day}`;
export const capTotal = (customerId: number, rule: string) => `${capPrefix(customerId)}${rule}:all`;

export interface Accounts {
  avail: LedgerEntry[];
  pending: LedgerEntry[];
}

export async function accountsOf(ledger: Ledger, customerId: number): Promise<Accounts> {
  const [a, p] = await Promise.all([ledger.entries(avail(customerId)), ledger.entries(pending(customerId))]);
  return { avail: a, pending: p };
}

export interface Summary {
  avail: number;
  pending: number;
  nextRelease: Lot | null;
  expiring: Lot[];
  standing: TierStanding;
}

const sum = (entries: readonly LedgerEntry[]) => entries.reduce((s, e) => s + e.delta, 0);

export function summarise(acc: Accounts, cfg: LoyaltyConfig, now: string): Summary {
  const pendingLots = lotsOf(acc.pending).filter((l) => l.remaining > 0 && l.releaseAt !== null);
  return {
    avail: sum(acc.avail),
    pending: sum(acc.pending),
    nextRelease: pendingLots.sort((a, b) => a.releaseAt!.localeCompare(b.releaseAt!))[0] ?? null,
    expiring: expiringWithin(lotsOf(acc.avail), now, cfg.expiryWarningDays),
    standing: tierOf(acc, cfg, now),
  };
}

export const tierOf = (acc: Accounts, cfg: LoyaltyConfig, now: string) =>
  standing(cfg.tiers, earnedInWindow([...acc.avail, ...acc.pending], now, cfg.tierWindowDays));

/** The tier as of `now`, its points summed by the store (no entry loaded): what an earn needs. */
export async function tierNow(ledger: Ledger, customerId: number, cfg: LoyaltyConfig, now: string): Promise<TierStanding> {
  return standing(cfg.tiers, await ledger.total([avail(customerId), pending(customerId)], tierWindow(now, cfg.tierWindowDays), TIER_EARNINGS));
}

/** Building a DateTimeFormat costs far more than formatting with one (it was most of an earn), so one per zone is kept. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD` of an instant in a time zone (the day a per-day cap counts in). */
export function localDay(iso: string, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) dayFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(new Date(iso));
}
