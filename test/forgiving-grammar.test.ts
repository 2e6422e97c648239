import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, web, type TestApp } from './helpers/app.js';

describe('forgiving grammar in the web chat', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await say(app, 'rep', '/customer add "Acme Corp"');
  });
  afterAll(async () => app?.stop());
  const counts = async () => {
    const ts = app.engine.store.tenant('default');
    return [await ts.customers.count(), (await ts.deals.list({}, 1000)).length];
  };

  it('asks before creating a customer whose name is close to an existing one, and each button re-runs the command', async () => {
    const before = await counts();
    const [ask] = await say(app, 'rep', '/deal add "Acme Crop" 1200 EUR stage:qualified');
    expect(ask).toMatchObject({ error: true, text: 'Did you mean Acme Corp (C-1)? Nothing was saved yet: pick one below, or type the id.' });
    expect(ask.buttons.map((b: { label: string }) => b.label)).toEqual(['Use C-1', 'Create Acme Crop']);
    expect(await counts()).toEqual(before);

    const use = await web(app, '/web/api/action', { user: 'rep', action: ask.buttons[0].id, value: ask.buttons[0].value });
    expect(use.json.replies[0].text).toMatch(/^Deal D-1 added\.$/);
    expect(use.json.replies[0].fields[0].value).toBe('D-1 Acme Corp: €1,200.00, qualified (25%)');

    const create = await web(app, '/web/api/action', { user: 'rep', action: ask.buttons[1].id, value: ask.buttons[1].value });
    expect(create.json.replies[0].text).toMatch(/^New customer C-2 Acme Crop created\. Deal D-2 added\.$/);
  });

  it('accepts unquoted names when there is only one way to read them', async () => {
    expect((await say(app, 'rep', '/customer show acme corp'))[0].text).toBe('C-1 Acme Corp');
    expect((await say(app, 'rep', '/customer tag acme corp vip'))[0].text).toBe('Tagged C-1 Acme Corp with vip.');
    expect((await say(app, 'rep', '/log call acme corp asked about pricing'))[0].text).toBe('Logged a call with C-1 Acme Corp.');
    const [deal] = await say(app, 'rep', '/deal add acme corp 5k');
    expect(deal.fields[0].value).toMatch(/^D-\d+ Acme Corp: \$5,000\.00, lead/);
  });

  it('takes the amount and currency of a purchase wherever they stand', async () => {
    expect((await say(app, 'rep', '/log purchase acme corp 1200 EUR annual licence'))[0].text).toBe('Logged a purchase with C-1 Acme Corp (€1,200.00).');
    expect((await say(app, 'rep', '/log purchase C-1 2 seats for 99.95'))[0].text).toBe('Logged a purchase with C-1 Acme Corp ($99.95).');
  });

  it('offers the close name when a log names nobody, and changes nothing', async () => {
    const before = await counts();
    const [r] = await say(app, 'rep', '/log call acme crp wants a demo');
    expect(r).toMatchObject({ error: true, text: expect.stringMatching(/^Did you mean Acme Corp \(C-1\)/) });
    expect(r.buttons[0]).toEqual({ id: 'log.call', label: 'Use C-1', value: 'C-1 wants a demo' });
    expect(await counts()).toEqual(before);
  });

  it('marks refusals as errors and leaves results unmarked', async () => {
    expect((await say(app, 'customer', '/deal list'))[0]).toMatchObject({ error: true, text: expect.stringMatching(/needs the role/) });
    expect((await say(app, 'rep', '/nope'))[0].error).toBe(true);
    expect((await say(app, 'rep', '/crm whoami'))[0].error).toBeUndefined();
  });

  it('lists only what the person may run in help', async () => {
    const [list, crm] = await say(app, 'customer', '/crm help');
    const names = list.fields.map((f: { label: string }) => f.label);
    expect(names).toContain('/points');
    expect(names).not.toContain('/deal');
    expect(crm.fields.map((f: { label: string }) => f.label).some((l: string) => l.startsWith('/crm role'))).toBe(false);
    const [, adminCrm] = await say(app, 'admin', '/crm help');
    expect(adminCrm.fields.map((f: { label: string }) => f.label).some((l: string) => l.startsWith('/crm role'))).toBe(true);
  });
});
