import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../core/sales/amount.js';
import { say, startTestApp, web, type TestApp } from './helpers/app.js';

const field = (reply: { fields?: { label: string; value: string }[] }, label: string) => reply.fields?.find((f) => f.label === label)?.value;

describe('sales desk in the web chat', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:boss' }, { currency: 'EUR', roles: { assign: { 'web:mona': 'manager' } } });
  });
  afterAll(() => app.stop());

  it('runs a whole sale: customer, call, purchase, deal through stages, won; the card and pipeline show it', async () => {
    const [added] = await say(app, 'alice', '/customer add "Acme Corp" email:buy@acme.test company:Acme tag:vip');
    expect(added.text).toBe('Added C-1 Acme Corp (Acme), owned by you.');
    expect((await say(app, 'alice', '/log call "Acme Corp" discussed renewal'))[0].text).toBe('Logged a call with C-1 Acme Corp.');
    expect((await say(app, 'alice', '/log purchase C-1 annual licence 1,200'))[0].text).toBe('Logged a purchase with C-1 Acme Corp (€1,200.00).');

    const [deal] = await say(app, 'alice', '/deal add "Acme Corp" 12,000 EUR stage:proposal close:2026-12-20 title:"Renewal 2027"');
    expect(deal.text).toBe('Deal D-1 added.');
    expect(deal.fields[0].value).toBe('D-1 Acme Corp: €12,000.00, proposal (50%), closes 2026-12-20');
    expect(deal.buttons.map((b: { label: string }) => b.label)).toEqual(['Move to negotiation', 'Mark won', 'Mark lost', 'Open customer']);

    const next = deal.buttons[0];
    const moved = await web(app, '/web/api/action', { user: 'alice', action: next.id, value: next.value });
    expect(moved.json.replies[0].text).toBe('D-1 moved from proposal to negotiation.');
    const [won] = await say(app, 'alice', '/deal won D-1');
    expect(won.text).toBe('D-1 moved from negotiation to won.');

    const [card] = await say(app, 'alice', '/customer show C-1');
    expect(card.text).toBe('C-1 Acme Corp');
    expect(field(card, 'Owner')).toBe('web:alice');
    expect(field(card, 'Tags')).toBe('vip');
    expect(field(card, 'Lifecycle')).toBe('new');
    // The won deal is revenue: a second purchase of 12,000 (CRM-METHOD). The only buyer is one distinct value: scores 1.
    expect(field(card, 'RFM')).toMatch(/^R1 F1 M1: Lost \(last purchase 0 days ago, 2 purchases, €13,200.00\)$/);
    // Fresh purchases of 13,200 count as 30 days of tenure: 13,200 x 365/30 x 0.3 x 3 years - CAC (no spend yet: 0).
    expect(field(card, 'CLV')).toBe('€144,540.00 predicted (annual revenue x 0.3 margin x 3 years - CAC €0.00); €3,960.00 margin earned so far');
    expect(field(card, 'Won deals')).toMatch(/^1 won, €12,000.00 in total\nD-1 Renewal 2027: €12,000.00, won \d{4}-\d{2}-\d{2}$/);
    expect(field(card, 'Churn risk')).toBe('0/100: no warning signs');
    expect(field(card, 'Last interactions')).toMatch(/purchase €1,200.00: annual licence\n.*call: discussed renewal/);

    await say(app, 'alice', '/deal add Beta 1.5k');
    await say(app, 'alice', '/deal add Gamma 500 stage:qualified');
    const [pipeline] = await say(app, 'alice', '/deal pipeline');
    expect(pipeline.text).toBe('Pipeline (EUR): 2 open deals, €2,000.00 total, €275.00 weighted by stage probability.');
    expect(field(pipeline, 'lead (10%)')).toBe('1 deal, €1,500.00, weighted €150.00');
    expect(field(pipeline, 'qualified (25%)')).toBe('1 deal, €500.00, weighted €125.00');
    expect(field(pipeline, 'Win rate (90 days)')).toBe('100% (1 won, 0 lost)');
    expect(field(pipeline, 'Average deal size (won, 90 days)')).toBe('€12,000.00');

    const [list] = await say(app, 'alice', '/deal list');
    expect(list.text).toBe('3 deals of yours: 2 open, 1 won, 0 lost.');
    expect(list.fields.map((f: { label: string }) => f.label)).toEqual(['Open, lead (10%): 1 deal', 'Open, qualified (25%): 1 deal', 'Won: 1 deal']);
    expect(field(list, 'Won: 1 deal')).toMatch(/^D-1 Acme Corp: €12,000.00, won \(100%\)/);
  });

  it('creates the customer of a new deal, saying so', async () => {
    const [r] = await say(app, 'bea', '/deal add "Delta Ltd" 12 000');
    expect(r.text).toMatch(/^New customer C-\d+ Delta Ltd created\. Deal D-\d+ added\.$/);
  });

  it('opens a complaint case with an owner and a due date', async () => {
    const [r] = await say(app, 'alice', '/log complaint C-1 invoice was wrong');
    expect(r.text).toMatch(/^Complaint logged for Acme Corp; case K-1 opened for web:alice, due \d{4}-\d{2}-\d{2}\.$/);
    const [card] = await say(app, 'alice', '/customer show C-1');
    expect(field(card, 'Open complaints')).toBe('K-1 invoice was wrong (owner web:alice)');
    expect(field(card, 'Churn risk')).toBe('10/100: 1 open complaint');
  });

  it.each([
    ['/deal add Acme', /Say the customer and the amount/],
    ['/deal add Acme lots', /"lots" is not an amount \(write 12000, 12,000, 12 000, 12k, 1.2m or 99.95\)/],
    ['/deal add Acme -5', /Amounts cannot be negative/],
    ['/deal add Acme 5 XYZ', /"XYZ" is not an ISO 4217 currency code/],
    ['/deal add Acme 5 stage:dreaming', /Unknown stage "dreaming"\. Stages: lead, qualified, proposal, negotiation, won, lost\./],
    ['/deal add Acme 5 close:2026-02-30', /close:2026-02-30 is not a date/],
    ['/deal stage D-1 nowhere', /belongs|already won/],
    ['/deal won X-1', /"X-1" is not a deal id/],
    ['/customer add {"$gt": ""}', /Too many words|looks like a query/],
    ['/customer add "{$gt: 1}"', /looks like a query/],
    ['/customer add Bad email:nope', /email "nope" is not an e-mail address/],
    ['/customer show Nobody', /No customer named "Nobody"/],
    ['/log purchase C-1 stuff', /A purchase needs its amount: no amount found/],
  ])('%s -> a clear reply, nothing stored', async (line, expected) => {
    const ts = app.engine.store.tenant('default');
    const before = [await ts.customers.count(), (await ts.deals.list({}, 1000)).length];
    const [r] = await say(app, 'carl', line);
    expect(r.text).toMatch(expected);
    expect([await ts.customers.count(), (await ts.deals.list({}, 1000)).length]).toEqual(before);
  });

  it('lists every match of an ambiguous name and changes nothing', async () => {
    await say(app, 'alice', '/customer add Twin company:One');
    await say(app, 'alice', '/customer add Twin company:Two');
    const [r] = await say(app, 'alice', '/deal add Twin 100');
    expect(r.text).toMatch(/"Twin" matches 2 customers: C-\d+ Twin \(One\), C-\d+ Twin \(Two\)\. Use the id\./);
  });

  it('lets only the owner or a manager move a deal', async () => {
    const [d] = await say(app, 'alice', '/deal add Epsilon 100');
    const id = d.text.match(/D-\d+/)[0];
    expect((await say(app, 'carl', `/deal won ${id}`))[0].text).toMatch(`${id} belongs to web:alice; only its owner or a manager can change it.`);
    expect((await say(app, 'mona', `/deal won ${id}`))[0].text).toBe(`${id} moved from lead to won.`);
  });

  it('records acquisition spend for managers only, and CAC then shows on the card', async () => {
    expect((await say(app, 'alice', '/crm spend 5k 2026-11'))[0].text).toMatch(/needs the role admin or manager/);
    expect((await say(app, 'mona', '/crm spend 5k 2026-13'))[0].text).toMatch(/"2026-13" is not a month/);
    expect((await say(app, 'mona', '/crm spend 6k 2026-11'))[0].text).toBe('Recorded €6,000.00 of acquisition spend for 2026-11.');
    // CAC per new paying customer: customers with a purchase (a won deal counts) in the last twelve months.
    const ts = app.engine.store.tenant('default');
    let acquired = 0;
    for (let id = 1; id <= (await ts.customers.count()); id++) {
      if ((await ts.interactions.listForCustomer(id, 100)).some((i) => i.type === 'purchase')) acquired++;
    }
    expect(acquired).toBe(2);
    const [card] = await say(app, 'mona', '/customer show C-1');
    expect(field(card, 'CLV')).toContain(`- CAC ${formatMoney(Math.round(6_000_00 / acquired), 'EUR')})`);
  });

  it('answers help for every command', async () => {
    for (const name of ['crm', 'customer', 'deal', 'log']) {
      const [r] = await say(app, 'alice', `/${name} help`);
      expect(r.fields.length).toBeGreaterThan(0);
    }
  });
});
