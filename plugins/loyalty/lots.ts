import type { LedgerEntry } from '../../core/plugin-api.js';

/**
 * Points lots, derived from an account's entries alone. Every credit opens a lot; every debit uses the
 * lot it names (`data.lot`: expiry, release, reversal of that earn) or else the oldest-expiring lots
 * first (FIFO by expiry, then by age). Nothing about lots is stored: they are recomputed on demand.
 */
export interface Lot {
  key: string;
  amount: number;
  remaining: number;
  at: string;
  /** When the points expire; null: never. */
  expiresAt: string | null;
  /** When pending points become spendable; null outside the pending account. */
  releaseAt: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const NEVER = '9999-12-31T23:59:59.999Z';
const fifo = (a: Lot, b: Lot) => (a.expiresAt ?? NEVER).localeCompare(b.expiresAt ?? NEVER) || a.at.localeCompare(b.at);

export function lotsOf(entries: readonly LedgerEntry[]): Lot[] {
  const lots: Lot[] = [];
  for (const e of entries) {
    if (e.delta > 0) {
      const named = str(e.data.lot);
      const key = named && !lots.some((l) => l.key === named) ? named : e.key;
      lots.push({ key, amount: e.delta, remaining: e.delta, at: str(e.data.earnedAt) ?? e.at, expiresAt: str(e.data.expiresAt), releaseAt: str(e.data.releaseAt) });
      continue;
    }
    let owed = -e.delta;
    const named = lots.find((l) => l.key === str(e.data.lot) && l.remaining > 0);
    const order = [...(named ? [named] : []), ...lots.filter((l) => l !== named && l.remaining > 0).sort(fifo)];
    for (const l of order) {
      if (owed === 0) break;
      const take = Math.min(l.remaining, owed);
      l.remaining -= take;
      owed -= take;
    }
  }
  return lots;
}

export const open = (lots: readonly Lot[]) => lots.filter((l) => l.remaining > 0);

/** Pending lots whose release time has come. */
export const dueForRelease = (lots: readonly Lot[], now: string) => open(lots).filter((l) => l.releaseAt !== null && l.releaseAt <= now);

export const dueForExpiry = (lots: readonly Lot[], now: string) => open(lots).filter((l) => l.expiresAt !== null && l.expiresAt <= now);

/** Lots that expire after now and within the next `days` days. */
export function expiringWithin(lots: readonly Lot[], now: string, days: number): Lot[] {
  const until = addDays(now, days);
  return open(lots).filter((l) => l.expiresAt !== null && l.expiresAt > now && l.expiresAt <= until).sort(fifo);
}

export const remainingOf = (lots: readonly Lot[]) => lots.reduce((s, l) => s + l.remaining, 0);

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

/** Calendar months in UTC, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(iso: string, months: number): string {
  const d = new Date(iso);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.toISOString();
}
