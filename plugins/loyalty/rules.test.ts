import { describe, expect, it } from 'vitest';
import type { Customer, Deal, Interaction } from '../../core/plugin-api.js';
import type { RuleConfig } from './config.js';
import { earnKey, earning, purchaseOrSurvey, welcome, wonDeal } from './rules.js';

const rule = (r: Partial<RuleConfig>): RuleConfig => ({ points: 0, pointsPerCurrencyUnit: 0, pending: false, capPerDay: null, capPerCustomer: null, capPerEvent: null, overCap: 'drop', ...r });
const none = { today: 0, total: 0 };

describe('earning: points + floor(whole units x rate x multiplier), then caps', () => {
  it.each([
    ['120.00 at 1 point per unit', rule({ pointsPerCurrencyUnit: 1 }), 12_000, 1, none, 120],
    ['cents are dropped before the rate: 120.99 -> 120', rule({ pointsPerCurrencyUnit: 1 }), 12_099, 1, none, 120],
    ['0.99 earns nothing', rule({ pointsPerCurrencyUnit: 1 }), 99, 1, none, 0],
    ['fractional result floors: 15 x 0.5 = 7.5 -> 7', rule({ pointsPerCurrencyUnit: 0.5 }), 1_500, 1, none, 7],
    ['tier multiplier: 100 x 1 x 1.25', rule({ pointsPerCurrencyUnit: 1 }), 10_000, 1.25, none, 125],
    ['no float drift: 100 x 1.15 = 115, not 114', rule({ pointsPerCurrencyUnit: 1.15 }), 10_000, 1, none, 115],
    ['fixed points ignore the multiplier', rule({ points: 10 }), null, 1.5, none, 10],
    ['fixed plus amount', rule({ points: 10, pointsPerCurrencyUnit: 2 }), 5_000, 1, none, 110],
    ['day cap leaves room for part', rule({ points: 10, capPerDay: 25 }), null, 1, { today: 20, total: 20 }, 5],
    ['day cap reached', rule({ points: 10, capPerDay: 25 }), null, 1, { today: 25, total: 40 }, 0],
    ['customer cap reached', rule({ points: 100, capPerCustomer: 1_000 }), null, 1, { today: 0, total: 1_000 }, 0],
    ['the event cap cuts one big event', rule({ pointsPerCurrencyUnit: 1, capPerEvent: 10_000 }), 5_000_000_00, 1, { today: 0, total: 0 }, 10_000],
    ['the tighter of both caps wins', rule({ points: 100, capPerDay: 80, capPerCustomer: 1_000 }), null, 1, { today: 0, total: 950 }, 50],
    ['caps already overrun never give negative points', rule({ points: 10, capPerDay: 5 }), null, 1, { today: 9, total: 9 }, 0],
  ] as const)('%s', (_, r, amount, multiplier, used, want) => {
    expect(earning(r, amount, multiplier, used).points).toBe(want);
  });

  it('reports the uncapped figure so a capped earning can say so', () => {
    expect(earning(rule({ points: 10, capPerDay: 0 }), null, 1, none)).toEqual({ points: 0, uncapped: 10 });
  });
});

const interaction = (i: Partial<Interaction>): Interaction => ({
  tenant: 't', id: 7, customerId: 3, identity: 'web:rep', type: 'purchase', channel: 'web', direction: 'out', text: '', amountMinor: 12_000, currency: 'USD', occurredAt: '2026-01-01T00:00:00.000Z', sourceEventId: null, ...i,
});

describe('which events earn', () => {
  it.each([
    ['a purchase with an amount', interaction({}), { rule: 'purchase', sourceId: '7', customerId: 3, amountMinor: 12_000 }],
    ['a survey answer', interaction({ type: 'survey_response', amountMinor: null }), { rule: 'survey', sourceId: '7', customerId: 3, amountMinor: null }],
    ['a purchase without amount', interaction({ amountMinor: null }), null],
    ['a purchase of zero', interaction({ amountMinor: 0 }), null],
    ['a call', interaction({ type: 'call', amountMinor: null }), null],
    ['an interaction with no customer', interaction({ customerId: null }), null],
  ] as const)('interaction.recorded: %s', (_, i, want) => {
    expect(purchaseOrSurvey({ tenant: 't', interaction: i, by: 'web:rep' })).toEqual(want);
  });

  const won = { stage: 'won', at: '2026-06-01T00:00:00.000Z', by: 'web:rep' };
  const deal = (d: Partial<Deal>) => ({ tenant: 't', deal: { id: 4, customerId: 9, amountMinor: 50_000, currency: 'USD', history: [won], ...d } as Deal });
  const rates = { USD: 1, EUR: 1.08 };
  it.each([
    ['in the tenant currency', deal({}), rates, { rule: 'dealWon', sourceId: '4', customerId: 9, amountMinor: 50_000 }],
    ['in another currency, converted (500 EUR x 1.08 / 1)', deal({ currency: 'EUR' }), rates, { rule: 'dealWon', sourceId: '4', customerId: 9, amountMinor: 54_000 }],
    ['in a currency without a rate', deal({ currency: 'CNY' }), rates, { noRate: 'CNY' }],
    ['in another currency when the tenant currency has no rate', deal({ currency: 'EUR' }), { EUR: 1.08 }, { noRate: 'USD' }],
    ['of zero', deal({ amountMinor: 0 }), rates, null],
    ['a second time after a reopen', deal({ history: [won, { ...won, stage: 'proposal' }, won] }), rates, { rule: 'dealWon', sourceId: '4#2', customerId: 9, amountMinor: 50_000 }],
  ] as const)('deal.won %s', (_, p, r, want) => {
    expect(wonDeal(p, 'USD', r)).toEqual(want);
  });

  it('welcomes a new customer once, keyed by the customer', () => {
    const o = welcome({ tenant: 't', customer: { id: 12 } as Customer });
    expect(earnKey(o)).toBe('welcome:12');
    expect(earnKey({ rule: 'purchase', sourceId: '7' })).toBe('purchase:7');
  });
});
