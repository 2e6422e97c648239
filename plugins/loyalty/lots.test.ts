import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../core/plugin-api.js';
import { addMonths, dueForExpiry, dueForRelease, expiringWithin, lotsOf, remainingOf } from './lots.js';

let seq = 0;
const e = (delta: number, at: string, data: Record<string, unknown> = {}, key = `k${++seq}`): LedgerEntry => ({ key, account: 'avail:1', delta, kind: delta > 0 ? 'earn' : 'redeem', at, data });
const earn = (key: string, n: number, at: string, expiresAt: string | null, releaseAt?: string) => e(n, at, { expiresAt, ...(releaseAt ? { releaseAt } : {}) }, key);
const remaining = (entries: LedgerEntry[]) => Object.fromEntries(lotsOf(entries).map((l) => [l.key, l.remaining]));

describe('lots: FIFO by expiry over an account', () => {
  it.each([
    ['one lot, nothing spent', [earn('a', 100, '2026-01-01', '2027-01-01')], { a: 100 }],
    ['spending takes the oldest-expiring lot first', [earn('a', 100, '2026-01-01', '2027-01-01'), earn('b', 50, '2026-02-01', '2027-02-01'), e(-120, '2026-03-01')], { a: 0, b: 30 }],
    ['expiry decides, not the order of earning', [earn('late', 100, '2026-01-01', '2028-01-01'), earn('soon', 50, '2026-02-01', '2026-06-01'), e(-60, '2026-03-01')], { late: 90, soon: 0 }],
    ['never-expiring lots are spent last', [earn('forever', 100, '2026-01-01', null), earn('x', 10, '2026-02-01', '2026-12-01'), e(-20, '2026-03-01')], { forever: 90, x: 0 }],
    ['same expiry: the older lot first', [earn('a', 10, '2026-01-02', '2027-01-01'), earn('b', 10, '2026-01-01', '2027-01-01'), e(-15, '2026-03-01')], { a: 5, b: 0 }],
    ['a debit naming a lot takes it from that lot', [earn('a', 100, '2026-01-01', '2027-01-01'), earn('b', 50, '2026-02-01', '2027-02-01'), e(-50, '2026-03-01', { lot: 'b' })], { a: 100, b: 0 }],
    ['a named debit larger than its lot takes the rest FIFO', [earn('a', 100, '2026-01-01', '2027-01-01'), earn('b', 50, '2026-02-01', '2027-02-01'), e(-70, '2026-03-01', { lot: 'b' })], { a: 80, b: 0 }],
    ['a release into avail keeps the earn key and its expiry', [e(40, '2026-01-15', { lot: 'purchase:7', earnedAt: '2026-01-01', expiresAt: '2027-01-01' }, 'release:purchase:7:avail')], { 'purchase:7': 40 }],
    ['spent lots stay, with nothing left', [earn('a', 10, '2026-01-01', '2027-01-01'), e(-10, '2026-01-02')], { a: 0 }],
  ] as const)('%s', (_, entries, want) => {
    expect(remaining([...entries])).toEqual(want);
    expect(remainingOf(lotsOf([...entries]))).toBe(entries.reduce((s, x) => s + x.delta, 0));
  });

  it('finds what is due for release, expiry and what expires soon, against the given time', () => {
    const lots = lotsOf([
      earn('p1', 10, '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', '2026-01-15T00:00:00.000Z'),
      earn('p2', 20, '2026-01-10T00:00:00.000Z', '2027-01-10T00:00:00.000Z', '2026-01-24T00:00:00.000Z'),
      earn('old', 5, '2025-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
    ]);
    expect(dueForRelease(lots, '2026-01-20T03:00:00.000Z').map((l) => l.key)).toEqual(['p1']);
    expect(dueForExpiry(lots, '2026-01-20T03:00:00.000Z').map((l) => l.key)).toEqual(['old']);
    expect(expiringWithin(lots, '2026-12-20T00:00:00.000Z', 14).map((l) => l.key)).toEqual(['p1']);
    expect(expiringWithin(lots, '2026-12-30T00:00:00.000Z', 14).map((l) => l.key)).toEqual(['p1', 'p2']);
  });

  it.each([
    ['2026-01-31T10:00:00.000Z', 1, '2026-02-28T10:00:00.000Z'],
    ['2024-01-31T00:00:00.000Z', 1, '2024-02-29T00:00:00.000Z'],
    ['2026-03-15T00:00:00.000Z', 12, '2027-03-15T00:00:00.000Z'],
    ['2026-11-30T00:00:00.000Z', 3, '2027-02-28T00:00:00.000Z'],
  ])('addMonths(%s, %i) = %s', (from, n, want) => {
    expect(addMonths(from, n)).toBe(want);
  });
});
