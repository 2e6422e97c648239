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
