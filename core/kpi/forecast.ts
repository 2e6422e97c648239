import type { Deal } from '../domain/types.js';
import { convertMinor, type Money, type Rates } from './fx.js';

const DAY = 86_400_000;

/**
 * Each open stage's measured cycle: the mean days from creation to won over won deals that passed through
 * the stage (their history holds it); a stage no won deal passed through takes the mean over all won deals,
 * and before any deal was won the configured default (CRM-METHOD: forecast from expected close dates,
 * estimated where a deal has none).
 */
export function stageCycleDays(won: Deal[], stageIds: string[], defaultDays: number): Record<string, number> {
  const days = (d: Deal) => (Date.parse(d.closedAt!) - Date.parse(d.createdAt)) / DAY;
  const closed = won.filter((d) => d.stage === 'won' && d.closedAt);
  const overall = closed.length ? closed.reduce((a, d) => a + days(d), 0) / closed.length : defaultDays;
  const out: Record<string, number> = {};
  for (const s of stageIds) {
    const through = closed.filter((d) => d.history.some((h) => h.stage === s));
    out[s] = through.length ? through.reduce((a, d) => a + days(d), 0) / through.length : overall;
  }
  return out;
}

/**
 * The close date an open deal is forecast at: its expected close, or creation plus its stage's cycle
 * (estimated). An estimate already past counts in the month of `now`: the deal is still expected.
 */
export function forecastCloseDate(d: Deal, cycles: Record<string, number>, defaultDays: number, now: string): { date: string; estimated: boolean } {
  if (d.expectedClose) return { date: d.expectedClose, estimated: false };
  const at = Date.parse(d.createdAt) + Math.round((cycles[d.stage] ?? defaultDays) * DAY);
  return { date: new Date(Math.max(at, Date.parse(now))).toISOString().slice(0, 10), estimated: true };
}

export interface Forecast {
  months: { month: string; weightedMinor: number; estimatedCount: number; unconverted: Money[] }[];
  /** Open deals whose close date was estimated (in any month). */
  estimated: number;
}

/** Open deals x stage probability per month, in the reporting currency; amounts without a rate kept apart. */
export function forecastByMonth(open: Deal[], months: string[], cycles: Record<string, number>, defaultDays: number, now: string, to: string, rates: Rates): Forecast {
  const rows = months.map((month) => ({ month, weighted: 0, estimatedCount: 0, apart: new Map<string, number>() }));
  let estimated = 0;
  for (const d of open) {
    if (d.closedAt) continue;
    const f = forecastCloseDate(d, cycles, defaultDays, now);
    if (f.estimated) estimated++;
    const row = rows.find((r) => r.month === f.date.slice(0, 7));
    if (!row) continue;
    if (f.estimated) row.estimatedCount++;
    const c = convertMinor(d.amountMinor, d.currency, to, rates);
    if (c === null) row.apart.set(d.currency, (row.apart.get(d.currency) ?? 0) + d.amountMinor * d.probability);
    else row.weighted += c * d.probability;
  }
  return {
    months: rows.map((r) => ({
      month: r.month, weightedMinor: Math.round(r.weighted), estimatedCount: r.estimatedCount,
      unconverted: [...r.apart].sort(([a], [b]) => a.localeCompare(b)).map(([currency, m]) => ({ currency, minor: Math.round(m) })),
    })),
    estimated,
  };
}
