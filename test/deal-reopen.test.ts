import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, type TestApp } from './helpers/app.js';

/**
 * Issue 18, item 1: a won deal is revenue until it is reopened. `/deal reopen` records the move in the deal
 * history, withdraws the won purchase (RFM, CLV and lifecycle stop counting it), takes back the loyalty points
 * the win earned, and winning again records the purchase and the points again, once.
 */
const NOW = Date.parse('2026-06-10T09:00:00.000Z');
const FX = { USD: 1, EUR: 1.08 };

describe('/deal reopen', () => {
  let app: TestApp;
  const ts = () => app.engine.store.tenant('default');
  const ledger = () => ts().ledger('loyalty', 'points');
  const add = async (user: string, text: string) => {
    const [r] = await say(app, user, `/deal add ${text}`);
    return { deal: Number(/D-(\d+)/.exec(r.text)![1]), customer: Number(/C-(\d+)/.exec(r.text)![1]) };
  };
  const wonPurchases = async (customer: number, deal: number) =>
    (await ts().interactions.listForCustomer(customer, 100)).filter((i) => i.sourceEventId === `deal-won:${deal}`);
  const keys = async (customer: number) => (await ledger().entries(`avail:${customer}`)).map((e) => [e.key, e.delta]);

  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:boss' }, { currency: 'USD', fx: FX, roles: { assign: { 'web:bob': 'manager' } } }, undefined, () => NOW);
  });
  afterAll(() => app.stop());

  it('reopens a won deal into its last open stage, withdraws its purchase and takes back its points', async () => {
    const { deal, customer } = await add('alice', '"Reopen Co" 1,000 USD stage:proposal');
    expect((await say(app, 'alice', `/deal won D-${deal}`))[0].text).toMatch(/moved from proposal to won/);
    expect(await wonPurchases(customer, deal)).toHaveLength(1);
    expect(await ts().analytics.rfmFor(customer, new Date(NOW).toISOString(), { currency: 'USD', fx: FX })).toMatchObject({ frequency: 1, monetaryMinor: 1_000_00 });
    expect(await keys(customer)).toContainEqual([`dealWon:${deal}`, 1000]);

    const [r] = await say(app, 'alice', `/deal reopen D-${deal}`);
    expect(r.text).toBe(`D-${deal} reopened: won to proposal. Its won purchase of $1,000.00 is withdrawn from the customer's revenue.`);
    const d = (await ts().deals.get(deal))!;
    expect(d).toMatchObject({ stage: 'proposal', closedAt: null, probability: 0.5 });
    expect(d.history.map((h) => h.stage)).toEqual(['proposal', 'won', 'proposal']);
    expect(d.history.at(-1)!.by).toBe('web:alice');
    expect(await wonPurchases(customer, deal)).toEqual([]);
    expect(await ts().analytics.rfmFor(customer, new Date(NOW).toISOString(), { currency: 'USD', fx: FX })).toBeNull();
    expect(await keys(customer)).toContainEqual([`reversal:dealWon:${deal}`, -1000]);
    expect(await ledger().balance(`avail:${customer}`)).toBe(50);

    // Nothing to reopen twice; winning again records the purchase and the points again, once.
    expect((await say(app, 'alice', `/deal reopen D-${deal}`))[0]).toMatchObject({ error: true, text: expect.stringMatching(/is open \(proposal\); only won or lost deals are reopened/) });
    await say(app, 'alice', `/deal won D-${deal}`);
    await say(app, 'alice', `/deal won D-${deal}`);
    expect(await wonPurchases(customer, deal)).toHaveLength(1);
    expect(await keys(customer)).toContainEqual([`dealWon:${deal}#2`, 1000]);
    expect(await ledger().balance(`avail:${customer}`)).toBe(1050);
  });

  it('reopens a lost deal into the stage named, clearing the reason; refuses closed stages and other reps', async () => {
    const { deal } = await add('alice', '"Lost Co" 500 USD stage:qualified');
    await say(app, 'alice', `/deal lost D-${deal} price`);
    const before = await ts().deals.get(deal);
    for (const [user, text, why] of [
      ['alice', `/deal reopen D-${deal} won`, /"won" is not an open stage\. Reopen into one of: lead, qualified, proposal, negotiation/],
      ['alice', `/deal reopen D-${deal} nowhere`, /"nowhere" is not an open stage/],
      ['rita', `/deal reopen D-${deal}`, /belongs to web:alice/],
      ['alice', '/deal reopen X-1', /is not a deal id/],
    ] as const) {
      expect((await say(app, user, text))[0], text).toMatchObject({ error: true, text: expect.stringMatching(why) });
    }
    expect(await ts().deals.get(deal)).toEqual(before);
    const [r] = await say(app, 'bob', `/deal reopen D-${deal} negotiation`);
    expect(r.text).toBe(`D-${deal} reopened: lost to negotiation.`);
    expect(await ts().deals.get(deal)).toMatchObject({ stage: 'negotiation', closedAt: null, lostReason: null });
  });

  it('earns won-deal points on the converted amount; a currency without a rate earns nothing', async () => {
    const eur = await add('alice', '"Euro Co" 1,000 EUR');
    await say(app, 'alice', `/deal won D-${eur.deal}`);
    expect(await keys(eur.customer)).toContainEqual([`dealWon:${eur.deal}`, 1080]);
    const cny = await add('alice', '"Yuan Co" 1,000 CNY');
    await say(app, 'alice', `/deal won D-${cny.deal}`);
    expect((await keys(cny.customer)).filter(([k]) => String(k).startsWith('dealWon'))).toEqual([]);
  });
});
