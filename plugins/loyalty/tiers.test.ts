import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../core/plugin-api.js';
import { earnedInWindow, explainTier, standing } from './tiers.js';

const TIERS = [
  { name: 'Bronze', threshold: 0, multiplier: 1 },
  { name: 'Silver', threshold: 1000, multiplier: 1.25 },
  { name: 'Gold', threshold: 5000, multiplier: 1.5 },
];

describe('tiers', () => {
  it.each([
    [0, 'Bronze', 'Silver', 1000],
    [999, 'Bronze', 'Silver', 1],
    [1000, 'Silver', 'Gold', 4000],
    [7000, 'Gold', null, null],
  ] as const)('%i points earned -> %s, next %s needs %s', (earned, tier, next, needed) => {
    const s = standing(TIERS, earned);
    expect(s.tier.name).toBe(tier);
    expect(s.next?.tier.name ?? null).toBe(next);
    expect(s.next?.needed ?? null).toBe(needed);
  });

  it('explains the tier and the way up', () => {
    expect(explainTier(standing(TIERS, 1200), 365)).toBe('Tier Silver (purchases earn x1.25): 1200 points earned in the last 365 days; Silver starts at 1000. Gold needs 3800 more (5000 in 365 days, x1.5).');
    expect(explainTier(standing(TIERS, 6000), 365)).toMatch(/^Tier Gold .* This is the top tier\.$/);
  });

  const e = (kind: string, delta: number, at: string, data: Record<string, unknown> = {}): LedgerEntry => ({ key: `${kind}${at}`, account: 'avail:1', delta, kind, at, data });
  it('counts rule earnings in the rolling window only, minus reversed earnings', () => {
    const entries = [
      e('earn', 500, '2025-01-01T00:00:00.000Z'),
      e('earn', 300, '2025-06-01T00:00:00.000Z'),
      e('earn', 200, '2025-12-01T00:00:00.000Z'),
      e('reversal', -200, '2025-12-02T00:00:00.000Z', { reversed: 'earn' }),
      e('reversal', 50, '2025-12-03T00:00:00.000Z', { reversed: 'redeem' }),
      e('adjust', 1000, '2025-12-04T00:00:00.000Z'),
      e('redeem', -100, '2025-12-05T00:00:00.000Z'),
    ];
    expect(earnedInWindow(entries, '2026-01-10T00:00:00.000Z', 365)).toBe(300);
  });
});
