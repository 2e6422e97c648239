import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../core/index.js';
import { LEDGER, avail, pending } from './book.js';
import type { LoyaltyConfig, RuleConfig } from './config.js';
import { earn } from './earn.js';
import { reverseEntry } from './reversal.js';

const rule = (r: Partial<RuleConfig>): RuleConfig => ({ points: 0, pointsPerCurrencyUnit: 0, pending: false, capPerDay: null, capPerCustomer: null, capPerEvent: null, overCap: 'drop', ...r });
const CFG: LoyaltyConfig = {
  pendingDays: 14, expiryMonths: 12, expiryWarningDays: 14, maxManualPoints: 10_000, maxRewardCost: 1_000_000, tierWindowDays: 365,
  tiers: [{ name: 'Bronze', threshold: 0, multiplier: 1 }, { name: 'Silver', threshold: 1000, multiplier: 1.25 }],
  rules: {
    purchase: rule({ pointsPerCurrencyUnit: 1 }), dealWon: rule({ pointsPerCurrencyUnit: 1, pending: true }), survey: rule({}), helpful: rule({}), referral: rule({}),
    welcome: rule({ points: 5, capPerDay: 7 }),
  },
};
const T0 = '2026-01-01T12:00:00.000Z';
const later = (days: number) => new Date(Date.parse(T0) + days * 86_400_000).toISOString();
const buy = (customerId: number, sourceId: string, units: number) => ({ rule: 'purchase' as const, sourceId, customerId, amountMinor: units * 100 });

/** The tier multiplier an earn applies comes from the points earned in the window before it, summed by the store. */
describe('earn', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'loyalty-earn-')) });
  });
  afterAll(() => store.close());
  const ledger = () => store.tenant('t').ledger('loyalty', LEDGER);
  const multipliers = async (customer: number) => (await ledger().entries(avail(customer))).map((e) => [e.key, e.delta, e.data.multiplier]);

  it('earns at the tier of the points earned in the window: Silver after 1000, Bronze again once they age out', async () => {
    expect(await earn(ledger(), CFG, buy(1, 'a', 1000), T0, 'UTC')).toMatchObject({ status: 'earned', points: 1000 });
    expect(await earn(ledger(), CFG, buy(1, 'b', 100), later(1), 'UTC')).toMatchObject({ status: 'earned', points: 125 });
    // 366 days on, only the 125 of day 1 is in the window.
    expect(await earn(ledger(), CFG, buy(1, 'c', 100), later(366), 'UTC')).toMatchObject({ status: 'earned', points: 100 });
    expect(await multipliers(1)).toEqual([['purchase:a', 1000, 1], ['purchase:b', 125, 1.25], ['purchase:c', 100, 1]]);
  });

  it('counts pending earnings toward the tier, and not a reversed one', async () => {
    expect(await earn(ledger(), CFG, { rule: 'dealWon', sourceId: 'd1', customerId: 2, amountMinor: 100_000 }, T0, 'UTC')).toMatchObject({ status: 'earned', points: 1000, pending: true });
    expect((await ledger().entries(pending(2))).map((e) => e.delta)).toEqual([1000]);
    expect(await earn(ledger(), CFG, buy(2, 'p2a', 100), later(1), 'UTC')).toMatchObject({ points: 125 });
    expect(await reverseEntry(ledger(), CFG, 2, 'dealWon:d1', { by: 'web:boss' }, later(2))).toMatchObject({ status: 'ok' });
    expect(await earn(ledger(), CFG, buy(2, 'p2b', 100), later(3), 'UTC')).toMatchObject({ points: 100 });
  });

  it('keeps a per-day cap per local day, and earns a retried occasion once', async () => {
    const hi = (sourceId: string, at: string) => earn(ledger(), CFG, { rule: 'welcome', sourceId, customerId: 3, amountMinor: null }, at, 'Pacific/Auckland');
    expect(await hi('1', T0)).toMatchObject({ status: 'earned', points: 5 });
    expect(await hi('1', T0)).toEqual({ status: 'duplicate', key: 'welcome:1' });
    expect(await hi('2', T0)).toMatchObject({ status: 'earned', points: 2 });
    expect(await hi('3', T0)).toMatchObject({ status: 'nothing', why: 'capped' });
    // Auckland is 13 hours ahead in January: T0 is 01:00 on the 2nd there, 10:59 UTC the same date is still the 1st.
    expect(await hi('4', '2026-01-01T10:59:00.000Z')).toMatchObject({ status: 'earned', points: 5 });
  });
});
