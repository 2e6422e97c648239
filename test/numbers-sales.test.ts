import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../core/sales/amount.js';
import { recordWonPurchase, wonDealSource } from '../core/sales/won-revenue.js';
import { say, startTestApp, type TestApp } from './helpers/app.js';

/**
 * Won deals as revenue, every currency counted and undated deals forecast (issue 18, items 1-3), through the
 * web chat, each figure recomputed here with plain loops from the deals the test adds.
 */
const NOW = Date.parse('2026-06-10T09:00:00.000Z');
const FX: Record<string, number> = { USD: 1, EUR: 1.08, CNY: 0.14 };
const PROB: Record<string, number> = { lead: 0.1, qualified: 0.25, proposal: 0.5, negotiation: 0.75 };
const usd = (m: number) => formatMoney(m, 'USD');
const field = (reply: { fields?: { label: string; value: string }[] }, label: string) => reply.fields?.find((f) => f.label === label)?.value;

interface Spec { customer: string; amount: number; currency: string; stage: string; close: string | null; outcome: 'won' | 'lost' | null }
const DEALS: Spec[] = [
  { customer: 'Acme', amount: 10_000, currency: 'USD', stage: 'lead', close: null, outcome: null },
  { customer: 'Beta', amount: 12_000, currency: 'EUR', stage: 'proposal', close: '2026-07-15', outcome: null },
  { customer: 'Gamma', amount: 50_000, currency: 'CNY', stage: 'qualified', close: null, outcome: null },
  { customer: 'Delta', amount: 3_000, currency: 'GBP', stage: 'lead', close: null, outcome: null },
  { customer: 'Echo', amount: 1_000, currency: 'EUR', stage: 'lead', close: null, outcome: 'won' },
  { customer: 'Fox', amount: 2_000, currency: 'GBP', stage: 'lead', close: null, outcome: 'won' },
  { customer: 'Golf', amount: 500, currency: 'CNY', stage: 'lead', close: null, outcome: 'lost' },
];
/** Minor units in USD, or null without a rate. */
const toUsd = (minor: number, currency: string) => (FX[currency] === undefined ? null : Math.round((minor * FX[currency]!) / FX.USD!));

describe('numbers an executive can bet on: deals', () => {
  let app: TestApp;
  let clock = NOW;
  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:boss' }, { currency: 'USD', fx: FX }, undefined, () => clock);
    for (const d of DEALS) {
      const close = d.close ? ` close:${d.close}` : '';
      const [r] = await say(app, 'alice', `/deal add ${d.customer} ${d.amount} ${d.currency} stage:${d.stage}${close}`);
      const id = /D-\d+/.exec(r.text)![0];
      if (d.outcome) expect((await say(app, 'alice', `/deal ${d.outcome} ${id}`))[0].text).toMatch(/moved from/);
    }
  });
  afterAll(() => app.stop());

  it('converts every currency in the pipeline and keeps amounts without a rate apart', async () => {
    const [p] = await say(app, 'alice', '/deal pipeline');
    const open = DEALS.filter((d) => d.outcome === null);
    let total = 0;
    let weighted = 0;
    let count = 0;
    let apart = 0;
    for (const d of open) {
      const c = toUsd(d.amount * 100, d.currency);
      if (c === null) { apart += d.amount * 100; continue; }
      count++;
      total += c;
      weighted += Math.round(c * PROB[d.stage]!);
    }
    expect(p.text).toBe(`Pipeline (USD): ${count} open deals, ${usd(total)} total, ${usd(weighted)} weighted by stage probability. Also 1 open deal: ${formatMoney(apart, 'GBP')} not converted: no GBP rate.`);
    expect(field(p, 'proposal (50%)')).toBe(`1 deal, ${usd(12_000_00 * 1.08)}, weighted ${usd(12_000_00 * 1.08 * 0.5)}`);
  });

  it('counts deals of every currency in the win rate; the average deal uses converted ones and names the rest', async () => {
    const [p] = await say(app, 'alice', '/deal pipeline');
    const won = DEALS.filter((d) => d.outcome === 'won');
    const lost = DEALS.filter((d) => d.outcome === 'lost');
    expect(field(p, 'Win rate (90 days)')).toBe(`${Math.round((won.length / (won.length + lost.length)) * 1000) / 10}% (${won.length} won, ${lost.length} lost)`);
    const converted = won.map((d) => toUsd(d.amount * 100, d.currency)).filter((x): x is number => x !== null);
    expect(field(p, 'Average deal size (won, 90 days)')).toBe(`${usd(converted.reduce((a, b) => a + b, 0) / converted.length)}; also ${formatMoney(2_000_00, 'GBP')} not converted: no GBP rate`);
  });

  it('forecasts undated deals at creation + the stage cycle, marked estimated, and says how many', async () => {
    const [p] = await say(app, 'alice', '/deal pipeline');
    // Won deals here were won the moment they were added: a measured cycle of 0 days, so undated deals fall due now (June).
    let june = 0;
    let july = 0;
    let estimated = 0;
    let juneApart = 0;
    for (const d of DEALS.filter((x) => x.outcome === null)) {
      const month = d.close ? d.close.slice(0, 7) : '2026-06';
      if (!d.close) estimated++;
      const c = toUsd(d.amount * 100, d.currency);
      if (c === null) { juneApart += d.amount * 100 * PROB[d.stage]!; continue; }
      if (month === '2026-06') june += c * PROB[d.stage]!;
      else july += c * PROB[d.stage]!;
    }
    expect(field(p, 'Forecast 2026-06')).toBe(`${usd(Math.round(june))} (open deals closing that month x stage probability; ${estimated} with an estimated close date; also ${formatMoney(juneApart, 'GBP')} not converted: no GBP rate)`);
    expect(field(p, 'Forecast 2026-07')).toBe(`${usd(Math.round(july))} (open deals closing that month x stage probability)`);
    expect(field(p, 'Estimated close dates')).toMatch(new RegExp(`^${estimated} open deals have no close date: forecast at creation \\+ the stage's average cycle`));
  });

  it('records a won deal as one purchase at its close time; the card lists it and its total', async () => {
    const ts = app.engine.store.tenant('default');
    const [echo] = await ts.customers.findByName('Echo');
    const [deal] = await ts.deals.list({ customerId: echo!.id }, 5);
    await recordWonPurchase(ts, deal!);
    const purchases = (await ts.interactions.listForCustomer(echo!.id, 50)).filter((i) => i.type === 'purchase');
    expect(purchases).toMatchObject([{ amountMinor: 1_000_00, currency: 'EUR', occurredAt: deal!.closedAt, sourceEventId: wonDealSource(deal!.id) }]);
    const [card] = await say(app, 'alice', `/customer show C-${echo!.id}`);
    expect(field(card, 'Lifecycle')).toBe('new');
    expect(field(card, 'Won deals')).toMatch(new RegExp(`^1 won, \\${usd(1_000_00 * 1.08)} in total\\nD-\\d+ Echo deal: €1,000.00, won 2026-06-10$`));
    expect(field(card, 'RFM')).toMatch(/, 1 purchase, /);
  });

  it('keeps a won deal in a currency without a rate apart on the card, never dropped', async () => {
    const ts = app.engine.store.tenant('default');
    const [fox] = await ts.customers.findByName('Fox');
    const [card] = await say(app, 'alice', `/customer show C-${fox!.id}`);
    expect(field(card, 'Won deals')).toMatch(/^1 won, \$0\.00 in total; also £2,000\.00 not converted: no GBP rate\n/);
    expect(field(card, 'CLV')).toMatch(/; also £2,000\.00 not converted: no GBP rate$/);
  });

  it('draws the pipeline on request as a PNG, and refuses other words', async () => {
    const [p] = await say(app, 'alice', '/deal pipeline chart');
    expect(p.image).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(p.image.slice('data:image/png;base64,'.length), 'base64');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([720, 400]);
    expect((await say(app, 'alice', '/deal pipeline'))[0].image).toBeUndefined();
    expect((await say(app, 'alice', '/deal pipeline pie'))[0].text).toMatch(/\/deal pipeline chart/);
  });

  it('converts every currency in RFM monetary and the digest CLV, keeping amounts without a rate apart', async () => {
    const ts = app.engine.store.tenant('default');
    const [fox] = await ts.customers.findByName('Fox');
    const [echo] = await ts.customers.findByName('Echo');
    expect(field((await say(app, 'alice', `/customer show C-${fox!.id}`))[0], 'RFM')).toMatch(/, \$0\.00; also £2,000\.00 not converted: no GBP rate\)$/);
    expect(field((await say(app, 'alice', `/customer show C-${echo!.id}`))[0], 'RFM')).toMatch(new RegExp(`, \\${usd(1_000_00 * 1.08)}\\)$`));
    // An hour later, so the deals won at NOW fall inside the digest's year. Year revenue: Echo's €1,000 converted,
    // Fox's £2,000 apart; 2 buyers; CLV = revenue per buyer x margin 0.3 x 3 years (no spend, so no CAC).
    clock = NOW + 3_600_000;
    const [digest] = await say(app, 'boss', '/digest now month');
    const clv = Math.round(Math.round(toUsd(1_000_00, 'EUR')! / 2) * 0.3 * 3);
    expect(field(digest, 'CLV')).toMatch(new RegExp(`^\\${usd(clv)} .*; also £2,000\\.00 not converted: no GBP rate$`));
  });
});
