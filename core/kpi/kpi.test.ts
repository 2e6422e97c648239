import { describe, expect, it } from 'vitest';
import { annualRevenue, cac, clvToCac, historicalClv, predictiveClv } from './clv.js';
import { churnRisk } from './churn.js';
import { lifecycleStage } from './lifecycle.js';
import { averageDealSize, averageSalesCycleDays, pipelineSummary, winRate } from './pipeline.js';
import { churnRate, retentionRate } from './retention.js';
import { ces, csat, nps } from './satisfaction.js';

const T = { newWindowDays: 30, atRiskDays: 60, churnWindowDays: 90 };
const AS_OF = '2026-06-30T00:00:00.000Z';
const daysAgo = (n: number) => new Date(Date.parse(AS_OF) - n * 86_400_000).toISOString();

describe('lifecycleStage', () => {
  it.each([
    ['no purchase', { firstPurchaseAt: null, lastPurchaseAt: null, lastInteractionAt: daysAgo(1) }, 'lead'],
    ['first purchase 10 days ago', { firstPurchaseAt: daysAgo(10), lastPurchaseAt: daysAgo(10), lastInteractionAt: null }, 'new'],
    ['buying for a year', { firstPurchaseAt: daysAgo(365), lastPurchaseAt: daysAgo(5), lastInteractionAt: null }, 'active'],
    ['quiet 70 days', { firstPurchaseAt: daysAgo(365), lastPurchaseAt: daysAgo(70), lastInteractionAt: null }, 'at_risk'],
    ['quiet 90 days', { firstPurchaseAt: daysAgo(365), lastPurchaseAt: daysAgo(90), lastInteractionAt: null }, 'churned'],
    ['old purchase, recent chat', { firstPurchaseAt: daysAgo(365), lastPurchaseAt: daysAgo(200), lastInteractionAt: daysAgo(3) }, 'active'],
  ])('%s -> %s', (_, facts, stage) => {
    expect(lifecycleStage(facts, AS_OF, T)).toBe(stage);
  });
});

describe('CLV and CAC', () => {
  it.each([
    [100_000_00, 50, 2_000_00],
    [5_000_00, 0, null],
    [0, 10, 0],
  ])('CAC of spend %i over %i new customers = %s', (spend, n, expected) => {
    expect(cac(spend, n)).toBe(expected);
  });

  it('computes historical and predictive CLV by the seed formula', () => {
    expect(historicalClv(10_000_00, 0.3)).toBe(3_000_00);
    expect(annualRevenue(6_000_00, 182.5)).toBe(12_000_00);
    expect(annualRevenue(1_000_00, 1)).toBe(12_166_67);
    // 12,000 a year x 30% margin x 3 years - 2,000 CAC = 8,800
    expect(predictiveClv(12_000_00, 0.3, 3, 2_000_00)).toBe(8_800_00);
    expect(predictiveClv(12_000_00, 0.3, 3, null)).toBe(10_800_00);
    expect(clvToCac(8_800_00, 2_000_00)).toBe(4.4);
    expect(clvToCac(8_800_00, 0)).toBeNull();
  });
});

describe('churnRisk', () => {
  const base = { asOf: AS_OF, churnWindowDays: 90, lastNps: null, openComplaints: 0, negativeMentions: 0 };
  it('is zero with a reason for a customer on rhythm', () => {
    expect(churnRisk({ ...base, purchaseDates: [daysAgo(60), daysAgo(30), daysAgo(1)] })).toEqual({ score: 0, reasons: ['no warning signs'] });
  });
  it('adds up late rhythm, falling frequency, detractor, complaints and mentions, with reasons', () => {
    const r = churnRisk({ ...base, purchaseDates: [daysAgo(170), daysAgo(150), daysAgo(130), daysAgo(100)], lastNps: 3, openComplaints: 1, negativeMentions: 1 });
    expect(r.reasons).toEqual([
      'no purchase for 100 days, usually every 23',
      'purchases fell from 4 to 0 per 90 days',
      'detractor: last NPS answer 3',
      '1 open complaint',
      '1 negative mention',
    ]);
    expect(r.score).toBe(40 + 20 + 20 + 10 + 5);
  });
  it('caps at 100 and handles no purchases', () => {
    expect(churnRisk({ ...base, purchaseDates: [daysAgo(400), daysAgo(399)], lastNps: 0, openComplaints: 5, negativeMentions: 9 }).score).toBe(90);
    expect(churnRisk({ ...base, purchaseDates: [] }).score).toBe(0);
  });
});

describe('satisfaction', () => {
  it.each([
    [[], null, 0],
    [[10, 9, 8, 7, 6, 0], 0, 6],
    [[10, 10, 10], 100, 3],
    [[0, 1, 2, 3], -100, 4],
    [[9, 9, 7, 3, 10, 5, 8, 10, 6, 9], 20, 10],
  ])('NPS of %j = %s', (scores, value, n) => {
    const r = nps(scores);
    expect(r.nps).toBe(value);
    expect(r.responses).toBe(n);
  });
  it('gives a 95% margin of error that shrinks with more answers (adjusted Wald, 3 pseudo-answers)', () => {
    const small = nps([10, 0, 10, 0]).marginOfError!;
    const large = nps(Array.from({ length: 400 }, (_, i) => (i % 2 ? 10 : 0))).marginOfError!;
    // 1.96 * sqrt((2 * 2.75/7) / 7) * 100 and 1.96 * sqrt((2 * 200.75/403) / 403) * 100
    expect(small).toBe(65.7);
    expect(large).toBe(9.7);
  });
  it('CSAT is the share of 4-5, CES the mean', () => {
    expect(csat([5, 4, 3, 1])).toBe(50);
    expect(csat([])).toBeNull();
    expect(ces([1, 2, 7])).toBe(3.33);
  });
});

describe('retention', () => {
  it.each([
    [100, 110, 20, 0.9, 0.1],
    [0, 10, 10, null, null],
    [10, 10, 0, 1, 0],
  ])('start %i, end %i, new %i -> retention %s', (start, end, fresh, r, c) => {
    expect(retentionRate(start, end, fresh)).toBe(r);
    const churn = churnRate(start, end, fresh);
    if (c === null) expect(churn).toBeNull();
    else expect(churn).toBeCloseTo(c, 10);
  });
});

describe('pipeline', () => {
  const stages = [{ id: 'lead', probability: 0.1 }, { id: 'proposal', probability: 0.5 }, { id: 'won', probability: 1 }, { id: 'lost', probability: 0 }];
  it('weights each open stage by its probability and lists empty stages', () => {
    const s = pipelineSummary([{ stage: 'proposal', count: 2, totalMinor: 14_000_00 }], stages);
    expect(s.stages).toEqual([
      { stage: 'lead', count: 0, totalMinor: 0, probability: 0.1, weightedMinor: 0 },
      { stage: 'proposal', count: 2, totalMinor: 14_000_00, probability: 0.5, weightedMinor: 7_000_00 },
    ]);
    expect([s.openCount, s.openTotalMinor, s.weightedTotalMinor]).toEqual([2, 14_000_00, 7_000_00]);
  });
  it('win rate, average deal and cycle; none when nothing closed', () => {
    const c = { won: 3, lost: 1, wonTotalMinor: 9_000_00, wonCycleDays: 45 };
    expect([winRate(c), averageDealSize(c), averageSalesCycleDays(c)]).toEqual([0.75, 3_000_00, 15]);
    const none = { won: 0, lost: 0, wonTotalMinor: 0, wonCycleDays: 0 };
    expect([winRate(none), averageDealSize(none), averageSalesCycleDays(none)]).toEqual([null, null, null]);
  });
});
