import type { Store } from '../../core/store/port.js';

/** A small book of business used by the contract and mingo suites: purchases, deals in every state. */
export const AS_OF = '2026-06-30T12:00:00.000Z';

/** The tenant's reporting currency and rates for RFM monetary: GBP has no rate, so its spend is kept apart. */
export const MONEY = { currency: 'USD', fx: { USD: 1, EUR: 1.08, CNY: 0.14 } };

export const PURCHASES: { customer: number; at: string; amount: number; currency?: string | null }[] = [
  { customer: 1, at: '2026-06-28T09:00:00.000Z', amount: 120_00 },
  { customer: 1, at: '2026-05-02T09:00:00.000Z', amount: 80_00 },
  { customer: 1, at: '2026-03-11T09:00:00.000Z', amount: 40_00 },
  { customer: 2, at: '2026-06-01T10:00:00.000Z', amount: 900_00 },
  { customer: 2, at: '2026-05-01T10:00:00.000Z', amount: 333_33, currency: 'EUR' },
  { customer: 2, at: '2026-05-02T10:00:00.000Z', amount: 1, currency: 'EUR' },
  { customer: 3, at: '2026-02-01T10:00:00.000Z', amount: 7_77, currency: 'CNY' },
  { customer: 4, at: '2026-06-20T12:00:00.000Z', amount: 50_00, currency: 'GBP' },
  { customer: 4, at: '2026-06-21T12:00:00.000Z', amount: 10_00, currency: null },
  { customer: 3, at: '2025-12-24T18:30:00.000Z', amount: 15_00 },
  { customer: 3, at: '2026-01-05T18:30:00.000Z', amount: 15_00 },
  { customer: 4, at: '2026-06-27T12:00:00.000Z', amount: 60_00 },
  { customer: 5, at: '2025-08-30T12:00:00.000Z', amount: 5_00 },
  { customer: 6, at: '2026-06-30T11:59:59.999Z', amount: 250_00 },
  { customer: 6, at: '2026-06-30T12:00:00.001Z', amount: 999_00 }, // after AS_OF: ignored
];

export const DEALS = [
  { customer: 1, amount: 10_000_00, stage: 'proposal', probability: 0.5, close: '2026-07-15', end: null },
  { customer: 2, amount: 2_500_00, stage: 'lead', probability: 0.1, close: '2026-08-01', end: null },
  { customer: 2, amount: 4_000_00, stage: 'proposal', probability: 0.5, close: null, end: null },
  { customer: 3, amount: 7_000_00, stage: 'won', probability: 1, close: '2026-06-01', end: { stage: 'won', at: '2026-06-10T00:00:00.000Z' } },
  { customer: 4, amount: 1_000_00, stage: 'lost', probability: 0, close: null, end: { stage: 'lost', at: '2026-06-20T00:00:00.000Z' } },
] as const;

/** Writes the fixtures through the port, so both engines get exactly the same data. */
export async function seed(store: Store, tenant: string): Promise<void> {
  const ts = store.tenant(tenant);
  for (let i = 1; i <= 6; i++) await ts.customers.create({ name: `Customer ${i}` }, '2025-01-01T00:00:00.000Z');
  for (const p of PURCHASES) {
    await ts.interactions.add({
      customerId: p.customer, identity: null, type: 'purchase', channel: 'web', direction: 'in', text: 'order',
      amountMinor: p.amount, currency: p.currency === undefined ? 'USD' : p.currency, occurredAt: p.at, sourceEventId: null,
    });
  }
  for (const d of DEALS) {
    const deal = await ts.deals.create({
      customerId: d.customer, title: 'Deal', amountMinor: d.amount, currency: 'USD', stage: d.end ? 'proposal' : d.stage,
      probability: d.probability, owner: 'web:alice', expectedClose: d.close,
    }, 'web:alice', '2026-05-01T00:00:00.000Z');
    if (d.end) await ts.deals.moveStage(deal.id, { stage: d.end.stage, at: d.end.at, by: 'web:alice', probability: d.probability, closed: true });
  }
}
