import { describe, expect, it } from 'vitest';
import { seeded } from '../demo/random.js';
import { quintileScores, rfmScores, rfmSegment } from './rfm.js';

describe('quintileScores', () => {
  it.each([
    { values: [], scores: [] },
    { values: [7], scores: [1] },
    { values: [3, 3, 3, 3], scores: [1, 1, 1, 1] },
    { values: [1, 2, 3, 4, 5], scores: [1, 2, 3, 4, 5] },
    { values: [10, 1, 1, 2], scores: [3, 1, 1, 2] },
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], scores: [1, 1, 2, 2, 3, 3, 4, 4, 5, 5] },
  ])('$values -> $scores', ({ values, scores }) => {
    expect(quintileScores(values)).toEqual(scores);
  });
});

/** The rule of CRM-METHOD written out directly: each tie group's middle rank k scores ceil(5k/n), ranks when under five distinct values. */
function referenceQuintiles(values: number[]): number[] {
  const n = values.length;
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  return values.map((v) => {
    const lo = values.filter((x) => x < v).length;
    const hi = values.filter((x) => x <= v).length;
    return distinct.length < 5 ? distinct.indexOf(v) + 1 : Math.ceil((5 * Math.floor((lo + hi + 1) / 2)) / n);
  });
}

describe('quintileScores against the rule computed directly', () => {
  const r = seeded(5);
  // Few and many distinct values, big tie groups at either end (scores that skip), negatives and fractions.
  const cases = [
    ...[1, 2, 3, 4, 5, 6, 10, 1000].map((spread) => Array.from({ length: 1 + r.int(0, 300) }, () => r.int(0, spread))),
    [...Array(70).fill(1), 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    [...Array.from({ length: 20 }, (_, i) => i), ...Array(80).fill(99)],
    Array.from({ length: 200 }, () => r.int(-50, 50) / 4),
  ];
  it.each(cases.map((values) => ({ n: values.length, values })))('$n values', ({ values }) => {
    expect(quintileScores(values)).toEqual(referenceQuintiles(values));
  });
});

describe('rfmScores', () => {
  const USD = { currency: 'USD', fx: { USD: 1, EUR: 1.08, CNY: 0.14 } };
  it('returns nothing for no customers', () => {
    expect(rfmScores([], '2026-01-01T00:00:00Z', USD)).toEqual([]);
  });

  it('scores one customer 1 (a single distinct value) and ignores purchases after the as-of date', () => {
    expect(rfmScores([
      { customerId: 9, at: '2026-01-01T00:00:00Z', amountMinor: 100, currency: 'USD' },
      { customerId: 9, at: '2026-03-01T00:00:00Z', amountMinor: 900, currency: 'USD' },
    ], '2026-01-11T12:00:00Z', USD)).toEqual([{ customerId: 9, recencyDays: 10, frequency: 1, monetaryMinor: 100, unconverted: [], r: 1, f: 1, m: 1 }]);
  });

  // Monetary in the reporting currency: each currency's total converted (rates[X] / rates[USD]) and rounded once.
  const at = '2026-01-01T00:00:00Z';
  it.each([
    { name: 'no currency is the reporting one', buys: [[100, null]], reporting: USD, monetary: 100, apart: [] },
    { name: 'EUR converted at 1.08', buys: [[1_000_00, 'EUR'], [50_00, 'USD']], reporting: USD, monetary: 108_000 + 5_000, apart: [] },
    { name: 'a currency total is rounded once, not each purchase', buys: [[1, 'CNY'], [1, 'CNY'], [1, 'CNY'], [1, 'CNY']], reporting: USD, monetary: 1, apart: [] },
    { name: 'a currency without a rate is kept apart', buys: [[300_00, 'GBP'], [10_00, 'USD'], [5_00, 'GBP']], reporting: USD, monetary: 10_00, apart: [{ currency: 'GBP', minor: 305_00 }] },
    { name: 'in EUR, USD converts by 1 / 1.08', buys: [[108_00, 'USD'], [1_00, 'EUR']], reporting: { ...USD, currency: 'EUR' }, monetary: 100_00 + 1_00, apart: [] },
    { name: 'no rates at all: only the reporting currency counts', buys: [[7_00, 'EUR'], [2_00, 'USD'], [1_00, 'CNY']], reporting: { currency: 'USD', fx: {} }, monetary: 2_00, apart: [{ currency: 'CNY', minor: 1_00 }, { currency: 'EUR', minor: 7_00 }] },
  ] as const)('$name', ({ buys, reporting, monetary, apart }) => {
    const [row] = rfmScores(buys.map(([amountMinor, currency]) => ({ customerId: 1, at, amountMinor, currency })), '2026-02-01T00:00:00Z', reporting);
    expect(row).toMatchObject({ frequency: buys.length, monetaryMinor: monetary, unconverted: apart });
  });

  it('scores monetary on the converted amounts: 100 EUR outranks 100 USD, unconverted spend scores as nothing', () => {
    const rows = rfmScores([
      { customerId: 1, at, amountMinor: 100_00, currency: 'USD' },
      { customerId: 2, at, amountMinor: 100_00, currency: 'EUR' },
      { customerId: 3, at, amountMinor: 1_000_000_00, currency: 'GBP' },
    ], '2026-02-01T00:00:00Z', USD);
    expect(rows.map((r) => [r.monetaryMinor, r.m])).toEqual([[100_00, 2], [108_00, 3], [0, 1]]);
  });
});

describe('rfmSegment', () => {
  it.each([
    [5, 5, 5, 'Champions'], [5, 4, 4, 'Champions'], [4, 5, 4, 'Loyal'], [3, 4, 5, 'Loyal'],
    [5, 2, 3, 'Potential loyalist'], [5, 1, 1, 'New'], [4, 1, 1, 'Promising'], [3, 3, 3, 'Need attention'],
    [3, 1, 2, 'About to sleep'], [2, 5, 5, 'Cannot lose them'], [1, 3, 4, 'At risk'], [2, 1, 2, 'Hibernating'],
    [1, 1, 1, 'Lost'],
  ])('R%i F%i M%i -> %s', (r, f, m, segment) => {
    expect(rfmSegment(r, f, m)).toBe(segment);
  });

  it('names every score triple as the grid read row by row does, and scores outside 1-5 as before', () => {
    const grid = (r: number, f: number, m: number) => {
      const fm = Math.round((f + m) / 2);
      const rows: [string, number, number, number, number][] = [
        ['Champions', 5, 5, 4, 5], ['Loyal', 3, 4, 4, 5], ['Potential loyalist', 4, 5, 2, 3], ['New', 5, 5, 1, 1], ['Promising', 4, 4, 1, 1],
        ['Need attention', 3, 3, 3, 3], ['About to sleep', 3, 3, 1, 2], ['Cannot lose them', 1, 2, 5, 5], ['At risk', 1, 2, 3, 4],
        ['Hibernating', 2, 2, 1, 2], ['Lost', 1, 1, 1, 2],
      ];
      return rows.find(([, r0, r1, f0, f1]) => r >= r0 && r <= r1 && fm >= f0 && fm <= f1)?.[0];
    };
    for (let r = 0; r <= 6; r++) for (let f = 0; f <= 6; f++) for (let m = 0; m <= 6; m++) {
      const expected = grid(r, f, m);
      if (expected) expect(rfmSegment(r, f, m), `${r}${f}${m}`).toBe(expected);
      else expect(() => rfmSegment(r, f, m)).toThrow(/out of range/);
    }
  });

  it('names a segment for every possible score', () => {
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) expect(() => rfmSegment(r, f, m)).not.toThrow();
  });
});
