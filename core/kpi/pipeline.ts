import { convertMinor, totalIn, type Money, type Rates } from './fx.js';

/** Sales performance per CRM-METHOD: pipeline by stage with probability-weighted totals, win rate, size, cycle. */
export interface StageRow {
  stage: string;
  count: number;
  totalMinor: number;
}

export interface PipelineSummary {
  stages: (StageRow & { probability: number; weightedMinor: number })[];
  openCount: number;
  openTotalMinor: number;
  weightedTotalMinor: number;
}

export function pipelineSummary(rows: StageRow[], stages: { id: string; probability: number }[]): PipelineSummary {
  const byStage = new Map(rows.map((r) => [r.stage, r]));
  const out = stages
    .filter((s) => s.id !== 'won' && s.id !== 'lost')
    .map((s) => {
      const r = byStage.get(s.id) ?? { stage: s.id, count: 0, totalMinor: 0 };
      return { ...r, probability: s.probability, weightedMinor: Math.round(r.totalMinor * s.probability) };
    });
  return {
    stages: out,
    openCount: out.reduce((a, s) => a + s.count, 0),
    openTotalMinor: out.reduce((a, s) => a + s.totalMinor, 0),
    weightedTotalMinor: out.reduce((a, s) => a + s.weightedMinor, 0),
  };
}

export interface ClosedStats {
  won: number;
  lost: number;
  wonTotalMinor: number;
  wonCycleDays: number;
}

export function winRate(c: ClosedStats): number | null {
  return c.won + c.lost ? c.won / (c.won + c.lost) : null;
}

export function averageDealSize(c: ClosedStats): number | null {
  return c.won ? Math.round(c.wonTotalMinor / c.won) : null;
}

export function averageSalesCycleDays(c: ClosedStats): number | null {
  return c.won ? Math.round((c.wonCycleDays / c.won) * 10) / 10 : null;
}

/** Closed-deal stats of several currencies as one: counts and cycle days add up, won revenue in the reporting currency. */
export function closedInReporting(perCurrency: { currency: string; stats: ClosedStats }[], to: string, rates: Rates): ClosedStats & { unconverted: Money[] } {
  const won = totalIn(perCurrency.map((p) => ({ currency: p.currency, minor: p.stats.wonTotalMinor })), to, rates);
  const sum = (f: (c: ClosedStats) => number) => perCurrency.reduce((a, p) => a + f(p.stats), 0);
  return { won: sum((c) => c.won), lost: sum((c) => c.lost), wonTotalMinor: won.minor, wonCycleDays: sum((c) => c.wonCycleDays), unconverted: won.unconverted };
}

/**
 * Average deal size over won deals whose amount converted: deals counted apart do not dilute it. `won`
 * is every won deal, `wonApart` those of a currency without a rate.
 */
export function averageConvertedDeal(wonTotalMinor: number, won: number, wonApart: number): number | null {
  return won - wonApart > 0 ? Math.round(wonTotalMinor / (won - wonApart)) : null;
}

/** Open-pipeline rows of several currencies as one per stage, converted; rows without a rate kept apart per stage. */
export function stageTotalsInReporting(perCurrency: { currency: string; rows: StageRow[] }[], to: string, rates: Rates): { rows: StageRow[]; unconverted: (Money & { stage: string; count: number })[] } {
  const byStage = new Map<string, StageRow>();
  const unconverted: (Money & { stage: string; count: number })[] = [];
  for (const p of perCurrency) {
    for (const r of p.rows) {
      const c = convertMinor(r.totalMinor, p.currency, to, rates);
      if (c === null) {
        unconverted.push({ stage: r.stage, currency: p.currency, minor: r.totalMinor, count: r.count });
        continue;
      }
      const row = byStage.get(r.stage) ?? { stage: r.stage, count: 0, totalMinor: 0 };
      row.count += r.count;
      row.totalMinor += c;
      byStage.set(r.stage, row);
    }
  }
  return { rows: [...byStage.values()].sort((a, b) => a.stage.localeCompare(b.stage)), unconverted };
}
