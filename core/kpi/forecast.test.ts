import { describe, expect, it } from 'vitest';
import type { Deal } from '../domain/types.js';
import { forecastByMonth, stageCycleDays } from './forecast.js';
import { convertMinor, totalIn, unconvertedNote } from './fx.js';

const DAY = 86_400_000;
const deal = (id: number, x: Partial<Deal>): Deal => ({
  tenant: 't', id, customerId: id, title: `d${id}`, amountMinor: 100_00, currency: 'USD', stage: 'lead', probability: 0.1, owner: 'web:a',
  expectedClose: null, closedAt: null, lostReason: null, history: [], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ...x,
});
const won = (id: number, created: string, days: number, through: string[]) => deal(id, {
  stage: 'won', probability: 1, createdAt: created, closedAt: new Date(Date.parse(created) + days * DAY).toISOString(),
  history: [...through, 'won'].map((stage) => ({ stage, at: created, by: 'web:a' })),
});

describe('fx', () => {
  const rates = { USD: 1, EUR: 1.08, CNY: 0.14 };
  it.each([
    [100_00, 'EUR', 'USD', 108_00], [100_00, 'USD', 'EUR', 92_59], [1_000_00, 'CNY', 'USD', 140_00], [5_00, 'USD', 'USD', 5_00],
    [100_00, 'GBP', 'USD', null], [100_00, 'USD', 'GBP', null], [100_00, 'GBP', 'GBP', 100_00],
  ])('%i %s in %s = %s', (minor, from, to, expected) => {
    expect(convertMinor(minor, from, to, rates)).toBe(expected);
  });
  it('sums three currencies, keeping those without a rate apart per currency', () => {
    const t = totalIn([{ currency: 'EUR', minor: 12_000_00 }, { currency: 'CNY', minor: 50_000_00 }, { currency: 'GBP', minor: 1_00 }, { currency: 'GBP', minor: 2_00 }, { currency: 'USD', minor: 7 }], 'USD', rates);
    expect(t).toEqual({ minor: 12_960_00 + 7_000_00 + 7, unconverted: [{ currency: 'GBP', minor: 3_00 }] });
    expect(unconvertedNote(t.unconverted, 'USD', rates, (m, c) => `${c} ${m / 100}`)).toBe('also GBP 3 not converted: no GBP rate');
    // A reporting currency without a rate of its own names that rate.
    expect(unconvertedNote(totalIn([{ currency: 'EUR', minor: 1_00 }], 'JPY', rates).unconverted, 'JPY', rates, (m, c) => `${c} ${m}`)).toBe('also EUR 100 not converted: no JPY rate');
  });
});

describe('forecast of undated deals', () => {
  const stages = ['lead', 'qualified', 'proposal'];
  it('measures each stage cycle on won deals that passed through it, then all won deals, then the default', () => {
    const history = [won(1, '2026-01-01T00:00:00.000Z', 10, ['lead']), won(2, '2026-01-01T00:00:00.000Z', 30, ['lead', 'qualified'])];
    expect(stageCycleDays(history, stages, 45)).toEqual({ lead: 20, qualified: 30, proposal: 20 });
    expect(stageCycleDays([], stages, 45)).toEqual({ lead: 45, qualified: 45, proposal: 45 });
  });

  it('forecasts undated deals at creation + cycle, counts them as estimated, and past estimates in the current month', () => {
    const cycles = { lead: 20, qualified: 30, proposal: 60 };
    const now = '2026-03-10T00:00:00.000Z';
    const open = [
      deal(1, { createdAt: '2026-03-05T00:00:00.000Z', stage: 'lead', probability: 0.1, amountMinor: 1_000_00 }), // + 20 days -> 2026-03-25
      deal(2, { createdAt: '2026-03-05T00:00:00.000Z', stage: 'proposal', probability: 0.5, amountMinor: 2_000_00 }), // + 60 -> 2026-05-04
      deal(3, { createdAt: '2025-12-01T00:00:00.000Z', stage: 'qualified', probability: 0.25, amountMinor: 400_00 }), // overdue -> now
      deal(4, { expectedClose: '2026-04-02', stage: 'proposal', probability: 0.5, amountMinor: 300_00, currency: 'EUR' }),
      deal(5, { createdAt: '2026-03-05T00:00:00.000Z', stage: 'lead', probability: 0.1, amountMinor: 900_00, currency: 'GBP' }),
    ];
    const f = forecastByMonth(open, ['2026-03', '2026-04', '2026-05'], cycles, 30, now, 'USD', { USD: 1, EUR: 1.08 });
    expect(f.estimated).toBe(4);
    expect(f.months).toEqual([
      { month: '2026-03', weightedMinor: 1_000_00 * 0.1 + 400_00 * 0.25, estimatedCount: 3, unconverted: [{ currency: 'GBP', minor: 90_00 }] },
      { month: '2026-04', weightedMinor: Math.round(324_00 * 0.5), estimatedCount: 0, unconverted: [] },
      { month: '2026-05', weightedMinor: 2_000_00 * 0.5, estimatedCount: 1, unconverted: [] },
    ]);
  });
});
