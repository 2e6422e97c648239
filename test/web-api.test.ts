import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, web, type TestApp } from './helpers/app.js';

describe('web chat API', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:root' });
  });
  afterAll(() => app.stop());

  it('answers /healthz with the store, adapters and plugins', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok', store: 'sqlite', adapters: ['web'], plugins: ['social-listening', 'loyalty', 'surveys', 'kpi-digest'] });
  });

  it('lists every command with /crm help', async () => {
    const [list] = await say(app, 'alice', '/crm help');
    expect(list.fields.map((f: { label: string }) => f.label)).toContain('/crm');
  });

  it('tells an unknown command what exists', async () => {
    const [r] = await say(app, 'alice', '/nope');
    expect(r.text).toMatch(/Unknown command \/nope/);
  });

  it('refuses a role change from a rep, naming the role needed', async () => {
    const [r] = await say(app, 'alice', '/crm role web:bob manager');
    expect(r.text).toMatch(/needs the role admin; you are rep/);
    const [who] = await say(app, 'bob', '/crm whoami');
    expect(who.fields).toContainEqual({ label: 'Role', value: 'rep' });
  });

  it('lets a bootstrap admin change roles', async () => {
    const [r] = await say(app, 'root', '/crm role web:bob manager');
    expect(r.text).toBe('web:bob is now manager.');
    const [who] = await say(app, 'bob', '/crm whoami');
    expect(who.fields).toContainEqual({ label: 'Role', value: 'manager' });
  });

  it('rejects malformed JSON, bad users and huge texts with 400 and a reason', async () => {
    const bad = await fetch(`${app.url}/web/api/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/not valid JSON/);
    expect((await web(app, '/web/api/message', { user: '<script>', text: 'hi' })).status).toBe(400);
    const big = await web(app, '/web/api/message', { user: 'alice', text: 'x'.repeat(10_240) });
    expect(big.status).toBe(400);
    expect(big.json.error).toMatch(/longer than 4000/);
  });

  it('stores a plain message as a community interaction of its author', async () => {
    expect(await say(app, 'dora', 'hello <b>world</b>')).toEqual([]);
    const ts = app.engine.store.tenant('default');
    const link = await ts.identities.get('web:dora');
    expect(link?.role).toBe('rep');
  });
});

describe('web chat behind a token', () => {
  let app: TestApp;
  const token = 'test-token-0123456789';
  beforeAll(async () => {
    app = await startTestApp({ WEB_CHAT_TOKEN: token });
  });
  afterAll(() => app.stop());

  it('refuses API calls without the bearer token and stores nothing', async () => {
    const res = await fetch(`${app.url}/web/api/message`, { method: 'POST', body: JSON.stringify({ user: 'eve', text: 'hello' }) });
    expect(res.status).toBe(401);
    expect(await app.engine.store.tenant('default').identities.get('web:eve')).toBeNull();
    const wrong = await fetch(`${app.url}/web/api/inbox?user=eve`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('answers with the token', async () => {
    const res = await fetch(`${app.url}/web/api/message`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ user: 'eve', text: '/crm whoami' }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).replies[0].text).toMatch(/You are eve \(web:eve\)/);
  });
});

describe('demo data', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.stop());

  it('loads a year of business once, with something in every report', async () => {
    const { loadDemo } = await import('../core/index.js');
    const sum = await loadDemo(app.engine);
    expect(sum.customers).toBe(300);
    expect(sum.interactions).toBeGreaterThan(1000);
    await expect(loadDemo(app.engine)).rejects.toThrow(/already has data/);
    const ts = app.engine.store.tenant('default');
    const stages = new Set((await ts.deals.list({}, 1000)).map((d) => d.stage));
    expect([...stages].sort()).toEqual(['lead', 'lost', 'negotiation', 'proposal', 'qualified', 'won']);
    const { rfmSegment } = await import('../core/index.js');
    const segments = new Set((await ts.analytics.rfm(app.engine.now(), app.engine.settings('default'))).map((r) => rfmSegment(r.r, r.f, r.m)));
    expect(segments.size).toBeGreaterThanOrEqual(8);
    const [pipeline] = await say(app, 'bob', '/deal pipeline');
    expect(pipeline.text).toMatch(/open deals/);
  });
});

describe('first contact', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({}, { roles: { defaults: { web: 'customer' } } });
  });
  afterAll(() => app.stop());

  it('gives a new customer identity one record even when its first messages arrive together', async () => {
    await Promise.all(Array.from({ length: 5 }, (_, i) =>
      app.engine.handle({ platform: 'web', scope: null, actor: { identity: 'web:newbie', displayName: 'newbie' }, channel: 'web', eventId: `first-${i}`, text: `hello ${i}` })));
    const ts = app.engine.store.tenant('default');
    expect(await ts.customers.count()).toBe(1);
    const link = await ts.identities.get('web:newbie');
    expect((await ts.interactions.listForCustomer(link!.customerId!, 10)).map((i) => i.text).sort()).toEqual(['hello 0', 'hello 1', 'hello 2', 'hello 3', 'hello 4']);
  });
});
